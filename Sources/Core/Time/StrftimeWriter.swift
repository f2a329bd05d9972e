/// The byte writers behind `Strftime`: one function per directive family, all appending to `[UInt8]`.
enum StrftimeWriter {
    static let dayNames: [[UInt8]] = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"].map { Array($0.utf8) }
    static let monthNames: [[UInt8]] = ["January", "February", "March", "April", "May", "June", "July",
                                        "August", "September", "October", "November", "December"].map { Array($0.utf8) }

    /// Writes `v` padded to `width` with `pad`, after applying a glibc flag (`-`, `_`, `0`).
    @inline(__always)
    static func num(_ v: Int, _ width: Int, _ pad: UInt8, _ flag: UInt8, _ out: inout [UInt8]) {
        var width = width, pad = pad
        switch flag {
        case 45: width = 1
        case 95: pad = 32
        case 48: pad = 48
        default: break
        }
        var n = v
        if n < 0 { out.append(45); n = -n }
        var buf: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                  UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var len = 0
        withUnsafeMutableBytes(of: &buf) { p in
            repeat { p[19 - len] = UInt8(48 + n % 10); n /= 10; len += 1 } while n > 0
            var k = len
            while k < width { out.append(pad); k += 1 }
            for i in (20 - len)..<20 { out.append(p[i]) }
        }
    }

    /// Writes a name, whole or abbreviated to three letters, upper-cased for the `^` flag.
    @inline(__always)
    static func name(_ n: [UInt8], short: Bool, _ flag: UInt8, _ out: inout [UInt8]) {
        let part = short ? n[0..<3] : n[...]
        if flag == 94 { for b in part { out.append(b >= 97 && b <= 122 ? b - 32 : b) } }
        else { out.append(contentsOf: part) }
    }

    /// Writes a UTC offset as `+hhmm` (or `+hh:mm`), with seconds when they are not zero.
    static func offset(_ o: Int, colon: Bool, to out: inout [UInt8]) {
        out.append(o < 0 ? 45 : 43)
        let a = abs(o)
        num(a / 3600, 2, 48, 0, &out)
        if colon { out.append(58) }
        num(a / 60 % 60, 2, 48, 0, &out)
        if a % 60 != 0 {
            if colon { out.append(58) }
            num(a % 60, 2, 48, 0, &out)
        }
    }

    /// The ISO 8601 (year, week) of a reading.
    static func isoWeek(_ c: CivilTime) -> (year: Int, week: Int) {
        let isoWday = c.weekday == 0 ? 7 : c.weekday
        let w = (c.yearday - isoWday + 10) / 7
        if w < 1 { return (c.year - 1, weeksInYear(c.year - 1)) }
        if w > weeksInYear(c.year) { return (c.year + 1, 1) }
        return (c.year, w)
    }

    static func weeksInYear(_ y: Int) -> Int {
        func p(_ y: Int) -> Int { ((y + y / 4 - y / 100 + y / 400) % 7 + 7) % 7 }
        return p(y) == 4 || p(y - 1) == 3 ? 53 : 52
    }

    /// Writes one directive.
    static func directive(_ d: UInt8, flag: UInt8, _ c: CivilTime, _ t: EventTime, _ out: inout [UInt8]) {
        switch d {
        case 97: name(dayNames[c.weekday], short: true, flag, &out)            // a
        case 65: name(dayNames[c.weekday], short: false, flag, &out)           // A
        case 98, 104: name(monthNames[c.month - 1], short: true, flag, &out)   // b h
        case 66: name(monthNames[c.month - 1], short: false, flag, &out)       // B
        case 119: num(c.weekday, 1, 48, flag, &out)                            // w
        case 117: num(c.weekday == 0 ? 7 : c.weekday, 1, 48, flag, &out)       // u
        case 100: num(c.day, 2, 48, flag, &out)                                // d
        case 101: num(c.day, 2, 32, flag, &out)                                // e
        case 109: num(c.month, 2, 48, flag, &out)                              // m
        case 121: num(((c.year % 100) + 100) % 100, 2, 48, flag, &out)         // y
        case 89: num(c.year, 1, 48, flag, &out)                                // Y
        case 67: num(c.year >= 0 ? c.year / 100 : (c.year - 99) / 100, 2, 48, flag, &out) // C
        case 72: num(c.hour, 2, 48, flag, &out)                                // H
        case 107: num(c.hour, 2, 32, flag, &out)                               // k
        case 73: num((c.hour + 11) % 12 + 1, 2, 48, flag, &out)                // I
        case 108: num((c.hour + 11) % 12 + 1, 2, 32, flag, &out)               // l
        case 112: out.append(c.hour < 12 ? 65 : 80); out.append(77)            // p
        case 80: out.append(c.hour < 12 ? 97 : 112); out.append(109)           // P
        case 77: num(c.minute, 2, 48, flag, &out)                              // M
        case 83: num(c.second, 2, 48, flag, &out)                              // S
        case 102: num(c.microsecond, 6, 48, 0, &out)                           // f
        case 122: offset(c.utcOffset, colon: false, to: &out)                  // z
        case 90:                                                               // Z
            if flag == 94 { for b in c.zoneAbbreviation.utf8 { out.append(b >= 97 && b <= 122 ? b - 32 : b) } }
            else { out.append(contentsOf: c.zoneAbbreviation.utf8) }
        case 106: num(c.yearday, 3, 48, flag, &out)                            // j
        case 85: num((c.yearday - 1 + 7 - c.weekday) / 7, 2, 48, flag, &out)  // U
        case 87: num((c.yearday - 1 + 7 - (c.weekday + 6) % 7) / 7, 2, 48, flag, &out) // W
        case 86: num(isoWeek(c).week, 2, 48, flag, &out)                       // V
        case 71: num(isoWeek(c).year, 1, 48, flag, &out)                       // G
        case 103: num(((isoWeek(c).year % 100) + 100) % 100, 2, 48, flag, &out) // g
        case 115: num(Int(t.seconds), 1, 48, flag, &out)                       // s
        case 99:                                                               // c
            name(dayNames[c.weekday], short: true, 0, &out); out.append(32)
            name(monthNames[c.month - 1], short: true, 0, &out); out.append(32)
            num(c.day, 2, 32, 0, &out); out.append(32)
            hms(c, &out); out.append(32)
            num(c.year, 1, 48, 0, &out)
        case 120, 68:                                                          // x D
            num(c.month, 2, 48, 0, &out); out.append(47)
            num(c.day, 2, 48, 0, &out); out.append(47)
            num(((c.year % 100) + 100) % 100, 2, 48, 0, &out)
        case 88, 84: hms(c, &out)                                              // X T
        case 70:                                                               // F
            num(c.year, 1, 48, 0, &out); out.append(45)
            num(c.month, 2, 48, 0, &out); out.append(45)
            num(c.day, 2, 48, 0, &out)
        case 82:                                                               // R
            num(c.hour, 2, 48, 0, &out); out.append(58); num(c.minute, 2, 48, 0, &out)
        case 114:                                                              // r
            num((c.hour + 11) % 12 + 1, 2, 48, 0, &out); out.append(58)
            num(c.minute, 2, 48, 0, &out); out.append(58)
            num(c.second, 2, 48, 0, &out); out.append(32)
            out.append(c.hour < 12 ? 65 : 80); out.append(77)
        default:
            out.append(37); out.append(d)
        }
    }

    @inline(__always)
    static func hms(_ c: CivilTime, _ out: inout [UInt8]) {
        num(c.hour, 2, 48, 0, &out); out.append(58)
        num(c.minute, 2, 48, 0, &out); out.append(58)
        num(c.second, 2, 48, 0, &out)
    }
}
