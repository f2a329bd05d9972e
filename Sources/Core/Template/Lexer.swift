/// Syntax options of a template environment (Jinja's `Environment` arguments of the same names).
public struct TemplateSyntax: Sendable {
    /// A line starting with this (after spaces) is a statement (eventgen: `#`).
    public var lineStatementPrefix: String?
    /// Text from this to the end of the line is a comment (eventgen: `##`).
    public var lineCommentPrefix: String?
    /// Remove the first newline after a block tag.
    public var trimBlocks = false
    /// Strip spaces and tabs from the start of a line to a block tag.
    public var lstripBlocks = false
    /// Keep a single trailing newline at the end of the template (Jinja drops it by default).
    public var keepTrailingNewline = false

    public init(lineStatementPrefix: String? = nil, lineCommentPrefix: String? = nil,
                trimBlocks: Bool = false, lstripBlocks: Bool = false, keepTrailingNewline: Bool = false) {
        self.lineStatementPrefix = lineStatementPrefix
        self.lineCommentPrefix = lineCommentPrefix
        self.trimBlocks = trimBlocks
        self.lstripBlocks = lstripBlocks
        self.keepTrailingNewline = keepTrailingNewline
    }

    /// eventgen's jinja generator: `#` line statements and `##` line comments.
    public static let eventgen = TemplateSyntax(lineStatementPrefix: "#", lineCommentPrefix: "##")
}

/// One token of a template.
struct Token {
    enum Kind: Equatable {
        case data, variableBegin, variableEnd, blockBegin, blockEnd, name, string, int, float, op, eof
    }
    var kind: Kind
    /// Name, operator or string value; data text.
    var text: String
    var int: Int = 0
    /// An int literal beyond `Int`.
    var big: BigInt? = nil
    var float: Double = 0
    var position: SourcePosition
    /// For blockEnd: whether it was a line statement's end (a newline).
    var lineEnd = false

    /// How the token reads in an error message.
    var described: String {
        switch kind {
        case .data: return "template text"
        case .variableBegin: return "'{{'"
        case .variableEnd: return "'}}'"
        case .blockBegin: return "'{%'"
        case .blockEnd: return lineEnd ? "end of line" : "'%}'"
        case .name: return "'\(text)'"
        case .string: return "a string"
        case .int, .float: return "a number"
        case .op: return "'\(text)'"
        case .eof: return "end of template"
        }
    }
}

/// Splits template text into tokens: data runs (whitespace control applied) and the tokens of
/// each `{{ }}` / `{% %}` tag; comments, raw blocks and line comments are handled here.
struct Lexer {
    let b: [UInt8]
    let syntax: TemplateSyntax
    let template: Int32
    var i = 0
    var tokens: [Token] = []
    var lineStarts: [Int] = [0]
    /// The data run being collected, with its start offset.
    var pending: [UInt8] = []
    var pendingStart = 0
    /// Strip leading whitespace of the next data (after a `-%}`), or one newline (trim_blocks).
    var stripNext = false
    var trimNewline = false

    init(_ source: [UInt8], syntax: TemplateSyntax, template: Int32) {
        self.b = source
        self.syntax = syntax
        self.template = template
        for (k, c) in source.enumerated() where c == 10 { lineStarts.append(k + 1) }
    }

    func position(_ offset: Int) -> SourcePosition {
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return SourcePosition(template: template, line: Int32(lo + 1), column: Int32(offset - lineStarts[lo] + 1))
    }

    func error(_ offset: Int, _ message: String) -> TemplateError { TemplateError(position(offset), message) }

    static func tokenize(_ source: [UInt8], syntax: TemplateSyntax, template: Int32) throws -> [Token] {
        var lx = Lexer(source, syntax: syntax, template: template)
        try lx.run()
        return lx.tokens
    }

    func matches(_ s: [UInt8], at k: Int) -> Bool {
        guard k + s.count <= b.count, !s.isEmpty else { return false }
        for j in 0..<s.count where b[k + j] != s[j] { return false }
        return true
    }

    mutating func appendData(_ c: UInt8) {
        if pending.isEmpty { pendingStart = i }
        pending.append(c)
    }

    /// Emits the pending data (with `-` on the following tag: trailing whitespace stripped).
    mutating func flushData(stripTrailing: Bool, lstripLine: Bool = false) {
        if stripNext {
            var k = 0
            while k < pending.count, isSpace(pending[k]) { k += 1 }
            pending.removeFirst(k)
            stripNext = false
        }
        if trimNewline {
            if pending.first == 10 { pending.removeFirst() }
            else if pending.count >= 2 && pending[0] == 13 && pending[1] == 10 { pending.removeFirst(2) }
            trimNewline = false
        }
        if stripTrailing {
            while let l = pending.last, isSpace(l) { pending.removeLast() }
        } else if lstripLine {
            var k = pending.count
            while k > 0, pending[k - 1] == 32 || pending[k - 1] == 9 { k -= 1 }
            if k == 0 || pending[k - 1] == 10 {
                // Only strip when the tag starts its line (the data may begin mid-line after a tag).
                if k > 0 || pendingStartsLine { pending.removeLast(pending.count - k) }
            }
        }
        if !pending.isEmpty {
            tokens.append(Token(kind: .data, text: String(decoding: pending, as: UTF8.self), position: position(pendingStart)))
        }
        pending.removeAll(keepingCapacity: true)
    }

    var pendingStartsLine: Bool { pendingStart == 0 || (pendingStart > 0 && b[pendingStart - 1] == 10) }

    @inline(__always) func isSpace(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 10 || c == 13 || c == 11 || c == 12 }

    mutating func run() throws {
        let lsp = syntax.lineStatementPrefix.map { Array($0.utf8) } ?? []
        let lcp = syntax.lineCommentPrefix.map { Array($0.utf8) } ?? []
        var atLineStart = true
        while i < b.count {
            let c = b[i]
            if atLineStart && (!lsp.isEmpty || !lcp.isEmpty) {
                var k = i
                while k < b.count, b[k] == 32 || b[k] == 9 { k += 1 }
                if !lcp.isEmpty && matches(lcp, at: k) {
                    // handled by the line comment check below
                } else if !lsp.isEmpty && matches(lsp, at: k) {
                    flushData(stripTrailing: false)
                    try lineStatement(from: k + lsp.count)
                    atLineStart = true
                    continue
                }
            }
            atLineStart = false
            if !lcp.isEmpty && matches(lcp, at: i) {
                while let l = pending.last, l == 32 || l == 9 { pending.removeLast() }
                while i < b.count, b[i] != 10 { i += 1 }
                continue
            }
            if c == 123, i + 1 < b.count {   // {
                let n = b[i + 1]
                if n == 123 || n == 37 || n == 35 {
                    let minus = i + 2 < b.count && b[i + 2] == 45
                    let plus = i + 2 < b.count && b[i + 2] == 43
                    let start = i
                    flushData(stripTrailing: minus, lstripLine: n != 123 && syntax.lstripBlocks && !plus)
                    i += minus || plus ? 3 : 2
                    switch n {
                    case 35: try comment(start)
                    case 123: try tag(start, variable: true)
                    default:
                        if try rawBlock(start) { break }
                        try tag(start, variable: false)
                    }
                    continue
                }
            }
            appendData(c)
            i += 1
            if c == 10 { atLineStart = true }
        }
        if !syntax.keepTrailingNewline, pending.last == 10, !stripNext || pending.count > 1 {
            pending.removeLast()
            if pending.last == 13 { pending.removeLast() }
        }
        flushData(stripTrailing: false)
        tokens.append(Token(kind: .eof, text: "", position: position(b.count)))
    }

    /// `{# ... #}`, with `-#}` stripping the following whitespace.
    mutating func comment(_ start: Int) throws {
        while i + 1 < b.count {
            if b[i] == 35 && b[i + 1] == 125 {
                stripNext = i > 0 && b[i - 1] == 45
                i += 2
                return
            }
            i += 1
        }
        throw error(start, "unterminated comment: expected '#}'")
    }

    /// `{% raw %}...{% endraw %}`: returns false (and consumes nothing) unless the tag is `raw`.
    mutating func rawBlock(_ start: Int) throws -> Bool {
        var k = i
        while k < b.count, isSpace(b[k]) { k += 1 }
        guard matches(Array("raw".utf8), at: k) else { return false }
        k += 3
        while k < b.count, isSpace(b[k]) { k += 1 }
        var stripAfterOpen = false
        if k < b.count, b[k] == 45 { stripAfterOpen = true; k += 1 }
        guard matches(Array("%}".utf8), at: k) else { return false }
        k += 2
        // Find {%-? endraw -?%}
        var j = k
        while j + 1 < b.count {
            if b[j] == 123 && b[j + 1] == 37 {
                var m = j + 2
                let minus = m < b.count && b[m] == 45
                if minus || (m < b.count && b[m] == 43) { m += 1 }
                while m < b.count, isSpace(b[m]) { m += 1 }
                if matches(Array("endraw".utf8), at: m) {
                    m += 6
                    while m < b.count, isSpace(b[m]) { m += 1 }
                    var stripAfter = false
                    if m < b.count, b[m] == 45 { stripAfter = true; m += 1 }
                    if matches(Array("%}".utf8), at: m) {
                        var text = Array(b[k..<j])
                        if stripAfterOpen { while let f = text.first, isSpace(f) { text.removeFirst() } }
                        if minus { while let l = text.last, isSpace(l) { text.removeLast() } }
                        if !text.isEmpty {
                            tokens.append(Token(kind: .data, text: String(decoding: text, as: UTF8.self), position: position(k)))
                        }
                        i = m + 2
                        stripNext = stripAfter
                        trimNewline = syntax.trimBlocks && !stripAfter
                        return true
                    }
                }
            }
            j += 1
        }
        throw error(start, "unterminated raw block: expected '{% endraw %}'")
    }

    /// The tokens of one `{{ }}` or `{% %}` tag; `i` is just past the opening delimiter. A
    /// mismatched end delimiter (`}}` closing `{%`) ends the tag as an operator token, so the
    /// parser reports it where it expected the right one.
    mutating func tag(_ start: Int, variable: Bool) throws {
        tokens.append(Token(kind: variable ? .variableBegin : .blockBegin, text: "", position: position(start)))
        let close: UInt8 = variable ? 125 : 37
        let other: UInt8 = variable ? 37 : 125
        var depth = 0
        while true {
            while i < b.count, isSpace(b[i]) { i += 1 }
            guard i < b.count else {
                throw error(start, "unterminated \(variable ? "'{{'" : "'{%'"): expected '\(variable ? "}}" : "%}")', found end of template")
            }
            let c = b[i]
            var k = i
            var minus = false, plus = false
            if (c == 45 || (c == 43 && !variable)), k + 2 < b.count, b[k + 1] == close, b[k + 2] == 125 {
                minus = c == 45; plus = c == 43; k += 1
            }
            if k + 1 < b.count, b[k] == close, b[k + 1] == 125, !(variable && depth > 0) {
                tokens.append(Token(kind: variable ? .variableEnd : .blockEnd, text: "", position: position(i)))
                i = k + 2
                stripNext = minus
                trimNewline = !variable && syntax.trimBlocks && !minus && !plus
                return
            }
            if depth == 0, c == other, i + 1 < b.count, b[i + 1] == 125 {
                tokens.append(Token(kind: .op, text: variable ? "%}" : "}}", position: position(i)))
                i += 2
                return
            }
            try expressionToken(&depth, lineMode: false)
        }
    }

    /// A line statement: from the prefix to the end of the line (brackets may span lines).
    mutating func lineStatement(from k: Int) throws {
        tokens.append(Token(kind: .blockBegin, text: "", position: position(k - 1)))
        i = k
        var depth = 0
        while true {
            while i < b.count, b[i] == 32 || b[i] == 9 || b[i] == 13 || (depth > 0 && b[i] == 10) { i += 1 }
            if i >= b.count || b[i] == 10 {
                var t = Token(kind: .blockEnd, text: "", position: position(min(i, b.count)))
                t.lineEnd = true
                tokens.append(t)
                if i < b.count { i += 1 }
                return
            }
            if b[i] == 37 && i + 1 < b.count && b[i + 1] == 125 { i += 2; continue }  // a stray '%}' closes nothing
            try expressionToken(&depth, lineMode: true)
        }
    }

    static let twoCharOps: [String] = ["**", "//", "==", "!=", ">=", "<="]

    /// One expression token at `i`.
    mutating func expressionToken(_ depth: inout Int, lineMode: Bool) throws {
        let c = b[i]
        let start = i
        if isNameStart(c) {
            while i < b.count, isNameChar(b[i]) { i += 1 }
            tokens.append(Token(kind: .name, text: String(decoding: b[start..<i], as: UTF8.self), position: position(start)))
            return
        }
        if c >= 48 && c <= 57 { try number(); return }
        if c == 34 || c == 39 { try string(quote: c); return }
        if i + 1 < b.count {
            let two = String(decoding: b[i..<(i + 2)], as: UTF8.self)
            if Lexer.twoCharOps.contains(two) {
                tokens.append(Token(kind: .op, text: two, position: position(start)))
                i += 2
                return
            }
        }
        switch c {
        case 40, 91, 123: depth += 1
        case 41, 93, 125: depth = max(0, depth - 1)
        default: break
        }
        if "+-*/%~()[]{}.,:|=<>;!".utf8.contains(c) {
            tokens.append(Token(kind: .op, text: String(UnicodeScalar(c)), position: position(start)))
            i += 1
            return
        }
        throw error(start, "unexpected character '\(c >= 0x20 && c < 0x7F ? String(UnicodeScalar(c)) : "\\x" + String(c, radix: 16))' in expression")
    }

    @inline(__always) func isNameStart(_ c: UInt8) -> Bool { (c | 0x20) >= 97 && (c | 0x20) <= 122 || c == 95 || c >= 0x80 }
    @inline(__always) func isNameChar(_ c: UInt8) -> Bool { isNameStart(c) || (c >= 48 && c <= 57) }

    mutating func number() throws {
        let start = i
        var isFloat = false
        func digits() { while i < b.count, (b[i] >= 48 && b[i] <= 57) || b[i] == 95 { i += 1 } }
        digits()
        if i + 1 < b.count, b[i] == 46, b[i + 1] >= 48, b[i + 1] <= 57 { isFloat = true; i += 1; digits() }
        if i < b.count, b[i] | 0x20 == 101 {
            var k = i + 1
            if k < b.count, b[k] == 43 || b[k] == 45 { k += 1 }
            if k < b.count, b[k] >= 48, b[k] <= 57 { isFloat = true; i = k; digits() }
        }
        let text = String(decoding: b[start..<i].filter { $0 != 95 }, as: UTF8.self)
        var t = Token(kind: isFloat ? .float : .int, text: text, position: position(start))
        if isFloat {
            guard let d = Double(text) else { throw error(start, "invalid number '\(text)'") }
            t.float = d
        } else {
            if let v = Int(text) {
                t.int = v
            } else {
                let p = position(start)
                guard case .bigint(let big)? = try BigInt.parse(Substring(text), radix: 10, p) else {
                    throw error(start, "integer literal '\(text.prefix(20))...' has more than \(BigInt.maxDigits) digits")
                }
                t.big = big
            }
        }
        tokens.append(t)
    }
}
