import Foundation

/// Python's printf-style `fmt % args` (`%s %r %d %i %u %f %F %e %E %g %G %x %X %o %c %%`, flags
/// `-+ 0#`, width, precision, `*`, and `%(name)s` with a dict).
enum PercentFormat {
    static func format(_ fmt: String, _ args: Value, _ pos: SourcePosition) throws -> String {
        var items: [Value]
        var mapping: DictRef? = nil
        switch args {
        case .tuple(let t): items = t
        case .dict(let d): items = [args]; mapping = d
        default: items = [args]
        }
        var next = 0
        func take() throws -> Value {
            guard next < items.count else { throw TemplateError(pos, "not enough arguments for format string") }
            defer { next += 1 }
            return items[next]
        }
        let b = Array(fmt.utf8)
        var out: [UInt8] = []
        var i = 0
        var usedMapping = false
        while i < b.count {
            let c = b[i]
            guard c == 37 else { out.append(c); i += 1; continue }
            i += 1
            guard i < b.count else { throw TemplateError(pos, "incomplete format") }
            var value: Value? = nil
            if b[i] == 40 {   // %(name)
                guard let m = mapping else { throw TemplateError(pos, "format requires a mapping") }
                var j = i + 1
                while j < b.count, b[j] != 41 { j += 1 }
                guard j < b.count else { throw TemplateError(pos, "incomplete format key") }
                let key = String(decoding: b[(i + 1)..<j], as: UTF8.self)
                guard let v = m[key] else { throw TemplateError(pos, "format key '\(key)' not found") }
                value = v
                usedMapping = true
                i = j + 1
            }
            var spec = Spec()
            while i < b.count, let f = "-+ 0#".utf8.firstIndex(of: b[i]) {
                switch "-+ 0#".utf8[f] {
                case 45: spec.left = true
                case 43: spec.plus = true
                case 32: spec.space = true
                case 48: spec.zero = true
                default: spec.alt = true
                }
                i += 1
            }
            if i < b.count, b[i] == 42 { spec.width = min(max(try take().intValue ?? 0, 0), 100_000); i += 1 }
            else { while i < b.count, b[i] >= 48, b[i] <= 57 { spec.width = min(spec.width * 10 + Int(b[i] - 48), 100_000); i += 1 } }
            if i < b.count, b[i] == 46 {
                i += 1
                var p = 0
                if i < b.count, b[i] == 42 { p = min(max(try take().intValue ?? 0, 0), 1000); i += 1 }
                else { while i < b.count, b[i] >= 48, b[i] <= 57 { p = min(p * 10 + Int(b[i] - 48), 1000); i += 1 } }
                spec.precision = p
            }
            while i < b.count, b[i] == 104 || b[i] == 108 || b[i] == 76 { i += 1 }
            guard i < b.count else { throw TemplateError(pos, "incomplete format") }
            let conv = b[i]
            i += 1
            if conv == 37 { out.append(37); continue }
            let v = try value ?? take()
            out.append(contentsOf: try convert(v, conv, spec, pos).utf8)
        }
        if !usedMapping && mapping == nil && next < items.count {
            throw TemplateError(pos, "not all arguments converted during string formatting")
        }
        return String(decoding: out, as: UTF8.self)
    }

    struct Spec {
        var left = false, plus = false, space = false, zero = false, alt = false
        var width = 0
        var precision: Int? = nil
    }

    static func pad(_ body: String, sign: String, _ spec: Spec, numeric: Bool) -> String {
        let len = body.count + sign.count
        guard spec.width > len else { return sign + body }
        let fill = spec.width - len
        if spec.left { return sign + body + String(repeating: " ", count: fill) }
        if spec.zero && numeric { return sign + String(repeating: "0", count: fill) + body }
        return String(repeating: " ", count: fill) + sign + body
    }

    static func convert(_ v: Value, _ conv: UInt8, _ spec: Spec, _ pos: SourcePosition) throws -> String {
        switch conv {
        case 115, 114, 97:   // s r a
            var s = conv == 115 ? try v.text(at: pos) : try v.repr(at: pos)
            if let p = spec.precision { s = String(s.prefix(p)) }
            return pad(s, sign: "", spec, numeric: false)
        case 100, 105, 117:  // d i u
            var n = v
            switch v {
            case .int, .bool, .bigint: break
            case .float(let d):
                guard d.isFinite else { throw TemplateError(pos, "cannot convert float \(d) to integer") }
                n = try BigInt.fromDouble(d.rounded(.towardZero), pos)
            case .string(let s) where conv != 0: throw TemplateError(pos, "%d format: a real number is required, not str ('\(s)')")
            default: throw TemplateError(pos, "%\(Character(UnicodeScalar(conv))) format: a real number is required, not \(v.typeName)")
            }
            let (negative, digits) = BigInt.digits(n, radix: 10)!
            var body = digits
            if let p = spec.precision, body.count < p { body = String(repeating: "0", count: p - body.count) + body }
            return pad(body, sign: sign(negative, spec), spec, numeric: true)
        case 120, 88, 111:   // x X o
            guard let (negative, digits) = BigInt.digits(v, radix: conv == 111 ? 8 : 16, uppercase: conv == 88) else {
                throw TemplateError(pos, "%\(Character(UnicodeScalar(conv))) format: an integer is required, not \(v.typeName)")
            }
            var body = digits
            if let p = spec.precision, body.count < p { body = String(repeating: "0", count: p - body.count) + body }
            if spec.alt { body = (conv == 111 ? "0o" : (conv == 88 ? "0X" : "0x")) + body }
            return pad(body, sign: sign(negative, spec), spec, numeric: true)
        case 102, 70, 101, 69, 103, 71:   // f F e E g G
            guard let d = v.number else { throw TemplateError(pos, "must be real number, not \(v.typeName)") }
            let body = floatBody(abs(d), conv, precision: spec.precision ?? 6, alt: spec.alt)
            return pad(body, sign: sign(d < 0 || (d == 0 && d.sign == .minus), spec), spec, numeric: d.isFinite)
        case 99:   // c
            if let n = v.intValue {
                guard n >= 0 && n < 0x110000, let u = Unicode.Scalar(UInt32(n)) else { throw TemplateError(pos, "%c arg not in range(0x110000)") }
                return pad(String(Character(u)), sign: "", spec, numeric: false)
            }
            if case .string(let s) = v, s.count == 1 { return pad(s, sign: "", spec, numeric: false) }
            throw TemplateError(pos, "%c requires int or char")
        default:
            throw TemplateError(pos, "unsupported format character '\(Character(UnicodeScalar(conv)))'")
        }
    }

    static func sign(_ negative: Bool, _ spec: Spec) -> String {
        negative ? "-" : (spec.plus ? "+" : (spec.space ? " " : ""))
    }

    /// The digits of a non-negative float in `%f`, `%e` or `%g` style.
    static func floatBody(_ d: Double, _ conv: UInt8, precision: Int, alt: Bool) -> String {
        if d.isNaN { return conv < 97 ? "NAN" : "nan" }
        if d.isInfinite { return conv < 97 ? "INF" : "inf" }
        let p = min(precision, 100)
        var s: String
        switch conv {
        case 102, 70: s = String(format: "%.\(p)f", d)
        case 101, 69: s = String(format: alt ? "%#.\(p)e" : "%.\(p)e", d)
        default: s = String(format: alt ? "%#.\(p)g" : "%.\(p)g", d)
        }
        if conv == 69 || conv == 71 || conv == 70 { s = s.uppercased() }
        if alt && (conv == 102 || conv == 70) && !s.contains(".") { s += "." }
        return s
    }
}

/// Python's `str.format` and the `{:spec}` mini-language (fill, align, sign, `#`, `0`, width,
/// `,`/`_` grouping, precision, types `s d n b o x X c e E f F g G %`).
enum BraceFormat {
    static func format(_ fmt: String, _ args: CallArguments, _ pos: SourcePosition) throws -> String {
        var out = ""
        var auto = 0
        let chars = Array(fmt)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "{" {
                if i + 1 < chars.count, chars[i + 1] == "{" { out.append("{"); i += 2; continue }
                var j = i + 1
                var depth = 1
                while j < chars.count { if chars[j] == "{" { depth += 1 } else if chars[j] == "}" { depth -= 1; if depth == 0 { break } }; j += 1 }
                guard j < chars.count else { throw TemplateError(pos, "Single '{' encountered in format string") }
                let field = String(chars[(i + 1)..<j])
                i = j + 1
                var name = field, spec = "", conversion: Character? = nil
                if let colon = field.firstIndex(of: ":") { name = String(field[..<colon]); spec = String(field[field.index(after: colon)...]) }
                if let bang = name.firstIndex(of: "!") { conversion = name[name.index(after: bang)...].first; name = String(name[..<bang]) }
                // name: index or keyword, with .attr / [key] parts
                var head = name
                var rest = ""
                if let k = name.firstIndex(where: { $0 == "." || $0 == "[" }) { head = String(name[..<k]); rest = String(name[k...]) }
                var v: Value
                if head.isEmpty {
                    guard auto < args.positional.count else { throw TemplateError(pos, "Replacement index \(auto) out of range for positional args tuple") }
                    v = args.positional[auto]; auto += 1
                } else if let n = Int(head) {
                    guard n < args.positional.count else { throw TemplateError(pos, "Replacement index \(n) out of range for positional args tuple") }
                    v = args.positional[n]
                } else {
                    guard let kv = args.keyword(head) else { throw TemplateError(pos, "KeyError: '\(head)'") }
                    v = kv
                }
                while !rest.isEmpty {
                    if rest.hasPrefix(".") {
                        rest.removeFirst()
                        let end = rest.firstIndex(where: { $0 == "." || $0 == "[" }) ?? rest.endIndex
                        let attr = String(rest[..<end]); rest = String(rest[end...])
                        if case .dict(let d) = v { v = d[attr] ?? .undefined(attr) }
                        else if case .object(let o) = v { v = o.attribute(attr) ?? .undefined(attr) }
                    } else if rest.hasPrefix("[") {
                        guard let close = rest.firstIndex(of: "]") else { break }
                        let key = String(rest[rest.index(after: rest.startIndex)..<close]); rest = String(rest[rest.index(after: close)...])
                        let kv: Value = Int(key).map { .int($0) } ?? .string(key)
                        switch v {
                        case .list(let l): v = Operators.index(l.items, kv) ?? .undefined("")
                        case .tuple(let t): v = Operators.index(t, kv) ?? .undefined("")
                        case .dict(let d): v = d[kv] ?? .undefined(key)
                        default: break
                        }
                    } else { break }
                }
                if conversion == "r" { v = .string(try v.repr(at: pos)) } else if conversion == "s" { v = .string(try v.text(at: pos)) }
                out += try apply(spec, to: v, pos)
                continue
            }
            if c == "}" {
                if i + 1 < chars.count, chars[i + 1] == "}" { out.append("}"); i += 2; continue }
                throw TemplateError(pos, "Single '}' encountered in format string")
            }
            out.append(c)
            i += 1
        }
        return out
    }

    /// Formats one value with a format spec (also the `format()` builtin's behaviour).
    static func apply(_ spec: String, to v: Value, _ pos: SourcePosition) throws -> String {
        if spec.isEmpty { return try v.text(at: pos) }
        var s = Array(spec)
        var fill: Character = " ", align: Character? = nil
        if s.count >= 2, "<>=^".contains(s[1]) { fill = s[0]; align = s[1]; s.removeFirst(2) }
        else if let f = s.first, "<>=^".contains(f) { align = f; s.removeFirst() }
        var sign: Character = "-"
        if let f = s.first, "+- ".contains(f) { sign = f; s.removeFirst() }
        var alt = false
        if s.first == "#" { alt = true; s.removeFirst() }
        if s.first == "0" { if align == nil { fill = "0"; align = "=" }; s.removeFirst() }
        var width = 0
        while let f = s.first, let d = f.wholeNumberValue { width = min(width * 10 + d, 100_000); s.removeFirst() }
        var grouping: Character? = nil
        if let f = s.first, f == "," || f == "_" { grouping = f; s.removeFirst() }
        var precision: Int? = nil
        if s.first == "." {
            s.removeFirst()
            var p = 0
            while let f = s.first, let d = f.wholeNumberValue { p = min(p * 10 + d, 1000); s.removeFirst() }
            precision = p
        }
        var type: Character? = s.first
        if s.count > 1 { throw TemplateError(pos, "Invalid format specifier '\(spec)'") }
        var body: String
        var negative = false
        var numeric = true
        switch v {
        case .string(let str):
            if let t = type, t != "s" { throw TemplateError(pos, "Unknown format code '\(t)' for object of type 'str'") }
            body = precision.map { String(str.prefix($0)) } ?? str
            numeric = false
        case .int, .bool, .bigint:
            negative = BigInt.digits(v, radix: 10)!.negative
            func digits(_ radix: Int, _ upper: Bool = false) -> String { BigInt.digits(v, radix: radix, uppercase: upper)!.digits }
            if type == nil { type = "d" }
            switch type! {
            case "d", "n": body = digits(10)
            case "b": body = (alt ? "0b" : "") + digits(2)
            case "o": body = (alt ? "0o" : "") + digits(8)
            case "x": body = (alt ? "0x" : "") + digits(16)
            case "X": body = (alt ? "0X" : "") + digits(16, true)
            case "c":
                guard let n = v.intValue, n >= 0 && n < 0x110000 else { throw TemplateError(pos, "%c arg not in range(0x110000)") }
                body = Unicode.Scalar(UInt32(n)).map { String(Character($0)) } ?? ""; negative = false
            case "e", "E", "f", "F", "g", "G", "%":
                if case .bigint(let b) = v { return try apply(spec, to: .float(try b.double(pos)), pos) }
                return try apply(spec, to: .float(Double(v.intValue!)), pos)
            default: throw TemplateError(pos, "Unknown format code '\(type!)' for object of type 'int'")
            }
            if let g = grouping, "dn".contains(type!) { body = group(body, g) }
        case .float(let d):
            negative = d < 0 || (d == 0 && d.sign == .minus)
            let a = abs(d)
            switch type {
            case nil:
                if let p = precision { body = PercentFormat.floatBody(a, 103, precision: max(p, 1), alt: alt) }
                else { var b: [UInt8] = []; ValueText.appendFloat(a, to: &b); body = String(decoding: b, as: UTF8.self) }
            case "%": body = PercentFormat.floatBody(a * 100, 102, precision: precision ?? 6, alt: alt) + "%"
            case "f", "F", "e", "E", "g", "G":
                body = PercentFormat.floatBody(a, type!.asciiValue!, precision: precision ?? 6, alt: alt)
            default: throw TemplateError(pos, "Unknown format code '\(type!)' for object of type 'float'")
            }
            if let g = grouping {
                let parts = body.split(separator: ".", maxSplits: 1)
                body = group(String(parts[0]), g) + (parts.count > 1 ? "." + parts[1] : "")
            }
        default:
            body = try v.text(at: pos)
            numeric = false
        }
        let signText = negative ? "-" : (sign == "+" ? "+" : (sign == " " ? " " : ""))
        let len = body.count + signText.count
        guard width > len else { return signText + body }
        let n = width - len
        let padding = String(repeating: fill, count: n)
        switch align ?? (numeric ? ">" : "<") {
        case "<": return signText + body + padding
        case "^": return String(repeating: fill, count: n / 2) + signText + body + String(repeating: fill, count: n - n / 2)
        case "=": return signText + padding + body
        default: return padding + signText + body
        }
    }

    static func group(_ digits: String, _ sep: Character) -> String {
        var out: [Character] = []
        for (k, c) in digits.reversed().enumerated() {
            if k > 0 && k % 3 == 0 { out.append(sep) }
            out.append(c)
        }
        return String(out.reversed())
    }
}
