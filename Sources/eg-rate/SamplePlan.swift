import Foundation
import Core

/// When a sample stops: never, after N intervals (replay: passes), or when generation time reaches
/// an instant.
public enum EndCondition: Equatable, Sendable {
    case forever
    case intervals(Int)
    case time(EventTime)

    /// Reads `end`: an integer (`-1` = forever, `0` = nothing after now: backfill only) or a time
    /// (relative to `now`, or absolute; zero and `now` end now, as `0` does); empty means unset (forever).
    public static func parse(_ text: String, now: EventTime, zone: TimeZoneSetting, at location: String?) throws -> EndCondition {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.isEmpty { return .forever }
        if let n = Int(t) { return n < 0 ? .forever : .intervals(n) }
        return .time(try RelativeTime.parse(t, at: location).resolve(now: now, zone: zone))
    }
}

/// Command-line settings that override every sample's stanza settings.
public struct RateOverrides: Sendable {
    /// Stanza keys set from flags (`count`, `interval`, `earliest`, `latest`, `backfill`, `end`, `timezone`).
    public var settings: [(String, String)] = []
    public init() {}
}

/// One sample's generation settings, resolved from its stanza record and the command-line flags.
public struct SamplePlan {
    public enum Mode: Sendable { case sample, replay }

    /// The sample's name (the `sample` field of its events).
    public var name: String
    /// The sample's position among the run's samples (fixes merge order on ties and shard offsets).
    public var index: Int
    public var settings: Settings
    public var mode: Mode
    public var zone: TimeZoneSetting
    /// The timer period in microseconds (`interval = 0` is a 1 s tick).
    public var intervalMicros: Int64
    /// The `interval` setting, negatives as 0 (replay: the pause between passes; 0 = none).
    public var intervalSeconds: Int
    public var delayMicros: Int64
    /// `count`: -1 whole pool (or one bundle), 0 none, N events (or bundles).
    public var count: Int
    public var window: TimeWindow
    public var rater: Rater
    /// Further volume multipliers (issue 8 anomalies).
    public var modifiers: [RateModifier] = []
    /// Adds, drops or tags an interval's units (issue 8 anomalies).
    public var unitHook: UnitHook?
    public var randomizeEvents: Bool
    public var bundle: Bool
    /// `generator = jinja` with `jinja_count_type = perDayVolume`: each interval is one cycle
    /// event carrying the rated count, and eg-tokenize renders cycles until their events' fields
    /// add up to it (eventgen's jinja generator counts `len()` of each parsed event).
    public var cyclesByVolume: Bool
    /// `perDayVolume` in GiB per day.
    public var perDayVolume: Double?
    /// The expanded `extendIndexes` list (empty when unset).
    public var extendIndexes: [String]
    public var backfill: RelativeTime?
    public var end: EndCondition
    public var timeMultiple: Double
    public var timeField: String
    public var seed: UInt64
    public var disabled: Bool

    /// Resolves a sample's plan. `settings` already hold the flag overrides.
    public init(name: String, index: Int, settings: Settings, now: EventTime, seed: UInt64) throws {
        self.name = name
        self.index = index
        self.settings = settings
        let s = settings
        // `generator = replay` runs eventgen's replay generator just as `mode = replay` does.
        mode = s.string("mode") == "replay" || (s.string("generator") == "replay" && s.string("perDayVolume") == nil)
            ? .replay : .sample
        let zone = try s.string("timezone").map { try TimeZoneSetting.parse($0, at: s.location(of: "timezone")) } ?? .local
        self.zone = zone
        // eventgen's timer ticks every second and counts the interval down: any interval <= 0
        // (eventgen's own example confs use -1) runs on every tick, and in replay means no pause.
        let iv = try s.int("interval") ?? 60
        intervalSeconds = max(iv, 0)
        intervalMicros = Int64(max(iv, 1)) * 1_000_000
        let delay = try s.double("delay") ?? 0
        guard delay >= 0, delay.isFinite else { throw s.invalid("delay", String(delay), "seconds >= 0") }
        delayMicros = Int64(delay * 1_000_000)
        count = try s.int("count") ?? -1
        if count < -1 { throw s.invalid("count", String(count), "-1 (whole sample), 0 or a positive count") }
        let earliest = try s.time("earliest") ?? .now
        let latest = try s.time("latest") ?? .now
        window = TimeWindow(earliest: earliest, latest: latest, zone: zone,
                            sequential: s.bool("sequentialTimestamp") ?? false)
        if window.earliest.resolve(now: now, zone: zone) > window.latest.resolve(now: now, zone: zone) {
            throw EgError.config(at: s.location(of: "earliest"),
                                 "[\(s.stanza)] earliest (\(s.string("earliest") ?? "now")) is after latest (\(s.string("latest") ?? "now"))")
        }
        var randomize: RandomizeCount?
        if let r = try s.double("randomizeCount") {
            guard r >= 0, r <= 2, r.isFinite else { throw s.invalid("randomizeCount", String(r), "a fraction between 0 and 2") }
            if r > 0 { randomize = RandomizeCount(r) }
        }
        rater = Rater(tables: try RateTables(settings: s), randomize: randomize, zone: zone)
        randomizeEvents = s.bool("randomizeEvents") ?? false
        bundle = s.bool("bundlelines") ?? false
        cyclesByVolume = s.string("generator") == "jinja" && s.string("jinja_count_type") == "perDayVolume"
        if let v = try s.double("perDayVolume") {
            guard v > 0, v.isFinite else { throw s.invalid("perDayVolume", String(v), "a positive number of GB per day") }
            perDayVolume = v
        }
        extendIndexes = try SamplePlan.expandIndexes(s.string("extendIndexes"), settings: s)
        // backfill = 0 (or now, +0s: history from now) is no backfill at all; empty is unset.
        backfill = try s.backfillTime().flatMap { $0.resolve(now: now, zone: zone) == now ? nil : $0 }
        end = try s.string("end").map { text -> EndCondition in
            do { return try EndCondition.parse(text, now: now, zone: zone, at: s.location(of: "end")) } catch let e as EgError {
                let why = Settings.reason(e.message, value: text)
                throw s.problem("end", text, why.hasPrefix("expected") ? "expected \(SettingType.end.expected)" : why)
            }
        } ?? .forever
        timeMultiple = try s.double("timeMultiple") ?? 1
        guard timeMultiple > 0, timeMultiple.isFinite else {
            throw s.invalid("timeMultiple", String(timeMultiple), "a number > 0")
        }
        timeField = s.string("timeField") ?? "_raw"
        self.seed = seed
        disabled = s.bool("disabled") ?? false
        if mode == .replay {
            // eventgen: replay forces count 1 and clears randomizeCount and the rates.
            count = 1
            rater = Rater(tables: RateTables(), randomize: nil, zone: zone)
        }
    }

    /// Refuses a count (or perDayVolume) whose busiest interval would hold more events than
    /// `SettingSchema.maxEventsPerInterval` (`SettingCheck.volumeProblem`).
    public func checkVolume(pool: EncodedPool) throws {
        let smallest = (0..<pool.count).lazy.map { pool.size($0) }.filter { $0 > 0 }.min() ?? 1
        if let e = SettingCheck.volumeProblem(settings, poolCount: pool.count, smallestEvent: smallest) { throw e }
    }

    /// `prefix:N, idx2, ...` → `prefix0 ... prefix(N-1), idx2, ...`.
    static func expandIndexes(_ text: String?, settings: Settings) throws -> [String] {
        guard let text, !text.trimmingCharacters(in: .whitespaces).isEmpty else { return [] }
        var out: [String] = []
        for part in text.split(separator: ",") {
            let p = part.trimmingCharacters(in: .whitespaces)
            if p.isEmpty { continue }
            if let colon = p.lastIndex(of: ":") {
                let prefix = String(p[..<colon])
                guard let n = Int(p[p.index(after: colon)...]), n > 0, n <= 100_000 else {
                    throw settings.invalid("extendIndexes", text, "a list like test_:3, main (prefix:N with N > 0)")
                }
                for k in 0..<n { out.append(prefix + String(k)) }
            } else {
                out.append(p)
            }
        }
        return out
    }
}
