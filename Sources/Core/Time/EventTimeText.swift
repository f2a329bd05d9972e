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
}
