import Core

/// The settings of a `syslogout` output: eventgen's keys (`syslogDestinationHost`,
/// `syslogDestinationPort`, `syslogAddHeader`) and eg's (`syslogProtocol`, `syslogFormat`,
/// `syslogFraming`, `syslogFacility`, `syslogSeverity`, `syslogAppName`), with `timezone` for
/// the header's time.
struct SyslogConfig {
    /// The message layout.
    enum Format: String {
        /// eventgen's: `<PRI>` then `_raw`; with `syslogAddHeader`, `<PRI>Mmm dd HH:MM:SS host ` before it.
        case plain
        /// RFC 3164: `<PRI>Mmm dd HH:MM:SS host app: _raw`.
        case rfc3164
        /// RFC 5424: `<PRI>1 YYYY-MM-DDTHH:MM:SS[.ffffff]±hh:mm host app - - - _raw`.
        case rfc5424
    }

    var host: String
    var port: Int
    /// `syslogProtocol`: udp (the default), tcp, or relp (acknowledged, through librelp: `RELPOutput`).
    var transport: String
    var tcp: Bool { transport == "tcp" }
    var format: Format
    var addHeader: Bool
    /// RFC 6587 octet counting (`LEN SP MSG`) on TCP; otherwise each message ends in `\n`.
    var octetCounting: Bool
    var priority: Int
    var appName: String
    var zone: TimeZoneSetting
    var identity: String

    static let facilities = ["kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron",
                             "authpriv", "ftp", "ntp", "security", "console", "solaris-cron",
                             "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7"]
    static let severities = ["emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"]

    init(_ s: SampleSettings) throws {
        host = s.string("syslogDestinationHost", default: "127.0.0.1")
        transport = try s.choice("syslogProtocol", ["udp", "tcp", "relp"], default: "udp")
        port = try s.port("syslogDestinationPort", default: transport == "relp" ? 2514 : 1514)
        format = Format(rawValue: try s.choice("syslogFormat", ["plain", "rfc3164", "rfc5424"], default: "plain"))!
        addHeader = s.bool("syslogAddHeader", default: false)
        octetCounting = try s.choice("syslogFraming", ["octet", "newline"], default: "octet") == "octet"
        let facility = try Self.level(s, "syslogFacility", Self.facilities, default: 1)
        let severity = try Self.level(s, "syslogSeverity", Self.severities, default: 6)
        priority = facility * 8 + severity
        appName = s.string("syslogAppName", default: "eg")
        zone = try TimeZoneSetting.parse(s.string("timezone", default: "local"), at: s.settings.location(of: "timezone"))
        identity = "\(transport)://\(host):\(port) \(format.rawValue)"
    }

    private static func level(_ s: SampleSettings, _ key: String, _ names: [String], default d: Int) throws -> Int {
        guard let v = s.string(key) else { return d }
        if let n = Int(v), n >= 0, n < names.count { return n }
        if let k = names.firstIndex(of: v.lowercased()) { return k }
        throw s.invalid(key, "a number 0-\(names.count - 1) or one of \(names.joined(separator: ", "))")
    }
}
