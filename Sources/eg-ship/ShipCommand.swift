import Core

/// eg-ship's command line: options, their mapping onto settings, and the run.
enum ShipCommand {
    static let spec = CommandSpec(
        name: "eg-ship",
        usage: ["[OPTIONS] [FILE...]"],
        summary: "Read the eg record stream (from eg-tokenize, or any NDJSON records with _raw) and deliver each event to the output its sample's stanza names (outputMode and that mode's keys), or to the output the options choose: stdout, devnull, file, spool, modinput, splunkstream, httpevent, stormstream, syslogout, tcpout, udpout, elasticsearch (or opensearch), redis, kafka, clickhouse, http. Events are batched by size and time; network outputs retry; what cannot be delivered is reported, counted and optionally kept in a dead-letter file.",
        options: [
            OptionSpec("o", "output", value: "MODE",
                       help: "Send every event to MODE (an outputMode: stdout, devnull, file, spool, modinput, splunkstream, httpevent, stormstream, syslogout, tcpout, udpout, elasticsearch, opensearch, redis, kafka, clickhouse, http) instead of its stanza's outputMode. Default when neither says: stdout."),
            OptionSpec("f", "file", value: "PATH",
                       help: "Set fileName to PATH for every sample; implies --output file unless --output is given. The file is never rotated unless --file-max-bytes, --file-backups or --set fileMaxBytes=N asks for it (outputMode = file in a conf rotates at eventgen's 10 MiB with 5 backups)."),
            OptionSpec("file-max-bytes", value: "N",
                       help: "Rotate the file output when the next line would pass N bytes (fileMaxBytes; 0: never rotate)."),
            OptionSpec("file-backups", value: "N",
                       help: "Keep N rotated backups, deleting the oldest (fileBackupFiles; 0: truncate instead). Events that rotation deletes are counted in the summary (deleted=N)."),
            OptionSpec("format", value: "raw|json",
                       help: "What stdout, file, spool, tcpout and udpout write per event: the _raw line (raw, the default) or the whole record as one JSON line (json)."),
            OptionSpec("s", "set", value: "KEY=VALUE",
                       help: "Set an output key for every sample, overriding the stanza (repeatable), e.g. --set httpeventServers='{\"servers\":[...]}' or --set syslogFormat=rfc5424."),
            OptionSpec("batch-size", value: "N",
                       help: "Send a batch when it holds N events (default: the stanza's maxQueueLength, else 10000 for stdout and devnull, 1000 for file, spool and httpevent, 100 for the others)."),
            OptionSpec("batch-bytes", value: "N",
                       help: "Send a batch when its events' _raw reach N bytes (default 1048576)."),
            OptionSpec("flush-interval", value: "SECONDS",
                       help: "Send a batch whose oldest event has waited this long, even if it is not full (default 1)."),
            OptionSpec("retries", value: "N",
                       help: "Retry a failed network send up to N times, with exponential backoff (default 4)."),
            OptionSpec("retry-delay", value: "SECONDS",
                       help: "The first backoff delay; it doubles with each retry, up to 10 seconds, and each wait is drawn between half and all of it (jitter); a server's Retry-After is honoured up to 60 seconds (default 0.5)."),
            OptionSpec("timeout", value: "SECONDS",
                       help: "Connect, send and response timeout of network outputs (default 30)."),
            OptionSpec("shutdown-timeout", value: "SECONDS",
                       help: "After SIGTERM, SIGINT or the end of the input, delivery of what is buffered (retries, hanging requests, TCP send queues) gets at most this long; what is still undelivered then is reported and dead-lettered, and the exit status is 1 (default 5)."),
            OptionSpec("cooldown", value: "SECONDS",
                       help: "How long a HEC server or Splunk host that failed httpeventAllowFailureCount times in a row stays out of rotation (default 30)."),
            OptionSpec("gzip", help: "Compress HEC payloads and ClickHouse inserts (Content-Encoding: gzip); the same as httpeventGzip = true and clickhouseGzip = true."),
            OptionSpec("insecure",
                       help: "Do not verify the TLS certificates of https outputs (httpevent, splunkstream, elasticsearch, stormstream): accept self-signed ones, such as Splunk's default HEC certificate."),
            OptionSpec("dead-letter", value: "FILE",
                       help: "Append every event that could not be delivered to FILE as its NDJSON record, after a stanza record with the output settings it was shipped with, so that eg-ship FILE later sends it where it was going."),
            OptionSpec("keep-anomaly", help: "Keep the anomaly field in records written with --format json, Elasticsearch documents and Redis json values (it is dropped by default)."),
            OptionSpec("stats", help: "Print per-output counters on stderr every few seconds while running."),
            OptionSpec("stats-interval", value: "SECONDS", help: "How often --stats prints (default 5)."),
            OptionSpec("q", "quiet", help: "Do not print the summary at the end (failures are still reported)."),
        ] + OutputFlags.options)

    /// Runs eg-ship with parsed arguments.
    static func run(_ args: ParsedArguments) throws {
        let options = try ShipOptions(args)
        let engine = try ShipEngine(options: options)
        try engine.run(inputs: RecordInputs(paths: args.positionals))
    }
}
