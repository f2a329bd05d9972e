/// What a setting's value must be. One description serves every use: the typed accessors of
/// `Settings` check ranges with it, `eg-sample --check` validates with it, and errors and `--list`
/// describe the expected value with `expected`.
public enum SettingType: Sendable, Equatable {
    /// A whole number in the range (Python `int()` syntax).
    case integer(ClosedRange<Int>)
    /// A finite number in the range (Python `float()` syntax).
    case number(ClosedRange<Double>)
    /// eventgen's boolean: `0`, `false` and `False` are false, anything else is true.
    case boolean
    /// A Splunk time modifier: `now`, `-15m`, `-1h@h`, epoch seconds or ISO-8601 (`RelativeTime`).
    case time
    /// `end`: a number of intervals (`-1` forever) or a time.
    case end
    /// A zone: `local`, `UTC` or an offset like `-0500`.
    case zone
    /// One of these words.
    case choice([String])
    /// A Python regular expression.
    case regex
    /// A file or directory path (`$VAR` expanded).
    case path
    /// A JSON object of non-negative rate factors whose keys are integers in the range.
    case rateTable(ClosedRange<Int>)
    /// Any JSON value (`httpeventServers`, `jinja_variables`, `autotimestamps`).
    case json
    /// A random seed: an integer.
    case seed
    /// `extendIndexes`: `prefix:N, index, ...`.
    case indexList
    /// Free text.
    case text

    /// What a value must look like, for messages: `an integer from -1 to 10000000`.
    public var expected: String {
        switch self {
        case .integer(let r):
            if r.upperBound == Int.max { return "an integer >= \(r.lowerBound)" }
            return "an integer from \(r.lowerBound) to \(r.upperBound)"
        case .number(let r):
            return "a number from \(SettingType.numberText(r.lowerBound)) to \(SettingType.numberText(r.upperBound))"
        case .boolean: return "true or false"
        case .time: return "a time like now, -15m, -1h@h, epoch seconds or 2024-01-15T10:30:00"
        case .end: return "a number of intervals (-1 = forever) or a time"
        case .zone: return "local, UTC or an offset like -0500"
        case .choice(let c): return "one of " + c.joined(separator: ", ")
        case .regex: return "a Python regular expression"
        case .path: return "a path"
        case .rateTable(let r): return "a JSON object like {\"\(r.lowerBound)\": 1.0, ...} with keys \(r.lowerBound)-\(r.upperBound) and factors from 0 to \(SettingType.numberText(SettingSchema.maxRateFactor))"
        case .json: return "a JSON value"
        case .seed: return "an integer"
        case .indexList: return "a list like test_:3, main"
        case .text: return "text"
        }
    }

    /// A number as a person writes it (`10000000`, `0.5`, `1e+300`).
    public static func numberText(_ d: Double) -> String {
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return String(d)
    }
}

/// Which eg tool reads a setting (eventgen engine settings eg accepts and ignores are `.none`).
public enum SettingTool: String, Sendable {
    case sample = "eg-sample", rate = "eg-rate", tokenize = "eg-tokenize", ship = "eg-ship", none = "-"
}

/// One setting eg understands: its key, type, the tool that reads it and what it means.
public struct SettingDescriptor: Sendable {
    public let key: String
    public let type: SettingType
    public let tool: SettingTool
    public let meaning: String
    /// For output keys: the `outputMode`s that read the key (empty: not an output key).
    public let modes: [String]
    /// What a value must be, in words (the type's description unless the key says it better).
    public let expected: String

    public init(_ key: String, _ type: SettingType, _ tool: SettingTool, _ meaning: String, modes: [String] = [],
                expected: String? = nil) {
        self.key = key
        self.type = type
        self.tool = tool
        self.meaning = meaning
        self.modes = modes
        self.expected = expected ?? type.expected
    }
}

/// The registry of every setting eg understands (eventgen's keys of semantics §1.2–§1.9 and §4,
/// legacy keys eventgen still accepts, and eg's own): types, ranges and meanings. `Settings`'
/// typed accessors check values against it, `eg-sample --check` validates whole confs with it,
/// and `KnownSettings` (unknown-key warnings) is derived from it.
///
/// Ranges accept every value eventgen gives a meaning to, bounded where a larger value could only
/// overflow or run without end: times within ten thousand years, intervals and delays within ten
/// years, counts within what one interval can hold.
public enum SettingSchema {
    /// The most events (or bundles) one interval may produce after rating; eg-rate holds an
    /// interval's events in memory to sort them (about 60 bytes each).
    public static let maxEventsPerInterval = 10_000_000
    /// The largest rate factor a rate table may hold.
    public static let maxRateFactor = 1_000_000.0
    /// Ten years of seconds: the longest `interval` and `delay`.
    public static let maxSeconds = 315_576_000
    /// The longest `random` `string(n)` / `hex(n)` value.
    public static let maxRandomLength = 1_048_576

    /// Output modes eg-ship delivers to.
    public static let outputModes = ["stdout", "devnull", "file", "spool", "modinput", "splunkstream", "httpevent",
                                     "stormstream", "syslogout", "tcpout", "udpout", "elasticsearch", "opensearch", "redis", "kafka", "clickhouse", "http"]
    /// eventgen output modes eg does not deliver to (yet).
    public static let unsupportedOutputModes = ["metric_httpevent", "s2s", "scsout", "awss3", "counter"]

    static let ports: SettingType = .integer(1...65535)
    static let kafka = ["kafka"]
    static let count: SettingType = .integer(0...Int.max)
    static let positive: SettingType = .integer(1...Int.max)

    /// Every plain (non-numbered) setting.
    public static let all: [SettingDescriptor] = [
        // §1.2 [global] / engine: accepted, not used by eg
        .init("threading", .choice(["thread", "process"]), .none, "eventgen's worker model (eg runs one process per tool)"),
        .init("generatorWorkers", count, .none, "eventgen generator processes"),
        .init("outputWorkers", count, .none, "eventgen output threads (deprecated)"),
        .init("useOutputQueue", .boolean, .none, "eventgen's output queue"),
        .init("profiler", .boolean, .none, "eventgen's profiler"),
        .init("disableLoggingQueue", .boolean, .none, "eventgen's logging queue"),
        .init("outputCounter", .boolean, .none, "eventgen's throughput counters"),
        .init("verbosity", .text, .none, "legacy logging switch"),
        .init("debug", .text, .none, "legacy logging switch"),
        .init("verbose", .text, .none, "removed v4/v5 key"),
        .init("queueing", .text, .none, "removed v4/v5 key"),
        .init("zmqBaseUrl", .text, .none, "removed v4/v5 key"),
        .init("zmqBasePort", .text, .none, "removed v4/v5 key"),
        .init("blacklist", .regex, .none, "eventgen's sample-file blacklist (never applied by eventgen 7)"),
        .init("disabled", .boolean, .sample, "skip this stanza"),
        .init("autotimestamps", .json, .sample, "the autotimestamp catalogue: a JSON list of [regex, strptime format] pairs"),
        .init("seed", .seed, .rate, "the random seed of the stanza's samples"),
        // §1.3 sample selection and parsing
        .init("sampleDir", .path, .sample, "the directory of the sample files"),
        .init("sampletype", .choice(["raw", "csv"]), .sample, "how the sample is read"),
        .init("breaker", .regex, .sample, "splits a raw sample into events where it matches"),
        .init("bundlelines", .boolean, .rate, "count counts copies of the whole sample"),
        .init("randomizeEvents", .boolean, .rate, "pick events at random instead of in order"),
        .init("timeField", .text, .rate, "the field replay reads each event's time from"),
        .init("autotimestamp", .boolean, .sample, "find the sample's timestamps and add timestamp tokens"),
        .init("sequentialTimestamp", .boolean, .rate, "spread an interval's events evenly instead of at random"),
        .init("extendIndexes", .indexList, .rate, "indexes to pick from per interval"),
        .init("mode", .choice(["sample", "replay"]), .rate, "sample: count per interval; replay: the original spacing"),
        .init("generator", .text, .sample, "the generator: default, replay, windbag or perdayvolumegenerator"),
        // §1.4 timing
        .init("interval", .integer(-1...maxSeconds), .rate, "seconds between intervals (replay: the pause between passes)"),
        .init("delay", .number(0...Double(maxSeconds)), .rate, "seconds to wait before the first interval"),
        .init("earliest", .time, .rate, "start of each interval's time window"),
        .init("latest", .time, .rate, "end of each interval's time window"),
        .init("timezone", .zone, .rate, "the zone of rates, snaps and timestamps"),
        .init("backfill", .time, .rate, "generate history from this time up to now"),
        .init("backfillSearch", .text, .none, "eventgen's backfill search (a no-op in eventgen 7)"),
        .init("backfillSearchUrl", .text, .none, "eventgen's backfill search URL (a no-op in eventgen 7)"),
        .init("end", .end, .rate, "stop after N intervals or at a time"),
        .init("timeMultiple", .number(0.000001...1_000_000), .rate, "replay: multiplies every gap between events"),
        // §1.5 volume
        .init("count", .integer(-1...maxEventsPerInterval), .rate, "events (or bundles) per interval before rating; -1 the whole sample"),
        .init("perDayVolume", .number(0.000000001...1_000_000), .rate, "GB per day instead of a count"),
        .init("randomizeCount", .number(0...2), .rate, "varies the count by a uniform factor in [1 - r/2, 1 + r/2]"),
        .init("hourOfDayRate", .rateTable(0...23), .rate, "count factor by hour of day"),
        .init("dayOfWeekRate", .rateTable(0...6), .rate, "count factor by weekday (0 = Sunday)"),
        .init("minuteOfHourRate", .rateTable(0...59), .rate, "count factor by minute of hour"),
        .init("dayOfMonthRate", .rateTable(1...31), .rate, "count factor by day of month"),
        .init("monthOfYearRate", .rateTable(1...12), .rate, "count factor by month"),
        .init("rater", .text, .none, "eventgen's rater plugin (eg-rate rates every sample)"),
        .init("splitSample", count, .none, "eventgen's split of a count over generator jobs"),
        // §1.6 host token
        .init("host.token", .regex, .tokenize, "regex over the host field"),
        .init("host.replacement", .path, .tokenize, "file (or file:column) the host is drawn from"),
        .init("hostRegex", .regex, .ship, "splunkstream's host_regex parameter", modes: ["splunkstream"]),
        // §1.7 output (common)
        .init("outputMode", .choice(outputModes), .ship, "where eg-ship delivers"),
        .init("index", .text, .sample, "the events' index"),
        .init("source", .text, .sample, "the events' source"),
        .init("sourcetype", .text, .sample, "the events' sourcetype"),
        .init("host", .text, .sample, "the events' host"),
        .init("maxQueueLength", count, .ship, "events per delivery batch (0: the output's default)"),
        .init("maxIntervalsBeforeFlush", count, .none, "eventgen's flush interval count (unused by eventgen 7)"),
        // §1.8 generator plugins
        .init("jinja_template_dir", .path, .sample, "jinja: the template directory"),
        .init("jinja_target_template", .text, .sample, "jinja: the root template"),
        .init("jinja_variables", .json, .sample, "jinja: variables passed to the template"),
        .init("jinja_count_type", .choice(["cycles", "perDayVolume", "line_count"]), .sample, "jinja: what count counts"),
        .init("count_template", .text, .none, "counter generator: event text"),
        .init("start_count", .text, .none, "counter generator: first value"),
        .init("end_count", .text, .none, "counter generator: last value"),
        .init("count_by", .text, .none, "counter generator: step"),
        // §1.9 legacy
        .init("projectID", .text, .ship, "legacy Storm project", modes: ["stormstream"]),
        .init("accessToken", .text, .ship, "legacy Storm access token", modes: ["stormstream"]),
        .init("splunkUser", .text, .ship, "splunkstream user", modes: ["splunkstream"]),
        .init("splunkPass", .text, .ship, "splunkstream password", modes: ["splunkstream"]),
        .init("eai:acl", .text, .none, "Splunk REST metadata"),
        .init("eai:userName", .text, .none, "Splunk REST metadata"),
        .init("eai:appName", .text, .none, "Splunk REST metadata"),
        .init("sessionKey", .text, .ship, "splunkstream session key", modes: ["splunkstream"]),
        // §4 output plugins
        .init("fileName", .path, .ship, "the file output's path", modes: ["file"]),
        .init("fileMaxBytes", count, .ship, "rotate the file at this size (0: never)", modes: ["file"],
              expected: "a size in bytes, 0 or more (0: never rotate)"),
        .init("fileBackupFiles", .integer(0...10_000), .ship, "rotated files kept", modes: ["file"],
              expected: "a count from 0 to 10000"),
        .init("spoolDir", .path, .ship, "the spool directory", modes: ["spool", "file"]),
        .init("spoolFile", .text, .ship, "the spool file name (<SAMPLE> = the sample)", modes: ["spool", "file"]),
        .init("splunkHost", .text, .ship, "splunkstream host (or JSON list of hosts)", modes: ["splunkstream"]),
        .init("splunkPort", ports, .ship, "splunkstream management port", modes: ["splunkstream"]),
        .init("splunkMethod", .choice(["http", "https"]), .ship, "splunkstream scheme", modes: ["splunkstream"]),
        .init("httpeventServers", .json, .ship, "HEC servers: {\"servers\": [{\"protocol\", \"address\", \"port\", \"key\"}]}", modes: ["httpevent"]),
        .init("httpeventOutputMode", .choice(["roundrobin", "mirror"]), .ship, "HEC server choice", modes: ["httpevent"]),
        .init("httpeventMaxPayloadSize", positive, .ship, "HEC bytes per request", modes: ["httpevent"]),
        .init("httpeventWaitResponse", .boolean, .ship, "wait for HEC answers", modes: ["httpevent"]),
        .init("httpeventAllowFailureCount", count, .ship, "HEC failures before a server is set aside", modes: ["httpevent", "splunkstream"]),
        .init("syslogDestinationHost", .text, .ship, "syslog receiver host", modes: ["syslogout"]),
        .init("syslogDestinationPort", ports, .ship, "syslog receiver port", modes: ["syslogout"]),
        .init("syslogAddHeader", .boolean, .ship, "add a syslog header", modes: ["syslogout"]),
        .init("tcpDestinationHost", .text, .ship, "TCP receiver host", modes: ["tcpout"]),
        .init("tcpDestinationPort", ports, .ship, "TCP receiver port", modes: ["tcpout"]),
        .init("udpDestinationHost", .text, .ship, "UDP receiver host", modes: ["udpout"]),
        .init("udpDestinationPort", ports, .ship, "UDP receiver port", modes: ["udpout"]),
        .init("scsEndPoint", .text, .none, "eventgen scsout (not supported)"),
        .init("scsAccessToken", .text, .none, "eventgen scsout (not supported)"),
        .init("scsClientId", .text, .none, "eventgen scsout (not supported)"),
        .init("scsClientSecret", .text, .none, "eventgen scsout (not supported)"),
        .init("scsRetryNum", .text, .none, "eventgen scsout (not supported)"),
        .init("awsS3BucketName", .text, .none, "eventgen awss3 (not supported)"),
        .init("awsRegion", .text, .none, "eventgen awss3 (not supported)"),
        .init("awsKeyId", .text, .none, "eventgen awss3 (not supported)"),
        .init("awsSecretKey", .text, .none, "eventgen awss3 (not supported)"),
        .init("awsS3EventType", .text, .none, "eventgen awss3 (not supported)"),
        .init("awsS3CompressionType", .text, .none, "eventgen awss3 (not supported)"),
        .init("awsS3ObjectPrefix", .text, .none, "eventgen awss3 (not supported)"),
        .init("awsS3ObjectSuffix", .text, .none, "eventgen awss3 (not supported)"),
        .init("awsS3EventPerKey", .text, .none, "eventgen awss3 (not supported)"),
        // eg's own
        .init("jsonSafe", .boolean, .tokenize, "JSON-escape token values (default: when the event is a JSON object)"),
        .init("anomalyWarmup", .number(0...0.999999), .rate, "share of the span before a random anomaly may start"),
        .init("syslogProtocol", .choice(["udp", "tcp"]), .ship, "syslog transport", modes: ["syslogout"]),
        .init("syslogFormat", .choice(["plain", "rfc3164", "rfc5424"]), .ship, "syslog message format", modes: ["syslogout"]),
        .init("syslogFraming", .choice(["octet", "newline"]), .ship, "syslog TCP framing", modes: ["syslogout"]),
        .init("syslogFacility", .text, .ship, "syslog facility (name or 0-23)", modes: ["syslogout"]),
        .init("syslogSeverity", .text, .ship, "syslog severity (name or 0-7)", modes: ["syslogout"]),
        .init("syslogAppName", .text, .ship, "syslog app name", modes: ["syslogout"]),
        .init("httpeventGzip", .boolean, .ship, "gzip HEC requests", modes: ["httpevent"]),
        .init("httpeventCooldown", .number(0...86_400), .ship, "seconds a failing HEC server is set aside", modes: ["httpevent"]),
        .init("httpeventPath", .text, .ship, "HEC endpoint path", modes: ["httpevent"]),
        .init("stormstreamUrl", .text, .ship, "Storm endpoint", modes: ["stormstream"]),
        .init("elasticsearchUrl", .text, .ship, "Elasticsearch URL(s)", modes: ["elasticsearch", "opensearch"]),
        .init("elasticsearchIndex", .text, .ship, "Elasticsearch index", modes: ["elasticsearch", "opensearch"]),
        .init("elasticsearchUser", .text, .ship, "Elasticsearch user", modes: ["elasticsearch", "opensearch"]),
        .init("elasticsearchPassword", .text, .ship, "Elasticsearch password", modes: ["elasticsearch", "opensearch"]),
        .init("elasticsearchApiKey", .text, .ship, "Elasticsearch API key", modes: ["elasticsearch", "opensearch"]),
        .init("elasticsearchBatchSize", positive, .ship, "documents per _bulk request", modes: ["elasticsearch", "opensearch"]),
        .init("elasticsearchBatchBytes", positive, .ship, "bytes per _bulk request", modes: ["elasticsearch", "opensearch"]),
        .init("elasticsearchAction", .choice(["index", "create"]), .ship, "_bulk action", modes: ["elasticsearch", "opensearch"]),
        .init("elasticsearchAddMetadata", .boolean, .ship, "add host, source and sourcetype fields", modes: ["elasticsearch", "opensearch"]),
        .init("redisHost", .text, .ship, "Redis host", modes: ["redis"]),
        .init("redisPort", ports, .ship, "Redis port", modes: ["redis"]),
        .init("redisKey", .text, .ship, "Redis list or channel", modes: ["redis"]),
        .init("redisMode", .choice(["rpush", "publish"]), .ship, "RPUSH or PUBLISH", modes: ["redis"]),
        .init("redisFormat", .choice(["raw", "json"]), .ship, "what is pushed", modes: ["redis"]),
        .init("redisUser", .text, .ship, "Redis user", modes: ["redis"]),
        .init("redisPassword", .text, .ship, "Redis password", modes: ["redis"]),
        .init("redisDb", .integer(0...1_000_000), .ship, "Redis database number", modes: ["redis"]),
        .init("redisBatchSize", positive, .ship, "commands per round trip", modes: ["redis"]),
        .init("kafkaBrokers", .text, .ship, "bootstrap brokers, host:port[,host:port...]", modes: kafka),
        .init("kafkaTopic", .text, .ship, "the topic", modes: kafka),
        .init("kafkaKey", .text, .ship, "the message key: a field name", modes: kafka),
        .init("kafkaFormat", .choice(["raw", "json"]), .ship, "what a message holds", modes: kafka),
        .init("kafkaHeaders", .boolean, .ship, "send host, source, sourcetype and index as headers", modes: kafka),
        .init("kafkaAcks", .choice(["all", "-1", "0", "1"]), .ship, "acknowledgements the producer waits for", modes: kafka),
        .init("kafkaCompression", .choice(["none", "gzip", "snappy", "lz4", "zstd"]), .ship, "message compression", modes: kafka),
        .init("kafkaBatchSize", .integer(1...1_000_000), .ship, "messages per batch", modes: kafka,
              expected: "messages per batch, 1 to 1000000"),
        .init("kafkaLingerMs", .integer(0...900_000), .ship, "milliseconds a batch may wait", modes: kafka,
              expected: "milliseconds, 0 to 900000"),
        .init("kafkaSecurityProtocol", .choice(["plaintext", "ssl", "sasl_plaintext", "sasl_ssl"]), .ship, "transport security", modes: kafka),
        .init("kafkaSaslMechanism", .text, .ship, "SASL mechanism: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, GSSAPI or OAUTHBEARER", modes: kafka),
        .init("kafkaSaslUsername", .text, .ship, "SASL user", modes: kafka),
        .init("kafkaSaslPassword", .text, .ship, "SASL password", modes: kafka),
        .init("kafkaSslCaLocation", .path, .ship, "CA certificate file", modes: kafka),
        .init("kafkaSslCertificateLocation", .path, .ship, "client certificate file", modes: kafka),
        .init("kafkaSslKeyLocation", .path, .ship, "client key file", modes: kafka),
        .init("kafkaSslKeyPassword", .text, .ship, "client key password", modes: kafka),
        .init("kafkaClientId", .text, .ship, "the producer's client.id", modes: kafka),
        .init("kafkaConfig", .text, .ship, "more librdkafka properties: key=value,key=value", modes: kafka),
        .init("clickhouseUrl", .text, .ship, "ClickHouse HTTP URL", modes: ["clickhouse"]),
        .init("clickhouseDatabase", .text, .ship, "the database", modes: ["clickhouse"]),
        .init("clickhouseTable", .text, .ship, "the table", modes: ["clickhouse"]),
        .init("clickhouseFormat", .text, .ship, "the insert format (JSONEachRow, ...)", modes: ["clickhouse"]),
        .init("clickhouseUser", .text, .ship, "ClickHouse user", modes: ["clickhouse"]),
        .init("clickhousePassword", .text, .ship, "ClickHouse password", modes: ["clickhouse"]),
        .init("clickhouseGzip", .boolean, .ship, "gzip inserts", modes: ["clickhouse"]),
        .init("clickhouseBatchSize", .integer(1...10_000_000), .ship, "rows per insert", modes: ["clickhouse"],
              expected: "a number of rows from 1 to 10000000"),
        .init("clickhouseBatchBytes", .integer(1...(1 << 30)), .ship, "bytes per insert", modes: ["clickhouse"],
              expected: "a number of bytes from 1 to 1073741824"),
        .init("httpUrl", .text, .ship, "the endpoint URL", modes: ["http"]),
        .init("httpMethod", .choice(["post", "put", "patch"]), .ship, "the request method", modes: ["http"]),
        .init("httpFormat", .choice(["json-batch", "json", "raw"]), .ship, "the request body", modes: ["http"]),
        .init("httpHeaders", .json, .ship, "extra headers: a JSON object", modes: ["http"]),
        .init("httpUser", .text, .ship, "basic-auth user", modes: ["http"]),
        .init("httpPassword", .text, .ship, "basic-auth password", modes: ["http"]),
        .init("httpSuccessCode", .integer(100...599), .ship, "the status that means delivered", modes: ["http"],
              expected: "an HTTP status from 100 to 599"),
    ]

    /// The five rate tables and their key ranges.
    public static let rateTables: [(key: String, range: ClosedRange<Int>)] = [
        ("hourOfDayRate", 0...23), ("dayOfWeekRate", 0...6), ("minuteOfHourRate", 0...59),
        ("dayOfMonthRate", 1...31), ("monthOfYearRate", 1...12),
    ]

    /// Parses a rate table `{"0": 0.5, "1": 1.2, ...}` into `range.upperBound + 1` factors (a
    /// missing key is 1, as in eventgen); nil unless every key is an integer in `range` and every
    /// factor a number from 0 to `maxRateFactor`.
    public static func parseRateTable(_ text: String, range: ClosedRange<Int>) -> [Double]? {
        guard case .object(let fields)? = try? JSONParser.parse(text) else { return nil }
        var table = [Double](repeating: 1.0, count: range.upperBound + 1)
        for f in fields {
            guard let k = Int(f.key.trimmingCharacters(in: .whitespaces)), range.contains(k),
                  let v = f.value.doubleValue, v.isFinite, v >= 0, v <= maxRateFactor else { return nil }
            table[k] = v
        }
        return table
    }

    /// `token.<n>.<sub>` keys.
    public static let tokenKeys: [SettingDescriptor] = [
        .init("token", .regex, .tokenize, "the regex whose match (group 1 if any) is replaced"),
        .init("replacementType", .choice(TokenTypes.names), .tokenize, "how the value is made"),
        .init("replacement", .text, .tokenize, "the value's specification (depends on the type)"),
        .init("jsonSafe", .boolean, .tokenize, "JSON-escape this token's values"),
    ]

    private static let byKey: [String: SettingDescriptor] = Dictionary(all.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
    private static let tokenByKey: [String: SettingDescriptor] = Dictionary(tokenKeys.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })

    /// The descriptor of a key: a plain key, or the sub-key of `token.<n>.<sub>`; nil when unknown
    /// (and for `anomaly.<n>.*`, which `AnomalySpec` checks).
    public static func descriptor(_ key: String) -> SettingDescriptor? {
        if let d = byKey[key] { return d }
        if let parts = Settings.numberedParts(key), parts.prefix == "token" { return tokenByKey[parts.rest] }
        return nil
    }

    /// The known key closest to a misspelt one (case-insensitive edit distance at most a third of
    /// its length, 2 at least), or nil.
    public static func suggestion(for key: String) -> String? {
        if let parts = Settings.numberedParts(key), parts.prefix == "token" {
            return closest(parts.rest, in: tokenKeys.map(\.key)).map { "token.\(parts.number).\($0)" }
        }
        return closest(key, in: all.map(\.key))
    }

    /// The candidate closest to `word`, when it is close enough to be a likely typo.
    public static func closest(_ word: String, in candidates: [String]) -> String? {
        let w = Array(word.lowercased().unicodeScalars)
        var best: (String, Int)?
        for c in candidates {
            let d = editDistance(w, Array(c.lowercased().unicodeScalars))
            if best == nil || d < best!.1 { best = (c, d) }
        }
        guard let (c, d) = best else { return nil }
        return d <= max(2, w.count / 3) && d < w.count ? c : nil
    }

    /// Levenshtein distance, with a swap of two neighbours counting as one edit.
    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev2 = [Int](repeating: 0, count: b.count + 1)
        var prev = Array(0...b.count)
        var cur = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            cur[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { cur[j] = min(cur[j], prev2[j - 2] + 1) }
            }
            prev2 = prev
            prev = cur
        }
        return prev[b.count]
    }
}
