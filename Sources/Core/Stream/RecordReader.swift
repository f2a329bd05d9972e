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

    /// Runs when the input goes quiet (see `LineReader.onIdle`): flush what is buffered.
    public var onIdle: (() throws -> Void)? {
        get { lines.onIdle }
        set { lines.onIdle = newValue }
    }

    /// The 1-based line number of the record last returned.
    public var lineNumber: Int { lines.lineNumber }

    /// `<input>:<line>` of the record last returned.
    public var location: String { "\(lines.name):\(lines.lineNumber)" }

    /// The next record, or nil at end of input.
    public func next() throws -> Record? {
        guard let line = try nextLine() else { return nil }
        return try record(from: line)
    }

    /// The next non-blank line with trailing `\r`, spaces and tabs removed, or nil at end of
    /// input: a view into the read buffer, valid until the next call. For hot paths that scan the
    /// line themselves (`RecordView`) and call `record(from:)` only when they need a `Record`.
    public func nextLine() throws -> UnsafeBufferPointer<UInt8>? {
        while let line = try lines.nextLine() {
            if let t = RecordReader.trimmed(line) { return t }
        }
        return nil
    }

    /// Whether the next line can be had without waiting (see `LineReader.inputReady()`).
    public func inputReady() -> Bool { lines.inputReady() }

    /// Like `nextLine()`, but only from what is already buffered: nil when the next line needs a
    /// read (see `LineReader.nextBufferedLine()`).
    public func nextBufferedLine() -> UnsafeBufferPointer<UInt8>? {
        while let line = lines.nextBufferedLine() {
            if let t = RecordReader.trimmed(line) { return t }
        }
        return nil
    }

    /// Parses a line from `nextLine()`; a malformed line is an input error at `location`.
    public func record(from line: UnsafeBufferPointer<UInt8>) throws -> Record {
        try RecordReader.parse(line, at: location)
    }

    /// Parses one line into a record; a malformed line is an input error at `location`.
    public static func parse(_ line: UnsafeBufferPointer<UInt8>, at location: @autoclosure () -> String) throws -> Record {
        let record: Record
        do {
            record = Record(fields: try JSONParser.parseObject(line))
        } catch let e as JSONParser.SyntaxError {
            throw EgError.input(at: location(), "\(e.message) (column \(e.offset + 1))")
        }
        try checkTime(record, at: location())
        return record
    }

    /// The line without trailing `\r`, spaces and tabs, or nil when that leaves it blank (blank
    /// lines are skipped).
    @inline(__always)
    public static func trimmed(_ line: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8>? {
        var n = line.count
        while n > 0, line[n - 1] == 0x0D || line[n - 1] == 0x20 || line[n - 1] == 0x09 { n -= 1 }
        return n == 0 ? nil : UnsafeBufferPointer(rebasing: line[0..<n])
    }

    /// A `_time` number (or numeric string) beyond `±EpochText.limitSeconds` is an input error.
    public static func checkTime(_ record: Record, at location: String) throws {
        switch record["_time"] {
        case .number(let s)?, .string(let s)?:
            if EpochText.read(s) == .outOfRange {
                let shown = s.count > 40 ? String(s.prefix(40)) + "..." : s
                throw EgError.input(at: location, "_time = \(shown): expected epoch seconds between -\(EpochText.limitSeconds) and \(EpochText.limitSeconds)")
            }
        default: break
        }
    }
}
