import Core

/// Builds outputs from `outputMode` and the sample's settings. Each output has an identity key:
/// samples whose settings lead to the same destination share one output (one file handle, one
/// connection, one batch). New modes register here.
enum OutputFactory {
    /// The modes eg-ship knows, for messages and the man page.
    static let modes = SettingSchema.outputModes

    /// Modes eventgen has that eg does not (yet).
    static let unsupported = SettingSchema.unsupportedOutputModes

    /// The default batch size (events) of each mode, used when `maxQueueLength` is not set.
    static func defaultBatch(_ mode: String) -> Int {
        switch mode {
        case "stdout", "devnull": return 10_000
        case "file", "spool", "httpevent", "elasticsearch", "opensearch", "redis", "kafka": return 1000
        case "clickhouse": return 10_000
        default: return 100
        }
    }

    /// The identity of the output `mode` leads to for these settings, and how to build it.
    static func plan(mode: String, _ s: SampleSettings, _ ctx: OutputContext) throws -> (key: String, make: () throws -> Output) {
        let format = ctx.format
        switch mode {
        case "stdout":
            return ("stdout", { StdoutOutput(format: format, out: ctx.stdout) })
        case "devnull":
            return ("devnull", { DevNullOutput() })
        case "modinput":
            return ("modinput", { ModInputOutput(out: ctx.stdout) })
        case "file":
            let path: String
            if let f = s.string("fileName") {
                path = PathExpansion.expand(f)
            } else if let dir = s.string("spoolDir") {
                path = PathExpansion.expand(dir) + "/" + spoolName(s)
            } else {
                throw EgError.config(at: "stanza [\(s.settings.stanza)]", "outputMode = file needs fileName (or spoolDir)")
            }
            let maxBytes = try s.int("fileMaxBytes", default: 10_485_760)
            guard maxBytes >= 0 else { throw s.invalid("fileMaxBytes", "a size in bytes, 0 or more (0: never rotate)") }
            let backups = try s.int("fileBackupFiles", default: 5)
            guard (0...10_000).contains(backups) else { throw s.invalid("fileBackupFiles", "a count from 0 to 10000") }
            let t = ctx.tweaks
            return ("file:\(path)", { FileOutput(path: path, maxBytes: maxBytes, backups: backups, format: format,
                                                 overwrite: t.overwrite, mode: t.fileMode, createDirectories: t.createDirectories) })
        case "spool":
            let dir = PathExpansion.expand(s.string("spoolDir", default: "$SPLUNK_HOME/var/spool/splunk"))
            if dir.contains("$") {
                throw EgError.config(at: "stanza [\(s.settings.stanza)]", "spoolDir '\(dir)' names an unset variable; set spoolDir or SPLUNK_HOME")
            }
            let file = spoolName(s)
            return ("spool:\(dir)/\(file)", { SpoolOutput(dir: dir, file: file, format: format) })
        case "httpevent":
            let config = try HECConfig(s, ctx)
            return ("httpevent:\(config.identity)", { HECOutput(config: config, policy: ctx.policy, insecure: ctx.insecure) })
        case "splunkstream":
            let config = try SplunkStreamConfig(s)
            return ("splunkstream:\(config.identity)", { SplunkStreamOutput(config: config, policy: ctx.policy, insecure: ctx.insecure) })
        case "stormstream":
            let config = try StormStreamConfig(s)
            return ("stormstream:\(config.url)", { StormStreamOutput(config: config, policy: ctx.policy, insecure: ctx.insecure) })
        case "syslogout":
            let config = try SyslogConfig(s)
            if config.transport == "relp" {
                return ("syslogout:\(config.identity)", { try RELPOutput(config: config, policy: ctx.policy) })
            }
            return ("syslogout:\(config.identity)", { SyslogOutput(config: config, policy: ctx.policy) })
        case "tcpout":
            let host = s.string("tcpDestinationHost", default: "127.0.0.1")
            let port = try s.port("tcpDestinationPort", default: 3333)
            let octets = ctx.tweaks.octetCounting
            return ("tcpout:\(host):\(port)", { LineSocketOutput(kind: .tcp, host: host, port: port, format: format, policy: ctx.policy,
                                                               octetCounting: octets) })
        case "udpout":
            let host = s.string("udpDestinationHost", default: "127.0.0.1")
            let port = try s.port("udpDestinationPort", default: 3333)
            return ("udpout:\(host):\(port)", { LineSocketOutput(kind: .udp, host: host, port: port, format: format, policy: ctx.policy) })
        case "elasticsearch", "opensearch":
            let config = try ElasticsearchConfig(s, ctx)
            return ("elasticsearch:\(config.identity)", { ElasticsearchOutput(config: config, policy: ctx.policy, insecure: ctx.insecure, mode: mode) })
        case "clickhouse":
            let config = try ClickHouseConfig(s, ctx)
            return ("clickhouse:\(config.identity)", { ClickHouseOutput(config: config, policy: ctx.policy, insecure: ctx.insecure) })
        case "http":
            let config = try HTTPOutputConfig(s, ctx)
            return ("http:\(config.identity)", { HTTPOutput(config: config, policy: ctx.policy, insecure: ctx.insecure) })
        case "redis":
            let config = try RedisConfig(s, ctx)
            return ("redis:\(config.identity)", { RedisOutput(config: config, policy: ctx.policy) })
        case "kafka":
            let config = try KafkaConfig(s, ctx)
            return ("kafka:\(config.identity)", { try KafkaOutput(config: config, policy: ctx.policy) })
        default:
            if unsupported.contains(mode) {
                throw EgError.config(at: "stanza [\(s.settings.stanza)]", "outputMode = \(mode) is not supported yet by eg-ship")
            }
            throw EgError.config(at: "stanza [\(s.settings.stanza)]",
                                 "unknown outputMode '\(mode)': expected one of \(modes.joined(separator: ", "))")
        }
    }

    /// `spoolFile` with `<SAMPLE>` replaced by the sample name (default: the sample name).
    static func spoolName(_ s: SampleSettings) -> String {
        let f = s.string("spoolFile", default: "<SAMPLE>")
        let name = s.sample.isEmpty ? "eventgen" : s.sample
        return f.replacingOccurrences(of: "<SAMPLE>", with: name)
    }
}
