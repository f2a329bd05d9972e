/// Reads the record stream from a tool's inputs in order: the given files, or standard input.
public final class RecordInputs {
    private var paths: [String]
    /// (Read per line: `@exclusivity(unchecked)`, no dynamic access check; one thread reads.)
    @exclusivity(unchecked) private var current: RecordReader?

    /// Reads `paths` in order; no paths (or `-`) means standard input.
    public init(paths: [String]) {
        self.paths = paths.isEmpty ? ["-"] : paths
    }

    /// Runs when the current input goes quiet (see `LineReader.onIdle`): a tool flushes its
    /// output here, so live events move on within a fraction of a second.
    public var onIdle: (() throws -> Void)?

    /// `<input>:<line>` of the record last returned, for messages.
    public var location: String { current?.location ?? "stdin" }

    /// The current input's name (`stdin` or a path) and the line number of the record last
    /// returned: `location` in parts, for hot paths that keep a location without a String.
    public var name: String { current?.name ?? "stdin" }
    public var lineNumber: Int { current?.lineNumber ?? 0 }

    /// The next record of any input, or nil when all are read.
    public func next() throws -> Record? {
        guard let line = try nextLine() else { return nil }
        return try record(from: line)
    }

    /// The next non-blank line of any input (see `RecordReader.nextLine()`), or nil when all are read.
    public func nextLine() throws -> UnsafeBufferPointer<UInt8>? {
        while true {
            if current == nil {
                guard !paths.isEmpty else { return nil }
                current = try RecordReader(path: paths.removeFirst())
                current!.onIdle = onIdle
            }
            if let l = try current!.nextLine() { return l }
            current = nil
        }
    }

    /// Whether the next line can be had without waiting (true between inputs: files do not wait).
    public func inputReady() -> Bool { current?.inputReady() ?? true }

    /// The next line of the current input if it is already buffered, else nil (the caller then
    /// calls `nextLine()`, which may block or move to the next input).
    public func nextBufferedLine() -> UnsafeBufferPointer<UInt8>? {
        current?.nextBufferedLine()
    }

    /// Parses a line from `nextLine()` into a record; a malformed line is an input error at `location`.
    public func record(from line: UnsafeBufferPointer<UInt8>) throws -> Record {
        guard let current else { throw EgError.input(at: location, "no current input") }
        return try current.record(from: line)
    }
}
