/// YAML 1.2 core schema: how plain scalars resolve (null, bool, int, float, string) and what the
/// standard tags (`!!str`, `!!int`, `!!float`, `!!bool`, `!!null`, `!!map`, `!!seq`) demand.
enum YAMLSchema {
    static let tagPrefix = "tag:yaml.org,2002:"

    /// The typed value of an untagged plain scalar.
    static func resolvePlain(_ s: String) -> YAMLNode.Value {
        switch s {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .float(.infinity)
        case "-.inf", "-.Inf", "-.INF": return .float(-.infinity)
        case ".nan", ".NaN", ".NAN": return .float(.nan)
        default: break
        }
        let u = Array(s.utf8)
        guard let f = u.first, f == UInt8(ascii: "-") || f == UInt8(ascii: "+") || f == UInt8(ascii: ".")
                || (f >= UInt8(ascii: "0") && f <= UInt8(ascii: "9")) else { return .string(s) }
        if let i = integer(u) { return i }
        if isFloat(u), let d = Double(s) { return .float(d) }
        return .string(s)
    }

    /// Decimal `[-+]?[0-9]+`, octal `0o[0-7]+`, hex `0x[0-9a-fA-F]+`; too large for 64 bits becomes a float.
    static func integer(_ u: [UInt8]) -> YAMLNode.Value? {
        if u.count > 2 && u[0] == UInt8(ascii: "0") && (u[1] == UInt8(ascii: "o") || u[1] == UInt8(ascii: "x")) {
            let radix = u[1] == UInt8(ascii: "o") ? 8 : 16
            let digits = String(decoding: u[2...], as: UTF8.self)
            if let v = Int64(digits, radix: radix) { return .int(v) }
            if let v = UInt64(digits, radix: radix) { return .float(Double(v)) }
            return nil
        }
        var i = 0
        if u[0] == UInt8(ascii: "-") || u[0] == UInt8(ascii: "+") { i = 1 }
        guard i < u.count, u[i...].allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        let text = String(decoding: u[(u[0] == UInt8(ascii: "+") ? 1 : 0)...], as: UTF8.self)
        if let v = Int64(text) { return .int(v) }
        return Double(text).map { .float($0) }
    }

    /// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`
    static func isFloat(_ u: [UInt8]) -> Bool {
        var i = 0
        let n = u.count
        func digits() -> Int {
            let s = i
            while i < n && u[i] >= UInt8(ascii: "0") && u[i] <= UInt8(ascii: "9") { i += 1 }
            return i - s
        }
        if i < n && (u[i] == UInt8(ascii: "-") || u[i] == UInt8(ascii: "+")) { i += 1 }
        let whole = digits()
        var frac = 0
        if i < n && u[i] == UInt8(ascii: ".") {
            i += 1
            frac = digits()
            if whole == 0 && frac == 0 { return false }
        } else if whole == 0 {
            return false
        }
        if i < n && (u[i] == UInt8(ascii: "e") || u[i] == UInt8(ascii: "E")) {
            i += 1
            if i < n && (u[i] == UInt8(ascii: "-") || u[i] == UInt8(ascii: "+")) { i += 1 }
            if digits() == 0 { return false }
        }
        return i == n
    }

    /// Resolves an explicitly tagged node; a standard tag that does not fit the text is an error.
    static func apply(tag: String, to node: YAMLNode) throws -> YAMLNode {
        var n = node
        n.tag = tag
        guard tag.hasPrefix(tagPrefix) else { return n }  // `!` and local tags: the value as written
        let kind = tag.dropFirst(tagPrefix.count)
        let text: String? = node.string ?? (node.isNull ? "" : nil)
        func bad(_ what: String) -> YAMLError {
            YAMLError("!!\(kind) needs \(what)", at: node.mark)
        }
        switch kind {
        case "str":
            guard let t = node.scalarText ?? (node.isNull ? "" : nil) else { throw bad("a scalar") }
            n.value = .string(t)
        case "int":
            guard let t = text, let v = integer(Array(t.utf8)), case .int = v else { throw bad("an integer") }
            n.value = v
        case "float":
            guard let t = text else { throw bad("a number") }
            switch resolvePlain(t) {
            case .float(let d): n.value = .float(d)
            case .int(let i): n.value = .float(Double(i))
            default: throw bad("a number")
            }
        case "bool":
            guard let t = text, case .bool(let b) = resolvePlain(t) else { throw bad("true or false") }
            n.value = .bool(b)
        case "null":
            guard let t = text, case .null = resolvePlain(t) else { throw bad("null, ~ or nothing") }
            n.value = .null
        case "map":
            guard node.pairs != nil else { throw bad("a mapping") }
        case "seq":
            guard node.items != nil else { throw bad("a sequence") }
        default:
            break  // !!binary, !!timestamp, ...: kept as written
        }
        return n
    }
}
