import Core

/// Eventum's "versatile datetime" for input `start`/`end` and oscillator ranges: `now`, `never`,
/// a relative offset (`+1h`, `-30m`, `+1d12h30m`; units w, d, h, m, s), a time of day (`14:30[:00]`,
/// today in the generator's zone), epoch seconds, or ISO 8601 (read in the generator's zone when it
/// has no offset). An offset in `start` counts from now, in `end` from the start.
enum EventumTime: Equatable {
    case now
    case never
    case offset(Int64)
    case timeOfDay(hour: Int, minute: Int, second: Int)
    case fixed(RelativeTime)

    static func parse(_ text: String, at location: String) throws -> EventumTime {
        let t = text.trimmingCharacters(in: .whitespaces)
        switch t.lowercased() {
        case "now": return .now
        case "never": return .never
        default: break
        }
        if let o = offset(Array(t.utf8)) { return .offset(o) }
        let parts = t.split(separator: ":")
        if parts.count >= 2, parts.count <= 3, !t.contains("-"), !t.contains("T"),
           let h = Int(parts[0]), let m = Int(parts[1]), h < 24, m < 60 {
            let s = parts.count == 3 ? Int(parts[2]) : 0
            if let s, s < 60 { return .timeOfDay(hour: h, minute: m, second: s) }
        }
        do { return .fixed(try RelativeTime.parse(t)) } catch {
            throw EgError.config(at: location, "bad time \"\(text)\": expected now, never, a relative offset like +1h or -1d12h, a time of day like 14:30, or an ISO 8601 time like 2024-06-01T09:00:00")
        }
    }

    /// `[+-]?(<n><w|d|h|m|s>)+` in microseconds.
    static func offset(_ b: [UInt8]) -> Int64? {
        var i = 0, sign: Int64 = 1
        if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            if b[i] == UInt8(ascii: "-") { sign = -1 }
            i += 1
        }
        guard i < b.count else { return nil }
        var total: Int64 = 0
        while i < b.count {
            var n: Int64 = 0, digits = 0
            while i < b.count, b[i] >= 48, b[i] <= 57 {
                guard digits < 12 else { return nil }
                n = n * 10 + Int64(b[i] - 48); i += 1; digits += 1
            }
            guard digits > 0, i < b.count else { return nil }
            let unit: Int64
            switch b[i] {
            case UInt8(ascii: "w"): unit = 604_800
            case UInt8(ascii: "d"): unit = 86_400
            case UInt8(ascii: "h"): unit = 3_600
            case UInt8(ascii: "m"): unit = 60
            case UInt8(ascii: "s"): unit = 1
            default: return nil
            }
            i += 1
            total += n * unit * 1_000_000
        }
        return sign * total
    }

    /// The instant, or nil for `never`; offsets count from `base`.
    func resolve(now: EventTime, base: EventTime, zone: TimeZoneSetting) -> EventTime? {
        switch self {
        case .now: return now
        case .never: return nil
        case .offset(let o): return base + o
        case .timeOfDay(let h, let m, let s):
            let c = zone.civil(now)
            return zone.instant(CivilTime(year: c.year, month: c.month, day: c.day, hour: h, minute: m, second: s))
        case .fixed(let r): return r.resolve(now: now, zone: zone)
        }
    }
}
