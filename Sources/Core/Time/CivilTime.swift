/// A wall-clock reading of an instant in some zone: the broken-down date and time.
///
/// Produced by `TimeZoneSetting.civil(_:)`; turned back into an instant by `TimeZoneSetting.instant(_:)`.
public struct CivilTime: Hashable, Sendable {
    /// The proleptic Gregorian year (e.g. 2024).
    public var year: Int
    /// The month, 1...12.
    public var month: Int
    /// The day of the month, 1...31.
    public var day: Int
    /// The hour, 0...23.
    public var hour: Int
    /// The minute, 0...59.
    public var minute: Int
    /// The second, 0...59 (60 is accepted on input and normalised).
    public var second: Int
    /// The microsecond within the second, 0...999_999.
    public var microsecond: Int
    /// The day of the week, 0 = Sunday ... 6 = Saturday.
    public var weekday: Int
    /// The day of the year, 1...366.
    public var yearday: Int
    /// Seconds east of UTC in effect at this reading.
    public var utcOffset: Int
    /// The zone abbreviation (`EST`, `UTC`, `UTC-05:00`).
    public var zoneAbbreviation: String
    /// Whether `utcOffset` is known (it disambiguates repeated local times in `instant`).
    var offsetKnown: Bool

    /// Makes a civil time; weekday and yearday are derived from the date.
    /// Pass `utcOffset` to pick one of two repeated local readings at a DST fall-back.
    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0,
                microsecond: Int = 0, utcOffset: Int? = nil, zoneAbbreviation: String = "") {
        self.year = year; self.month = month; self.day = day
        self.hour = hour; self.minute = minute; self.second = second; self.microsecond = microsecond
        let days = CivilDate.daysFromCivil(year, month, day)
        self.weekday = CivilDate.weekday(days)
        self.yearday = CivilDate.yearday(year, month, day)
        self.utcOffset = utcOffset ?? 0
        self.offsetKnown = utcOffset != nil
        self.zoneAbbreviation = zoneAbbreviation
    }

    /// Seconds since the epoch of this reading as if it were UTC (ignores `utcOffset`).
    var localEpochSeconds: Int64 {
        CivilDate.daysFromCivil(year, month, day) * 86_400
            + Int64(hour) * 3600 + Int64(minute) * 60 + Int64(second)
    }
}

/// Proleptic Gregorian calendar arithmetic on day numbers (days since 1970-01-01).
enum CivilDate {
    /// Days since 1970-01-01 of a date; month and day may be out of range only as far as the arithmetic allows.
    @inline(__always)
    static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let m = Int64(month)
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The (year, month, day) of a day number.
    @inline(__always)
    static func civilFromDays(_ z0: Int64) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (Int(m <= 2 ? y + 1 : y), Int(m), Int(d))
    }

    /// Weekday of a day number, 0 = Sunday.
    @inline(__always)
    static func weekday(_ days: Int64) -> Int {
        let w = (days + 4) % 7
        return Int(w < 0 ? w + 7 : w)
    }

    static func isLeap(_ y: Int) -> Bool { y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) }

    static func daysInMonth(_ y: Int, _ m: Int) -> Int {
        switch m {
        case 2: return isLeap(y) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Day of the year, 1...366.
    static func yearday(_ y: Int, _ m: Int, _ d: Int) -> Int {
        Int(daysFromCivil(y, m, d) - daysFromCivil(y, 1, 1)) + 1
    }

    /// Floor division and non-negative remainder of seconds into (days, second-of-day).
    @inline(__always)
    static func splitDays(_ s: Int64) -> (days: Int64, secs: Int) {
        var d = s / 86_400, r = s % 86_400
        if r < 0 { r += 86_400; d -= 1 }
        return (d, Int(r))
    }

    /// The civil reading of `seconds` (already shifted by the offset) with the given zone data.
    static func civil(localSeconds: Int64, microsecond: Int, offset: Int, abbreviation: String) -> CivilTime {
        let (days, sod) = splitDays(localSeconds)
        let (y, m, d) = civilFromDays(days)
        var c = CivilTime(uncheckedYear: y, month: m, day: d)
        c.hour = sod / 3600; c.minute = sod / 60 % 60; c.second = sod % 60
        c.microsecond = microsecond
        c.weekday = weekday(days)
        c.yearday = Int(days - daysFromCivil(y, 1, 1)) + 1
        c.utcOffset = offset; c.offsetKnown = true
        c.zoneAbbreviation = abbreviation
        return c
    }
}

extension CivilTime {
    /// A bare initialiser that skips derived fields (filled by the caller).
    init(uncheckedYear: Int, month: Int, day: Int) {
        year = uncheckedYear; self.month = month; self.day = day
        hour = 0; minute = 0; second = 0; microsecond = 0; weekday = 0; yearday = 1
        utcOffset = 0; offsetKnown = false; zoneAbbreviation = ""
    }
}
