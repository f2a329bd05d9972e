import Core

/// Applies a sample's value anomalies (issue 8) in eg-tokenize: only to events eg-rate marked
/// with the anomaly's id (`"anomaly":"<id>"`), and only to the anomaly's token.
///
/// - `value_shift`: the value is drawn from `values` (a JSON list or `integer[a:b]`).
/// - `new_value`: `values` (drawn) or `value` if given, else the value eg-rate resolved
///   (`anomaly.<n>.resolvedValue`), else one generated here the same way: a TEST-NET-3 address
///   203.0.113.x for IPv4-looking tokens, `anomalous-<hex>` otherwise.
/// - `metric_outlier`: `value` if given, else the number times `factor` (an integer stays an
///   integer; a value that is not a number is left alone).
/// Each anomaly draws from its own key `<sample>/anomaly.<n>/values`, seeded per event by the
/// event's number.
final class AnomalyValueHook: ValueHook {
    /// One value anomaly.
    final class Entry {
        let spec: AnomalySpec
        let key: RandomKey
        var rng: SeededRandom
        var fixed: String?
        let tokenPattern: String?
        let tokenReplacement: String?
        let seed: UInt64

        init(spec: AnomalySpec, settings: Settings, sample: String, seed: UInt64) {
            self.spec = spec
            self.seed = seed
            key = RandomKey(seed: seed, stream: "\(sample)/anomaly.\(spec.number)/values")
            rng = key.generator(event: 0)
            let tk = spec.token ?? -1
            tokenPattern = settings["token.\(tk).token"]
            tokenReplacement = settings["token.\(tk).replacement"]
            if spec.type == .newValue && spec.values == nil {
                fixed = spec.value ?? spec.raw["resolvedValue"]
            }
        }

        func apply(_ value: inout [UInt8]) {
            switch spec.type {
            case .valueShift:
                value = Array(spec.values!.draw(&rng).utf8)
            case .newValue:
                if let vs = spec.values { value = Array(vs.draw(&rng).utf8); return }
                if fixed == nil {
                    let current = String(decoding: value, as: UTF8.self)
                    let ipv4 = spec.raw["kind"].map { $0 == "ipv4" }
                        ?? (AnomalyText.looksIPv4(pattern: tokenPattern, replacement: tokenReplacement) || AnomalyText.isIPv4(current))
                    fixed = AnomalyText.newValue(ipv4: ipv4, seed: seed, id: spec.id)
                }
                value = Array(fixed!.utf8)
            case .metricOutlier:
                if let v = spec.value { value = Array(v.utf8); return }
                let text = String(decoding: value, as: UTF8.self)
                let f = spec.factor ?? 10
                if let i = Int64(text) {
                    value = Array(String(Int64((Double(i) * f).rounded())).utf8)
                } else if let d = Double(text) {
                    value = Array(String(d * f).utf8)
                }
            default: break
            }
        }
    }

    /// Anomalies by id.
    let byId: [String: Entry]
    /// The current event's anomaly, if it has one of ours.
    var current: Entry?

    init(byId: [String: Entry]) { self.byId = byId }

    /// The hook for a stanza, or nil when it has no value anomalies.
    static func make(_ st: StanzaRecord, seed: UInt64) throws -> AnomalyValueHook? {
        guard st.settings.contains(where: { $0.key.hasPrefix("anomaly.") }) else { return nil }
        let settings = Settings(st.settings.map { ($0.key, $0.value) }, stanza: st.stanza)
        var byId: [String: Entry] = [:]
        for spec in try AnomalySpec.all(settings, sample: st.sample) where !spec.type.isVolume {
            byId[spec.id] = Entry(spec: spec, settings: settings, sample: st.sample, seed: seed)
        }
        return byId.isEmpty ? nil : AnomalyValueHook(byId: byId)
    }

    /// Sets the hook of `set` (static tokens it changes are kept out of compiled plans).
    static func install(on set: TokenSet, _ st: StanzaRecord, seed: UInt64) throws {
        guard let hook = try make(st, seed: seed) else { return }
        let changed = Set(hook.byId.values.compactMap(\.spec.token))
        for t in set.tokens where changed.contains(t.number) {
            (t.generator as? StaticReplacement)?.keepDynamic = true
        }
        set.valueHook = hook
    }

    func beginEvent(_ record: Record, number: UInt64) {
        if let id = record["anomaly"]?.stringValue { current = byId[id] } else { current = nil }
        current?.rng = current!.key.generator(event: number)
    }

    func adjust(token: Int, value: inout [UInt8], context: inout EventContext) {
        guard let e = current, e.spec.token == token else { return }
        e.apply(&value)
    }
}
