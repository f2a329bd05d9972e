#if canImport(Glibc)
import Glibc
#endif
import CRelp
import Core

/// `syslogout` with `syslogProtocol = relp`: RELP, rsyslog's Reliable Event Logging Protocol, through
/// librelp, for acknowledged delivery (rsyslog's `imrelp` receives it).
///
/// Each batch travels in one RELP session: `open`, one `syslog` command per event (at most
/// `window` of them unacknowledged), `close`. The server answers `close` only after it has
/// acknowledged every message before it, so the batch counts as delivered when the session closes
/// without an error. A session that breaks (a reset, a restarted server, a timeout) is opened again
/// and every event not yet known to be acknowledged is sent again (at-least-once: one the server
/// took just before breaking may arrive twice). Sessions are retried by the `DeliveryPolicy`; after
/// its attempts, or at the shutdown bound, the events not known to be acknowledged are undelivered.
final class RELPOutput: Output {
    let name: String
    let stats = OutputStats()
    private let config: SyslogConfig
    private let policy: DeliveryPolicy
    private let retrier: Retrier
    private var engine: OpaquePointer?
    /// What librelp last reported (its error callback) during the current session.
    fileprivate var sessionError: String?
    /// Messages that may be unacknowledged at once (librelp's default window).
    static let window = 128

    init(config: SyslogConfig, policy: DeliveryPolicy) throws {
        self.config = config
        self.policy = policy
        name = "syslogout:\(config.identity)"
        retrier = policy.retrier(for: name, stats: stats)
        var e: OpaquePointer?
        guard relpEngineConstruct(&e) == RELP_RET_OK, let e else {
            throw EgError.runtime(at: name, "cannot start librelp")
        }
        engine = e
        _ = eg_relp_engine_quiet(e)
        _ = RELPOutput.cString("syslog") { relpEngineSetEnableCmd(e, $0, eRelpCmdState_Required) }
        _ = relpEngineSetOnErr(e) { usr, _, message, code in
            guard let usr else { return }
            let output = Unmanaged<RELPOutput>.fromOpaque(usr).takeUnretainedValue()
            output.sessionError = message.map { String(cString: $0) } ?? "librelp error \(code)"
        }
    }

    deinit {
        if engine != nil { _ = relpEngineDestruct(&engine) }
    }

    func write(_ batch: [ShipEvent]) -> [Undelivered] {
        var messages: [[UInt8]] = []
        messages.reserveCapacity(batch.count)
        var m: [UInt8] = []
        for e in batch {
            m.removeAll(keepingCapacity: true)
            SyslogMessage.append(e, config, to: &m)
            messages.append(m)
        }
        var from = 0
        let failure = retrier.run { _ in
            let (sure, error) = session(messages, from: from)
            from = sure
            return error.map { .retry("\(config.host):\(config.port): \($0)") } ?? .delivered
        }
        if let failure { return batch[from...].map { Undelivered(event: $0, reason: failure) } }
        stats.bytes += messages.reduce(0) { $0 + $1.count }
        return []
    }

    /// Sends `messages[from...]` in one session; returns how many are known to be acknowledged
    /// (all of them, with no error, when the session closed cleanly) and the error, if any.
    private func session(_ messages: [[UInt8]], from start: Int) -> (sure: Int, error: String?) {
        sessionError = nil
        var clt: OpaquePointer?
        guard relpEngineCltConstruct(engine, &clt) == RELP_RET_OK, let c = clt else { return (start, "cannot create a RELP client") }
        var open = true
        defer { if open { _ = relpEngineCltDestruct(engine, &clt) } }
        _ = relpCltSetUsrPtr(c, Unmanaged.passUnretained(self).toOpaque())
        // librelp counts whole seconds: the I/O timeout, cut to the shutdown bound (at least 1).
        let left = policy.shutdown.limit(policy.timeout) - policy.clock.now()
        let seconds = max(1, Int(min(left, 86_400).rounded(.up)))
        _ = relpCltSetTimeout(c, UInt32(seconds))
        _ = relpCltSetConnTimeout(c, Int32(seconds))
        _ = relpCltSetWindowSize(c, Int32(RELPOutput.window))
        let rc = RELPOutput.cString(String(config.port)) { port in
            RELPOutput.cString(config.host) { host in relpCltConnect(c, AF_UNSPEC, port, host) }
        }
        guard rc == RELP_RET_OK else { return (start, sessionError ?? "cannot open a RELP session (librelp error \(rc))") }
        var sure = start
        for k in start..<messages.count {
            if policy.shutdown.expired { return (sure, "shutdown timeout reached") }
            let rc = messages[k].withUnsafeBufferPointer { b in
                relpCltSendSyslog(c, UnsafeMutablePointer(mutating: b.baseAddress!), b.count)
            }
            guard rc == RELP_RET_OK else { return (sure, sessionError ?? "RELP session broken (librelp error \(rc))") }
            // Before message k went out, at most window - 1 were unacknowledged.
            sure = max(sure, k - RELPOutput.window + 1)
        }
        // Closing waits for the answer to `close`, which follows every acknowledgement.
        _ = relpEngineCltDestruct(engine, &clt)
        open = false
        if let e = sessionError { return (sure, e) }
        return (messages.count, nil)
    }

    /// Runs `body` with `s` as a mutable NUL-terminated C string (librelp takes `unsigned char *`).
    private static func cString<T>(_ s: String, _ body: (UnsafeMutablePointer<UInt8>) -> T) -> T {
        var bytes = Array(s.utf8) + [0]
        return bytes.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
    }
}
