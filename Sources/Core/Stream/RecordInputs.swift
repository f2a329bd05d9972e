/// Reads the record stream from a tool's inputs in order: the given files, or standard input.
public final class RecordInputs {
    private var paths: [String]
    private var current: RecordReader?

    /// Reads `paths` in order; no paths (or `-`) means standard input.
    public init(paths: [String]) {
        self.paths = paths.isEmpty ? ["-"] : paths
    }

    /// `<input>:<line>` of the record last returned, for messages.
    public var location: String { current?.location ?? "stdin" }

    /// The next record of any input, or nil when all are read.
    public func next() throws -> Record? {
        while true {
            if current == nil {
                guard !paths.isEmpty else { return nil }
                current = try RecordReader(path: paths.removeFirst())
            }
            if let r = try current!.next() { return r }
            current = nil
        }
    }
}
