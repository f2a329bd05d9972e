import Core

/// The command-line options of the elasticsearch and redis outputs: each sets its output key for
/// every sample (like `--set`); any `--es-*` option chooses the elasticsearch output and any
/// `--redis-*` option the redis output, unless `--output` is given.
enum OutputFlags {
    /// (option, setting key, value name, help)
    static let table: [(String, String, String, String)] = [
        ("es-url", "elasticsearchUrl", "URL",
         "Elasticsearch or OpenSearch base URL, e.g. https://es.example.com:9200 (elasticsearchUrl; default http://127.0.0.1:9200). Every --es-* option implies --output elasticsearch unless --output is given."),
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
    ]

    static var options: [OptionSpec] { table.map { OptionSpec($0.0, value: $0.2, help: $0.3) } }

    /// Adds the flags' settings to `overrides` and the output they imply to `mode`.
    static func apply(_ a: ParsedArguments, overrides: inout [(String, String)], mode: inout String?) throws {
        for (flag, key, _, _) in table {
            if let v = a.value(flag) { overrides.append((key, v)) }
        }
        guard mode == nil else { return }
        let es = table.contains { $0.0.hasPrefix("es-") && a.has($0.0) }
        let redis = table.contains { $0.0.hasPrefix("redis-") && a.has($0.0) }
        if es && redis { throw EgError.usage("--es-* and --redis-* options name two outputs; choose one with --output") }
        if es { mode = "elasticsearch" } else if redis { mode = "redis" }
    }
}
