/// A position in YAML text: byte offset, 1-based line, 0-based character column.
struct YAMLPosition {
    var offset = 0
    var line = 1
    var column = 0
}

/// The byte cursor the YAML parser reads with: look-ahead, line and column tracking, blanks and comments.
struct YAMLCursor {
    let bytes: [UInt8]
    let file: String
    var at = YAMLPosition()

    /// Normalizes line breaks (CRLF and CR become LF), drops a byte-order mark, and rejects control
    /// characters YAML does not allow.
    init(text: String, file: String) throws {
        self.file = file
        var b: [UInt8] = []
        b.reserveCapacity(text.utf8.count)
        var line = 1, column = 0
        var it = text.utf8.makeIterator()
        var pending = it.next()
        if pending == 0xEF {
            var copy = it
            if copy.next() == 0xBB, copy.next() == 0xBF { it = copy; pending = it.next() }
        }
        while let c = pending {
            pending = it.next()
            if c == 13 {
                if pending == 10 { pending = it.next() }
                b.append(10); line += 1; column = 0
                continue
            }
            if c < 32 && c != 9 && c != 10 || c == 127 {
                throw YAMLError("control character 0x\(String(c, radix: 16)) is not allowed in YAML",
                                at: YAMLMark(file: file, line: line, column: column + 1))
            }
            b.append(c)
            if c == 10 { line += 1; column = 0 } else if c & 0xC0 != 0x80 { column += 1 }
        }
        bytes = b
    }

    var atEnd: Bool { at.offset >= bytes.count }
    var line: Int { at.line }
    var column: Int { at.column }
    var mark: YAMLMark { YAMLMark(file: file, line: at.line, column: at.column + 1) }

    /// The byte `k` ahead, 0 past the end (the text holds no NUL).
    @inline(__always) func peek(_ k: Int = 0) -> UInt8 {
        let i = at.offset + k
        return i < bytes.count ? bytes[i] : 0
    }

    @inline(__always) mutating func advance() {
        let c = bytes[at.offset]
        at.offset += 1
        if c == 10 { at.line += 1; at.column = 0 } else if c & 0xC0 != 0x80 { at.column += 1 }
    }

    mutating func advance(_ n: Int) { for _ in 0..<n where !atEnd { advance() } }

    func error(_ message: String) -> YAMLError { YAMLError(message, at: mark) }

    /// Space, tab, line break or the end.
    @inline(__always) func isBlankOrEnd(_ k: Int = 0) -> Bool {
        let c = peek(k)
        return c == 32 || c == 9 || c == 10 || c == 0
    }

    @inline(__always) static func isFlowIndicator(_ c: UInt8) -> Bool {
        c == UInt8(ascii: ",") || c == UInt8(ascii: "[") || c == UInt8(ascii: "]")
            || c == UInt8(ascii: "{") || c == UInt8(ascii: "}")
    }

    /// Line break or the end.
    var atLineEnd: Bool { let c = peek(); return c == 10 || c == 0 }

    mutating func skipInlineBlanks() {
        while peek() == 32 || peek() == 9 { advance() }
    }

    /// Skips a comment up to (not including) the line break.
    mutating func skipComment() {
        if peek() == UInt8(ascii: "#") { while !atLineEnd { advance() } }
    }

    /// The rest of the line is blank or a comment; the break itself stays unread.
    mutating func finishLine() throws {
        let before = at.offset
        skipInlineBlanks()
        if peek() == UInt8(ascii: "#") {
            if at.offset == before && before > 0 && bytes[before - 1] != 10 {
                throw error("a comment needs a space before '#'")
            }
            skipComment()
        }
        if !atLineEnd { throw error("unexpected text after the value: expected the end of the line") }
    }

    /// Moves to the next content character: past blanks, comments and empty lines. Returns false at the
    /// end of the text. Tabs may not indent content.
    mutating func skipToContent() throws -> Bool {
        var lineStart = at.column == 0
        while true {
            var sawTab = false
            while peek() == 32 || peek() == 9 {
                if peek() == 9 { sawTab = true }
                advance()
            }
            let c = peek()
            if c == UInt8(ascii: "#") { skipComment(); continue }
            if c == 10 { advance(); lineStart = true; continue }
            if c == 0 { return false }
            if sawTab && lineStart && !Self.mayFollowTabIndentation(c) {
                throw error("a tab character may not indent YAML content: use spaces")
            }
            return true
        }
    }

    /// After a tab at a line start only flow-context closers are harmless.
    private static func mayFollowTabIndentation(_ c: UInt8) -> Bool {
        c == UInt8(ascii: "]") || c == UInt8(ascii: "}") || c == UInt8(ascii: ",")
    }

    /// `---` or `...` at column 0 followed by a blank or the end.
    var atDocumentMarker: Bool {
        guard at.column == 0 else { return false }
        let c = peek()
        guard c == UInt8(ascii: "-") || c == UInt8(ascii: ".") else { return false }
        return peek(1) == c && peek(2) == c && isBlankOrEnd(3)
    }

    /// The text of bytes [from, to) as a String (invalid UTF-8 repaired).
    func text(_ from: Int, _ to: Int) -> String {
        String(decoding: bytes[from..<to], as: UTF8.self)
    }
}
