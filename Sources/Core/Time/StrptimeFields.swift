/// The fields captured by a strptime match, and their resolution to an instant (Python's rules).
struct StrptimeFields {
    var year: Int?, year2: Int?, month: Int?, day: Int?
    var hour: Int?, hour12: Int?, pm: Bool?
    var minute = 0, second = 0, micro = 0
    var julian: Int?, weekday: Int?          // weekday: Monday = 0, as Python
    var weekU: Int?, weekW: Int?, isoYear: Int?, isoWeek: Int?
    var offset: Int?
    var epochMicros: Int64?

    /// Records directive `d` with candidate value `v` (the text span is used by `%s`).
    mutating func set(_ d: UInt8, _ v: Int, text: UnsafeBufferPointer<UInt8>, from p: Int, len: Int) {
        switch d {
        case 89: year = v
        case 121: year2 = v
        case 71: isoYear = v
        case 109: month = v
        case 100, 101: day = v
        case 72: hour = v
        case 73: hour12 = v
        case 112: pm = v == 1
        case 77: minute = v
        case 83: second = v
        case 102: micro = v
        case 106: julian = v
        case 85: weekU = v
        case 87: weekW = v
        case 86: isoWeek = v
        case 119: weekday = v == 0 ? 6 : v - 1
        case 117: weekday = v - 1
        case 97, 65: weekday = v
        case 98, 66: month = v + 1
        case 122: offset = v
        case 115: epochMicros = Self.epoch(UnsafeBufferPointer(rebasing: text[p..<(p + len)]))
        default: break
        }
    }

    /// Epoch seconds text to microseconds; integers longer than ten digits are scaled down.
    static func epoch(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        var neg = false, i = 0
        if i < b.count, b[i] == 45 { neg = true; i += 1 }
        var whole: Int64 = 0, n = 0
        while i < b.count, b[i] != 46 { whole = whole * 10 + Int64(b[i] - 48); n += 1; i += 1 }
        var micros: Int64
        if n > 10 {
            let shift = n - 10
            micros = shift <= 6 ? whole * Int64(pow10(6 - shift)) : whole / Int64(pow10(shift - 6))
        } else {
            micros = whole * 1_000_000
            if i < b.count {
                i += 1
                var f: Int64 = 0, k = 0
                while i < b.count { f = f * 10 + Int64(b[i] - 48); k += 1; i += 1 }
                micros += f * Int64(pow10(6 - k))
            }
        }
        return neg ? -micros : micros
    }

    static func pow10(_ n: Int) -> Int { var r = 1; for _ in 0..<n { r *= 10 }; return r }

    /// The instant: `%s` wins; else the date (Python's julian / week / ISO rules) and time,
    /// read in the `%z` offset or in `zone`. Nil for an impossible date.
    func resolve(zone: TimeZoneSetting, defaultYear: Int, hasDateField: Bool) -> EventTime? {
        if let e = epochMicros { return EventTime(micros: e) }
        var y: Int
        if let v = year { y = v }
        else if let v = year2 { y = v >= 69 ? 1900 + v : 2000 + v }
        else if let v = isoYear { y = v }
        else { y = hasDateField ? defaultYear : 1900 }
        var m = month ?? 1, d = day ?? 1
        var jul = julian
        if jul == nil, let wd = weekday {
            if let week = weekU ?? weekW {
                let mondayFirst = weekU == nil
                var first = (CivilDate.weekday(CivilDate.daysFromCivil(y, 1, 1)) + 6) % 7   // Monday = 0
                var dow = wd
                if !mondayFirst { first = (first + 1) % 7; dow = (dow + 1) % 7 }
                let week0 = (7 - first) % 7
                jul = week == 0 ? 1 + dow - first : 1 + week0 + 7 * (week - 1) + dow
            } else if let iy = isoYear, let iw = isoWeek {
                let jan4 = CivilDate.daysFromCivil(iy, 1, 4)
                let monday1 = jan4 - Int64((CivilDate.weekday(jan4) + 6) % 7)
                let days = monday1 + Int64((iw - 1) * 7 + wd)
                (y, m, d) = CivilDate.civilFromDays(days)
            }
        }
        if let j = jul {
            let days = CivilDate.daysFromCivil(y, 1, 1) + Int64(j - 1)
            (y, m, d) = CivilDate.civilFromDays(days)
        }
        guard (1...12).contains(m), d >= 1, d <= CivilDate.daysInMonth(y, m) else { return nil }
        var h = hour ?? 0
        if let h12 = hour12 {
            h = h12 % 12 + (pm == true ? 12 : 0)
        }
        let c = CivilTime(year: y, month: m, day: d, hour: h, minute: minute, second: second, microsecond: micro)
        if let o = offset { return TimeZoneSetting.fixed(offsetSeconds: o).instant(c) }
        return zone.instant(c)
    }
}
