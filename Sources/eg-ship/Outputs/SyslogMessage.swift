import Core

/// Builds syslog messages with the event's own time and host (eventgen stamped the send time).
enum SyslogMessage {
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Appends the message for `e` (without framing) to `o`.
    static func append(_ e: ShipEvent, _ c: SyslogConfig, to o: inout [UInt8]) {
        o.append(UInt8(ascii: "<"))
        EpochText.appendDecimal(UInt64(c.priority), to: &o)
        o.append(UInt8(ascii: ">"))
        let t = e.time ?? EventTime.now()
        switch c.format {
        case .plain:
            if c.addHeader {
                bsdTime(t, c.zone, to: &o)
                o.append(0x20)
                hostName(e.host, to: &o)
                o.append(0x20)
            }
        case .rfc3164:
            bsdTime(t, c.zone, to: &o)
            o.append(0x20)
            hostName(e.host, to: &o)
            o.append(0x20)
            o.append(contentsOf: c.appName.utf8)
            o.append(contentsOf: ": ".utf8)
        case .rfc5424:
            o.append(contentsOf: "1 ".utf8)
            isoTime(t, c.zone, to: &o)
            o.append(0x20)
            hostName(e.host, to: &o)
            o.append(0x20)
            o.append(contentsOf: (c.appName.isEmpty ? "-" : c.appName).utf8)
            o.append(contentsOf: " - - - ".utf8)
        }
        var msg = e.trimmedRaw
        msg.withUTF8 { b in
            for x in b { o.append(!c.octetCounting && x == 0x0A ? 0x20 : x) }
        }
    }

    /// `Mmm dd HH:MM:SS` (day padded with a space), RFC 3164's TIMESTAMP.
    static func bsdTime(_ t: EventTime, _ zone: TimeZoneSetting, to o: inout [UInt8]) {
        let c = zone.civil(t)
        o.append(contentsOf: months[c.month - 1].utf8)
        o.append(0x20)
        o.append(c.day < 10 ? 0x20 : 0x30 + UInt8(c.day / 10))
        o.append(0x30 + UInt8(c.day % 10))
        o.append(0x20)
        two(c.hour, &o); o.append(UInt8(ascii: ":"))
        two(c.minute, &o); o.append(UInt8(ascii: ":"))
        two(c.second, &o)
    }

    /// RFC 5424's TIMESTAMP: `YYYY-MM-DDTHH:MM:SS[.ffffff](Z|±hh:mm)`.
    static func isoTime(_ t: EventTime, _ zone: TimeZoneSetting, to o: inout [UInt8]) {
        let c = zone.civil(t)
        EpochText.appendDecimal(UInt64(max(0, c.year)), to: &o)
        o.append(UInt8(ascii: "-")); two(c.month, &o)
        o.append(UInt8(ascii: "-")); two(c.day, &o)
        o.append(UInt8(ascii: "T")); two(c.hour, &o)
        o.append(UInt8(ascii: ":")); two(c.minute, &o)
        o.append(UInt8(ascii: ":")); two(c.second, &o)
        if c.microsecond != 0 {
            o.append(UInt8(ascii: "."))
            var d = 100_000
            var v = c.microsecond
            while d > 0 { o.append(0x30 + UInt8(v / d)); v %= d; d /= 10 }
        }
        if c.utcOffset == 0 { o.append(UInt8(ascii: "Z")); return }
        let off = abs(c.utcOffset)
        o.append(UInt8(ascii: c.utcOffset < 0 ? "-" : "+"))
        two(off / 3600, &o)
        o.append(UInt8(ascii: ":"))
        two(off % 3600 / 60, &o)
    }

    /// The host as a syslog HOSTNAME: printable ASCII without spaces (others become `-`), `-` if empty.
    static func hostName(_ h: String, to o: inout [UInt8]) {
        if h.isEmpty { o.append(UInt8(ascii: "-")); return }
        for b in h.utf8 { o.append(b > 0x20 && b < 0x7F ? b : UInt8(ascii: "-")) }
    }

    @inline(__always) private static func two(_ v: Int, _ o: inout [UInt8]) {
        o.append(0x30 + UInt8(v / 10 % 10))
        o.append(0x30 + UInt8(v % 10))
    }
}
