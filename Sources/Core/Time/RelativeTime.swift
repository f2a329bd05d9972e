/// A Splunk time modifier as used by eventgen's `earliest`, `latest`, `backfill` and `end`.
///
/// Forms: `now`; a chain of offsets and snaps (`-15s`, `-1h@h`, `+1d@d-2h`, `@w0`, `-7d@w1`,
/// `-1d+2h`, `@d+8h`; a signed number without a unit is seconds, a sign without a number is 1);
/// an unsigned number (`1700000000`, `1700000000.5`) is absolute epoch seconds; anything else
/// must be ISO-8601 (`2024-01-15`, `2024-01-15T10:30:00[.ffffff][Z|+hh:mm|+hhmm]`, or with a
/// space for `T`), read in the given zone when it has no offset.
///
/// Zero and empty mean what a user means by them: now. `0` (or `0.0`, `-0`, `+0s`) is no offset,
/// not the epoch's first second, so `backfill = 0` generates no history and `earliest = 0` is
/// the interval's time; an empty or blank value is the default, now (as `end = 0` ends now).
///
/// Snaps work on the zone's wall clock (`@d` is local midnight) and drop microseconds; plain
/// offsets keep the microseconds of `now` (eventgen truncates them; eg keeps them). Days and
/// weeks move the wall clock (so `-1d` across DST is the same local time); months, quarters and
/// years clamp the day of the month (Jan 31 `+1mon` is Feb 28/29).
public struct RelativeTime: Hashable, Sendable {
    /// One step of a relative chain.
    public enum Step: Hashable, Sendable {
        /// Move by `amount` units (negative is into the past).
        case offset(Int, TimeUnit)
        /// Snap down to the start of the unit.
        case snap(TimeUnit)
        /// Snap down to the most recent given weekday (0 = Sunday), at midnight.
        case snapWeekday(Int)
    }

    /// What the string denotes.
    public enum Kind: Hashable, Sendable {
        /// Relative to `now`: the steps applied in order (empty for `now`).
        case relative([Step])
        /// A fixed instant (epoch number or ISO-8601 with an offset).
        case instant(EventTime)
        /// A wall-clock reading without an offset, read in the resolving zone.
        case civil(CivilTime)
    }

    /// The parsed form.
    public let kind: Kind

    /// Whether this is plain `now`.
    public var isNow: Bool { kind == .relative([]) }

    public init(kind: Kind) { self.kind = kind }

    /// Plain `now`.
    public static let now = RelativeTime(kind: .relative([]))

    /// Parses a time modifier; throws a config error naming the string and the expected forms.
    public static func parse(_ s: String, at location: String? = nil) throws -> RelativeTime {
        let text = s.timeTrimmed
        let b = Array(text.utf8)
        if text.isEmpty || text.lowercased() == "now" { return .now }
        if b.allSatisfy({ $0 == 48 || $0 == 46 }) && b.contains(48) { return .now }   // 0, 00, 0.0
        if let steps = parseChain(b) {
            guard RelativeTime.span(of: steps) <= RelativeTime.maxSpanSeconds else {
                throw EgError.config(at: location,
                    "bad time \"\(s)\": offsets of more than 10000 years are out of range")
            }
            return RelativeTime(kind: .relative(steps))
        }
        if let first = b.first, first >= 48 && first <= 57,
           b.allSatisfy({ ($0 >= 48 && $0 <= 57) || $0 == 46 }), let t = b.withUnsafeBufferPointer({ EpochText.parse(bytes: $0) }) {
            return RelativeTime(kind: .instant(t))
        }
        if let iso = ISO8601.parse(b[...]) {
            if let off = iso.offset {
                return RelativeTime(kind: .instant(TimeZoneSetting.fixed(offsetSeconds: off).instant(iso.civil)))
            }
            return RelativeTime(kind: .civil(iso.civil))
        }
        throw EgError.config(at: location,
            "bad time \"\(s)\": expected now, a relative time like -15m, -1h@h or @d+8h, epoch seconds, or an ISO-8601 time like 2024-01-15T10:30:00")
    }

    /// The most a chain of offsets may move a time: ten thousand years of seconds.
    public static let maxSpanSeconds = 315_569_520_000.0

    /// About how many seconds a chain's offsets move a time, in total (for the range check).
    static func span(of steps: [Step]) -> Double {
        var total = 0.0
        for case .offset(let n, let unit) in steps {
            let unitSeconds: Double
            switch unit {
            case .second: unitSeconds = 1
            case .minute: unitSeconds = 60
            case .hour: unitSeconds = 3600
            case .day: unitSeconds = 86_400
            case .week: unitSeconds = 604_800
            case .month: unitSeconds = 2_629_746
            case .quarter: unitSeconds = 7_889_238
            case .year: unitSeconds = 31_556_952
            }
            total += abs(Double(n)) * unitSeconds
        }
        return total
    }

    /// Parses a chain of `[+-]<n><unit>` and `@<snap>` steps; nil if `b` is not one.
    static func parseChain(_ b: [UInt8]) -> [Step]? {
        var steps: [Step] = []
        var i = 0
        guard !b.isEmpty else { return nil }
        func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
        func isAlpha(_ c: UInt8) -> Bool { (c | 0x20) >= 97 && (c | 0x20) <= 122 }
        while i < b.count {
            let c = b[i]
            if c == 43 || c == 45 {
                let sign = c == 45 ? -1 : 1
                i += 1
                var n = 0, digits = 0
                while i < b.count, isDigit(b[i]) {
                    guard digits < 9 else { return nil }
                    n = n * 10 + Int(b[i] - 48); i += 1; digits += 1
                }
                let u0 = i
                while i < b.count, isAlpha(b[i]) { i += 1 }
                if u0 == i {
                    guard digits > 0 else { return nil }
                    steps.append(.offset(sign * n, .second))
                } else {
                    guard let unit = TimeUnit(name: String(decoding: b[u0..<i], as: UTF8.self)) else { return nil }
                    steps.append(.offset(sign * (digits == 0 ? 1 : n), unit))
                }
            } else if c == 64 {
                i += 1
                let u0 = i
                while i < b.count, isAlpha(b[i]) || isDigit(b[i]) { i += 1 }
                let name = String(decoding: b[u0..<i], as: UTF8.self).lowercased()
                if name.count == 2, name.hasPrefix("w"), let d = Int(name.dropFirst()), d <= 6 {
                    steps.append(.snapWeekday(d))
                } else if let unit = TimeUnit(name: name) {
                    steps.append(unit == .week ? .snapWeekday(0) : .snap(unit))
                } else { return nil }
            } else { return nil }
        }
        return steps
    }

    /// The instant this denotes, relative to `now`, with snaps and civil readings in `zone`.
    public func resolve(now: EventTime, zone: TimeZoneSetting) -> EventTime {
        switch kind {
        case .instant(let t): return t
        case .civil(let c): return zone.instant(c)
        case .relative(let steps):
            var t = now
            for step in steps { t = RelativeTime.apply(step, to: t, zone: zone) }
            return t
        }
    }

    /// Applies one step.
    static func apply(_ step: Step, to t: EventTime, zone: TimeZoneSetting) -> EventTime {
        switch step {
        case .offset(let n, let unit):
            switch unit {
            case .second: return t + Int64(n) * 1_000_000
            case .minute: return t + Int64(n) * 60_000_000
            case .hour: return t + Int64(n) * 3_600_000_000
            case .day, .week:
                var c = zone.civil(t)
                c.day += unit == .day ? n : 7 * n
                c.offsetKnown = false
                return zone.instant(c)
            case .month, .quarter, .year:
                var c = zone.civil(t)
                let months = n * (unit == .month ? 1 : unit == .quarter ? 3 : 12)
                let total = c.year * 12 + (c.month - 1) + months
                c.year = total >= 0 ? total / 12 : (total - 11) / 12
                c.month = total - c.year * 12 + 1
                c.day = min(c.day, CivilDate.daysInMonth(c.year, c.month))
                c.offsetKnown = false
                return zone.instant(c)
            }
        case .snap(let unit):
            var c = zone.civil(t)
            c.microsecond = 0
            switch unit {
            case .second: return EventTime(seconds: t.seconds)
            case .minute, .hour:
                // Whole-hour snaps are exact instants in every zone with whole-hour offsets; use
                // the wall clock so half-hour zones snap to their own hours.
                c.second = 0
                if unit == .hour { c.minute = 0 }
                return zone.instant(c)
            case .day, .week: c.hour = 0; c.minute = 0; c.second = 0
            case .month: c.day = 1; c.hour = 0; c.minute = 0; c.second = 0
            case .quarter: c.month = (c.month - 1) / 3 * 3 + 1; c.day = 1; c.hour = 0; c.minute = 0; c.second = 0
            case .year: c.month = 1; c.day = 1; c.hour = 0; c.minute = 0; c.second = 0
            }
            c.offsetKnown = false
            return zone.instant(c)
        case .snapWeekday(let w):
            var c = zone.civil(t)
            c.day -= (c.weekday - w + 7) % 7
            c.hour = 0; c.minute = 0; c.second = 0; c.microsecond = 0
            c.offsetKnown = false
            return zone.instant(c)
        }
    }
}
