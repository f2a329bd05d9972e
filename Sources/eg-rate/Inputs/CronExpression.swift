import Core

/// A cron expression as Eventum's croniter reads it: `minute hour day month weekday`, optionally
/// followed by `second` and then `year`. Each field is `*` (or `?`), a value, a range `a-b`, a step
/// `*/n`, `a/n` or `a-b/n`, or a comma list of those; months and weekdays take names (`jan`, `mon`),
/// weekday 7 is Sunday. When both day and weekday are restricted, either one matching fires (cron's rule).
struct CronExpression {
    var seconds: [Bool], minutes: [Bool], hours: [Bool], days: [Bool], months: [Bool], weekdays: [Bool]
    var years: [Bool]?
    var dayRestricted: Bool, weekdayRestricted: Bool

    static let monthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    static let dayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]

    init(_ text: String, at location: String) throws {
        let f = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard (5...7).contains(f.count) else {
            throw EgError.config(at: location, "cron expression \"\(text)\" has \(f.count) fields: expected 5 (minute hour day month weekday), 6 (then second) or 7 (then year)")
        }
        func field(_ s: String, _ lo: Int, _ hi: Int, _ what: String, names: [String] = [], nameBase: Int = 0) throws -> ([Bool], Bool) {
            do { return try CronExpression.parseField(s, lo, hi, names: names, nameBase: nameBase) } catch let e {
                throw EgError.config(at: location, "cron expression \"\(text)\": \(what) field \"\(s)\": \(e.message)")
            }
        }
        (minutes, _) = try field(f[0], 0, 59, "minute")
        (hours, _) = try field(f[1], 0, 23, "hour")
        (days, dayRestricted) = try field(f[2], 1, 31, "day")
        (months, _) = try field(f[3], 1, 12, "month", names: Self.monthNames, nameBase: 1)
        let parsed = try field(f[4], 0, 7, "weekday", names: Self.dayNames)
        var wd = parsed.0
        if wd[7] { wd[0] = true }
        weekdays = Array(wd[0...6])
        weekdayRestricted = parsed.1
        seconds = f.count >= 6 ? try field(f[5], 0, 59, "second").0 : [true] + Array(repeating: false, count: 59)
        if f.count == 7 { years = try field(f[6], 1970, 2099, "year").0 } else { years = nil }
    }

    /// One field as a table of allowed values (index = value - 0, sized hi + 1), and whether it restricts.
    static func parseField(_ s: String, _ lo: Int, _ hi: Int, names: [String], nameBase: Int) throws(CronFieldError) -> ([Bool], Bool) {
        var allowed = [Bool](repeating: false, count: hi + 1)
        var restricted = true
        func value(_ t: Substring) throws(CronFieldError) -> Int {
            if let v = Int(t) {
                guard v >= lo, v <= hi else { throw CronFieldError(message: "\(v) is outside \(lo)-\(hi)") }
                return v
            }
            if let i = names.firstIndex(of: t.lowercased()) { return i + nameBase }
            throw CronFieldError(message: "\"\(t)\" is not a number\(names.isEmpty ? "" : " or a name")")
        }
        for part in s.split(separator: ",", omittingEmptySubsequences: false) {
            guard !part.isEmpty else { throw CronFieldError(message: "an empty list item") }
            var range = part
            var step = 1
            if let slash = part.firstIndex(of: "/") {
                range = part[..<slash]
                guard let n = Int(part[part.index(after: slash)...]), n >= 1, n <= hi + 1 else { throw CronFieldError(message: "a step must be a number from 1 to \(hi + 1)") }
                step = n
            }
            var a: Int, b: Int
            if range == "*" || range == "?" {
                a = lo; b = hi
                if step == 1 { restricted = false }
                if names == dayNames { b = 6 }
            } else if let dash = range.firstIndex(of: "-"), dash != range.startIndex {
                a = try value(range[..<dash])
                b = try value(range[range.index(after: dash)...])
                guard a <= b else { throw CronFieldError(message: "the range \(range) runs backwards") }
            } else {
                a = try value(range)
                b = part.contains("/") ? hi : a
            }
            var v = a
            while v <= b { allowed[v] = true; v += step }
        }
        return (allowed, restricted)
    }

    func dayMatches(year: Int, month: Int, day: Int) -> Bool {
        let wd = Civil.weekday(year, month, day)
        if dayRestricted && weekdayRestricted { return days[day] || weekdays[wd] }
        return days[day] && weekdays[wd]
    }

    /// The first fire at or after `t` in `zone`, searching up to eight years ahead; nil if none.
    func next(atOrAfter t: EventTime, zone: TimeZoneSetting) -> EventTime? {
        var c = zone.civil(t)
        var (y, mo, d, h, mi, s) = (c.year, c.month, c.day, c.hour, c.minute, c.second)
        if c.microsecond > 0 { s += 1 }
        func carry() {
            if s > 59 { s = 0; mi += 1 }
            if mi > 59 { mi = 0; h += 1 }
            if h > 23 { h = 0; d += 1 }
            if mo > 12 { mo = 1; y += 1 }
            if d > Civil.daysIn(y, mo) { d = 1; mo += 1 }
            if mo > 12 { mo = 1; y += 1 }
        }
        carry()
        let limit = c.year + 8
        while y <= limit {
            if let years, !(y >= 1970 && y <= 2099 && years[y]) { y += 1; mo = 1; d = 1; h = 0; mi = 0; s = 0; continue }
            if !months[mo] { mo += 1; d = 1; h = 0; mi = 0; s = 0; carry(); continue }
            if !dayMatches(year: y, month: mo, day: d) { d += 1; h = 0; mi = 0; s = 0; carry(); continue }
            if !hours[h] { h += 1; mi = 0; s = 0; carry(); continue }
            if !minutes[mi] { mi += 1; s = 0; carry(); continue }
            if !seconds[s] { s += 1; carry(); continue }
            c = CivilTime(year: y, month: mo, day: d, hour: h, minute: mi, second: s)
            let instant = zone.instant(c)
            if instant < t { s += 1; carry(); continue }   // a DST gap mapped backwards
            return instant
        }
        return nil
    }
}

/// What is wrong with one cron field.
struct CronFieldError: Error { var message: String }

/// Proleptic Gregorian calendar arithmetic for cron and time patterns.
enum Civil {
    static func isLeap(_ y: Int) -> Bool { y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) }
    static func daysIn(_ y: Int, _ m: Int) -> Int {
        [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
    }
    /// 0 = Sunday.
    static func weekday(_ y: Int, _ m: Int, _ d: Int) -> Int {
        let yy = m <= 2 ? y - 1 : y
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let mp = (m + 9) % 12
        let doy = (153 * mp + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        return ((days % 7) + 11) % 7
    }
}
