import Foundation

/// The settings of one stanza or sample: an ordered string map (insertion order kept for display,
/// a re-set key keeps its first position, as a Python dict does) with typed accessors that throw
/// `EgError.config` naming the stanza, the key and the bad value.
///
/// Each key may remember the conf line it came from, so errors can point at `file:line`.
public struct Settings: Sendable, Equatable {
    /// The stanza these settings belong to, used in error messages (`[web.log]`); may be empty.
    public var stanza: String
    public private(set) var keys: [String] = []
    private var values: [String: String] = [:]
    private var sources: [String: SourceLocation] = [:]

    public init(stanza: String = "") {
        self.stanza = stanza
    }

    /// Builds settings from plain pairs (later pairs win, keeping the first position).
    public init(_ pairs: [(String, String)], stanza: String = "") {
        self.stanza = stanza
        for (k, v) in pairs { set(k, v) }
    }

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }

    /// The key/value pairs in insertion order.
    public var pairs: [(String, String)] { keys.map { ($0, values[$0]!) } }

    public subscript(key: String) -> String? { values[key] }

    public func contains(_ key: String) -> Bool { values[key] != nil }

    /// The conf line the key was read from, when known.
    public func source(of key: String) -> SourceLocation? { sources[key] }

    /// Sets a key (a new key goes last; an existing key keeps its position and takes the new value).
    /// A secret-bearing value is registered for redaction (`Secrets.registerSetting`).
    public mutating func set(_ key: String, _ value: String, source: SourceLocation? = nil) {
        Secrets.registerSetting(key, value)
        if values.updateValue(value, forKey: key) == nil { keys.append(key) }
        if let source { sources[key] = source } else { sources[key] = nil }
    }

    /// Sets a key only if it is not set yet; returns whether it was set.
    @discardableResult
    public mutating func setIfAbsent(_ key: String, _ value: String, source: SourceLocation? = nil) -> Bool {
        if values[key] != nil { return false }
        set(key, value, source: source)
        return true
    }

    public mutating func remove(_ key: String) {
        guard values.removeValue(forKey: key) != nil else { return }
        sources[key] = nil
        keys.removeAll { $0 == key }
    }

    /// Copies every key of `other` over this one (later wins), keeping sources.
    public mutating func merge(_ other: Settings) {
        for k in other.keys { set(k, other.values[k]!, source: other.sources[k]) }
    }

    // MARK: typed accessors

    public func string(_ key: String) -> String? { values[key] }

    /// eventgen's booleans: only `0`, `false` and `False` are false; any other non-empty string is
    /// true; an empty or missing value is nil.
    public func bool(_ key: String) -> Bool? {
        guard let v = values[key], !v.isEmpty else { return nil }
        return !(v == "0" || v == "false" || v == "False")
    }

    /// An integer as Python's `int()` reads it (sign, digits, `_` separators); nil when unset or empty.
    public func int(_ key: String) throws -> Int? {
        guard let v = values[key], !v.isEmpty else { return nil }
        let digits = v.replacingOccurrences(of: "_", with: "")
        if !v.hasPrefix("_"), !v.hasSuffix("_"), !v.contains("__"), let n = Int(digits) { return n }
        throw invalid(key, v, "an integer")
    }

    /// A float as Python's `float()` reads it; nil when unset or empty.
    public func double(_ key: String) throws -> Double? {
        guard let v = values[key], !v.isEmpty else { return nil }
        let lower = v.lowercased()
        switch lower {
        case "inf", "+inf", "infinity", "+infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        case "nan", "+nan", "-nan": return .nan
        default: break
        }
        if lower.hasPrefix("0x") || lower.hasPrefix("-0x") || lower.hasPrefix("+0x") {
            throw invalid(key, v, "a number")
        }
        if let d = Double(v.replacingOccurrences(of: "_", with: "")), !v.hasPrefix("_") { return d }
        throw invalid(key, v, "a number")
    }

    /// The error for a bad value of `key`, located at its conf line when known.
    public func invalid(_ key: String, _ value: String, _ expected: String) -> EgError {
        EgError.config(at: location(of: key), "\(stanzaLabel)\(key): expected \(expected), found '\(value)'")
    }

    /// `file:line` of the key when known, else `stanza [name]`.
    public func location(of key: String) -> String? {
        if let s = sources[key] { return s.description }
        return stanza.isEmpty ? nil : "stanza [\(stanza)]"
    }

    private var stanzaLabel: String { stanza.isEmpty ? "" : "[\(stanza)] " }

    // MARK: numbered groups

    /// Splits `prefix.<n>.<rest>` keys (n a non-negative decimal integer) into groups sorted by n.
    /// Groups keep their first key's location in `firstKey`.
    func numberedGroups(prefix: String) -> [(number: Int, values: [String: String], firstKey: String)] {
        var groups: [Int: (values: [String: String], firstKey: String)] = [:]
        let head = prefix + "."
        for key in keys where key.hasPrefix(head) {
            let rest = key.dropFirst(head.count)
            guard let dot = rest.firstIndex(of: "."),
                  !rest[..<dot].isEmpty,
                  rest[..<dot].allSatisfy({ $0.isASCII && $0.isNumber }),
                  let n = Int(rest[..<dot]) else { continue }
            let sub = String(rest[rest.index(after: dot)...])
            guard !sub.isEmpty else { continue }
            groups[n, default: ([:], key)].values[sub] = values[key]!
        }
        return groups.keys.sorted().map { (number: $0, values: groups[$0]!.values, firstKey: groups[$0]!.firstKey) }
    }

    /// The `token.<n>.*` groups sorted by n. A group missing `token`, `replacementType` or
    /// `replacement` is an error naming the stanza and the token number.
    public func tokens() throws -> [TokenSpec] {
        let (tokens, problems) = tokensSkippingIncomplete()
        if let first = problems.first { throw first }
        return tokens
    }

    /// eventgen's lenient reading: complete tokens sorted by n, and an error for each incomplete
    /// token (which eventgen drops with an error message and runs without).
    public func tokensSkippingIncomplete() -> (tokens: [TokenSpec], problems: [EgError]) {
        var problems: [EgError] = []
        let tokens = numberedGroups(prefix: "token").compactMap { g -> TokenSpec? in
            var extra = g.values
            let missing = ["token", "replacementType", "replacement"].filter { extra[$0] == nil }
            if !missing.isEmpty {
                let list = missing.map { "token.\(g.number).\($0)" }.joined(separator: ", ")
                problems.append(EgError.config(at: location(of: g.firstKey),
                                               "\(stanzaLabel)token \(g.number) is incomplete: missing \(list)"))
                return nil
            }
            let pattern = extra.removeValue(forKey: "token")!
            let type = extra.removeValue(forKey: "replacementType")!
            let replacement = extra.removeValue(forKey: "replacement")!
            return TokenSpec(number: g.number, pattern: pattern, type: type, replacement: replacement, extra: extra)
        }
        return (tokens, problems)
    }

    /// The highest `token.<n>` number used, or nil when there are no token keys.
    public var highestTokenNumber: Int? { numberedGroups(prefix: "token").last?.number }

    /// The `anomaly.<n>.*` groups sorted by n, keys without the `anomaly.<n>.` prefix.
    public func anomalies() -> [NumberedGroup] {
        numberedGroups(prefix: "anomaly").map { NumberedGroup(number: $0.number, values: $0.values) }
    }

    /// Whether `key` is a numbered `token.<n>.<x>` or `anomaly.<n>.<x>` key.
    public static func isNumberedKey(_ key: String) -> Bool {
        numberedParts(key) != nil
    }

    /// Splits `token.<n>.<rest>` / `anomaly.<n>.<rest>` into its prefix, number and rest.
    static func numberedParts(_ key: String) -> (prefix: String, number: Int, rest: String)? {
        for prefix in ["token", "anomaly"] {
            let head = prefix + "."
            guard key.hasPrefix(head) else { continue }
            let rest = key.dropFirst(head.count)
            guard let dot = rest.firstIndex(of: "."), !rest[..<dot].isEmpty,
                  rest[..<dot].allSatisfy({ $0.isASCII && $0.isNumber }),
                  let n = Int(rest[..<dot]) else { return nil }
            let sub = String(rest[rest.index(after: dot)...])
            return sub.isEmpty ? nil : (prefix, n, sub)
        }
        return nil
    }
}
