#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Core

/// Runs a shipment: reads records, routes events to their outputs' batches, and around that a
/// timer thread (time-based batch flushes, `--stats`) and a signal thread (SIGINT/SIGTERM: a
/// `StopRequest`, so the input is read until it ends or drains, then everything is delivered and
/// the summary printed as at a normal end). One lock serialises the three. When the input goes
/// quiet, the stdout and file outputs are flushed at once (`RecordInputs.onIdle`).
final class ShipEngine {
    private let options: ShipOptions
    private let router: Router
    private let failures: FailureSink
    private let ctx: OutputContext
    private var mutex = pthread_mutex_t()
    private var finished = false
    private let started = monotonicSeconds()

    init(options: ShipOptions) throws {
        self.options = options
        let ctx = OutputContext()
        ctx.format = options.format
        ctx.retry = options.retry
        ctx.gzip = options.gzip
        ctx.insecure = options.insecure
        ctx.keepAnomaly = options.keepAnomaly
        self.ctx = ctx
        failures = try FailureSink(deadLetterPath: options.deadLetter)
        router = Router(ctx: ctx, overrides: options.overrides, modeOverride: options.mode,
                        batchEvents: options.batchEvents, batchBytes: options.batchBytes, failures: failures)
        pthread_mutex_init(&mutex, nil)
    }

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return try body()
    }

    /// Reads every record of `inputs` and delivers the events; throws a runtime error when some
    /// could not be delivered (after printing the summary), an input error for a malformed record.
    func run(inputs: RecordInputs) throws {
        startSignalThread()
        startTimerThread()
        inputs.onIdle = { [self] in
            locked {
                for d in router.deliveries where d.output is StdoutOutput || d.output is FileOutput { d.flushAll() }
            }
        }
        do {
            // Events of outputs that write `_raw` lines go through `RecordView` and a `LineBatch`
            // (no Record, no String); everything else through `handle`.
            // The lock is taken once per run of lines already in the input buffer (up to
            // `linesPerLock`), not per event; it is never held while waiting for input.
            var view = RecordView()
            var routes = LineRouteCache()
            while !ctx.stdout.isClosed, let first = try inputs.nextLine() {
                pthread_mutex_lock(&mutex)
                defer { pthread_mutex_unlock(&mutex) }
                var line = first
                var n = 0
                while true {
                    try ship(line, view: &view, routes: &routes, inputs: inputs)
                    n += 1
                    guard n < ShipEngine.linesPerLock, let next = inputs.nextBufferedLine() else { break }
                    line = next
                }
            }
        } catch {
            locked { finish() }
            throw error
        }
        try locked {
            finish()
            try checkFailures()
        }
    }

    /// Lines handled per lock: bounds how long the timer and signal threads may wait.
    static let linesPerLock = 4096

    /// Ships one input line (the caller holds the lock).
    @inline(__always)
    private func ship(_ line: UnsafeBufferPointer<UInt8>, view: inout RecordView, routes: inout LineRouteCache,
                      inputs: RecordInputs) throws {
        if view.scan(line), !view.isStanza, view.rawIndex >= 0, view.members[view.rawIndex].kind == .string {
            let d = try routes.delivery(for: view, router: router)
            if d.takesLines {
                d.addLine(view, rawIndex: view.rawIndex, input: inputs.name, lineNumber: inputs.lineNumber)
                return
            }
        }
        let record = try inputs.record(from: line)
        if record.isStanza { routes.reset() }
        try handle(record, at: inputs.location)
    }

    private func handle(_ record: Record, at location: String) throws {
        if record.isStanza {
            try router.configure(StanzaRecord(record: record, location: location))
            return
        }
        guard case .string(let raw)? = record["_raw"] else {
            throw EgError.input(at: location, record["_raw"] == nil
                ? "event record has no \"_raw\" field (expected {\"_raw\": \"...\", ...})"
                : "\"_raw\" must be a string")
        }
        let sample = record.string("sample")
        let route = try router.route(sample)
        let event = ShipEvent(record: record, raw: raw, time: record.time,
                              index: record.string("index") ?? route.index,
                              host: record.string("host") ?? route.host,
                              source: record.string("source") ?? route.source,
                              sourcetype: record.string("sourcetype") ?? route.sourcetype,
                              sample: sample ?? "", location: location)
        route.delivery.add(event)
    }

    /// Sends everything pending, closes outputs and prints the summary (once).
    private func finish() {
        guard !finished else { return }
        finished = true
        for d in router.deliveries { d.close() }
        try? ctx.stdout.flush()
        failures.close()
        if !options.quiet { Diagnostics.write(summary(final: true)) }
    }

    private func checkFailures() throws {
        let n = failures.undeliveredCount
        guard n > 0 else { return }
        var message = "\(n) event\(n == 1 ? "" : "s") could not be delivered"
        if let dl = options.deadLetter { message += "; written to \(dl)" }
        throw EgError.runtime(message)
    }

    /// Per-output counters, one line each.
    func summary(final: Bool) -> String {
        let label = final ? "summary" : "stats"
        let elapsed = monotonicSeconds() - started
        var out = ""
        if router.deliveries.isEmpty { out += "eg-ship: \(label): no events\n" }
        for d in router.deliveries { out += "eg-ship: \(label): \(d.output.name) \(d.stats.line)\n" }
        if final || !router.deliveries.isEmpty {
            let e = router.deliveries.reduce(0) { $0 + $1.stats.events }
            let rate = elapsed > 0 ? Int(Double(e) / elapsed) : 0
            if router.deliveries.count > 1 || !final {
                out += "eg-ship: \(label): total events=\(e) failed=\(failures.undeliveredCount) elapsed=\(String(format: "%.1f", elapsed))s rate=\(rate)/s\n"
            }
        }
        return out
    }

    private func startTimerThread() {
        let interval = options.flushInterval
        let statsEvery = options.stats ? options.statsInterval : 0
        let thread = Thread { [self] in
            var nextStats = monotonicSeconds() + statsEvery
            let tick = UInt32(max(0.01, min(0.1, interval / 4)) * 1_000_000)
            while true {
                usleep(tick)
                locked {
                    if finished { return }
                    let now = monotonicSeconds()
                    for d in router.deliveries { d.flushIfDue(now: now, maxDelay: interval) }
                    if statsEvery > 0, now >= nextStats {
                        Diagnostics.write(summary(final: false))
                        nextStats = now + statsEvery
                    }
                }
            }
        }
        thread.start()
    }

    private func startSignalThread() {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &set, nil)
        let waitSet = set
        let thread = Thread {
            var sig: Int32 = 0
            var s = waitSet
            sigwait(&s, &sig)
            Shutdown.requested = true
            StopRequest.request()
            // A second signal: stop at once.
            sigwait(&s, &sig)
            _exit(128 + sig)
        }
        thread.start()
    }
}
