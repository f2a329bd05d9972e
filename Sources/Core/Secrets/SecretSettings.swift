#if canImport(Glibc)
import Glibc
#endif

/// Secrets inside settings: which keys hold them, registering their values for redaction when
/// settings are loaded, and `${secrets.NAME}` references resolved where a value is used.
extension Secrets {
    /// Whether `key` names a secret-bearing setting: `elasticsearchPassword`, `redisPassword`,
    /// `splunkPass`, `sessionKey`, `accessToken`, `elasticsearchApiKey` and any key whose last
    /// dotted part holds `password`, `passwd`, `token`, `apikey`, `api_key` or `secret`, or ends in
    /// `pass`. eventgen's `token.N.*` and `host.*` keys (replacement tokens) are not secrets.
    public static func isSecretKey(_ key: String) -> Bool {
        let k = key.lowercased()
        if k.hasPrefix("token.") || k.hasPrefix("host.") { return false }
        let last = k.split(separator: ".").last.map(String.init) ?? k
        if last.hasSuffix("pass") || last == "sessionkey" { return true }
        for word in ["password", "passwd", "token", "apikey", "api_key", "secret"] where last.contains(word) { return true }
        return false
    }

    /// Registers the secrets a setting holds: the whole value of a secret-bearing key, every
    /// `key` member of a JSON server list (`httpeventServers`, even when it is malformed), and the
    /// password of any URL's user info. `${secrets.NAME}` references are left alone (their value
    /// is registered when it is resolved).
    ///
    /// Values shorter than `minimumLength` are not taken from settings: hiding every `x` or `abc`
    /// in every message would make them unreadable, and such a value is no secret anyway.
    public static func registerSetting(_ key: String, _ value: String) {
        guard value.count >= minimumLength else { return }
        func add(_ v: String) { if v.count >= minimumLength, !isReferenceOnly(v) { register(v) } }
        if isSecretKey(key) { add(value) }
        if key.lowercased().hasSuffix("servers") { keyMembers(value).forEach(add) }
        if value.contains("://") { urlPasswords(value).forEach(add) }
    }

    /// The shortest setting value registered as a secret.
    public static let minimumLength = 4

    /// Registers every `EG_SECRET_*` value of the environment, so a secret is hidden even when it
    /// reaches a message some other way than through a reference.
    public static func registerEnvironment() {
        var p = environ
        while let entry = p.pointee {
            let s = String(cString: entry)
            if s.hasPrefix("EG_SECRET_"), let eq = s.firstIndex(of: "=") { register(String(s[s.index(after: eq)...])) }
            p += 1
        }
    }

    /// A `${secrets.NAME}` reference whose secret is neither in the environment nor in a secrets file.
    public struct Missing: Error, Sendable {
        public var name: String
        /// What to do about it, for messages.
        public var advice: String {
            "the secret '\(name)' is not set: export \(Secrets.environmentName(name)) or give it in --secrets FILE"
        }
    }

    /// Whether `value` holds a `${secrets.NAME}` reference.
    public static func hasReference(_ value: String) -> Bool { value.contains("${secrets.") }

    /// `value` with every `${secrets.NAME}` replaced by the secret `NAME` (registered for
    /// redaction); throws `Missing` for one that is not set.
    public static func resolve(_ value: String) throws -> String {
        guard hasReference(value) else { return value }
        var out = ""
        var rest = value[...]
        while let open = rest.range(of: "${secrets.") {
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else {
                out += rest[open.lowerBound...]
                return out
            }
            let name = String(rest[open.upperBound..<close])
            guard let secret = Secrets.value(named: name) else { throw Missing(name: name) }
            out += secret
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }

    private static func isReferenceOnly(_ value: String) -> Bool {
        value.hasPrefix("${secrets.") && value.hasSuffix("}") && value.filter({ $0 == "}" }).count == 1
    }

    /// The values of `key` members in text that looks like JSON (`"key": "v"`, also unquoted or
    /// broken), for server lists whose tokens must be hidden even in a parse error.
    static func keyMembers(_ text: String) -> [String] {
        let b = Array(text.utf8)
        var out: [String] = []
        var i = 0
        func isWordByte(_ c: UInt8) -> Bool { c == 0x5F || (c >= 0x30 && c <= 0x39) || (c | 0x20 >= 0x61 && c | 0x20 <= 0x7A) }
        while i + 3 <= b.count {
            // "key" as a whole word (optionally quoted), then ':' and the value.
            guard b[i] == 0x6B, b[i + 1] == 0x65, b[i + 2] == 0x79,
                  i == 0 || !isWordByte(b[i - 1]), i + 3 == b.count || !isWordByte(b[i + 3]) else { i += 1; continue }
            var j = i + 3
            if j < b.count, b[j] == 0x22 || b[j] == 0x27 { j += 1 }
            while j < b.count, b[j] == 0x20 || b[j] == 0x09 { j += 1 }
            guard j < b.count, b[j] == 0x3A else { i += 3; continue }
            j += 1
            while j < b.count, b[j] == 0x20 || b[j] == 0x09 { j += 1 }
            var quote: UInt8? = nil
            if j < b.count, b[j] == 0x22 || b[j] == 0x27 { quote = b[j]; j += 1 }
            let start = j
            while j < b.count {
                let c = b[j]
                if let q = quote { if c == q { break } } else if c == 0x2C || c == 0x7D || c == 0x5D || c == 0x20 || c == 0x0A { break }
                j += 1
            }
            if j > start { out.append(String(decoding: b[start..<j], as: UTF8.self)) }
            i = j
        }
        return out
    }

    /// The passwords of the URLs' user info in `text` (`scheme://user:password@host`).
    static func urlPasswords(_ text: String) -> [String] {
        var out: [String] = []
        var rest = text[...]
        while let s = rest.range(of: "://") {
            let after = rest[s.upperBound...]
            let end = after.firstIndex { $0 == "/" || $0 == " " || $0 == "?" || $0 == "#" || $0 == "\n" || $0 == "\"" } ?? after.endIndex
            let authority = after[..<end]
            if let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") {
                let p = String(authority[authority.index(after: colon)..<at])
                if !p.isEmpty { out.append(p) }
            }
            rest = after[end...]
        }
        return out
    }
}
