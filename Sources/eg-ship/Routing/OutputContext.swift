import Core

/// What every output is built with besides its sample's settings: command-line choices and shared
/// resources (standard output's buffer, the delivery policy).
final class OutputContext {
    var format: LineFormat = .raw
    var policy = DeliveryPolicy()
    var insecure = false
    var gzip: Bool?
    /// `--keep-anomaly`: outputs that send records or documents keep the `anomaly` field.
    var keepAnomaly = false
    let stdout: OutputBuffer
    /// What an Eventum generator's output asks beyond eg's keys (framing, file mode, TLS).
    var tweaks = OutputTweaks()

    init(stdout: OutputBuffer = OutputBuffer()) {
        self.stdout = stdout
    }

    /// This context for one output of an Eventum generator: its tweaks applied, the same stdout.
    func applying(_ t: OutputTweaks) -> OutputContext {
        let c = OutputContext(stdout: stdout)
        c.format = t.separator.map { .separated($0) } ?? format
        c.policy = policy
        if let timeout = t.timeout { c.policy.timeout = timeout }
        c.insecure = insecure || t.insecure
        c.gzip = gzip
        c.keepAnomaly = keepAnomaly
        c.tweaks = t
        return c
    }
}

/// One sample's settings as eg-ship reads them: the stanza's keys with flag overrides applied and
/// `${secrets.NAME}` references resolved (`Secrets.resolve`).
struct SampleSettings {
    var sample: String
    var settings: Settings

    init(sample: String, stanza: [(key: String, value: String)], overrides: [(String, String)], name: String) throws {
        self.sample = sample
        var s = Settings(stanza: name)
        for (k, v) in stanza { s.set(k, v) }
        for (k, v) in overrides { s.set(k, v) }
        for (k, v) in s.pairs where Secrets.hasReference(v) {
            do { s.set(k, try Secrets.resolve(v)) } catch let e as Secrets.Missing {
                throw EgError.config(at: s.location(of: k), "[\(name)] \(k) = \(v): \(e.advice)")
            }
        }
        settings = s
    }

    func string(_ key: String) -> String? {
        guard let v = settings.string(key), !v.isEmpty else { return nil }
        return v
    }

    func string(_ key: String, default d: String) -> String { string(key) ?? d }

    func int(_ key: String, default d: Int) throws -> Int { try settings.int(key) ?? d }

    func double(_ key: String, default d: Double) throws -> Double {
        guard let v = try settings.double(key) else { return d }
        guard v.isFinite else { throw settings.invalid(key, settings.string(key) ?? "", "a finite number") }
        return v
    }

    func bool(_ key: String, default d: Bool) -> Bool { settings.bool(key) ?? d }

    /// A port number (1...65535).
    func port(_ key: String, default d: Int) throws -> Int {
        let p = try int(key, default: d)
        guard (1...65535).contains(p) else { throw settings.invalid(key, String(p), "a port number 1-65535") }
        return p
    }

    /// One of `choices` (case-insensitive), lower-cased.
    func choice(_ key: String, _ choices: [String], default d: String) throws -> String {
        let v = string(key, default: d).lowercased()
        guard choices.contains(v) else { throw settings.invalid(key, v, choices.joined(separator: ", ")) }
        return v
    }

    func invalid(_ key: String, _ expected: String) -> EgError {
        settings.invalid(key, settings.string(key) ?? "", expected)
    }
}
