import Core

/// eg-ship's options after parsing and validation.
struct ShipOptions: Sendable {
    var mode: String?
    var overrides: [(String, String)] = []
    var format: LineFormat = .raw
    /// `--format` was given (it then replaces Eventum generators' formatters).
    var formatGiven = false
    var batchEvents: Int?
    var batchBytes = 1 << 20
    var flushInterval = 1.0
    var policy = DeliveryPolicy()
    var gzip: Bool?
    var insecure = false
    var deadLetter: String?
    var keepAnomaly = false
    var stats = false
    var statsInterval = 5.0
    var quiet = false

    init(_ a: ParsedArguments) throws {
        mode = a.value("output")?.lowercased()
        if let f = a.value("file") {
            overrides.append(("fileName", f))
            if mode == nil { mode = "file" }
        }
        for (flag, key) in [("file-max-bytes", "fileMaxBytes"), ("file-backups", "fileBackupFiles")] {
            guard let n = try a.int(flag) else { continue }
            guard n >= 0 else { throw EgError.usage("--\(flag) expects 0 or more, got \(n)") }
            overrides.append((key, String(n)))
        }
        try OutputFlags.apply(a, overrides: &overrides, mode: &mode)
        if let m = mode, !OutputFactory.modes.contains(m) {
            throw EgError.usage("--output expects one of \(OutputFactory.modes.joined(separator: ", ")), got '\(m)'")
        }
        if let f = a.value("format") {
            formatGiven = true
            switch f {
            case "raw": format = .raw
            case "json": format = .json(keepAnomaly: a.has("keep-anomaly"))
            default: throw EgError.usage("--format expects raw or json, got '\(f)'")
            }
        }
        for kv in a.values("set") {
            guard let eq = kv.firstIndex(of: "="), eq != kv.startIndex else {
                throw EgError.usage("--set expects KEY=VALUE, got '\(kv)'")
            }
            overrides.append((String(kv[..<eq]), String(kv[kv.index(after: eq)...])))
        }
        // `--file PATH` is one file: no rotation unless the command line asks for it.
        if a.value("file") != nil, !overrides.contains(where: { $0.0 == "fileMaxBytes" || $0.0 == "fileBackupFiles" }) {
            overrides.append(("fileMaxBytes", "0"))
        }
        batchEvents = try positive(a, "batch-size")
        batchBytes = try positive(a, "batch-bytes") ?? batchBytes
        flushInterval = try seconds(a, "flush-interval") ?? flushInterval
        if let r = try a.int("retries") {
            guard (0...1000).contains(r) else { throw EgError.usage("--retries expects 0 to 1000, got \(r)") }
            policy.attempts = r + 1
        }
        policy.baseDelay = try seconds(a, "retry-delay") ?? policy.baseDelay
        policy.timeout = try seconds(a, "timeout") ?? policy.timeout
        policy.cooldown = try seconds(a, "cooldown") ?? policy.cooldown
        policy.shutdownTimeout = try seconds(a, "shutdown-timeout") ?? policy.shutdownTimeout
        policy.seed = RandomSeed.fresh()
        if a.has("gzip") { gzip = true }
        insecure = a.has("insecure")
        deadLetter = a.value("dead-letter")
        keepAnomaly = a.has("keep-anomaly")
        stats = a.has("stats")
        statsInterval = try seconds(a, "stats-interval") ?? statsInterval
        quiet = a.has("quiet")
    }

    private func positive(_ a: ParsedArguments, _ name: String) throws -> Int? {
        guard let v = try a.int(name) else { return nil }
        guard v > 0 else { throw EgError.usage("--\(name) expects a positive integer, got \(v)") }
        return v
    }

    private func seconds(_ a: ParsedArguments, _ name: String) throws -> Double? {
        guard let v = try a.double(name) else { return nil }
        guard v >= 0, v <= 1e6 else { throw EgError.usage("--\(name) expects a number of seconds from 0 to 1000000, got \(v)") }
        return v
    }
}
