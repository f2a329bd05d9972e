import Foundation
import Core

/// The five eventgen rate tables of a sample, as dense arrays (a missing key is factor 1, as in
/// eventgen, which logs the KeyError and leaves the factor alone).
public struct RateTables: Sendable, Equatable {
    /// `hourOfDayRate`, indexed 0...23.
    public var hourOfDay: [Double]?
    /// `dayOfWeekRate`, indexed 0 = Sunday ... 6 = Saturday.
    public var dayOfWeek: [Double]?
    /// `minuteOfHourRate`, indexed 0...59.
    public var minuteOfHour: [Double]?
    /// `dayOfMonthRate`, indexed 1...31 (slot 0 unused).
    public var dayOfMonth: [Double]?
    /// `monthOfYearRate`, indexed 1...12 (slot 0 unused).
    public var monthOfYear: [Double]?

    public init() {}

    /// Reads the tables from a stanza's settings; a table that is not a JSON object of numbers is
    /// a config error naming the stanza and key.
    public init(settings: Settings) throws {
        for (key, range) in SettingSchema.rateTables {
            guard let text = settings.string(key), !text.isEmpty else { continue }
            let table = try RateTables.parseTable(text, range: range, key: key, settings: settings)
            switch key {
            case "hourOfDayRate": hourOfDay = table
            case "dayOfWeekRate": dayOfWeek = table
            case "minuteOfHourRate": minuteOfHour = table
            case "dayOfMonthRate": dayOfMonth = table
            default: monthOfYear = table
            }
        }
    }

    /// Parses one table (`SettingSchema.parseRateTable`); a bad one is a config error at its conf line.
    static func parseTable(_ text: String, range: ClosedRange<Int>, key: String, settings: Settings) throws -> [Double] {
        guard let table = SettingSchema.parseRateTable(text, range: range) else {
            throw settings.invalid(key, text, SettingType.rateTable(range).expected)
        }
        return table
    }

    /// True when no table is set.
    public var isEmpty: Bool {
        hourOfDay == nil && dayOfWeek == nil && minuteOfHour == nil && dayOfMonth == nil && monthOfYear == nil
    }

    /// The product of every table's factor at the wall-clock reading `c`.
    @inline(__always)
    public func factor(at c: CivilTime) -> Double {
        var f = 1.0
        if let t = hourOfDay { f *= t[c.hour] }
        if let t = dayOfWeek { f *= t[c.weekday] }
        if let t = minuteOfHour { f *= t[c.minute] }
        if let t = dayOfMonth { f *= t[c.day] }
        if let t = monthOfYear { f *= t[c.month] }
        return f
    }
}

/// Something else that scales a sample's volume at a given time (issue 8's anomalies: spikes,
/// drops, outages, level shifts, trends). The rater multiplies every modifier's factor in.
public protocol RateModifier: AnyObject {
    /// The multiplier for the interval at `time` (1 = unchanged, 0 = outage).
    func multiplier(at time: EventTime) -> Double
    /// An id for events added inside the modifier's window (`"anomaly"` field), or nil.
    func tag(at time: EventTime) -> Int32?
}

/// `randomizeCount = r`: a factor uniform in [1 - r/2, 1 + r/2] at 0.001 resolution, exactly as
/// eventgen draws it (`B = round(r*1000)`, `k = randint(0, B)`, `1 + (k - B/2)/1000`).
public struct RandomizeCount: Sendable, Equatable {
    public let r: Double
    let steps: UInt64

    public init(_ r: Double) {
        self.r = r
        self.steps = UInt64(max(0, (r * 1000).rounded()))
    }

    /// One factor draw.
    @inline(__always)
    public func draw(_ rng: inout SeededRandom) -> Double {
        let k = rng.below(steps + 1)
        return 1 + (Double(k) - Double(steps) / 2) / 1000
    }
}

/// The rater: the rate factor of one interval and the count it gives.
public struct Rater: Sendable {
    public var tables: RateTables
    public var randomize: RandomizeCount?
    public var zone: TimeZoneSetting

    /// The rate factor at `time`: randomizeCount (drawn from `rng`) × the five tables read in the
    /// sample's zone at that time (the time being generated, not the wall clock).
    public func factor(at time: EventTime, rng: inout SeededRandom) -> Double {
        var f = 1.0
        if let randomize { f *= randomize.draw(&rng) }
        if !tables.isEmpty { f *= tables.factor(at: zone.civil(time)) }
        return f
    }

    /// The expected factor at `time` (randomizeCount averages to 1), for previews.
    public func expectedFactor(at time: EventTime) -> Double {
        tables.isEmpty ? 1 : tables.factor(at: zone.civil(time))
    }

    /// eventgen's `int(round(count × factor))` (Python rounds half to even).
    @inline(__always)
    public static func count(_ base: Int, factor: Double) -> Int {
        let x = (Double(base) * factor).rounded(.toNearestOrEven)
        guard x < 9.0e18 else { return x.isNaN ? 0 : Int.max }
        return max(0, Int(x))
    }
}
