import Foundation

/// The kinds of labelled anomaly (issue 8): volume kinds act in eg-rate on how many events an
/// interval has, value kinds act in eg-tokenize on one token of marked events.
public enum AnomalyType: String, Sendable, CaseIterable {
    case spike, drop, outage
    case levelShift = "level_shift"
    case trend
    case valueShift = "value_shift"
    case newValue = "new_value"
    case metricOutlier = "metric_outlier"

    /// Whether the type changes the event count (eg-rate) rather than token values (eg-tokenize).
    public var isVolume: Bool {
        switch self {
        case .spike, .drop, .outage, .levelShift, .trend: return true
        default: return false
        }
    }
}

/// How a volume anomaly's strength develops over its window.
public enum AnomalyShape: String, Sendable {
    case step, ramp, triangle

    /// The envelope in [0, 1] at position `p` in [0, 1) of the window.
    public func envelope(_ p: Double) -> Double {
        switch self {
        case .step: return 1
        case .ramp: return min(1, max(0, p))
        case .triangle: return max(0, 1 - abs(2 * p - 1))
        }
    }
}

/// `target = field=value`: only events whose pool record has that field value are affected
/// (`_raw=text` matches events whose `_raw` contains the text; a list field, such as an Eventum
/// input's `tags`, matches when one of its elements is the value).
public struct AnomalyTarget: Sendable, Equatable {
    public var field: String
    public var value: String

    public static func parse(_ text: String, at location: String) throws -> AnomalyTarget {
        guard let eq = text.firstIndex(of: "="), eq != text.startIndex else {
            throw EgError.config(at: location, "target: expected field=value (e.g. host=web-3), found '\(text)'")
        }
        return AnomalyTarget(field: String(text[..<eq]).trimmingCharacters(in: .whitespaces),
                             value: String(text[text.index(after: eq)...]).trimmingCharacters(in: .whitespaces))
    }

    /// Whether the pool record matches.
    public func matches(_ r: Record) -> Bool {
        if case .array(let items)? = r[field] { return items.contains { $0.text == value } }
        guard let v = r.string(field) else { return false }
        return field == "_raw" ? v.contains(value) : v == value
    }

    public var text: String { "\(field)=\(value)" }
}

/// What a `value_shift` draws from: a list of values or an integer range.
public enum AnomalyValues: Sendable, Equatable {
    case list([String])
    case integers(Int64, Int64)

    /// Reads a JSON list (`["500","503"]`) or `integer[a:b]`.
    public static func parse(_ text: String, at location: String) throws -> AnomalyValues {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.hasPrefix("integer[") && t.hasSuffix("]") {
            let inner = t.dropFirst(8).dropLast()
            let parts = inner.split(separator: ":", omittingEmptySubsequences: false)
            if parts.count == 2, let a = Int64(parts[0].trimmingCharacters(in: .whitespaces)),
               let b = Int64(parts[1].trimmingCharacters(in: .whitespaces)), a <= b {
                return .integers(a, b)
            }
        } else if case .array(let items)? = try? JSONParser.parse(t) {
            let strings = items.compactMap { $0.text }
            if !strings.isEmpty && strings.count == items.count { return .list(strings) }
        }
        throw EgError.config(at: location, "values: expected a JSON list like [\"500\",\"503\"] or integer[a:b], found '\(text)'")
    }

    /// One draw.
    public func draw(_ rng: inout SeededRandom) -> String {
        switch self {
        case .list(let l): return l[rng.index(l.count)]
        case .integers(let a, let b): return String(rng.int(in: a...b))
        }
    }
}

/// One `anomaly.<n>.*` stanza group (or `--anomaly` flag), checked and typed.
public struct AnomalySpec: Sendable {
    public var number: Int
    public var id: String
    public var type: AnomalyType
    /// `start` as written: `random`, a relative or absolute time, `end-<dur>` or `start+<dur>`.
    public var start: String
    public var durationMicros: Int64?
    public var factor: Double?
    public var shape: AnomalyShape
    public var target: AnomalyTarget?
    public var token: Int?
    public var values: AnomalyValues?
    /// `value`: metric_outlier's fixed value, or new_value's value.
    public var value: String?
    public var fraction: Double
    public var warmup: Double
    /// Every key as given (for the settings hash).
    public var raw: [String: String]

    static let keys: Set<String> = ["type", "start", "duration", "factor", "shape", "target", "token", "values",
                                    "value", "fraction", "id", "anomalyWarmup", "warmup", "kind",
                                    "resolvedStart", "resolvedEnd", "resolvedValue"]

    /// The largest `factor`: a spike of ten thousand times the baseline.
    public static let maxFactor = 10_000.0

    /// Reads group `n` of `sample`; `defaultWarmup` is the stanza's/global `anomalyWarmup`.
    public init(number: Int, values v: [String: String], sample: String, stanza: String, defaultWarmup: Double) throws {
        let loc = "stanza [\(stanza)] anomaly.\(number)"
        func bad(_ key: String, _ expected: String) -> EgError {
            EgError.config(at: loc, "\(key): expected \(expected), found '\(v[key] ?? "")'")
        }
        for k in v.keys where !AnomalySpec.keys.contains(k) {
            throw EgError.config(at: loc, "unknown key '\(k)': expected one of type, start, duration, factor, shape, target, token, values, value, fraction, id, anomalyWarmup")
        }
        self.number = number
        self.raw = v
        guard let ts = v["type"] else { throw EgError.config(at: loc, "type is missing: expected spike, drop, outage, level_shift, trend, value_shift, new_value or metric_outlier") }
        guard let t = AnomalyType(rawValue: ts) else {
            throw bad("type", "spike, drop, outage, level_shift, trend, value_shift, new_value or metric_outlier")
        }
        type = t
        id = v["id"] ?? "\(sample)-a\(number)"
        start = v["start"] ?? "random"
        if let d = v["duration"] {
            guard let m = AnomalySpec.parseDuration(d), m > 0 else { throw bad("duration", "a duration like 30m, 2h, 90s or 1d") }
            durationMicros = m
        } else if t != .levelShift {
            durationMicros = 30 * 60_000_000
        }
        if let f = v["factor"] {
            guard let d = Double(f), d.isFinite, d >= 0, d <= AnomalySpec.maxFactor else {
                throw bad("factor", "a number from 0 to \(Int(AnomalySpec.maxFactor))")
            }
            factor = d
        }
        switch t {
        case .spike:
            if factor == nil { factor = 10 }
            guard factor! >= 1 else { throw bad("factor", "a multiplier >= 1 for a spike (10 means 10 times the baseline)") }
        case .drop:
            if factor == nil { factor = 0.5 }
            guard factor! <= 1 else { throw bad("factor", "a fraction between 0 and 1 for a drop") }
        case .outage: factor = 0
        case .levelShift, .trend: if factor == nil { factor = 2 }
        default: break
        }
        if let s = v["shape"] {
            guard let sh = AnomalyShape(rawValue: s) else { throw bad("shape", "step, ramp or triangle") }
            shape = sh
        } else {
            shape = t == .trend ? .ramp : .step
        }
        if let tg = v["target"], !tg.isEmpty { target = try AnomalyTarget.parse(tg, at: loc) }
        if let tk = v["token"] {
            guard let n = Int(tk), n >= 0 else { throw bad("token", "a token number") }
            token = n
        }
        if let vs = v["values"] {
            values = try AnomalyValues.parse(vs, at: loc)
        }
        value = v["value"]
        if let f = v["fraction"] {
            guard let d = Double(f), d > 0, d <= 1 else { throw bad("fraction", "a share of events in (0, 1]") }
            fraction = d
        } else {
            fraction = 1
        }
        if let w = v["anomalyWarmup"] ?? v["warmup"] {
            guard let d = Double(w), d >= 0, d < 1 else { throw bad("anomalyWarmup", "a fraction of the span in [0, 1)") }
            warmup = d
        } else {
            warmup = defaultWarmup
        }
        if !t.isVolume {
            guard token != nil else { throw EgError.config(at: loc, "token is missing: a \(ts) anomaly changes the token with that number") }
            if t == .valueShift && values == nil {
                throw EgError.config(at: loc, "values is missing: a value_shift draws from a JSON list or integer[a:b]")
            }
            if t == .metricOutlier && value == nil && factor == nil { factor = 10 }
        }
    }

    /// Reads every `anomaly.<n>.*` group of `settings` (`anomalyWarmup` read from the stanza).
    public static func all(_ settings: Settings, sample: String) throws -> [AnomalySpec] {
        var warm = 0.15
        if let w = try settings.double("anomalyWarmup") {
            guard w >= 0, w < 1 else { throw settings.invalid("anomalyWarmup", String(w), "a fraction of the span in [0, 1)") }
            warm = w
        }
        let specs = try settings.anomalies().map {
            try AnomalySpec(number: $0.number, values: $0.values, sample: sample, stanza: settings.stanza, defaultWarmup: warm)
        }
        var ids = Set<String>()
        for s in specs where !ids.insert(s.id).inserted {
            throw EgError.config(at: "stanza [\(settings.stanza)] anomaly.\(s.number)", "id '\(s.id)' is used twice")
        }
        return specs
    }

    /// `30m`, `2h`, `90s`, `1d`, `1w`, `500ms`, or plain seconds, in microseconds.
    public static func parseDuration(_ text: String) -> Int64? {
        let t = text.trimmingCharacters(in: .whitespaces)
        var digits = ""
        var unit = ""
        for c in t {
            if unit.isEmpty && (c.isNumber || c == ".") { digits.append(c) } else { unit.append(c) }
        }
        guard let n = Double(digits), n >= 0, n.isFinite else { return nil }
        let scale: Double
        switch unit.lowercased() {
        case "", "s", "sec", "secs", "second", "seconds": scale = 1
        case "ms": scale = 0.001
        case "m", "min", "mins", "minute", "minutes": scale = 60
        case "h", "hr", "hrs", "hour", "hours": scale = 3600
        case "d", "day", "days": scale = 86400
        case "w", "week", "weeks": scale = 604_800
        default: return nil
        }
        guard n * scale <= RelativeTime.maxSpanSeconds else { return nil }
        return Int64((n * scale * 1_000_000).rounded())
    }

    /// Splits an `--anomaly` flag value `key=value,key=value` into pairs; commas inside `[...]`,
    /// `{...}` or quotes do not split (so `values=["500","503"]` works).
    public static func parseFlag(_ text: String) throws -> [(String, String)] {
        var parts: [String] = []
        var cur = ""
        var depth = 0
        var quoted = false
        for c in text {
            if c == "\"" { quoted.toggle() }
            if !quoted {
                if c == "[" || c == "{" { depth += 1 }
                if c == "]" || c == "}" { depth -= 1 }
                if c == "," && depth == 0 { parts.append(cur); cur = ""; continue }
            }
            cur.append(c)
        }
        parts.append(cur)
        var out: [(String, String)] = []
        for p in parts where !p.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let eq = p.firstIndex(of: "=") else {
                throw EgError.usage("--anomaly expects key=value pairs separated by commas (e.g. type=spike,start=random,duration=30m,factor=10), found '\(p)'")
            }
            out.append((String(p[..<eq]).trimmingCharacters(in: .whitespaces), String(p[p.index(after: eq)...])))
        }
        return out
    }
}
