extension EventTime {
    /// RFC 3339 in UTC: `2024-01-15T10:30:00Z`, with `.ffffff` only when the microseconds are not zero.
    public static func formatRFC3339(_ t: EventTime) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(27)
        let c = TimeZoneSetting.utc.civil(t)
        StrftimeWriter.num(c.year, 4, 48, 0, &out); out.append(45)
        StrftimeWriter.num(c.month, 2, 48, 0, &out); out.append(45)
        StrftimeWriter.num(c.day, 2, 48, 0, &out); out.append(84)
        StrftimeWriter.hms(c, &out)
        if c.microsecond != 0 { out.append(46); StrftimeWriter.num(c.microsecond, 6, 48, 0, &out) }
        out.append(90)
        return String(decoding: out, as: UTF8.self)
    }

    /// Epoch seconds as text, exact: `1700000000`, `1700000000.25`, `-0.5` (trailing zeros trimmed).
    public static func epochText(_ t: EventTime) -> String {
        var out: [UInt8] = []
        appendEpochText(t, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `epochText(t)` to `out` as bytes.
    public static func appendEpochText(_ t: EventTime, to out: inout [UInt8]) {
        let neg = t.micros < 0
        let mag = t.micros.magnitude
        if neg { out.append(45) }
        StrftimeWriter.num(Int(mag / 1_000_000), 1, 48, 0, &out)
        var frac = Int(mag % 1_000_000)
        guard frac != 0 else { return }
        out.append(46)
        var digits = 6
        while frac % 10 == 0 { frac /= 10; digits -= 1 }
        StrftimeWriter.num(frac, digits, 48, 0, &out)
    }

    /// Parses exact decimal epoch seconds (`1700000000`, `-12.5`, `1700000000.123456`) without
    /// floating point. More than six fractional digits are truncated. Nil if not a number.
    public static func parseEpochText<C: Collection>(_ s: C) -> EventTime? where C.Element == UInt8 {
        var it = s.makeIterator()
        var neg = false
        var whole: Int64 = 0, frac: Int64 = 0, fracDigits = 0, wholeDigits = 0
        var inFrac = false
        var first = true
        while let b = it.next() {
            defer { first = false }
            if first && (b == 45 || b == 43) { neg = b == 45; continue }
            if b == 46 && !inFrac { inFrac = true; continue }
            guard b >= 48 && b <= 57 else { return nil }
            let d = Int64(b - 48)
            if inFrac {
                if fracDigits < 6 { frac = frac * 10 + d; fracDigits += 1 }
            } else {
                guard wholeDigits < 12 else { return nil }
                whole = whole * 10 + d; wholeDigits += 1
            }
        }
        guard wholeDigits + fracDigits > 0 else { return nil }
        while fracDigits < 6 { frac *= 10; fracDigits += 1 }
        let m = whole * 1_000_000 + frac
        return EventTime(micros: neg ? -m : m)
    }

    /// Parses exact decimal epoch seconds from text; see `parseEpochText(_:)` for bytes.
    public static func parseEpochText(_ s: Substring) -> EventTime? { parseEpochText(s.utf8) }
}
