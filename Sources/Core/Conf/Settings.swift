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

    /// An integer as Python's `int()` reads it (sign, digits, `_` separators); nil when unset or
    /// empty. A key the schema (`SettingSchema`) gives a range must be in it.
    public func int(_ key: String) throws -> Int? {
        guard let v = values[key], !v.isEmpty else { return nil }
        let d = SettingSchema.descriptor(key)
        guard let n = Settings.parseInt(v) else {
            if case .integer? = d?.type { throw invalid(key, v, d!.expected) }
            throw invalid(key, v, "an integer")
        }
        if case .integer(let range)? = d?.type, !range.contains(n) { throw invalid(key, v, d!.expected) }
        return n
    }

    /// Python `int()` syntax (sign, digits, `_` between digits, surrounding blanks); nil otherwise.
    public static func parseInt(_ text: String) -> Int? {
        let v = text.trimmingCharacters(in: .whitespaces)
        guard !v.hasPrefix("_"), !v.hasSuffix("_"), !v.contains("__") else { return nil }
        return Int(v.replacingOccurrences(of: "_", with: ""))
    }

    /// A float as Python's `float()` reads it; nil when unset or empty. A key the schema gives a
    /// range must be finite and in it.
    public func double(_ key: String) throws -> Double? {
        guard let v = values[key], !v.isEmpty else { return nil }
        let d = try parseDouble(key, v)
        if let desc = SettingSchema.descriptor(key) {
            switch desc.type {
            case .number(let range) where !(d.isFinite && range.contains(d)): throw invalid(key, v, desc.expected)
            case .integer(let range) where !(d.isFinite && d >= Double(range.lowerBound) && d <= Double(range.upperBound)):
                throw invalid(key, v, desc.expected)
            default: break
            }
        }
        return d
    }

    /// A time setting (`earliest`, `latest`, `backfill`, ...) as `RelativeTime`; nil when unset or
    /// empty. A bad value is `[stanza] key = value: what was expected` at the key's conf line.
    public func time(_ key: String) throws -> RelativeTime? {
        guard let v = values[key], !v.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        do {
            return try RelativeTime.parse(v, at: location(of: key))
        } catch let e as EgError {
            throw problem(key, v, Settings.reason(e.message, value: v))
        }
    }

    /// `backfill` as `time(_:)` reads it; eventgen also reads an unsigned offset such as `1m` as `+1m`.
    public func backfillTime() throws -> RelativeTime? {
        do {
            return try time("backfill")
        } catch {
            let t = (values["backfill"] ?? "").trimmingCharacters(in: .whitespaces)
            guard let c = t.utf8.first, c >= 48 && c <= 57, let plus = try? RelativeTime.parse("+" + t) else { throw error }
            return plus
        }
    }

    /// The message of a value error without its leading `bad time "value": `.
    public static func reason(_ message: String, value: String) -> String {
        for prefix in ["bad time \"\(value)\": ", "bad time \"\(value.trimmingCharacters(in: .whitespaces))\": "] where message.hasPrefix(prefix) {
            return String(message.dropFirst(prefix.count))
        }
        return message
    }

    private func parseDouble(_ key: String, _ v: String) throws -> Double {
        let lower = v.lowercased()
        let expected = SettingSchema.descriptor(key).map(\.expected) ?? "a number"
        switch lower {
        case "inf", "+inf", "infinity", "+infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        case "nan", "+nan", "-nan": return .nan
        default: break
        }
        if lower.hasPrefix("0x") || lower.hasPrefix("-0x") || lower.hasPrefix("+0x") {
            throw invalid(key, v, expected)
        }
        if let d = Double(v.replacingOccurrences(of: "_", with: "")), !v.hasPrefix("_") { return d }
        throw invalid(key, v, expected)
    }

    /// The error for a bad value of `key`, located at its conf line when known:
    /// `[stanza] key = value: expected ...`.
    public func invalid(_ key: String, _ value: String, _ expected: String) -> EgError {
        problem(key, value, "expected \(expected)")
    }

    /// An error about `key` located at its conf line when known: `[stanza] key = value: what`
    /// (long values shortened after secrets are redacted, so no part of one shows; the message
    /// names the stanza, so no `stanza [name]` location).
    public func problem(_ key: String, _ value: String, _ what: String) -> EgError {
        let redacted = Secrets.redact(value)
        let shown = redacted.count > 80 ? String(redacted.prefix(77)) + "..." : redacted
        return EgError.config(at: sources[key]?.description, "\(stanzaLabel)\(key) = \(shown): \(what)")
    }

    /// `file:line` of the key when known, else `stanza [name]`.
    public func location(of key: String) -> String? {
        if let s = sources[key] { return s.description }
        return stanza.isEmpty ? nil : "stanza [\(stanza)]"
    }

    var stanzaLabel: String { stanza.isEmpty ? "" : "[\(stanza)] " }

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
