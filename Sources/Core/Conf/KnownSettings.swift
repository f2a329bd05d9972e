/// Every setting key some eg tool understands, derived from `SettingSchema` (the registry of
/// types and meanings), used to report keys no tool reads: a typo is the most common silent failure.
public enum KnownSettings {
    /// Plain (non-numbered) keys.
    public static let keys: Set<String> = Set(SettingSchema.all.map(\.key))

    /// Sub-keys of `token.<n>.<sub>`.
    public static let tokenKeys: Set<String> = Set(SettingSchema.tokenKeys.map(\.key))

    /// Whether a key is understood: a plain known key, `token.<n>.<known sub-key>` or any `anomaly.<n>.<key>`.
    public static func isKnown(_ key: String) -> Bool {
        if keys.contains(key) { return true }
        if let parts = Settings.numberedParts(key) {
            return parts.prefix == "anomaly" || tokenKeys.contains(parts.rest)
        }
        return false
    }

    /// The keys of `settings` that no eg tool understands, in the settings' order.
    public static func unknownKeys(in settings: Settings) -> [String] {
        settings.keys.filter { !isKnown($0) }
    }
}
