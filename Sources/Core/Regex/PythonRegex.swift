import Foundation

/// Translates Python `re` patterns (what eventgen's stanza names and token regexes are) into
/// ICU patterns for `NSRegularExpression`, and rejects what cannot be translated.
///
/// Handled differences:
/// - `(?P<name>…)` → `(?<name>…)` (names ICU cannot take, e.g. with `_`, are renamed, see
///   `Translation.groupNames`), `(?P=name)` → `\k<name>`;
/// - `\Z` → `\z`; `(?#comment)` removed;
/// - global inline flags `(?imsx)` at the start kept, `(?u)` dropped, `(?a)`/`(?L)` rejected;
/// - `{` that does not start a valid quantifier is a literal (escaped); `{,n}` → `{0,n}`;
/// - inside `[...]`: `[` and other punctuation are literals (escaped, ICU would nest sets or
///   see operators), a leading `]` is a literal, `\b` is a backspace;
/// - verbose mode: whitespace inside a class is escaped (Python keeps it, ICU would drop it).
///
/// Patterns compile with `useUnixLineSeparators`, so `.`, `^` and `$` treat only `\n` as a
/// line end, as Python does (`$` then matches at the end or before a final `\n`, like Python).
/// Rejected: conditionals `(?(1)…)`, `(?a)`, `(?L)`, global flags after the start.
public enum PythonRegex {
    /// A translated pattern and the renaming of Python group names into ICU ones.
    public struct Translation: Sendable, Equatable {
        public var pattern: String
        /// Python group name → ICU group name (equal unless the name had to change).
        public var groupNames: [String: String]
    }

    /// The ICU pattern for a Python pattern; `context` names where it came from in errors.
    public static func translate(_ pattern: String, context: String = "regex") throws -> String {
        try translation(pattern, context: context).pattern
    }

    /// Translates and compiles; errors are `EgError.config` located at `context`
    /// (e.g. `token 2 of [web.log]`) and quote the pattern.
    public static func compile(_ pattern: String, context: String = "regex") throws -> NSRegularExpression {
        let icu = try translate(pattern, context: context)
        do {
            return try NSRegularExpression(pattern: icu, options: [.useUnixLineSeparators])
        } catch {
            throw EgError.config(at: context, "regex '\(pattern)': \(icuReason(error))")
        }
    }

    /// What to say about a pattern ICU refused after translation (Foundation gives no detail).
    static func icuReason(_ error: Error) -> String {
        "invalid (the regex engine refused it: \((error as NSError).localizedDescription))"
    }

    /// The reason in a regex error message, without the `regex '<pattern>': ` it starts with.
    public static func reason(_ message: String, pattern: String) -> String {
        let prefix = "regex '\(pattern)': "
        return message.hasPrefix(prefix) ? String(message.dropFirst(prefix.count)) : message
    }

    /// Full translation, with the group name map.
    public static func translation(_ pattern: String, context: String = "regex") throws -> Translation {
        var t = Translator(chars: Array(pattern.unicodeScalars), pattern: pattern, context: context)
        try t.run()
        return Translation(pattern: t.out, groupNames: t.names)
    }

    /// Whether an ICU group name is acceptable as is: ASCII letter then ASCII letters/digits.
    static func isICUName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic else { return false }
        return name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) }
    }

    private struct Translator {
        let chars: [Unicode.Scalar]
        let pattern: String
        let context: String
        var i = 0
        var out = ""
        var names: [String: String] = [:]
        var groupCount = 0
        var verbose = false
        /// True while only global flag groups have been seen (where Python allows them).
        var atStart = true

        init(chars: [Unicode.Scalar], pattern: String, context: String) {
            self.chars = chars
            self.pattern = pattern
            self.context = context
        }

        func fail(_ what: String) -> EgError {
            EgError.config(at: context, "regex '\(pattern)': \(what) is not supported (at position \(i))")
        }

        /// An error in Python's words: `<what> at position <p>`.
        func syntax(_ what: String, at p: Int) -> EgError {
            EgError.config(at: context, "regex '\(pattern)': \(what) at position \(p)")
        }

        /// Positions of the open groups (for `missing )`).
        var open: [Int] = []
        /// Whether the last item can take a quantifier (false at the start, after `(` and `|`).
        var canRepeat = false
        /// Whether the last item was a quantifier (a second one is a multiple repeat).
        var afterQuantifier = false
        /// Whether that quantifier already has its lazy `?` or possessive `+` mark.
        var markedLast = false

        /// What a `(?...` construct was.
        enum GroupKind { case opened, item, nothing }

        /// Checks a quantifier at `i` (`*`, `+`, `?` or a `{m,n}`) against what precedes it.
        mutating func quantifier(at p: Int, lazyMark: Bool) throws {
            if afterQuantifier && !lazyMark { throw syntax("multiple repeat", at: p) }
            if !canRepeat && !afterQuantifier { throw syntax("nothing to repeat", at: p) }
        }

        func peek(_ k: Int = 0) -> Unicode.Scalar? { i + k < chars.count ? chars[i + k] : nil }

        mutating func emit(_ s: Unicode.Scalar) { out.unicodeScalars.append(s) }
        mutating func emit(_ s: String) { out += s }

        mutating func run() throws {
            while i < chars.count {
                let c = chars[i]
                if c == "(" && peek(1) == "?" {
                    let at = i
                    switch try group() {
                    case .opened: open.append(at); canRepeat = false; afterQuantifier = false
                    case .item: canRepeat = true; afterQuantifier = false
                    case .nothing: break
                    }
                    continue
                }
                atStart = false
                let wasQuantifier = afterQuantifier
                switch c {
                case "*", "+", "?":
                    // `*?`, `+?`, `??` (lazy) and `*+`, `++`, `?+` (possessive) mark the quantifier before.
                    let mark = wasQuantifier && (c == "?" || c == "+") && !markedLast
                    try quantifier(at: i, lazyMark: mark)
                    emit(c)
                    i += 1
                    canRepeat = false
                    afterQuantifier = true
                    markedLast = mark
                    continue
                case ")":
                    guard open.popLast() != nil else { throw syntax("unbalanced parenthesis", at: i) }
                    emit(")")
                    i += 1
                    canRepeat = true
                    afterQuantifier = false
                    continue
                case "|":
                    emit("|")
                    i += 1
                    canRepeat = false
                    afterQuantifier = false
                    continue
                default: break
                }
                canRepeat = true
                afterQuantifier = false
                markedLast = false
                switch c {
                case "\\":
                    guard let n = peek(1) else {
                        throw syntax("bad escape (end of pattern)", at: i)
                    }
                    if n == "Z" { emit("\\z") } else { emit("\\"); emit(n) }
                    i += 2
                case "[":
                    try charClass()
                case "(":
                    groupCount += 1
                    open.append(i)
                    canRepeat = false
                    emit("(")
                    i += 1
                case "{":
                    let at = i
                    if try brace() {
                        try quantifier(at: at, lazyMark: false)
                        canRepeat = false
                        afterQuantifier = true
                        markedLast = false
                    }
                case "}", "]":
                    emit("\\"); emit(c)
                    i += 1
                case "#" where verbose:
                    while i < chars.count, chars[i] != "\n" { emit(chars[i]); i += 1 }
                default:
                    emit(c)
                    i += 1
                }
            }
            if let p = open.first { throw syntax("missing ), unterminated subpattern", at: p) }
        }

        /// `{` at `i`: a quantifier `{m}`, `{m,}`, `{,n}`, `{m,n}`, `{,}` (Python's rules), else a
        /// literal; returns whether it was a quantifier.
        @discardableResult
        mutating func brace() throws -> Bool {
            var j = i + 1
            var lo = "", hi = ""
            while j < chars.count, ("0"..."9").contains(chars[j]) { lo.unicodeScalars.append(chars[j]); j += 1 }
            var comma = false
            if j < chars.count, chars[j] == "," {
                comma = true
                j += 1
                while j < chars.count, ("0"..."9").contains(chars[j]) { hi.unicodeScalars.append(chars[j]); j += 1 }
            }
            if j < chars.count, chars[j] == "}", !(lo.isEmpty && !comma) {
                if comma, let a = Int(lo.isEmpty ? "0" : lo), let b = Int(hi), a > b {
                    throw syntax("min repeat greater than max repeat", at: i + 1)
                }
                emit(comma ? "{\(lo.isEmpty ? "0" : lo),\(hi)}" : "{\(lo)}")
                i = j + 1
                return true
            } else {
                emit("\\{")
                i += 1
                return false
            }
        }

        /// A `[...]` set starting at `i`.
        mutating func charClass() throws {
 let start = i
            emit("[")
            i += 1
            if peek() == "^" { emit("^"); i += 1 }
            if peek() == "]" { emit("\\]"); i += 1 }
            while true {
                guard let c = peek() else { throw syntax("unterminated character set", at: start) }
                if c == "]" { emit("]"); i += 1; return }
                if c == "\\" {
                    guard let n = peek(1) else {
                        throw syntax("bad escape (end of pattern)", at: i)
                    }
                    if n == "b" { emit("\\x08") } else { emit("\\"); emit(n) }
                    i += 2
                    continue
                }
                if verbose && c.properties.isWhitespace {
                    emit("\\x{\(String(c.value, radix: 16))}")
                } else if c.isASCII && c != "-" && (c.properties.isPatternSyntax || c == "^") {
                    emit("\\"); emit(c)
                } else {
                    emit(c)
                }
                i += 1
            }
        }

        /// A `(?...` construct at `i`.
        mutating func group() throws -> GroupKind {
            let wasStart = atStart
            atStart = false
            i += 2 // past "(?"
            guard let c = peek() else { throw syntax("unexpected end of pattern", at: i) }
            switch c {
            case "P":
                if peek(1) == "<" {
                    i += 2
                    let name = readName(until: ">")
                    groupCount += 1
                    let icu = Self_icuName(name)
                    names[name] = icu
                    emit("(?<\(icu)>")
                    return .opened
                } else if peek(1) == "=" {
                    i += 2
                    let name = readName(until: ")")
                    guard let icu = names[name] else {
                        throw EgError.config(at: context, "regex '\(pattern)': unknown group name '\(name)'")
                    }
                    emit("\\k<\(icu)>")
                    return .item
                } else {
                    throw fail("'(?P\(peek(1).map { String($0) } ?? "")'")
                }
            case "#":
                while let d = peek(), d != ")" { i += 1 }
                i += 1
                atStart = wasStart
                return .nothing
            case "(":
                throw fail("a conditional group '(?(...)...)'")
            case ":", "=", "!", ">":
                emit("(?"); emit(c); i += 1
                return .opened
            case "<":
                guard let n = peek(1), n == "=" || n == "!" else {
                    throw fail("'(?<' (Python names groups with '(?P<name>')")
                }
                emit("(?<"); emit(n); i += 2
                return .opened
            default:
                return try flags(globalAllowed: wasStart) ? .nothing : .opened
            }
        }

        mutating func readName(until end: Unicode.Scalar) -> String {
            var name = ""
            while let d = peek(), d != end { name.unicodeScalars.append(d); i += 1 }
            i += 1
            return name
        }

        func Self_icuName(_ name: String) -> String {
            if PythonRegex.isICUName(name) { return name }
            let kept = String(String.UnicodeScalarView(name.unicodeScalars.filter {
                $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))
            }))
            return "g\(groupCount)x\(kept)"
        }

        /// Inline flags `(?aiLmsux)`, `(?flags:...)`, `(?flags-flags:...)` with `i` after `(?`.
        /// Returns true for global flags `(?i)`, false for a scoped group `(?i:...)`.
        mutating func flags(globalAllowed: Bool) throws -> Bool {
            var on = "", off = ""
            var negative = false
            while let d = peek(), d != ")" && d != ":" {
                switch d {
                case "-": negative = true
                case "i", "m", "s", "x":
                    if negative { off.unicodeScalars.append(d) } else { on.unicodeScalars.append(d) }
                case "u": break
                case "a": throw fail("the ASCII flag '(?a)'")
                case "L": throw fail("the LOCALE flag '(?L)'")
                default: throw fail("'(?\(d)'")
                }
                i += 1
            }
            guard let end = peek() else { throw syntax("missing -, : or )", at: i) }
            i += 1
            if end == ")" {
                guard globalAllowed, !negative else {
                    throw fail("global flags not at the start of the expression")
                }
                if on.contains("x") { verbose = true }
                if !on.isEmpty { emit("(?\(on))") }
                atStart = true
                return true
            }
            emit("(?\(on)\(off.isEmpty ? "" : "-" + off):")
            return false
        }
    }
}

extension NSRegularExpression {
    /// Python `re.match(pattern, name)` whose match spans the whole name: how eventgen matches
    /// stanza names against sample file names (a match must start at 0 and the first match found
    /// must end at the end; a shorter leftmost alternative does not count).
    public func matchesWhole(_ name: String) -> Bool {
        let ns = name as NSString
        let full = NSRange(location: 0, length: ns.length)
        guard let m = firstMatch(in: name, options: [.anchored], range: full) else { return false }
        return m.range.location == 0 && m.range.length == full.length
    }
}
