/// One `token.<n>.*` group of a stanza: the regex, its replacement type and replacement,
/// plus any other `token.<n>.<key>` (e.g. `jsonSafe`) kept verbatim in `extra`.
public struct TokenSpec: Sendable, Equatable {
    public var number: Int
    public var pattern: String
    public var type: String
    public var replacement: String
    public var extra: [String: String]

    public init(number: Int, pattern: String, type: String, replacement: String, extra: [String: String] = [:]) {
        self.number = number
        self.pattern = pattern
        self.type = type
        self.replacement = replacement
        self.extra = extra
    }
}

/// A numbered group of settings such as `anomaly.<n>.<key>`: its number and its keys without the prefix.
public struct NumberedGroup: Sendable, Equatable {
    public var number: Int
    public var values: [String: String]

    public init(number: Int, values: [String: String]) {
        self.number = number
        self.values = values
    }
}
