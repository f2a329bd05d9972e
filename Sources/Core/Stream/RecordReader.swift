/// Reads the NDJSON record stream: one JSON object per line, blank lines skipped.
///
/// A malformed line is an input error located as `<input>:<line>`, e.g.
/// `stdin:3: expected ',' or '}' after the value of "_raw", found end of line`.
public final class RecordReader {
    private let lines: LineReader

    /// Reads records from `lines`.
    public init(lines: LineReader) { self.lines = lines }

    /// Reads records from `path` (`-` for standard input).
    public convenience init(path: String) throws { self.init(lines: try LineReader(path: path)) }

    /// The input's name for messages.
    public var name: String { lines.name }

    /// `<input>:<line>` of the record last returned.
    public var location: String { "\(lines.name):\(lines.lineNumber)" }

    /// The next record, or nil at end of input.
    public func next() throws -> Record? {
        while let line = try lines.nextLine() {
            var n = line.count
            while n > 0, line[n - 1] == 0x0D || line[n - 1] == 0x20 || line[n - 1] == 0x09 { n -= 1 }
            if n == 0 { continue }
            do {
                return Record(fields: try JSONParser.parseObject(UnsafeBufferPointer(rebasing: line[0..<n])))
            } catch let e as JSONParser.SyntaxError {
                throw EgError.input(at: location, "\(e.message) (column \(e.offset + 1))")
            }
        }
        return nil
    }
}
