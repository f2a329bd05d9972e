/// Eventum's `${params.name}` and `${secrets.name}` variables in a generator file's text, which are
/// replaced before the YAML is parsed. Blanks inside the braces are allowed (`${ params.host }`).
public enum VariableSubstitution {
    /// Which kind of variable.
    public enum Scope: String, Sendable { case params, secrets }

    /// One `${scope.name}` occurrence: its byte range in the text and its 1-based line and column.
    public struct Reference: Sendable, Equatable {
        public var scope: Scope
        public var name: String
        public var range: Range<Int>
        public var line: Int
        public var column: Int
    }

    /// Every variable in `text`, in order.
    public static func references(in text: String) -> [Reference] {
        let b = Array(text.utf8)
        var out: [Reference] = []
        var line = 1, lineStart = 0
        var i = 0
        while i < b.count {
            if b[i] == 10 { line += 1; lineStart = i + 1; i += 1; continue }
            guard b[i] == UInt8(ascii: "$"), i + 1 < b.count, b[i + 1] == UInt8(ascii: "{") else { i += 1; continue }
            var j = i + 2
            while j < b.count && b[j] == 32 { j += 1 }
            let nameStart = j
            while j < b.count, isNameByte(b[j]) { j += 1 }
            let word = String(decoding: b[nameStart..<j], as: UTF8.self)
            var k = j
            while k < b.count && b[k] == 32 { k += 1 }
            guard k < b.count, b[k] == UInt8(ascii: "}"), let dot = word.firstIndex(of: "."),
                  let scope = Scope(rawValue: String(word[..<dot])) else { i += 1; continue }
            let name = String(word[word.index(after: dot)...])
            guard !name.isEmpty else { i += 1; continue }
            let column = String(decoding: b[lineStart..<i], as: UTF8.self).count + 1
            out.append(Reference(scope: scope, name: name, range: i..<(k + 1), line: line, column: column))
            i = k + 1
        }
        return out
    }

    private static func isNameByte(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
            || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "_") || c == UInt8(ascii: ".")
            || c == UInt8(ascii: "-")
    }

    /// The text with every reference replaced by `value(reference)`; a nil value is an error naming
    /// `file:line:col` and how to supply the variable.
    public static func render(_ text: String, file: String,
                              value: (Reference) throws -> String?) throws -> String {
        let refs = references(in: text)
        if refs.isEmpty { return text }
        let b = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var last = 0
        for r in refs {
            out += b[last..<r.range.lowerBound]
            guard let v = try value(r) else { throw missing(r, file: file) }
            out += Array(v.utf8)
            last = r.range.upperBound
        }
        out += b[last...]
        return String(decoding: out, as: UTF8.self)
    }

    /// The error for a variable nobody supplied.
    public static func missing(_ r: Reference, file: String) -> EgError {
        switch r.scope {
        case .params:
            return EgError.config(at: "\(file):\(r.line):\(r.column)",
                                  "${params.\(r.name)} is not set: pass --param \(r.name)=VALUE or --params '{\"\(r.name)\": ...}'")
        case .secrets:
            return EgError.config(at: "\(file):\(r.line):\(r.column)",
                                  "${secrets.\(r.name)} is not set: export \(Secrets.environmentName(r.name)) or list it in a --secrets FILE")
        }
    }

    /// A parameter's text from a JSON object of params: strings as they are, numbers as written,
    /// booleans as `true`/`false`, null as `null`, lists and objects as JSON; dotted names reach into
    /// nested objects.
    public static func paramText(_ name: String, in params: JSONValue) -> String? {
        var v: JSONValue? = params[name]
        if v == nil, name.contains(".") {
            v = params
            for part in name.split(separator: ".") { v = v?[String(part)] }
        }
        guard let v else { return nil }
        switch v {
        case .string(let s): return s
        case .number(let n): return n
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        case .array, .object: return JSONWriter.string(v)
        }
    }
}

extension VariableSubstitution {
    /// `text` with each `${secrets.NAME}` replaced by the secret (environment `EG_SECRET_<NAME>` or a
    /// loaded --secrets file, registered for redaction): what the tool that uses a generator's
    /// setting (an output's password) calls, since eg-sample leaves secrets out of the stream.
    public static func resolveSecrets(in text: String, at location: String) throws -> String {
        try render(text, file: location) { ref in
            ref.scope == .secrets ? Secrets.value(named: ref.name) : "${params.\(ref.name)}"
        }
    }
}
