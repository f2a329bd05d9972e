/// Every setting key some eg tool understands (eventgen's keys of semantics §1.2–§1.9 and the
/// output keys of §4, legacy keys eventgen still accepts, and eg's own), used to report keys no
/// tool reads: a typo is the most common silent failure.
public enum KnownSettings {
    /// Plain (non-numbered) keys.
    public static let keys: Set<String> = [
        // §1.2 [global] / engine
        "threading", "generatorWorkers", "outputWorkers", "useOutputQueue", "profiler",
        "disableLoggingQueue", "outputCounter", "verbosity", "debug", "disabled", "autotimestamps",
        "seed", "blacklist", "queueing", "zmqBaseUrl", "zmqBasePort", "verbose",
        // §1.3 sample selection and parsing
        "sampleDir", "sampletype", "breaker", "bundlelines", "randomizeEvents", "timeField",
        "autotimestamp", "sequentialTimestamp", "extendIndexes", "mode", "generator",
        // §1.4 timing
        "interval", "delay", "earliest", "latest", "timezone", "backfill", "backfillSearch",
        "backfillSearchUrl", "end", "timeMultiple",
        // §1.5 volume
        "count", "perDayVolume", "randomizeCount", "hourOfDayRate", "dayOfWeekRate",
        "minuteOfHourRate", "dayOfMonthRate", "monthOfYearRate", "rater", "splitSample",
        // §1.6 tokens and host
        "host.token", "host.replacement", "hostRegex",
        // §1.7 output (common)
        "outputMode", "index", "source", "sourcetype", "host", "maxQueueLength", "maxIntervalsBeforeFlush",
        // §1.8 generator plugins
        "jinja_template_dir", "jinja_target_template", "jinja_variables", "jinja_count_type",
        "count_template", "start_count", "end_count", "count_by",
        // §1.9 legacy
        "projectID", "accessToken", "splunkUser", "splunkPass", "eai:acl", "eai:userName",
        "eai:appName", "sessionKey",
        // §4 output plugins
        "fileName", "fileMaxBytes", "fileBackupFiles", "spoolDir", "spoolFile",
        "splunkHost", "splunkPort", "splunkMethod",
        "httpeventServers", "httpeventOutputMode", "httpeventMaxPayloadSize", "httpeventWaitResponse",
        "httpeventAllowFailureCount",
        "syslogDestinationHost", "syslogDestinationPort", "syslogAddHeader",
        "tcpDestinationHost", "tcpDestinationPort", "udpDestinationHost", "udpDestinationPort",
        "scsEndPoint", "scsAccessToken", "scsClientId", "scsClientSecret", "scsRetryNum",
        "awsS3BucketName", "awsRegion", "awsKeyId", "awsSecretKey", "awsS3EventType",
        "awsS3CompressionType", "awsS3ObjectPrefix", "awsS3ObjectSuffix", "awsS3EventPerKey",
        // eg's own
        "jsonSafe", "anomalyWarmup",
        // eg-ship's syslog, HEC and Storm extensions
        "syslogProtocol", "syslogFormat", "syslogFraming", "syslogFacility", "syslogSeverity", "syslogAppName",
        "httpeventGzip", "httpeventCooldown", "httpeventPath", "stormstreamUrl",
        // eg-ship's elasticsearch/opensearch and redis outputs
        "elasticsearchUrl", "elasticsearchIndex", "elasticsearchUser", "elasticsearchPassword",
        "elasticsearchApiKey", "elasticsearchBatchSize", "elasticsearchBatchBytes", "elasticsearchAction",
        "elasticsearchAddMetadata",
        "redisHost", "redisPort", "redisKey", "redisMode", "redisFormat", "redisUser", "redisPassword",
        "redisDb", "redisBatchSize",
        // eg-ship's kafka output
        "kafkaBrokers", "kafkaTopic", "kafkaKey", "kafkaFormat", "kafkaHeaders", "kafkaAcks", "kafkaCompression",
        "kafkaBatchSize", "kafkaLingerMs", "kafkaSecurityProtocol", "kafkaSaslMechanism", "kafkaSaslUsername",
        "kafkaSaslPassword", "kafkaSslCaLocation", "kafkaSslCertificateLocation", "kafkaSslKeyLocation",
        "kafkaSslKeyPassword", "kafkaClientId", "kafkaConfig",
    ]

    /// Sub-keys of `token.<n>.<sub>`.
    public static let tokenKeys: Set<String> = ["token", "replacementType", "replacement", "jsonSafe"]

    /// Whether a key is understood: a plain known key, `token.<n>.<known sub-key>` or any `anomaly.<n>.<key>`.
    public static func isKnown(_ key: String) -> Bool {
        if keys.contains(key) { return true }
        if let parts = Settings.numberedParts(key) {
            return parts.prefix == "anomaly" || tokenKeys.contains(parts.rest)
        }
        return false
    }

    /// The keys of `settings` that no eg tool understands, in the settings' order.
    public static func unknownKeys(in settings: Settings) -> [String] {
        settings.keys.filter { !isKnown($0) }
    }
}
