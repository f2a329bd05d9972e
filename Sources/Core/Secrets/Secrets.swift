#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization

/// Secrets: passwords, tokens and API keys that eg must use but never print.
///
/// A secret is looked up by name from the environment (`EG_SECRET_<NAME>`, the name upper-cased with
/// every character that is not a letter or digit turned into `_`) or from a secrets file loaded with
/// `--secrets FILE` (`name = value` lines, `#` comments); the environment wins. Every value that is
/// looked up, or that a tool marks with `register`, is redacted from everything eg prints through
/// `Diagnostics`, and `redact` also hides the password of any URL's user info.
public enum Secrets {
    private static let state = Mutex(State())

    private struct State {
        var file: [String: String] = [:]
        var values: [String] = []
    }

    /// The environment variable that holds the secret `name`: `EG_SECRET_` and the name upper-cased,
    /// with every character outside A-Z and 0-9 turned into `_`.
    public static func environmentName(_ name: String) -> String {
        var out = "EG_SECRET_"
        for u in name.unicodeScalars {
            switch u {
            case "a"..."z": out.unicodeScalars.append(Unicode.Scalar(u.value - 32)!)
            case "A"..."Z", "0"..."9": out.unicodeScalars.append(u)
            default: out.append("_")
            }
        }
        return out
    }

    /// Loads `name = value` lines from `path` (blank lines and `#` comments skipped; the value may be
    /// quoted with `"` or `'`). Errors name the file and line.
    public static func load(file path: String) throws {
        let text: String
        do { text = String(decoding: try FileDescriptor.readAll(path: path), as: UTF8.self) } catch {
            throw EgError.usage("--secrets \(path): cannot read the file (\(error))")
        }
        var parsed: [String: String] = [:]
        var lineNumber = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            let trimmed = line.drop(while: { $0 == " " || $0 == "\t" })
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            guard let eq = trimmed.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
                throw EgError.config(at: "\(path):\(lineNumber)", "expected 'name = value'")
            }
            let name = trimmed[..<eq].trimmingSpaces
            var value = trimmed[trimmed.index(after: eq)...].trimmingSpaces
            if value.count >= 2, let q = value.first, q == "\"" || q == "'", value.last == q {
                value = String(value.dropFirst().dropLast())
            }
            guard !name.isEmpty else { throw EgError.config(at: "\(path):\(lineNumber)", "expected a name before '='") }
            parsed[name] = value
        }
        state.withLock { s in
            for (k, v) in parsed { s.file[k] = v; if !v.isEmpty { s.values.append(v) } }
        }
    }

    /// The secret `name` from the environment or the loaded secrets file, registered for redaction;
    /// nil when neither has it.
    public static func value(named name: String) -> String? {
        let fromEnv = getenv(environmentName(name)).map { String(cString: $0) }
        let v = fromEnv ?? state.withLock { $0.file[name] }
        if let v { register(v) }
        return v
    }

    /// Marks `value` as secret: from now on it is printed as `***`.
    public static func register(_ value: String) {
        guard value.count >= 1 else { return }
        state.withLock { s in if !s.values.contains(value) { s.values.append(value) } }
    }

    /// `text` with every registered secret replaced by `***` and the password of every URL's user
    /// info (`scheme://user:password@host`) hidden.
    public static func redact(_ text: String) -> String {
        var out = hideURLPasswords(text)
        let values = state.withLock { $0.values }
        for v in values.sorted(by: { $0.count > $1.count }) where out.contains(v) {
            out = out.replacingOccurrences(of: v, with: "***")
        }
        return out
    }

    /// `text` with `://user:password@` turned into `://user:***@`.
    static func hideURLPasswords(_ text: String) -> String {
        guard text.contains("://") else { return text }
        var bytes = Array(text.utf8)
        var i = 0
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        while i < bytes.count {
            if i + 2 < bytes.count, bytes[i] == 0x3A, bytes[i + 1] == 0x2F, bytes[i + 2] == 0x2F {
                out.append(contentsOf: [0x3A, 0x2F, 0x2F])
                i += 3
                // user info runs to '@' before any '/', space, '?' or '#'.
                var j = i
                var colon: Int? = nil
                while j < bytes.count, !(bytes[j] == 0x2F || bytes[j] == 0x20 || bytes[j] == 0x3F || bytes[j] == 0x23 || bytes[j] == 0x40 || bytes[j] == 0x0A) {
                    if bytes[j] == 0x3A, colon == nil { colon = j }
                    j += 1
                }
                if j < bytes.count, bytes[j] == 0x40, let c = colon {
                    out.append(contentsOf: bytes[i...c])
                    out.append(contentsOf: "***".utf8)
                    i = j
                }
                continue
            }
            out.append(bytes[i])
            i += 1
        }
        bytes = out
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension Substring {
    fileprivate var trimmingSpaces: String {
        var s = self[...]
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
