/// The settings of Eventum's output plugins and formatters as eg reads them: every key Eventum
/// accepts, and among them those eg cannot honour (with why). eg-sample checks a generator's
/// `output:` section against it, and eg-ship (which delivers to those outputs) again when it reads a
/// stanza record; an unknown key is an error with a "did you mean".
public enum EventumOutputSchema {
    /// One output plugin's keys.
    public struct Plugin: Sendable {
        /// Every key the plugin takes (`formatter` included).
        public var keys: [String]
        /// Keys that must be given.
        public var required: [String]
        /// Keys eg knows but cannot honour when they are set (to anything but null, false or ""),
        /// with the reason.
        public var unsupported: [String: String]
    }

    private static let tls = ["verify", "ca_cert", "client_cert", "client_cert_key"]
    private static let timeouts = ["connect_timeout", "request_timeout"]

    /// The output plugins, by name.
    public static let plugins: [String: Plugin] = [
        "stdout": Plugin(keys: ["stream", "flush_interval", "encoding", "separator", "formatter"], required: [], unsupported: [:]),
        "file": Plugin(keys: ["path", "flush_interval", "cleanup_interval", "file_mode", "write_mode", "encoding", "separator", "formatter"],
                       required: ["path"], unsupported: [:]),
        "opensearch": Plugin(keys: ["hosts", "username", "password", "index"] + timeouts + tls + ["proxy_url", "formatter"],
                             required: ["hosts", "username", "password", "index"],
                             unsupported: [:]),
        "http": Plugin(keys: ["url", "method", "success_code", "headers", "username", "password", "auth"] + timeouts + tls
                           + ["proxy_url", "concurrency", "formatter"],
                       required: ["url"],
                       unsupported: [:]),
        "tcp": Plugin(keys: ["host", "port", "encoding", "separator", "framing", "connect_timeout", "ssl"] + tls + ["formatter"],
                      required: ["host", "port"],
                      unsupported: ["ssl": "TLS over raw TCP is not supported by eg-ship (use syslogout with RELP, or an https output)",
                                    "ca_cert": "TLS over raw TCP is not supported by eg-ship",
                                    "client_cert": "TLS over raw TCP is not supported by eg-ship",
                                    "client_cert_key": "TLS over raw TCP is not supported by eg-ship"]),
        "udp": Plugin(keys: ["host", "port", "encoding", "separator", "formatter"], required: ["host", "port"], unsupported: [:]),
        "kafka": Plugin(keys: ["bootstrap_servers", "client_id", "metadata_max_age_ms", "request_timeout_ms", "connections_max_idle_ms",
                               "topic", "key", "encoding", "acks", "compression_type", "max_batch_size", "max_request_size",
                               "linger_ms", "retry_backoff_ms", "enable_idempotence", "transactional_id", "transaction_timeout_ms",
                               "security_protocol", "sasl_mechanism", "sasl_plain_username", "sasl_plain_password",
                               "sasl_kerberos_service_name", "sasl_kerberos_domain_name", "ssl_cafile", "ssl_certfile",
                               "ssl_keyfile", "formatter"],
                        required: ["bootstrap_servers", "topic"],
                        unsupported: ["transactional_id": "eg-ship's Kafka producer is not transactional (enable_idempotence is supported)",
                                      "transaction_timeout_ms": "eg-ship's Kafka producer is not transactional",
                                      "sasl_kerberos_domain_name": "librdkafka has no Kerberos domain name setting (it uses sasl.kerberos.principal)"]),
        "clickhouse": Plugin(keys: ["host", "port", "protocol", "database", "table", "username", "password", "dsn"] + timeouts
                                 + ["client_name"] + tls + ["server_host_name", "tls_mode", "proxy_url", "pool_maxsize",
                                                            "input_format", "header", "footer", "separator", "formatter"],
                             required: ["table"],
                             unsupported: ["server_host_name": "eg-ship checks the certificate against host",
                                           "tls_mode": "eg-ship verifies https certificates (verify, ca_cert) and has no other TLS modes"]),
    ]

    /// The output plugin names, sorted.
    public static var names: [String] { plugins.keys.sorted() }

    /// The formatters eg-ship applies, with their keys (`format` included).
    public static let formatters: [String: [String]] = [
        "plain": ["format"],
        "json": ["format", "indent"],
        "json-batch": ["format", "indent"],
        "template": ["format", "template", "template_path"],
    ]

    /// Formatters of Eventum that eg does not have, with why.
    public static let unsupportedFormatters: [String: String] = [
        "template-batch": "eg-ship renders templates per event (use template)",
        "eventum-http-input": "eg has no Eventum http input to feed",
        "syslog": "use eg-ship's syslogout output (--output syslogout) for syslog framing",
    ]

    /// The formatter an output uses when its generator names none (Eventum's defaults).
    public static func defaultFormatter(_ plugin: String) -> String {
        switch plugin {
        case "http": return "json-batch"
        case "opensearch", "clickhouse", "kafka": return "json"
        default: return "plain"
        }
    }

    /// What is wrong with `key` in output `plugin`, or nil when it is one of the plugin's keys
    /// (whether eg honours its value is `Plugin.unsupported`).
    public static func keyProblem(plugin: String, key: String) -> String? {
        guard let p = plugins[plugin] else { return "unknown output plugin '\(plugin)' (\(names.joined(separator: ", ")))" }
        if p.keys.contains(key) { return nil }
        let hint = SettingSchema.closest(key, in: p.keys).map { " (did you mean \($0)?)" } ?? ""
        return "output \(plugin) has no setting '\(key)'\(hint); it takes \(p.keys.joined(separator: ", "))"
    }

    /// What is wrong with `key` in a formatter of `format`, or nil.
    public static func formatterKeyProblem(format: String, key: String) -> String? {
        guard let keys = formatters[format] else { return formatProblem(format) }
        if keys.contains(key) { return nil }
        let all = Set(formatters.values.joined()).sorted()
        let hint = (SettingSchema.closest(key, in: keys) ?? SettingSchema.closest(key, in: all)).map { " (did you mean \($0)?)" } ?? ""
        return "formatter \(format) has no setting '\(key)'\(hint); it takes \(keys.joined(separator: ", "))"
    }

    /// What is wrong with the formatter name `format`, or nil.
    public static func formatProblem(_ format: String) -> String? {
        if formatters[format] != nil { return nil }
        if let why = unsupportedFormatters[format] { return "formatter \(format) is not supported: \(why)" }
        let names = formatters.keys.sorted()
        let hint = SettingSchema.closest(format, in: names).map { " (did you mean \($0)?)" } ?? ""
        return "unknown formatter '\(format)'\(hint); eg-ship formats with \(names.joined(separator: ", "))"
    }
}
