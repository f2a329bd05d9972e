/// How values print: Python's `str()` and `repr()`, its float repr, and Jinja's `tojson`.
public enum ValueText {
    /// Appends the UTF-8 bytes of `s` in one copy (the generic `append(contentsOf: s.utf8)` goes
    /// byte by byte).
    @inline(__always)
    public static func appendUTF8(_ s: String, to out: inout [UInt8]) {
        var s = s
        s.withUTF8 { out.append(contentsOf: $0) }
    }

    /// `s` with ASCII letters lowered (or raised), when `s` is all ASCII; nil otherwise (the
    /// caller then uses the Unicode case mapping).
    public static func asciiCased(_ s: String, upper: Bool) -> String? {
        let original = s
        var s = s
        return s.withUTF8 { src -> String? in
            let n = src.count
            let from: UInt8 = upper ? 0x61 : 0x41
            var changes = false
            for b in src {
                if b >= 0x80 { return nil }
                if b &- from < 26 { changes = true }
            }
            if !changes { return original }
            return String(unsafeUninitializedCapacity: n) { d in
                for k in 0..<n {
                    let b = src[k]
                    d[k] = b &- from < 26 ? b ^ 0x20 : b
                }
                return n
            }
        }
    }

    /// Appends Python's `str(v)` (undefined prints nothing). A list or dict inside itself prints
    /// as `[...]` / `{...}`, as Python prints it; so does a container nested deeper than
    /// `ValueWalk.depthLimit`, where Python raises: false then (the caller makes it the error).
    @discardableResult
    public static func appendStr(_ v: Value, to out: inout [UInt8]) -> Bool {
        switch v {
        case .list, .tuple, .dict:
            var walk = ValueWalk()
            appendRepr(v, to: &out, &walk)
            return !walk.tooDeep
        default:
            appendScalarStr(v, to: &out)
            return true
        }
    }

    /// Appends Python's `repr(v)` (containers inside themselves or too deep as for `appendStr`).
    @discardableResult
    public static func appendRepr(_ v: Value, to out: inout [UInt8]) -> Bool {
        var walk = ValueWalk()
        appendRepr(v, to: &out, &walk)
        return !walk.tooDeep
    }

    /// `str(v)` of a value that is not a list, tuple or dict.
    static func appendScalarStr(_ v: Value, to out: inout [UInt8]) {
        switch v {
        case .undefined: return
        case .string(let s): appendUTF8(s, to: &out)
        case .int(let i): appendInt(i, to: &out)
        case .bigint(let b): out.append(contentsOf: b.decimal.utf8)
        case .float(let d): appendFloat(d, to: &out)
        case .none: out.append(contentsOf: "None".utf8)
        case .bool(let b): out.append(contentsOf: b ? "True".utf8 : "False".utf8)
        case .datetime(let d): appendDateTime(d, separator: 32, to: &out)
        case .timedelta(let t): appendTimedelta(t, to: &out)
        case .object(let o): o.appendText(to: &out)
        case .macro(let m): out.append(contentsOf: "<Macro '\(m.definition.name)'>".utf8)
        case .function(let f): out.append(contentsOf: "<function \(f.name)>".utf8)
        default: appendRepr(v, to: &out)
        }
    }

    static func appendRepr(_ v: Value, to out: inout [UInt8], _ walk: inout ValueWalk) {
        switch v {
        case .string(let s): appendStringRepr(s, to: &out)
        case .bytes(let b):
            out.append(UInt8(ascii: "b"))
            let hasSingle = b.contains(0x27), hasDouble = b.contains(0x22)
            let q: UInt8 = hasSingle && !hasDouble ? 0x22 : 0x27
            out.append(q)
            for c in b {
                switch c {
                case 0x5C: out.append(contentsOf: "\\\\".utf8)
                case 0x0A: out.append(contentsOf: "\\n".utf8)
                case 0x0D: out.append(contentsOf: "\\r".utf8)
                case 0x09: out.append(contentsOf: "\\t".utf8)
                case q: out.append(0x5C); out.append(q)
                case 0x20..<0x7F: out.append(c)
                default: appendHexEscape(UInt32(c), to: &out)
                }
            }
            out.append(q)
        case .list(let l):
            guard walk.enter(l) else { out.append(contentsOf: "[...]".utf8); return }
            appendSequence(l.items, open: 91, close: 93, to: &out, &walk)
            walk.leave()
        case .tuple(let t):
            guard walk.enter(nil) else { out.append(contentsOf: "(...)".utf8); return }
            if t.count == 1 { out.append(40); appendRepr(t[0], to: &out, &walk); out.append(contentsOf: ",)".utf8) }
            else { appendSequence(t, open: 40, close: 41, to: &out, &walk) }
            walk.leave()
        case .dict(let d):
            guard walk.enter(d) else { out.append(contentsOf: "{...}".utf8); return }
            out.append(123)
            for i in 0..<d.count {
                if i > 0 { out.append(contentsOf: ", ".utf8) }
                appendRepr(d.keys[i], to: &out, &walk)
                out.append(contentsOf: ": ".utf8)
                appendRepr(d.values[i], to: &out, &walk)
            }
            out.append(125)
            walk.leave()
        case .datetime(let d):
            let c = d.civil
            var s = "datetime.datetime(\(c.year), \(c.month), \(c.day), \(c.hour), \(c.minute)"
            if c.second != 0 || c.microsecond != 0 { s += ", \(c.second)" }
            if c.microsecond != 0 { s += ", \(c.microsecond)" }
            if let o = d.offset { s += o == 0 ? ", tzinfo=datetime.timezone.utc" : ", tzinfo=datetime.timezone(datetime.timedelta(seconds=\(o)))" }
            out.append(contentsOf: (s + ")").utf8)
        case .timedelta(let t):
            let (days, secs, us) = timedeltaParts(t)
            var parts: [String] = []
            if days != 0 { parts.append("days=\(days)") }
            if secs != 0 { parts.append("seconds=\(secs)") }
            if us != 0 { parts.append("microseconds=\(us)") }
            out.append(contentsOf: "datetime.timedelta(\(parts.joined(separator: ", ")))".utf8)
        case .undefined: return
        default: appendScalarStr(v, to: &out)
        }
    }

    static func appendSequence(_ items: [Value], open: UInt8, close: UInt8, to out: inout [UInt8], _ walk: inout ValueWalk) {
        out.append(open)
        for (i, x) in items.enumerated() {
            if i > 0 { out.append(contentsOf: ", ".utf8) }
            appendRepr(x, to: &out, &walk)
        }
        out.append(close)
    }

    /// Python's repr of a str: single quotes unless the text has a `'` and no `"`.
    static func appendStringRepr(_ s: String, to out: inout [UInt8]) {
        let hasSingle = s.utf8.contains(0x27), hasDouble = s.utf8.contains(0x22)
        let q: UInt8 = hasSingle && !hasDouble ? 0x22 : 0x27
        out.append(q)
        for u in s.unicodeScalars {
            switch u.value {
            case 0x5C: out.append(contentsOf: "\\\\".utf8)
            case 0x0A: out.append(contentsOf: "\\n".utf8)
            case 0x0D: out.append(contentsOf: "\\r".utf8)
            case 0x09: out.append(contentsOf: "\\t".utf8)
            case UInt32(q): out.append(0x5C); out.append(q)
            case 0x20..<0x7F: out.append(UInt8(u.value))
            case 0..<0x20, 0x7F..<0xA1: appendHexEscape(u.value, to: &out)
            default:
                if printable(u) { UTF8.encode(u) { out.append($0) } } else { appendHexEscape(u.value, to: &out) }
            }
        }
        out.append(q)
    }

    /// Python's `str.isprintable()` for one character: not a control, format, surrogate,
    /// private-use or unassigned character, nor a separator other than the space.
    static func printable(_ u: Unicode.Scalar) -> Bool {
        switch u.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator: return false
        case .spaceSeparator: return u.value == 0x20
        default: return true
        }
    }

    /// `\xNN`, `\uNNNN` or `\UNNNNNNNN`, as Python's repr escapes a character.
    static func appendHexEscape(_ v: UInt32, to out: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        if v < 0x100 {
            out.append(contentsOf: "\\x".utf8); out.append(hex[Int(v >> 4)]); out.append(hex[Int(v & 15)])
        } else {
            let digits = v < 0x10000 ? 4 : 8
            out.append(contentsOf: (digits == 4 ? "\\u" : "\\U").utf8)
            for shift in stride(from: (digits - 1) * 4, through: 0, by: -4) { out.append(hex[Int((v >> UInt32(shift)) & 15)]) }
        }
    }

    /// Appends the decimal digits of `i`.
    @inline(__always)
    public static func appendInt(_ i: Int, to out: inout [UInt8]) {
        if i < 0 {
            out.append(45)
            EpochText.appendDecimal(i == Int.min ? UInt64(Int.max) + 1 : UInt64(-i), to: &out)
        } else {
            EpochText.appendDecimal(UInt64(i), to: &out)
        }
    }

    /// Appends Python's `repr(float)`: the shortest digits that round-trip, fixed notation for
    /// decimal exponents -4...15 (`0.1`, `100.0`, `1e-05`, `1e+16`), `inf`, `-inf`, `nan`.
    public static func appendFloat(_ d: Double, to out: inout [UInt8]) {
        if d.isNaN { out.append(contentsOf: "nan".utf8); return }
        if d.isInfinite { out.append(contentsOf: (d < 0 ? "-inf" : "inf").utf8); return }
        if d == 0 { out.append(contentsOf: (d.sign == .minus ? "-0.0" : "0.0").utf8); return }
        let (negative, digits, exp) = shortestDigits(d)
        if negative { out.append(45) }
        // Value = 0.d1d2d3... * 10^exp; decimal exponent of the first digit is exp-1.
        let e = exp - 1
        if e >= -4 && e < 16 {
            if exp <= 0 {
                out.append(contentsOf: "0.".utf8)
                for _ in 0..<(-exp) { out.append(48) }
                out.append(contentsOf: digits)
            } else if exp >= digits.count {
                out.append(contentsOf: digits)
                for _ in 0..<(exp - digits.count) { out.append(48) }
                out.append(contentsOf: ".0".utf8)
            } else {
                out.append(contentsOf: digits[0..<exp])
                out.append(46)
                out.append(contentsOf: digits[exp...])
            }
        } else {
            out.append(digits[0])
            if digits.count > 1 { out.append(46); out.append(contentsOf: digits[1...]) }
            out.append(101)
            out.append(e < 0 ? 45 : 43)
            let a = abs(e)
            if a < 10 { out.append(48) }
            appendInt(a, to: &out)
        }
    }

    /// The shortest round-trip digits of a finite non-zero `d` (from Swift's own shortest printing)
    /// and the exponent such that d = 0.DIGITS × 10^exp.
    static func shortestDigits(_ d: Double) -> (Bool, [UInt8], Int) {
        let text = Array(d.description.utf8)
        var i = 0
        var negative = false
        if text[0] == 45 { negative = true; i = 1 }
        var digits: [UInt8] = []
        var pointAt: Int? = nil
        var exp = 0
        while i < text.count {
            let c = text[i]
            if c == 46 { pointAt = digits.count }
            else if c == 101 || c == 69 {
                exp = Int(String(decoding: text[(i + 1)...], as: UTF8.self)) ?? 0
                break
            } else { digits.append(c) }
            i += 1
        }
        var point = pointAt ?? digits.count
        // Strip leading zeros (0.001 → digits 1, point moves).
        while digits.count > 1 && digits[0] == 48 { digits.removeFirst(); point -= 1 }
        while digits.count > 1 && digits.last == 48 { digits.removeLast() }
        return (negative, digits, point + exp)
    }

    /// `YYYY-MM-DD HH:MM:SS[.ffffff][+HH:MM]` with `separator` between date and time.
    public static func appendDateTime(_ d: DateTimeValue, separator: UInt8, to out: inout [UInt8]) {
        let c = d.civil
        StrftimeWriter.num(c.year, 4, 48, 0, &out); out.append(45)
        StrftimeWriter.num(c.month, 2, 48, 0, &out); out.append(45)
        StrftimeWriter.num(c.day, 2, 48, 0, &out); out.append(separator)
        StrftimeWriter.hms(c, &out)
        if c.microsecond != 0 { out.append(46); StrftimeWriter.num(c.microsecond, 6, 48, 0, &out) }
        if let o = d.offset { StrftimeWriter.offset(o, colon: true, to: &out) }
    }

    /// (days, seconds, microseconds) normalised as Python's timedelta does.
    static func timedeltaParts(_ t: Int64) -> (Int64, Int64, Int64) {
        var days = t / 86_400_000_000
        var rest = t % 86_400_000_000
        if rest < 0 { rest += 86_400_000_000; days -= 1 }
        return (days, rest / 1_000_000, rest % 1_000_000)
    }

    /// `[-]N day[s], H:MM:SS[.ffffff]`.
    static func appendTimedelta(_ t: Int64, to out: inout [UInt8]) {
        let (days, secs, us) = timedeltaParts(t)
        if days != 0 { out.append(contentsOf: "\(days) day\(abs(days) == 1 ? "" : "s"), ".utf8) }
        appendInt(Int(secs / 3600), to: &out); out.append(58)
        StrftimeWriter.num(Int(secs / 60 % 60), 2, 48, 0, &out); out.append(58)
        StrftimeWriter.num(Int(secs % 60), 2, 48, 0, &out)
        if us != 0 { out.append(46); StrftimeWriter.num(Int(us), 6, 48, 0, &out) }
    }

    /// Jinja's `tojson`: Python's `json.dumps(v, sort_keys=True)` with `<`, `>`, `&` and `'`
    /// written as `\u003c`, `\u003e`, `\u0026`, `\u0027`, and non-ASCII as `\uXXXX`.
    /// A list or dict inside itself is Python's "Circular reference detected"; nesting beyond
    /// `ValueWalk.depthLimit` its RecursionError.
    public static func appendJSON(_ v: Value, indent: Int?, level: Int = 0, to out: inout [UInt8], position: SourcePosition) throws {
        var walk = ValueWalk()
        try appendJSON(v, indent: indent, level: level, to: &out, position: position, &walk)
    }

    static func appendJSON(_ v: Value, indent: Int?, level: Int, to out: inout [UInt8], position: SourcePosition, _ walk: inout ValueWalk) throws {
        func newline(_ l: Int) {
            guard let indent else { return }
            out.append(10)
            for _ in 0..<(indent * l) { out.append(32) }
        }
        switch v {
        case .none, .undefined: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .int(let i): appendInt(i, to: &out)
        case .bigint(let b): out.append(contentsOf: b.decimal.utf8)
        case .float(let d):
            if d.isNaN { out.append(contentsOf: "NaN".utf8) }
            else if d.isInfinite { out.append(contentsOf: (d < 0 ? "-Infinity" : "Infinity").utf8) }
            else { appendFloat(d, to: &out) }
        case .string(let s): appendJSONString(s, to: &out)
        case .list, .tuple:
            let items = v.iterate() ?? []
            try enterJSON(v, &walk, position, "tojson")
            defer { walk.leave() }
            out.append(91)
            if items.isEmpty { out.append(93); return }
            for (k, x) in items.enumerated() {
                if k > 0 { out.append(44); if indent == nil { out.append(32) } }
                newline(level + 1)
                try appendJSON(x, indent: indent, level: level + 1, to: &out, position: position, &walk)
            }
            newline(level)
            out.append(93)
        case .dict(let d):
            try enterJSON(v, &walk, position, "tojson")
            defer { walk.leave() }
            out.append(123)
            if d.count == 0 { out.append(125); return }
            var pairs: [(String, Value)] = []
            for i in 0..<d.count {
                let k = d.keys[i]
                let ks: String
                switch k {
                case .string(let s): ks = s
                case .int, .bigint, .float, .bool, .none: var b: [UInt8] = []; try appendJSON(k, indent: nil, to: &b, position: position); ks = String(decoding: b, as: UTF8.self)
                default: throw TemplateError(position, "tojson: keys must be str, int, float, bool or None, not \(k.typeName)")
                }
                pairs.append((ks, d.values[i]))
            }
            pairs.sort { $0.0.unicodeScalars.lexicographicallyPrecedes($1.0.unicodeScalars) }
            for (k, p) in pairs.enumerated() {
                if k > 0 { out.append(44); if indent == nil { out.append(32) } }
                newline(level + 1)
                appendJSONString(p.0, to: &out)
                out.append(contentsOf: ": ".utf8)
                try appendJSON(p.1, indent: indent, level: level + 1, to: &out, position: position, &walk)
            }
            newline(level)
            out.append(125)
        case .datetime, .timedelta, .bytes, .macro, .function, .object:
            throw TemplateError(position, "tojson: Object of type \(v.typeName) is not JSON serializable")
        }
    }

    /// Enters list, tuple or dict `v` in a JSON encoding: Python's json errors for one inside
    /// itself or nested too deeply (`caller` names the function in the message).
    static func enterJSON(_ v: Value, _ walk: inout ValueWalk, _ position: SourcePosition, _ caller: String) throws {
        let ref: AnyObject?
        switch v {
        case .list(let l): ref = l
        case .dict(let d): ref = d
        default: ref = nil
        }
        if walk.enter(ref) { return }
        if walk.tooDeep { throw TemplateError(position, "\(caller): maximum recursion depth exceeded while encoding a JSON object") }
        throw TemplateError(position, "\(caller): Circular reference detected")
    }

    static func appendJSONString(_ s: String, to out: inout [UInt8]) {
        var s = s
        s.withUTF8 { appendJSONString(bytes: $0, to: &out) }
    }

    /// The `tojson` escaping of UTF-8 text (Python's json with ensure_ascii, plus `<>&'`).
    static func appendJSONString(bytes b: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        PythonJSON.appendString(bytes: b, ensureASCII: true, htmlSafe: true, to: &out)
    }
}
