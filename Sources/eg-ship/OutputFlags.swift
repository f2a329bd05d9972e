import Core

/// The command-line options of the elasticsearch, redis, kafka, clickhouse and http outputs: each
/// sets its output key for every sample (like `--set`); any `--es-*`, `--redis-*`, `--kafka-*`,
/// `--clickhouse-*` or `--http-*` option chooses that output, unless `--output` is given.
enum OutputFlags {
    /// (option, setting key, value name, help)
    static let table: [(String, String, String, String)] = [
        ("es-url", "elasticsearchUrl", "URL[,URL...]",
         "Elasticsearch or OpenSearch base URL, e.g. https://es.example.com:9200, or one per node separated by commas (round robin with failover) (elasticsearchUrl; default http://127.0.0.1:9200). Every --es-* option implies --output elasticsearch unless --output is given."),
        ("es-index", "elasticsearchIndex", "NAME",
         "The index: a fixed name or a strftime pattern applied to each event's _time in UTC, e.g. smoke_event-%Y.%m.%d (elasticsearchIndex; default eventgen-%Y.%m.%d)."),
        ("es-user", "elasticsearchUser", "USER", "User for HTTP basic authentication (elasticsearchUser)."),
        ("es-password", "elasticsearchPassword", "PASSWORD", "Password for HTTP basic authentication (elasticsearchPassword)."),
        ("es-api-key", "elasticsearchApiKey", "KEY", "Send Authorization: ApiKey KEY, the encoded API key (elasticsearchApiKey)."),
        ("es-batch-size", "elasticsearchBatchSize", "N", "At most N documents per _bulk request (elasticsearchBatchSize; default 1000)."),
        ("redis-host", "redisHost", "HOST", "Redis server host (redisHost; default 127.0.0.1). Every --redis-* option implies --output redis unless --output is given."),
        ("redis-port", "redisPort", "PORT", "Redis server port (redisPort; default 6379)."),
        ("redis-key", "redisKey", "KEY", "The Redis list (rpush) or channel (publish) (redisKey; default eventgen)."),
        ("redis-mode", "redisMode", "rpush|publish", "RPUSH events onto the list (rpush, the default) or PUBLISH each to the channel (redisMode)."),
        ("redis-format", "redisFormat", "json|raw", "Each Redis value is the whole record as JSON (json, the default, for Logstash codec => json) or the _raw text (raw) (redisFormat)."),
        ("redis-password", "redisPassword", "PASSWORD", "Send AUTH PASSWORD after connecting (redisPassword; redisUser adds an ACL user)."),
        ("redis-db", "redisDb", "N", "SELECT database N after connecting (redisDb; default 0)."),
        ("kafka-brokers", "kafkaBrokers", "HOST:PORT,...", "Kafka bootstrap brokers (kafkaBrokers; default 127.0.0.1:9092). Every --kafka-* option implies --output kafka unless --output is given."),
        ("kafka-topic", "kafkaTopic", "TOPIC", "The topic every message goes to (kafkaTopic; default eventgen)."),
        ("kafka-key", "kafkaKey", "KEY|$FIELD", "Each message's key: a constant, or $FIELD for a field of the event, e.g. $host (kafkaKey; default no key)."),
        ("kafka-acks", "kafkaAcks", "all|1|0", "Acknowledgements the leader waits for before a message counts as delivered (kafkaAcks; default all)."),
        ("kafka-compression", "kafkaCompression", "none|gzip|snappy|lz4|zstd", "Compression of message batches (kafkaCompression; default none)."),
        ("kafka-headers", "kafkaHeaders", "true|false", "Add index, host, source and sourcetype headers to each message (kafkaHeaders)."),
        ("kafka-config", "kafkaConfig", "NAME=VALUE,...", "Further librdkafka properties, e.g. linger.ms=50,enable.idempotence=true (kafkaConfig)."),
        ("clickhouse-url", "clickhouseUrl", "URL", "ClickHouse's HTTP interface (clickhouseUrl; default http://127.0.0.1:8123). Every --clickhouse-* option implies --output clickhouse unless --output is given."),
        ("clickhouse-database", "clickhouseDatabase", "NAME", "The database of the table (clickhouseDatabase; default default)."),
        ("clickhouse-table", "clickhouseTable", "NAME", "The table rows are inserted into (clickhouseTable; default eventgen)."),
        ("clickhouse-user", "clickhouseUser", "USER", "ClickHouse user (clickhouseUser; sent as X-ClickHouse-User)."),
        ("clickhouse-password", "clickhousePassword", "PASSWORD", "The user's password (clickhousePassword; sent as X-ClickHouse-Key)."),
        ("clickhouse-format", "clickhouseFormat", "FORMAT", "The INSERT's input format (clickhouseFormat; default JSONEachRow; other formats get _raw lines)."),
        ("http-url", "httpUrl", "URL", "The endpoint of the generic http output (httpUrl). Every --http-* option implies --output http unless --output is given."),
        ("http-method", "httpMethod", "POST|PUT|PATCH", "The request method (httpMethod; default POST)."),
        ("http-headers", "httpHeaders", "JSON", "Extra request headers as a JSON object, e.g. '{\"X-Token\":\"abc\"}' (httpHeaders)."),
        ("http-user", "httpUser", "USER", "User for HTTP basic authentication (httpUser)."),
        ("http-password", "httpPassword", "PASSWORD", "Password for HTTP basic authentication (httpPassword)."),
        ("http-success-code", "httpSuccessCode", "CODE", "The status that means success (httpSuccessCode; default any 2xx)."),
        ("http-format", "httpFormat", "json-batch|json|raw", "A batch as one JSON array per request (json-batch, the default), one request per event with the event as JSON (json), or with its _raw text (raw) (httpFormat)."),
    ]

    /// The option prefix of each output family and the mode it implies.
    static let families = [("es-", "elasticsearch"), ("redis-", "redis"), ("kafka-", "kafka"), ("clickhouse-", "clickhouse"), ("http-", "http")]

    static var options: [OptionSpec] { table.map { OptionSpec($0.0, value: $0.2, help: $0.3) } }

    /// Adds the flags' settings to `overrides` and the output they imply to `mode`.
    static func apply(_ a: ParsedArguments, overrides: inout [(String, String)], mode: inout String?) throws {
        for (flag, key, _, _) in table {
            if let v = a.value(flag) { overrides.append((key, v)) }
        }
        guard mode == nil else { return }
        let used = families.filter { f in table.contains { $0.0.hasPrefix(f.0) && a.has($0.0) } }
        if used.count > 1 {
            throw EgError.usage(used.map { "--\($0.0)*" }.joined(separator: " and ") + " options name \(used.count) outputs; choose one with --output")
        }
        mode = used.first?.1
    }
}
