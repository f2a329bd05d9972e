import Foundation

/// Jinja's `filesizeformat`, `wordwrap` (Python's textwrap, in TextWrap.swift) and `xmlattr`
/// filters; `urlize` and `pprint` are in Urlize.swift and PrettyPrint.swift.
enum TextFilters {
    /// `wordwrap(width=79, break_long_words=True, wrapstring=None, break_on_hyphens=True)`.
    static func wordwrap(_ v: Value, _ args: CallArguments) throws -> String {
        let pos = args.position
        guard case .string(let s) = v else { throw notText(v, "splitlines", pos) }
        let width = try args.int(0, "width", "wordwrap", default: 79)
        guard width > 0 else { throw TemplateError(pos, "wordwrap: invalid width \(width) (must be > 0)") }
        let breakLong = args.get(1, "break_long_words")?.truthy ?? true
        var join = "\n"
        switch args.get(2, "wrapstring") {
        case nil, .none?: break
        case .string(let w)?: join = w
        case let w?: throw notText(w, "join", pos)
        }
        // textwrap splits words at hyphens only when the argument `is True`, but breaks a long
        // word after a hyphen when it is merely true.
        let h = args.get(3, "break_on_hyphens") ?? .bool(true)
        var split = false
        if case .bool(true) = h { split = true }
        let wrapper = TextWrap(width: width, breakLongWords: breakLong, splitOnHyphens: split, breakOnHyphens: h.truthy)
        return PyText.splitLines(Array(s.unicodeScalars)).map { line in
            wrapper.wrap(line).map(PyText.string).joined(separator: join)
        }.joined(separator: join)
    }

    static func notText(_ v: Value, _ method: String, _ pos: SourcePosition) -> TemplateError {
        if case .undefined(let n) = v { return TemplateError(pos, n.isEmpty ? "an undefined value was used as text" : "'\(n)' is undefined") }
        return TemplateError(pos, "'\(v.typeName)' object has no attribute '\(method)'")
    }

    /// Python's `float(v)`, as `filesizeformat` reads its value.
    static func pythonFloat(_ v: Value, _ pos: SourcePosition) throws -> Double {
        switch v {
        case .int(let i): return Double(i)
        case .float(let d): return d
        case .bool(let b): return b ? 1 : 0
        case .bigint(let b): return try b.double(pos)
        case .string(let s):
            var t = s.trimmingCharacters(in: .whitespacesAndNewlines)
            if t.contains("_") { t = t.replacingOccurrences(of: "_", with: "") }
            let lower = t.lowercased()
            if !lower.contains("x"), let d = Double(t) { return d }
            throw TemplateError(pos, "could not convert string to float: \(v.repr)")
        case .undefined(let n): throw TemplateError(pos, n.isEmpty ? "an undefined value was used as a number" : "'\(n)' is undefined")
        default: throw TemplateError(pos, "float() argument must be a string or a real number, not '\(v.typeName)'")
        }
    }

    /// Jinja's `filesizeformat`: `1 Byte`, `999 Bytes`, `1.5 kB` (or `KiB` with `binary`).
    static func fileSize(_ v: Value, binary: Bool, _ pos: SourcePosition) throws -> String {
        let bytes = try pythonFloat(v, pos)
        let base: Double = binary ? 1024 : 1000
        if bytes == 1 { return "1 Byte" }
        if bytes < base {
            guard bytes.isFinite else { throw TemplateError(pos, "filesizeformat: cannot convert float infinity to integer") }
            // `int(bytes)`: glibc prints the exact integer a Double holds.
            return String(format: "%.0f", bytes.rounded(.towardZero)) + " Bytes"
        }
        let prefixes = binary ? ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"] : ["kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"]
        var unit = base
        for (i, prefix) in prefixes.enumerated() {
            unit *= base
            // Python compares with the exact integer base ** (i + 2); as a Double 10**24 is
            // rounded down, so `bytes < 10**24` holds for the Double 1e24 itself.
            let below = !binary && i == 6 ? bytes <= unit : bytes < unit
            if below || i == prefixes.count - 1 {
                if bytes.isNaN { return "nan \(prefix)" }
                if bytes.isInfinite { return "inf \(prefix)" }
                return String(format: "%.1f", base * bytes / unit) + " " + prefix
            }
        }
        return ""
    }

    /// Jinja's `xmlattr`: ` key="value"` for each item of a dict whose value is not None or
    /// undefined, keys and values HTML-escaped, in the dict's order.
    static func xmlAttributes(_ v: Value, autospace: Bool, _ pos: SourcePosition) throws -> String {
        guard case .dict(let d) = v else {
            if case .undefined(let n) = v { throw TemplateError(pos, n.isEmpty ? "xmlattr: an undefined value is not a mapping" : "'\(n)' is undefined") }
            throw TemplateError(pos, "'\(v.typeName)' object has no attribute 'items'")
        }
        var items: [String] = []
        for i in 0..<d.count {
            switch d.values[i] { case .none, .undefined: continue; default: break }
            guard case .string(let key) = d.keys[i] else {
                throw TemplateError(pos, "xmlattr: expected string or bytes-like object, got '\(d.keys[i].typeName)'")
            }
            if key.unicodeScalars.contains(where: { " \t\n\r\u{0B}\u{0C}/>=".unicodeScalars.contains($0) }) {
                throw TemplateError(pos, "xmlattr: Invalid character in attribute name: \(d.keys[i].repr)")
            }
            items.append(Filters.escapeHTML(key) + "=\"" + Filters.escapeHTML(d.values[i].text) + "\"")
        }
        let rv = items.joined(separator: " ")
        return autospace && !rv.isEmpty ? " " + rv : rv
    }
}

/// Python's character classes and `str` helpers, on code points (Python's unit of `len`).
enum PyText {
    /// `str.isspace()` for one code point (also `\s` in `re`).
    static func isSpace(_ u: Unicode.Scalar) -> Bool {
        switch u.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }

    /// `\w` in a `str` pattern: a letter, a number or `_`.
    static func isWord(_ u: Unicode.Scalar) -> Bool {
        if u.value < 0x80 {
            let c = u.value | 0x20
            return (c >= 0x61 && c <= 0x7A) || (u.value >= 0x30 && u.value <= 0x39) || u.value == 0x5F
        }
        switch u.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber: return true
        default: return false
        }
    }

    /// `\d` in a `str` pattern: a decimal digit of any script.
    static func isDigit(_ u: Unicode.Scalar) -> Bool {
        if u.value < 0x80 { return u.value >= 0x30 && u.value <= 0x39 }
        return u.properties.generalCategory == .decimalNumber
    }

    /// True when the text is empty or all whitespace (`s.strip() == ''`).
    static func isBlank<C: Collection>(_ s: C) -> Bool where C.Element == Unicode.Scalar { s.allSatisfy(isSpace) }

    /// `str.splitlines()`: lines without their ends, no empty last line.
    static func splitLines(_ s: [Unicode.Scalar]) -> [ArraySlice<Unicode.Scalar>] {
        var lines: [ArraySlice<Unicode.Scalar>] = []
        var start = 0, i = 0
        while i < s.count {
            switch s[i].value {
            case 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029:
                lines.append(s[start..<i])
                if s[i].value == 0x0D, i + 1 < s.count, s[i + 1].value == 0x0A { i += 1 }
                start = i + 1
            default: break
            }
            i += 1
        }
        if start < s.count { lines.append(s[start...]) }
        return lines
    }

    static func string<C: Sequence>(_ s: C) -> String where C.Element == Unicode.Scalar {
        var out = String.UnicodeScalarView()
        out.append(contentsOf: s)
        return String(out)
    }
}
