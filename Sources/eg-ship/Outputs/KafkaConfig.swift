import CRdKafka
import Core

/// The settings of a `kafka` output: where and how messages go, and the librdkafka properties
/// the `kafka*` keys stand for (checked against librdkafka when the output is configured).
struct KafkaConfig {
    /// What a message's key is.
    enum Key: Equatable {
        /// No key (librdkafka's partitioner spreads the messages).
        case none
        /// The same key for every message.
        case constant(String)
        /// A field of the event (`$host`: its host, resolved against the stanza's defaults).
        case field(String)
    }

    var brokers: String
    var topic: String
    var key: Key
    /// The value is the whole record as JSON, else `_raw` (trailing whitespace removed).
    var json: Bool
    var keepAnomaly: Bool
    /// A raw value is `_raw` exactly, trailing whitespace included (an Eventum generator's kafka output).
    var verbatim: Bool
    /// Each message carries index, host, source and sourcetype headers.
    var headers: Bool
    /// librdkafka properties in the order they are set (later ones win): the `kafka*` keys first,
    /// then `kafkaConfig`'s.
    var properties: [(name: String, value: String)]
    /// The identity: same brokers, topic, properties and message shape, same producer.
    var identity: String

    /// The acks, compression, protocol and mechanism values librdkafka accepts.
    static let acks = ["all", "-1", "0", "1"]
    static let compressions = ["none", "gzip", "snappy", "lz4", "zstd"]
    static let protocols = ["plaintext", "ssl", "sasl_plaintext", "sasl_ssl"]
    static let mechanisms = ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512", "GSSAPI", "OAUTHBEARER"]

    /// The setting keys that map one to one onto a librdkafka property (key, property).
    static let direct: [(String, String)] = [
        ("kafkaSaslUsername", "sasl.username"),
        ("kafkaSaslPassword", "sasl.password"),
        ("kafkaSslCaLocation", "ssl.ca.location"),
        ("kafkaSslCertificateLocation", "ssl.certificate.location"),
        ("kafkaSslKeyLocation", "ssl.key.location"),
        ("kafkaSslKeyPassword", "ssl.key.password"),
        ("kafkaClientId", "client.id"),
    ]

    /// The events' queue in librdkafka is bounded (memory stays bounded when the broker is slow).
    static let defaultQueueMessages = 50_000
    static let defaultQueueKbytes = 65_536

    init(_ s: SampleSettings, _ ctx: OutputContext) throws {
        let stanza = "stanza [\(s.settings.stanza)]"
        brokers = s.string("kafkaBrokers", default: "127.0.0.1:9092")
        topic = s.string("kafkaTopic", default: "eventgen")
        if let k = s.string("kafkaKey") {
            if k.hasPrefix("$$") {
                key = .constant(String(k.dropFirst()))   // `$$x`: the constant `$x`
            } else if k.hasPrefix("$") {
                let field = String(k.dropFirst())
                guard !field.isEmpty else { throw s.invalid("kafkaKey", "a constant key or $field, e.g. $host") }
                key = .field(field)
            } else {
                key = .constant(k)
            }
        } else {
            key = .none
        }
        let defaultFormat = ctx.format == .raw ? "raw" : "json"
        json = try s.choice("kafkaFormat", ["raw", "json"], default: defaultFormat) == "json"
        keepAnomaly = ctx.keepAnomaly
        verbatim = ctx.tweaks.verbatim
        headers = s.bool("kafkaHeaders", default: false)

        var p: [(String, String, String)] = [("kafkaBrokers", "bootstrap.servers", brokers)]
        // Bounded waits: a message the brokers do not acknowledge within the I/O timeout fails.
        p.append(("--timeout", "message.timeout.ms", String(Int(min(ctx.policy.timeout, 2_000_000) * 1000))))
        p.append(("--retry-delay", "retry.backoff.ms", String(max(1, min(300_000, Int(ctx.policy.baseDelay * 1000))))))
        p.append(("", "queue.buffering.max.messages", String(KafkaConfig.defaultQueueMessages)))
        p.append(("", "queue.buffering.max.kbytes", String(KafkaConfig.defaultQueueKbytes)))
        if s.string("kafkaAcks") != nil {
            p.append(("kafkaAcks", "acks", try s.choice("kafkaAcks", KafkaConfig.acks, default: "all")))
        }
        if s.string("kafkaCompression") != nil {
            p.append(("kafkaCompression", "compression.type", try s.choice("kafkaCompression", KafkaConfig.compressions, default: "none")))
        }
        if s.string("kafkaBatchSize") != nil {
            let n = try s.int("kafkaBatchSize", default: 10_000)
            guard (1...1_000_000).contains(n) else { throw s.invalid("kafkaBatchSize", "messages per batch, 1 to 1000000") }
            p.append(("kafkaBatchSize", "batch.num.messages", String(n)))
        }
        if s.string("kafkaLingerMs") != nil {
            let n = try s.int("kafkaLingerMs", default: 5)
            guard (0...900_000).contains(n) else { throw s.invalid("kafkaLingerMs", "milliseconds, 0 to 900000") }
            p.append(("kafkaLingerMs", "linger.ms", String(n)))
        }
        if s.string("kafkaSecurityProtocol") != nil {
            p.append(("kafkaSecurityProtocol", "security.protocol",
                      try s.choice("kafkaSecurityProtocol", KafkaConfig.protocols, default: "plaintext")))
        }
        if let m = s.string("kafkaSaslMechanism") {
            guard KafkaConfig.mechanisms.contains(m.uppercased()) else {
                throw s.invalid("kafkaSaslMechanism", KafkaConfig.mechanisms.joined(separator: ", "))
            }
            p.append(("kafkaSaslMechanism", "sasl.mechanisms", m.uppercased()))
        }
        for (k, name) in KafkaConfig.direct {
            if let v = s.string(k) { p.append((k, name, v)) }
        }
        if let extra = s.string("kafkaConfig") {
            for (name, value) in try KafkaConfig.parseProperties(extra, s) {
                // Secrets inside kafkaConfig (sasl.password=...) are hidden like secret keys.
                if Secrets.isSecretKey(name), value.count >= Secrets.minimumLength { Secrets.register(value) }
                p.append(("kafkaConfig", name, value))
            }
        }
        try KafkaConfig.check(p, s, at: stanza)
        properties = p.map { ($0.1, $0.2) }
        let keyText: String
        switch key {
        case .none: keyText = "-"
        case .constant(let c): keyText = "=" + c
        case .field(let f): keyText = "$" + f
        }
        identity = "\(brokers)/\(topic) key \(keyText) \(json ? "json" : verbatim ? "verbatim" : "raw")\(headers ? " headers" : "") "
            + properties.map { "\($0.name)=\($0.value)" }.joined(separator: ",")
    }

    /// `name=value,name=value` (blanks around each part ignored); values cannot hold commas.
    static func parseProperties(_ text: String, _ s: SampleSettings) throws -> [(String, String)] {
        var out: [(String, String)] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let item = String(part).trimmed(" \t")
            if item.isEmpty { continue }
            guard let eq = item.firstIndex(of: "="), eq != item.startIndex else {
                throw s.invalid("kafkaConfig", "comma-separated librdkafka properties NAME=VALUE, e.g. queue.buffering.max.messages=1000,enable.idempotence=true")
            }
            let name = String(item[..<eq]).trimmed(" \t")
            let value = String(item[item.index(after: eq)...]).trimmed(" \t")
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "_" || $0 == "-" }) else {
                throw s.invalid("kafkaConfig", "property names of letters, digits, '.', '_' and '-', got '\(name)'")
            }
            out.append((name, value))
        }
        return out
    }

    /// Sets every property on a scratch librdkafka configuration: an unknown property or a value
    /// librdkafka refuses is a configuration error of the key it came from.
    private static func check(_ p: [(key: String, name: String, value: String)], _ s: SampleSettings, at stanza: String) throws {
        guard let conf = rd_kafka_conf_new() else { throw EgError.runtime(at: stanza, "cannot create a librdkafka configuration") }
        defer { rd_kafka_conf_destroy(conf) }
        for (key, name, value) in p {
            if let error = set(conf, name, value) {
                if key.isEmpty || key.hasPrefix("--") {
                    throw EgError.config(at: stanza, "librdkafka property \(name) = \(value): \(error)")
                }
                throw s.invalid(key, key == "kafkaConfig" ? "properties librdkafka accepts (\(name)=\(value): \(error))"
                                                          : "a value librdkafka accepts for \(name) (\(error))")
            }
        }
    }

    /// Sets one property; returns librdkafka's error text when it refuses it.
    static func set(_ conf: OpaquePointer, _ name: String, _ value: String) -> String? {
        var err = [CChar](repeating: 0, count: 512)
        let rc = rd_kafka_conf_set(conf, name, value, &err, err.count)
        guard rc != RD_KAFKA_CONF_OK else { return nil }
        return text(of: err)
    }

    /// The text of a NUL-terminated buffer librdkafka wrote an error into.
    static func text(of buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
