/// Where a conf line came from: a file path and a 1-based line number, printed `file:line`.
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int

    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }

    public var description: String { "\(file):\(line)" }

    /// Reads `file:line` back (the form stanza records carry); nil when it has no line number.
    public init?(parsing text: String) {
        guard let colon = text.lastIndex(of: ":"), let n = Int(text[text.index(after: colon)...]), n > 0 else { return nil }
        self.init(file: String(text[..<colon]), line: n)
    }
}
