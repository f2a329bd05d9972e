/// Plain, single-quoted and double-quoted scalars, with YAML's line folding.
extension YAMLParser {
    /// Moves past the plain characters of this line: up to `: `, ` #`, the line end, and in flow
    /// context a flow indicator; trailing blanks stay unread.
    mutating func scanPlainLine(flow: Bool) {
        var end = cur.at
        var first = true
        while true {
            let c = cur.peek()
            if c == 10 || c == 0 { break }
            if c == 32 || c == 9 {
                cur.advance()
                if cur.peek() == UInt8(ascii: "#") { break }
                continue
            }
            if c == UInt8(ascii: ":") {
                let n = cur.peek(1)
                if n == 32 || n == 9 || n == 10 || n == 0 || flow && YAMLCursor.isFlowIndicator(n) { break }
            }
            if flow && YAMLCursor.isFlowIndicator(c) { break }
            if first && c == UInt8(ascii: "#") { break }
            first = false
            cur.advance()
            end = cur.at
        }
        cur.at = end
    }

    /// Whether a plain scalar may start at the cursor.
    func plainCanStart(flow: Bool) -> Bool {
        let c = cur.peek()
        switch c {
        case 0, 10, 32, 9: return false
        case UInt8(ascii: "-"), UInt8(ascii: "?"), UInt8(ascii: ":"):
            let n = cur.peek(1)
            return !(n == 32 || n == 9 || n == 10 || n == 0 || flow && YAMLCursor.isFlowIndicator(n))
        case UInt8(ascii: "#"), UInt8(ascii: "&"), UInt8(ascii: "*"), UInt8(ascii: "!"), UInt8(ascii: "|"),
             UInt8(ascii: ">"), UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "%"), UInt8(ascii: "@"),
             UInt8(ascii: "`"):
            return false
        default:
            return !YAMLCursor.isFlowIndicator(c)
        }
    }

    /// A plain scalar, continued on following lines indented more than `parent` (block context) or up
    /// to the next indicator (flow context); line breaks fold to spaces, empty lines to newlines.
    mutating func parsePlain(parent: Int, flow: Bool) throws -> String {
        guard plainCanStart(flow: flow) else {
            let c = cur.peek()
            let shown = c >= 32 && c < 127 ? "'\(Character(Unicode.Scalar(c)))'" : "this character"
            throw cur.error("unexpected \(shown): a value cannot start with it (quote the value)")
        }
        var start = cur.at.offset
        scanPlainLine(flow: flow)
        var text = cur.text(start, cur.at.offset)
        while true {
            let lineEnd = cur
            cur.skipInlineBlanks()
            guard cur.peek() == 10 else { cur = lineEnd; break }
            var breaks = 0
            while cur.peek() == 10 {
                cur.advance()
                breaks += 1
                while cur.peek() == 32 || cur.peek() == 9 { cur.advance() }
            }
            let c = cur.peek()
            let ends = c == 0 || c == UInt8(ascii: "#") || cur.atDocumentMarker
                || (!flow && cur.column <= parent)
                || (flow && (YAMLCursor.isFlowIndicator(c) || !plainCanContinueInFlow()))
                || (!flow && c == UInt8(ascii: ":") && cur.isBlankOrEnd(1))
            if ends { cur = lineEnd; break }
            text += breaks == 1 ? " " : String(repeating: "\n", count: breaks - 1)
            start = cur.at.offset
            scanPlainLine(flow: flow)
            text += cur.text(start, cur.at.offset)
        }
        return text
    }

    private func plainCanContinueInFlow() -> Bool {
        let c = cur.peek()
        if c == UInt8(ascii: ":") {
            let n = cur.peek(1)
            return !(n == 32 || n == 9 || n == 10 || n == 0 || YAMLCursor.isFlowIndicator(n))
        }
        return true
    }

    /// Folds a line break inside a quoted scalar: the break and the next line's leading blanks become a
    /// space, or one newline per empty line.
    private mutating func foldQuotedBreak(into out: inout [UInt8], escaped: Bool) throws {
        var breaks = 0
        while cur.peek() == 10 {
            cur.advance()
            breaks += 1
            while cur.peek() == 32 || cur.peek() == 9 { cur.advance() }
            if cur.atDocumentMarker { throw cur.error("a document marker inside a quoted scalar: close the quote") }
        }
        if escaped {
            out.append(contentsOf: repeatElement(10, count: breaks - 1))
        } else if breaks == 1 {
            out.append(32)
        } else {
            out.append(contentsOf: repeatElement(10, count: breaks - 1))
        }
    }

    mutating func parseSingleQuoted() throws -> String {
        let open = cur.mark
        cur.advance()
        var out: [UInt8] = []
        var blanks: [UInt8] = []
        while true {
            let c = cur.peek()
            if cur.atEnd { throw YAMLError("unterminated single-quoted string: expected a closing '", at: open) }
            if c == UInt8(ascii: "'") {
                if cur.peek(1) == UInt8(ascii: "'") {
                    out += blanks; blanks = []
                    out.append(c); cur.advance(); cur.advance()
                    continue
                }
                out += blanks
                cur.advance()
                return String(decoding: out, as: UTF8.self)
            }
            if c == 32 || c == 9 { blanks.append(c); cur.advance(); continue }
            if c == 10 { blanks = []; try foldQuotedBreak(into: &out, escaped: false); continue }
            out += blanks; blanks = []
            out.append(c)
            cur.advance()
        }
    }

    mutating func parseDoubleQuoted() throws -> String {
        let open = cur.mark
        cur.advance()
        var out: [UInt8] = []
        var blanks: [UInt8] = []
        while true {
            let c = cur.peek()
            if cur.atEnd { throw YAMLError("unterminated double-quoted string: expected a closing \"", at: open) }
            switch c {
            case UInt8(ascii: "\""):
                out += blanks
                cur.advance()
                return String(decoding: out, as: UTF8.self)
            case 32, 9:
                blanks.append(c)
                cur.advance()
            case 10:
                blanks = []
                try foldQuotedBreak(into: &out, escaped: false)
            case UInt8(ascii: "\\"):
                out += blanks; blanks = []
                let escMark = cur.mark
                cur.advance()
                if cur.peek() == 10 {
                    try foldQuotedBreak(into: &out, escaped: true)
                    continue
                }
                try appendEscape(into: &out, at: escMark)
            default:
                out += blanks; blanks = []
                out.append(c)
                cur.advance()
            }
        }
    }

    /// One escape after a backslash: the C-like letters, `\xXX`, `\uXXXX`, `\UXXXXXXXX`, `\N`, `\_`, `\L`, `\P`.
    private mutating func appendEscape(into out: inout [UInt8], at mark: YAMLMark) throws {
        let c = cur.peek()
        var simple: String?
        var hexDigits = 0
        switch c {
        case UInt8(ascii: "0"): simple = "\0"
        case UInt8(ascii: "a"): simple = "\u{07}"
        case UInt8(ascii: "b"): simple = "\u{08}"
        case UInt8(ascii: "t"), 9: simple = "\t"
        case UInt8(ascii: "n"): simple = "\n"
        case UInt8(ascii: "v"): simple = "\u{0B}"
        case UInt8(ascii: "f"): simple = "\u{0C}"
        case UInt8(ascii: "r"): simple = "\r"
        case UInt8(ascii: "e"): simple = "\u{1B}"
        case 32: simple = " "
        case UInt8(ascii: "\""): simple = "\""
        case UInt8(ascii: "/"): simple = "/"
        case UInt8(ascii: "\\"): simple = "\\"
        case UInt8(ascii: "N"): simple = "\u{85}"
        case UInt8(ascii: "_"): simple = "\u{A0}"
        case UInt8(ascii: "L"): simple = "\u{2028}"
        case UInt8(ascii: "P"): simple = "\u{2029}"
        case UInt8(ascii: "x"): hexDigits = 2
        case UInt8(ascii: "u"): hexDigits = 4
        case UInt8(ascii: "U"): hexDigits = 8
        default:
            let shown = c >= 32 && c < 127 ? String(Character(Unicode.Scalar(c))) : "?"
            throw YAMLError("unknown escape \\\(shown) in a double-quoted string", at: mark)
        }
        cur.advance()
        if let s = simple { out += Array(s.utf8); return }
        var v: UInt32 = 0
        for _ in 0..<hexDigits {
            guard let d = Self.hexValue(cur.peek()) else {
                throw YAMLError("escape \\\(Character(Unicode.Scalar(c))) needs \(hexDigits) hex digits", at: mark)
            }
            v = v << 4 | d
            cur.advance()
        }
        guard let scalar = Unicode.Scalar(v) else {
            throw YAMLError("escape names no Unicode character (U+\(String(v, radix: 16, uppercase: true)))", at: mark)
        }
        out += Array(String(Character(scalar)).utf8)
    }

    static func hexValue(_ c: UInt8) -> UInt32? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(c - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(c - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(c - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }
}
