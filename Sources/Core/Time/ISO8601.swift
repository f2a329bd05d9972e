/// A small ISO-8601 reader for absolute times in relative-time settings.
enum ISO8601 {
    /// Reads `YYYY-MM-DD[(T| )HH:MM[:SS[.f{1,9}]]][Z|±hh[:mm]|±hhmm]` in full, validating the
    /// fields. Returns the wall-clock reading and the offset when one was written.
    static func parse(_ b: ArraySlice<UInt8>) -> (civil: CivilTime, offset: Int?)? {
        var i = b.startIndex
        func num(_ n: Int) -> Int? {
            guard i + n <= b.endIndex else { return nil }
            var v = 0
            for k in i..<(i + n) {
                guard b[k] >= 48 && b[k] <= 57 else { return nil }
                v = v * 10 + Int(b[k] - 48)
            }
            i += n
            return v
        }
        func eat(_ c: UInt8) -> Bool {
            if i < b.endIndex, b[i] == c { i += 1; return true }
            return false
        }
        guard let y = num(4), eat(45), let mo = num(2), eat(45), let d = num(2),
              (1...12).contains(mo), d >= 1, d <= CivilDate.daysInMonth(y, mo) else { return nil }
        var h = 0, mi = 0, s = 0, us = 0
        var offset: Int?
        if i < b.endIndex, b[i] == 84 || b[i] == 116 || b[i] == 32 {
            i += 1
            guard let hh = num(2), eat(58), let mm = num(2), hh <= 23, mm <= 59 else { return nil }
            h = hh; mi = mm
            if eat(58) {
                guard let ss = num(2), ss <= 59 else { return nil }
                s = ss
                if eat(46) || eat(44) {
                    var digits = 0
                    while i < b.endIndex, b[i] >= 48 && b[i] <= 57 {
                        if digits < 6 { us = us * 10 + Int(b[i] - 48) }
                        digits += 1; i += 1
                    }
                    guard digits > 0 else { return nil }
                    for _ in min(digits, 6)..<6 { us *= 10 }
                }
            }
            if eat(90) || eat(122) {
                offset = 0
            } else if i < b.endIndex, b[i] == 43 || b[i] == 45 {
                let sign = b[i] == 45 ? -1 : 1
                i += 1
                guard let oh = num(2), oh <= 23 else { return nil }
                var om = 0
                if i < b.endIndex {
                    _ = eat(58)
                    guard let m = num(2), m <= 59 else { return nil }
                    om = m
                }
                offset = sign * (oh * 3600 + om * 60)
            }
        }
        guard i == b.endIndex else { return nil }
        let c = CivilTime(year: y, month: mo, day: d, hour: h, minute: mi, second: s, microsecond: us)
        return (c, offset)
    }
}
