#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The zone in which times are read and written: eventgen's `timezone` setting.
public enum TimeZoneSetting: Hashable, Sendable {
    /// The process's local zone (honours `TZ`), DST-correct through the C library.
    case local
    /// A fixed offset, in seconds east of UTC.
    case fixed(offsetSeconds: Int)

    /// UTC, the fixed zone with offset zero.
    public static let utc = TimeZoneSetting.fixed(offsetSeconds: 0)

    /// Parses eventgen's `timezone` values: `local`, `UTC`, `Z`, `GMT`, `+hhmm`, `-hhmm`, `hhmm`, `+hh:mm`.
    public static func parse(_ s: String, at location: String? = nil) throws -> TimeZoneSetting {
        let t = s.timeTrimmed
        switch t.lowercased() {
        case "local", "": return .local
        case "utc", "z", "gmt": return .utc
        default: break
        }
        if let off = parseOffset(Array(t.utf8)[...]) { return .fixed(offsetSeconds: off) }
        throw EgError.config(at: location,
            "bad timezone \"\(s)\": expected local, UTC, or an offset like -0500, +0530 or 0000")
    }

    /// Parses a whole `[+-]hhmm`, `hhmm` or `[+-]hh:mm` into seconds east of UTC.
    static func parseOffset(_ b: ArraySlice<UInt8>) -> Int? {
        var i = b.startIndex
        var sign = 1
        if i < b.endIndex, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            if b[i] == UInt8(ascii: "-") { sign = -1 }
            i += 1
        }
        var digits: [Int] = []
        while i < b.endIndex {
            let c = b[i]
            if c >= 48 && c <= 57 { digits.append(Int(c) - 48) }
            else if c == UInt8(ascii: ":") && digits.count == 2 {}
            else { return nil }
            i += 1
        }
        guard digits.count == 4 else { return nil }
        let h = digits[0] * 10 + digits[1], m = digits[2] * 10 + digits[3]
        guard h <= 23, m <= 59 else { return nil }
        return sign * (h * 3600 + m * 60)
    }

    /// Seconds east of UTC in effect at `t`.
    public func offset(at t: EventTime) -> Int {
        switch self {
        case .fixed(let o): return o
        case .local: return TimeZoneSetting.localOffset(t.seconds)
        }
    }

    /// The wall-clock reading of `t` in this zone. Allocation-free (the abbreviation is a small string).
    public func civil(_ t: EventTime) -> CivilTime {
        let secs = t.seconds, micro = Int(t.microsecond)
        switch self {
        case .fixed(let o):
            return CivilDate.civil(localSeconds: secs + Int64(o), microsecond: micro, offset: o,
                                   abbreviation: TimeZoneSetting.fixedName(o))
        case .local:
            var tt = time_t(secs)
            var tmv = tm()
            guard localtime_r(&tt, &tmv) != nil else {
                return CivilDate.civil(localSeconds: secs, microsecond: micro, offset: 0, abbreviation: "UTC")
            }
            let off = Int(tmv.tm_gmtoff)
            let abbr = tmv.tm_zone.map { String(cString: $0) } ?? ""
            return CivilDate.civil(localSeconds: secs + Int64(off), microsecond: micro, offset: off, abbreviation: abbr)
        }
    }

    /// The instant of a wall-clock reading in this zone (the inverse of `civil`).
    ///
    /// Out-of-range fields are normalised (month 13 is January of the next year, day 0 the last
    /// day of the previous month). For `.local`, a reading repeated at a DST fall-back is the
    /// earlier instant unless `c.utcOffset` was given and names the later one; a reading skipped
    /// by a spring-forward gap is read with the offset before the gap (like Python's fold=0).
    public func instant(_ c: CivilTime) -> EventTime {
        var y = c.year, m = c.month - 1
        y += m >= 0 ? m / 12 : -((11 - m) / 12)
        m = ((m % 12) + 12) % 12 + 1
        let local = CivilDate.daysFromCivil(y, m, 1) * 86_400 + Int64(c.day - 1) * 86_400
            + Int64(c.hour) * 3600 + Int64(c.minute) * 60 + Int64(c.second)
        let micro = Int64(c.microsecond)
        switch self {
        case .fixed(let o):
            return EventTime(seconds: local - Int64(o), microsecond: micro)
        case .local:
            let before = TimeZoneSetting.localOffset(local - 86_400)
            let after = TimeZoneSetting.localOffset(local + 86_400)
            var valid: [Int64] = []
            for o in before == after ? [before] : [before, after] {
                let t = local - Int64(o)
                if TimeZoneSetting.localOffset(t) == o { valid.append(t) }
            }
            if valid.isEmpty {
                // In a gap: also try the offset at the reading itself, then fall back to the earlier offset.
                let o = TimeZoneSetting.localOffset(local)
                let t = local - Int64(o)
                if TimeZoneSetting.localOffset(t) == o { return EventTime(seconds: t, microsecond: micro) }
                return EventTime(seconds: local - Int64(before), microsecond: micro)
            }
            valid.sort()
            if c.offsetKnown, valid.count > 1 {
                for t in valid where local - t == Int64(c.utcOffset) { return EventTime(seconds: t, microsecond: micro) }
            }
            return EventTime(seconds: valid[0], microsecond: micro)
        }
    }

    /// The local zone's offset at epoch second `s` (0 if the C library cannot tell).
    static func localOffset(_ s: Int64) -> Int {
        var tt = time_t(s)
        var tmv = tm()
        guard localtime_r(&tt, &tmv) != nil else { return 0 }
        return Int(tmv.tm_gmtoff)
    }

    /// Python's name for a fixed-offset zone: `UTC`, or `UTC+05:30` / `UTC-05:00`.
    static func fixedName(_ o: Int) -> String {
        if o == 0 { return "UTC" }
        let a = abs(o), h = a / 3600, m = a / 60 % 60, s = a % 60
        let n = s == 0 ? 9 : 12
        return String(unsafeUninitializedCapacity: n) { buf in
            buf[0] = 85; buf[1] = 84; buf[2] = 67
            buf[3] = o < 0 ? 45 : 43
            buf[4] = UInt8(48 + h / 10); buf[5] = UInt8(48 + h % 10); buf[6] = 58
            buf[7] = UInt8(48 + m / 10); buf[8] = UInt8(48 + m % 10)
            if s != 0 { buf[9] = 58; buf[10] = UInt8(48 + s / 10); buf[11] = UInt8(48 + s % 10) }
            return n
        }
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and newlines.
    var timeTrimmed: String {
        let u = Array(utf8)
        var a = 0, b = u.count
        while a < b, u[a] == 32 || u[a] == 9 || u[a] == 10 || u[a] == 13 { a += 1 }
        while b > a, u[b - 1] == 32 || u[b - 1] == 9 || u[b - 1] == 10 || u[b - 1] == 13 { b -= 1 }
        return String(decoding: u[a..<b], as: UTF8.self)
    }
}
