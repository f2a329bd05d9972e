#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Synchronization
import Core

/// Runs a shipment: reads records, routes events to their outputs' batches, and around that a
/// timer thread (time-based batch flushes, `--stats`) and a signal thread (SIGINT/SIGTERM begin the
/// shutdown bound and a `StopRequest`: the input is read until it ends or drains, so what the
/// tools before eg-ship flush on the same signal is shipped too; what is buffered then gets at most
/// `--shutdown-timeout` seconds from the signal, then the summary and exit). When the input goes
/// quiet, the stdout and file outputs write what they hold at once (`RecordInputs.onIdle`).
/// Everything the three threads share lives in one `Mutex`; the counters `--stats` prints are
/// atomic (`StatsBoard`), so they print while a request holds the lock.
final class ShipEngine: Sendable {
    /// The routing and delivery state, only touched under the lock.
    private struct State {
        let router: Router
        let failures: FailureSink
        let ctx: OutputContext
        var view = RecordView()
        /// Where the scan writes each line's decoded `_raw` (reused from line to line).
        var decoded = RawVec<UInt8>(capacity: 1 << 16)
        var routes = LineRouteCache()
        var finished = false
    }

    private let options: ShipOptions
    private let state: Mutex<State>
    private let board = StatsBoard()
    private let shutdown: Shutdown
    private let timerStopped = Atomic<Bool>(false)
    private let started = monotonicSeconds()

    init(options: ShipOptions, shutdown: Shutdown = Shutdown()) throws {
        var options = options
        options.policy.shutdown = shutdown
        self.options = options
        self.shutdown = shutdown
        let ctx = OutputContext()
        ctx.format = options.format
        ctx.policy = options.policy
        ctx.gzip = options.gzip
        ctx.insecure = options.insecure
        ctx.keepAnomaly = options.keepAnomaly
        let failures = try FailureSink(deadLetterPath: options.deadLetter, board: board)
        let router = Router(ctx: ctx, overrides: options.overrides, modeOverride: options.mode,
                            batchEvents: options.batchEvents, batchBytes: options.batchBytes,
                            formatGiven: options.formatGiven, failures: failures, board: board)
        state = Mutex(State(router: router, failures: failures, ctx: ctx))
    }

    deinit { state.withLock { $0.decoded.deallocate() } }

    /// One input line handed into the lock (the bytes stay valid until the input reads on).
    private struct Line: @unchecked Sendable {
        let bytes: UnsafeBufferPointer<UInt8>
    }

    /// Reads every record of `inputs` and delivers the events; throws a runtime error when some
    /// could not be delivered (after printing the summary), an input error for a malformed record.
    func run(inputs: RecordInputs) throws {
        startSignalThread()
        startTimerThread()
        inputs.onIdle = { [self] in
            state.withLock { s in
                for d in s.router.deliveries where d.isLocal { d.flushAll() }
            }
        }
        do {
            // Events of outputs that write `_raw` lines go through `RecordView` and a `LineBatch`
            // (no Record, no String); everything else through `handle`.
            // The lock is taken once per run of lines already in the input buffer (up to
            // `linesPerLock`), not per event; it is never held while waiting for input. After a
            // signal the input is read until it ends or drains (`LineReader`), and what it held is
            // shipped within the deadline. A stdout whose reader has gone ends the reading.
            while true {
                guard let first = try inputs.nextBufferedLine() ?? inputs.nextLine() else { break }
                var line = Line(bytes: first)
                let stop = try state.withLock { s -> Bool in
                    guard !s.finished else { return true }
                    var n = 0
                    while true {
                        if try !shipLine(line.bytes, &s, input: inputs.name, lineNumber: inputs.lineNumber) {
                            let record = try inputs.record(from: line.bytes)
                            if record.isStanza { s.routes.reset() }
                            try handle(record, at: inputs.location, s.router)
                        }
                        n += 1
                        guard n < ShipEngine.linesPerLock, let next = inputs.nextBufferedLine() else { break }
                        line = Line(bytes: next)
                    }
                    return s.ctx.stdout.isClosed
                }
                if stop { break }
            }
        } catch {
            shutdown.begin(timeout: options.policy.shutdownTimeout)
            // An error before any event reached an output (a bad stanza, a malformed first
            // record) comes alone: there is nothing to summarise.
            state.withLock { finish(&$0, summary: !$0.router.deliveries.isEmpty) }
            throw error
        }
        shutdown.begin(timeout: options.policy.shutdownTimeout)
        try state.withLock { s in
            finish(&s)
            try checkFailures(s)
        }
    }

    /// Lines handled per lock: bounds how long the timer and signal threads may wait.
    static let linesPerLock = 4096

    /// Ships one input line on the line path when its output takes `_raw` lines (the caller holds
    /// the lock); false when the line needs its `Record` (`handle`).
    @inline(__always)
    private func shipLine(_ line: UnsafeBufferPointer<UInt8>, _ s: inout State, input: String, lineNumber: Int) throws -> Bool {
        let raw = s.decoded.reserveTail(line.count &+ 8)
        // `_raw` is decoded during the scan when the last line's batch took it decoded (a `json`
        // layout reads the escaped bytes instead), else afterwards when this line's batch wants it.
        let decoding = s.routes.decodesRaw
        guard decoding ? s.view.scan(line, decodingRawTo: raw) : s.view.scan(line), !s.view.isStanza,
              s.view.rawIndex >= 0, s.view.members[s.view.rawIndex].kind == .string else {
            return false
        }
        guard let d = try s.routes.delivery(for: s.view, router: s.router), d.takesLines else { return false }
        var n = s.view.decodedRaw
        if n < 0, d.linesTakeDecoded { n = RecordView.decode(s.view.escapedString(s.view.rawIndex)!, to: raw) }
        return d.addLine(s.view, rawIndex: s.view.rawIndex, decoded: UnsafeBufferPointer(start: raw, count: max(n, 0)),
                         input: input, lineNumber: lineNumber)
    }

    private func handle(_ record: Record, at location: String, _ router: Router) throws {
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
        for d in route.others { d.add(event) }
    }

    /// Sends everything pending, closes outputs, stops the timer and prints the summary (once).
    /// The shutdown bound has begun: what cannot be delivered before its deadline is dead-lettered.
    private func finish(_ s: inout State, summary printSummary: Bool = true) {
        guard !s.finished else { return }
        s.finished = true
        for d in s.router.deliveries { d.close() }
        try? s.ctx.stdout.flush()
        s.failures.close()
        timerStopped.store(true, ordering: .releasing)
        if printSummary && !options.quiet { Diagnostics.write(summary(final: true)) }
    }

    private func checkFailures(_ s: State) throws {
        let n = s.failures.undeliveredCount
        guard n > 0 else { return }
        var message = "\(n) event\(n == 1 ? "" : "s") could not be delivered"
        message += s.failures.deadLetterNote
        throw EgError.runtime(message)
    }

    /// Per-output counters, one line each.
    func summary(final: Bool) -> String {
        board.summary(final: final, elapsed: monotonicSeconds() - started)
    }

    /// The timer: flushes batches whose oldest event has waited `--flush-interval` (when the lock
    /// is free: a busy lock means the reader is delivering anyway) and prints `--stats` (without
    /// the lock). It ends when the run finishes.
    private func startTimerThread() {
        let interval = options.flushInterval
        let statsEvery = options.stats ? options.statsInterval : 0
        let tick = max(0.01, min(0.1, interval / 4, statsEvery > 0 ? statsEvery / 4 : 0.1))
        let thread = Thread { [self] in
            var nextStats = monotonicSeconds() + statsEvery
            while !timerStopped.load(ordering: .acquiring) {
                SystemClock().sleep(tick)
                let now = monotonicSeconds()
                state.withLockIfAvailable { s in
                    guard !s.finished else { return }
                    for d in s.router.deliveries { d.flushIfDue(now: now, maxDelay: d.maxDelay ?? interval) }
                }
                if statsEvery > 0, now >= nextStats, !timerStopped.load(ordering: .acquiring) {
                    Diagnostics.write(summary(final: false))
                    nextStats = now + statsEvery
                }
            }
        }
        thread.start()
    }

    /// The signal thread: SIGINT or SIGTERM begins the shutdown bound and requests a stop, so the
    /// reader reads its input until it ends or drains (`LineReader`) and finishes the run; a
    /// second signal ends eg-ship at once.
    private func startSignalThread() {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_BLOCK, &set, nil)
        let waitSet = set
        let thread = Thread { [self] in
            var sig: Int32 = 0
            var s = waitSet
            sigwait(&s, &sig)
            shutdown.begin(timeout: options.policy.shutdownTimeout)
            StopRequest.request()
            sigwait(&s, &sig)
            _exit(128 + sig)
        }
        thread.start()
    }
}
