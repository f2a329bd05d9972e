#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Core

/// What an Eventum output needs beyond eg's output keys: framing, file creation, TLS and timing.
struct OutputTweaks {
    /// Written after each event (Eventum's `separator`); nil: eg's own line handling.
    var separator: [UInt8]?
    /// `write_mode: overwrite`: the file is truncated when it is first opened.
    var overwrite = false
    /// The mode a created file gets (Eventum's `file_mode`, octal digits).
    var fileMode: mode_t = 0o644
    /// The file's folder is created when missing.
    var createDirectories = false
    /// `framing: octet_counting` on tcp (RFC 6587: `<length> <event>`).
    var octetCounting = false
    /// Eventum's `flush_interval`: the batch of this output waits at most this long.
    var flushInterval: Double?
    /// `verify: false` (https without certificate verification).
    var insecure = false
    /// `ca_cert`: the CA certificates https peers are verified against.
    var caFile: String?
    /// `client_cert` and `client_cert_key`: the certificate https presents to the server.
    var clientCert: String?
    var clientKey: String?
    /// `proxy_url`: the HTTP(S) proxy requests go through.
    var proxy: String?
    /// `request_timeout`: the output's network timeout.
    var timeout: Double?

    /// An endpoint with these TLS files (CA, client certificate).
    func endpoint(scheme: String, host: String, port: Int) -> HTTPEndpoint {
        HTTPEndpoint(scheme: scheme, host: host, port: port, caFile: caFile, clientCert: clientCert, clientKey: clientKey, proxy: proxy)
    }
    /// An Eventum clickhouse output's INSERT body: `header`, the events joined by `separator`, `footer`.
    var insertFraming: InsertFraming?
    /// Each event is sent exactly as its formatter made it, trailing whitespace included (Eventum's
    /// http and kafka outputs send the formatted text as it is; eg's own trim `_raw` as eventgen does).
    var verbatim = false
}

/// How an Eventum clickhouse output lays out an INSERT's body: its formatted events, exactly as
/// formatted, between `header` and `footer` and joined by `separator`.
struct InsertFraming: Equatable {
    var header: [UInt8]
    var separator: [UInt8]
    var footer: [UInt8]
}

/// One output of an Eventum generator mapped onto eg's outputs: Eventum's plugin and keys become an
/// eg `outputMode` with its keys, an `EventumFormatter` and `OutputTweaks`. Every key is checked
/// (`EventumOutputSchema`); `${secrets.NAME}` in any value is resolved here (and registered for
/// redaction). Errors name the generator file, line and column of the key.
struct EventumOutputPlan {
    var plugin: String
    var mode: String
    var settings: [(String, String)] = []
    var formatter: EventumFormatter = .plain
    var tweaks = OutputTweaks()
    /// Where the plugin is written (`generator.yml:line:col`).
    var location: String

    /// The plans of a generator's `output:` list (the stanza record's `eventum.output`).
    static func plans(_ eventum: JSONValue) throws -> [EventumOutputPlan] {
        let dir = eventum["dir"]?.stringValue ?? "."
        return try eventum["output"].eventumItems.map { try EventumOutputPlan($0, dir: dir) }
    }

    /// The plugin as the stanza record carries it.
    let spec: JSONValue
    /// The generator's folder (relative paths are relative to it).
    private let dir: String

    init(_ spec: JSONValue, dir: String) throws {
        self.spec = spec
        self.dir = dir
        plugin = spec["plugin"]?.stringValue ?? ""
        location = spec["_at"]?.stringValue ?? "generator"
        mode = ""
        guard let p = EventumOutputSchema.plugins[plugin] else {
            throw EgError.config(at: location, "unknown output plugin '\(plugin)' (\(EventumOutputSchema.names.joined(separator: ", ")))")
        }
        guard case .object(let fields) = spec else { throw EgError.config(at: location, "output \(plugin) must be a mapping") }
        let given = fields.filter { !["plugin", "_at", "_keys"].contains($0.key) }
        for f in given {
            if let problem = EventumOutputSchema.keyProblem(plugin: plugin, key: f.key) { throw EgError.config(at: at(f.key), problem) }
            if let why = p.unsupported[f.key], isSet(f.value) {
                throw EgError.config(at: at(f.key), "output \(plugin) \(f.key) is not supported: \(why)")
            }
        }
        for k in p.required where !isSet(spec[k] ?? .null) {
            throw EgError.config(at: location, "output \(plugin) needs '\(k)'")
        }
        formatter = try EventumFormatter.make(spec["formatter"], plugin: plugin, dir: dir, at: at("formatter"))
        try map()
    }

    // MARK: - values

    /// Where key `k` is written (else the plugin).
    func at(_ k: String) -> String { spec["_keys"]?[k]?.stringValue ?? location }

    func isSet(_ v: JSONValue) -> Bool {
        switch v {
        case .null, .bool(false): return false
        case .string(let s): return !s.isEmpty
        default: return true
        }
    }

    func fail(_ k: String, _ expected: String) -> EgError {
        let shown = spec[k].map { $0.text ?? JSONWriter.string($0) } ?? ""
        return EgError.config(at: at(k), "output \(plugin) \(k) = \(shown): expected \(expected)")
    }

    /// A string (or number) value with secrets resolved, nil when absent or null.
    func text(_ k: String) throws -> String? {
        guard let v = spec[k], v != .null else { return nil }
        guard let t = v.text else { throw fail(k, "a single value") }
        return try resolve(t, k)
    }

    /// `t` with `${secrets.NAME}` resolved; the value is registered for redaction when `k` names
    /// a secret (a password, token, key). `key` is where `t` is written (default `k`).
    func resolve(_ t: String, _ k: String, in key: String? = nil) throws -> String {
        do {
            let r = try Secrets.resolve(t)
            Secrets.registerSetting(k, r)
            return r
        } catch let e as Secrets.Missing {
            throw EgError.config(at: at(key ?? k), "output \(plugin) \(key.map { "\($0) " } ?? "")\(k): \(e.advice)")
        }
    }

    func bool(_ k: String) throws -> Bool? {
        guard let v = spec[k], v != .null else { return nil }
        guard case .bool(let b) = v else { throw fail(k, "true or false") }
        return b
    }

    func int(_ k: String, _ range: ClosedRange<Int>) throws -> Int? {
        guard let t = try text(k) else { return nil }
        guard let n = Int(t), range.contains(n) else { throw fail(k, "a whole number from \(range.lowerBound) to \(range.upperBound)") }
        return n
    }

    func seconds(_ k: String, min: Double) throws -> Double? {
        guard let t = try text(k) else { return nil }
        guard let d = Double(t), d.isFinite, d >= min, d <= 1e6 else { throw fail(k, "a number of seconds from \(min) to 1000000") }
        return d
    }

    func strings(_ k: String) throws -> [String] {
        guard let v = spec[k], v != .null else { return [] }
        if let t = v.text { return [try resolve(t, k)] }
        guard case .array(let items) = v else { throw fail(k, "a list") }
        return try items.map { i in
            guard let t = i.text else { throw fail(k, "a list of strings") }
            return try resolve(t, k)
        }
    }

    func choice(_ k: String, _ choices: [String], default d: String) throws -> String {
        guard let v = try text(k) else { return d }
        guard choices.contains(v) else {
            let hint = SettingSchema.closest(v, in: choices).map { "; did you mean \($0)?" } ?? ""
            throw fail(k, choices.joined(separator: ", ") + hint)
        }
        return v
    }

    /// `encoding`: eg writes UTF-8 (Python's spellings of it are accepted).
    func checkEncoding() throws {
        guard let e = try text("encoding") else { return }
        let n = e.lowercased().replacingOccurrences(of: "-", with: "_")
        guard ["utf_8", "utf8", "u8", "utf"].contains(n) else { throw fail("encoding", "utf_8 (eg-ship writes UTF-8)") }
    }

    /// A file path, relative to the generator's folder unless absolute.
    func path(_ k: String) throws -> String? {
        guard let p = try text(k) else { return nil }
        return p.hasPrefix("/") ? p : dir + "/" + p
    }

    mutating func set(_ key: String, _ value: String?) {
        if let value { settings.append((key, value)) }
    }

    mutating func separator() throws {
        tweaks.separator = Array(((try text("separator")) ?? "\n").utf8)
    }

    mutating func tls() throws {
        tweaks.insecure = !(try bool("verify") ?? true)
        tweaks.caFile = try path("ca_cert")
        tweaks.clientCert = try path("client_cert")
        tweaks.clientKey = try path("client_cert_key")
        if let p = try text("proxy_url") {
            guard let u = URLComponents(string: p), let s = u.scheme?.lowercased(), s == "http" || s == "https", u.host?.isEmpty == false else {
                throw fail("proxy_url", "an http or https proxy URL such as http://proxy.example.com:3128")
            }
            if let pw = u.password { Secrets.register(pw) }
            tweaks.proxy = p
        }
        if (tweaks.clientCert == nil) != (tweaks.clientKey == nil) {
            throw EgError.config(at: at(tweaks.clientCert == nil ? "client_cert_key" : "client_cert"),
                                 "output \(plugin): client_cert and client_cert_key go together")
        }
        tweaks.timeout = try seconds("request_timeout", min: 1)
        _ = try seconds("connect_timeout", min: 1)
    }

    // MARK: - the plugins

    private mutating func map() throws {
        switch plugin {
        case "stdout":
            try checkEncoding()
            try separator()
            tweaks.flushInterval = try seconds("flush_interval", min: 0)
            if try choice("stream", ["stdout", "stderr"], default: "stdout") == "stderr" {
                mode = "file"
                set("fileName", "/dev/stderr")
                set("fileMaxBytes", "0")
            } else {
                mode = "stdout"
            }
        case "file":
            mode = "file"
            try checkEncoding()
            try separator()
            set("fileName", try text("path"))
            set("fileMaxBytes", "0")
            tweaks.overwrite = try choice("write_mode", ["append", "overwrite"], default: "append") == "overwrite"
            tweaks.flushInterval = try seconds("flush_interval", min: 0)
            _ = try seconds("cleanup_interval", min: 1)
            tweaks.createDirectories = true
            tweaks.fileMode = 0o640
            if let m = try text("file_mode") {
                guard m.count <= 4, !m.isEmpty, m.allSatisfy({ ("0"..."7").contains($0) }), let n = mode_t(m, radix: 8) else {
                    throw fail("file_mode", "Unix permissions in octal digits, 0 to 7777, e.g. 640")
                }
                tweaks.fileMode = n
            }
        case "opensearch":
            mode = "opensearch"
            let hosts = try strings("hosts")
            guard !hosts.isEmpty, hosts.allSatisfy({ !$0.contains(",") }) else { throw fail("hosts", "a list of node URLs") }
            // Requests go round robin over the nodes, as Eventum's do; eg-ship also fails over.
            set("elasticsearchUrl", hosts.joined(separator: ","))
            set("elasticsearchUser", try text("username"))
            set("elasticsearchPassword", try text("password"))
            // Eventum's index is a name: a '%' in it is a '%', not a strftime directive.
            set("elasticsearchIndex", try text("index")?.replacingOccurrences(of: "%", with: "%%"))
            try tls()
            if formatter.batches { throw fail("formatter", "json, plain or template (each _bulk document is one event; json-batch makes an array)") }
        case "http":
            mode = "http"
            set("httpUrl", try text("url"))
            let method = try choice("method", ["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"], default: "POST")
            guard ["POST", "PUT", "PATCH"].contains(method) else {
                throw fail("method", "POST, PUT or PATCH (eg-ship sends the events in the request body)")
            }
            set("httpMethod", method)
            set("httpSuccessCode", String(try int("success_code", 100...599) ?? 201))
            var headers: [JSONField] = []
            if let h = spec["headers"], h != .null {
                guard case .object(let fields) = h else { throw fail("headers", "a mapping of header names to values") }
                for f in fields {
                    guard let v = f.value.text, !f.key.isEmpty, !f.key.contains(":") else { throw fail("headers", "a mapping of header names to values") }
                    let value = try resolve(v, f.key, in: "headers")
                    if f.key.lowercased() == "authorization" || Secrets.isSecretKey(f.key.replacingOccurrences(of: "-", with: "")) {
                        Secrets.register(value)
                    }
                    headers.append(JSONField(f.key, .string(value)))
                }
            }
            let hasAuthorization = headers.contains { $0.key.lowercased() == "authorization" }
            if !headers.contains(where: { $0.key.lowercased() == "content-type" }) {
                switch formatter.kind {
                case .json, .jsonBatch: headers.append(JSONField("Content-Type", .string("application/json")))
                default: headers.append(JSONField("Content-Type", .string("text/plain")))
                }
            }
            var user = try text("username"), password = try text("password")
            if let auth = spec["auth"], auth != .null {
                guard case .object = auth, let type = auth["type"]?.stringValue else {
                    throw fail("auth", "a mapping with type basic or bearer")
                }
                switch type {
                case "basic":
                    guard let u = auth["username"]?.text, !u.isEmpty else { throw fail("auth", "username with type basic") }
                    user = try resolve(u, "username", in: "auth")
                    password = try auth["password"]?.text.map { try resolve($0, "password", in: "auth") }
                case "bearer":
                    guard let t = auth["token"]?.text, !t.isEmpty else { throw fail("auth", "token with type bearer") }
                    headers.append(JSONField("Authorization", .string("Bearer " + (try resolve(t, "token", in: "auth")))))
                default:
                    throw fail("auth", "type basic or bearer (eg-ship does not fetch OAuth2 tokens)")
                }
                if hasAuthorization { throw EgError.config(at: at("auth"), "output http: an Authorization header in headers cannot be combined with auth") }
            }
            if user != nil && (hasAuthorization || headers.contains { $0.key == "Authorization" }) {
                throw EgError.config(at: at("username"), "output http: username/password and an Authorization header cannot be combined")
            }
            set("httpUser", user)
            if user != nil { set("httpPassword", password ?? "") }
            set("httpHeaders", JSONWriter.string(.object(headers)))
            set("httpFormat", "raw")
            tweaks.verbatim = true
            _ = try int("concurrency", 1...1_000_000)
            try tls()
        case "tcp", "udp":
            mode = plugin == "tcp" ? "tcpout" : "udpout"
            try checkEncoding()
            set(plugin + "DestinationHost", try text("host"))
            set(plugin + "DestinationPort", String(try int("port", 1...65535)!))
            try separator()
            if plugin == "tcp" {
                _ = try seconds("connect_timeout", min: 1)
                _ = try bool("verify")
                if try choice("framing", ["delimiter", "octet_counting"], default: "delimiter") == "octet_counting" {
                    if let s = try text("separator"), s != "\n" {
                        throw fail("separator", "no separator with framing octet_counting (the length delimits each event)")
                    }
                    tweaks.octetCounting = true
                    tweaks.separator = []
                }
            }
        case "kafka":
            mode = "kafka"
            try mapKafka()
        case "clickhouse":
            mode = "clickhouse"
            try mapClickHouse()
        default:
            break
        }
    }

    private mutating func mapKafka() throws {
        try checkEncoding()
        let servers = try strings("bootstrap_servers")
        guard !servers.isEmpty else { throw fail("bootstrap_servers", "a list of host:port") }
        set("kafkaBrokers", servers.joined(separator: ","))
        set("kafkaTopic", try text("topic"))
        // Eventum's key is a constant; eg's kafkaKey reads `$field`, and `$$` for a leading `$`.
        if let k = try text("key") { set("kafkaKey", k.hasPrefix("$") ? "$" + k : k) }
        if let a = try text("acks") {
            guard let n = Int(a), [-1, 0, 1].contains(n) else { throw fail("acks", "0, 1 or -1") }
            set("kafkaAcks", n == -1 ? "all" : String(n))
        } else {
            set("kafkaAcks", "1")
        }
        set("kafkaCompression", try text("compression_type").map { try choice("compression_type", ["gzip", "snappy", "lz4", "zstd"], default: $0) })
        set("kafkaLingerMs", try int("linger_ms", 0...900_000).map(String.init))
        set("kafkaClientId", try text("client_id"))
        if let p = try text("security_protocol") {
            _ = try choice("security_protocol", ["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"], default: p)
            set("kafkaSecurityProtocol", p.lowercased())
        }
        set("kafkaSaslMechanism", try text("sasl_mechanism").map { try choice("sasl_mechanism", ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"], default: $0) })
        set("kafkaSaslUsername", try text("sasl_plain_username"))
        set("kafkaSaslPassword", try text("sasl_plain_password"))
        set("kafkaSslCaLocation", try path("ssl_cafile"))
        set("kafkaSslCertificateLocation", try path("ssl_certfile"))
        set("kafkaSslKeyLocation", try path("ssl_keyfile"))
        var props: [String] = []
        for (k, name, range) in [("metadata_max_age_ms", "metadata.max.age.ms", 1...86_400_000),
                                 ("request_timeout_ms", "request.timeout.ms", 1...900_000),
                                 ("connections_max_idle_ms", "connections.max.idle.ms", 0...2_147_483_647),
                                 ("max_batch_size", "batch.size", 1...2_147_483_647),
                                 ("max_request_size", "message.max.bytes", 1000...1_000_000_000),
                                 ("retry_backoff_ms", "retry.backoff.ms", 1...300_000)] {
            if let n = try int(k, range) { props.append("\(name)=\(n)") }
        }
        if let i = try bool("enable_idempotence") { props.append("enable.idempotence=\(i)") }
        if let s = try text("sasl_kerberos_service_name") {
            guard !s.contains(",") else { throw fail("sasl_kerberos_service_name", "a name without commas") }
            props.append("sasl.kerberos.service.name=\(s)")
        }
        if !props.isEmpty { set("kafkaConfig", props.joined(separator: ",")) }
        set("kafkaFormat", "raw")
        tweaks.verbatim = true
    }

    private mutating func mapClickHouse() throws {
        var scheme = try choice("protocol", ["http", "https"], default: "http")
        var host = try text("host")
        var port = try int("port", 1...65535) ?? 8123
        var database = try text("database") ?? "default"
        var user = try text("username") ?? "default"
        var password = try text("password")
        if let dsn = try text("dsn") {
            guard let u = URLComponents(string: dsn), let s = u.scheme?.lowercased(), let h = u.host, !h.isEmpty else {
                throw fail("dsn", "a URL such as clickhouse+http://user:password@host:8123/database")
            }
            switch s {
            case "http", "clickhouse+http": scheme = "http"
            case "https", "clickhouse+https": scheme = "https"
            default: throw fail("dsn", "an http or https DSN (eg-ship inserts over ClickHouse's HTTP interface, not the native protocol)")
            }
            host = h
            port = u.port ?? (scheme == "https" ? 8443 : 8123)
            if let us = u.user, !us.isEmpty { user = us }
            if let p = u.password { password = p; Secrets.register(p) }
            let db = u.path.trimmingCharacters(in: ["/"])
            if !db.isEmpty { database = db }
        }
        guard let host else { throw EgError.config(at: location, "output clickhouse needs 'host' (or 'dsn')") }
        set("clickhouseUrl", "\(scheme)://\(host.contains(":") ? "[\(host)]" : host):\(port)")
        set("clickhouseDatabase", database)
        set("clickhouseTable", try text("table"))
        set("clickhouseUser", user)
        set("clickhousePassword", password)
        set("clickhouseFormat", try text("input_format") ?? "JSONEachRow")
        tweaks.insertFraming = InsertFraming(header: Array((try text("header") ?? "").utf8), separator: Array((try text("separator") ?? "\n").utf8),
                                             footer: Array((try text("footer") ?? "").utf8))
        _ = try int("pool_maxsize", 1...100_000)
        _ = try text("client_name")
        try tls()
        if formatter.batches { throw fail("formatter", "json, plain or template (each event is one row; json-batch makes an array)") }
    }
}

extension Optional where Wrapped == JSONValue {
    /// The items of an array value (none for anything else).
    var eventumItems: [JSONValue] {
        if case .array(let a)? = self { return a }
        return []
    }
}
