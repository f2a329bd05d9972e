import Core

/// One output with its batch: events are collected until the batch holds `maxEvents` events or
/// `maxBytes` bytes of `_raw`, or its oldest event is `maxDelay` seconds old, then handed to the
/// output. The output delivers synchronously, so a slow receiver slows the reader instead of
/// growing memory: at most one batch per output is held.
final class Delivery {
    let output: Output
    var stats: OutputStats { output.stats }
    private let maxEvents: Int
    private let maxBytes: Int
    /// (Touched per event under the engine's lock: `@exclusivity(unchecked)`, no dynamic access checks.)
    @exclusivity(unchecked) private var pending: [ShipEvent] = []
    private var pendingBytes = 0
    @exclusivity(unchecked) private var oldest = 0.0
    private let failures: FailureSink
    /// The byte-level batch and the output that takes it, for outputs that write each `_raw` as
    /// bytes of its own (`Delivery.lineOutput`; nil for others).
    let rawLines: LineBatch?
    private let lineOutput: LineBatchOutput?
    /// Whether `rawLines` takes `_raw` decoded (`LineBatch.takesDecoded`).
    let linesTakeDecoded: Bool
    /// How long this output's batch may wait (an Eventum output's `flush_interval`); nil: `--flush-interval`.
    var maxDelay: Double?

    init(output: Output, maxEvents: Int, maxBytes: Int, failures: FailureSink) {
        self.output = output
        self.maxEvents = max(1, maxEvents)
        self.maxBytes = max(1, maxBytes)
        self.failures = failures
        pending.reserveCapacity(min(self.maxEvents, 1 << 16))
        if let (o, shape) = Delivery.lineOutput(output) {
            lineOutput = o
            rawLines = LineBatch(shape: shape)
        } else {
            lineOutput = nil
            rawLines = nil
        }
        linesTakeDecoded = rawLines?.takesDecoded ?? false
    }

    /// Adds an event seen through `view` to the line batch (only when `takesLines`), sending the
    /// batch when it is full; `decoded` is its `_raw` decoded. `input`/`lineNumber` locate it for
    /// failure reports. False when the event needs its `Record` (the formatter refuses it: `add`
    /// reports it in order).
    func addLine(_ view: RecordView, rawIndex: Int, decoded: UnsafeBufferPointer<UInt8>, input: String, lineNumber: Int) -> Bool {
        guard let b = rawLines else { return false }
        if !pending.isEmpty { send() }
        if !b.isEmpty, b.input != input { send() }
        if b.isEmpty { oldest = monotonicSeconds(); b.input = input }
        guard b.add(view: view, rawIndex: rawIndex, decoded: decoded, record: view.line, lineNumber: lineNumber) else { return false }
        if b.count >= maxEvents || b.textBytes >= maxBytes { send() }
        return true
    }

    /// Adds an event, sending the batch when it is full.
    func add(_ e: ShipEvent) {
        if let b = rawLines, !b.isEmpty { sendLines(b) }
        if pending.isEmpty { oldest = monotonicSeconds() }
        pendingBytes += e.raw.utf8.count
        pending.append(e)
        if pending.count >= maxEvents || pendingBytes >= maxBytes { send() }
    }

    /// Sends the batch if its oldest event has waited `maxDelay` seconds; flushes the output then.
    func flushIfDue(now: Double, maxDelay: Double) {
        guard !pending.isEmpty || rawLines?.isEmpty == false, now - oldest >= maxDelay else { return }
        send()
        flushOutput()
    }

    /// Sends whatever is pending and flushes the output.
    func flushAll() {
        send()
        flushOutput()
    }

    private func flushOutput() {
        do { try output.flush() } catch {
            failures.report(output: output.name, message: describe(error))
        }
    }

    private func send() {
        if let b = rawLines, !b.isEmpty { sendLines(b) }
        guard !pending.isEmpty else { return }
        let batch = pending
        pending.removeAll(keepingCapacity: true)
        pendingBytes = 0
        let before = output.unconfirmed
        account(handed: batch.count, failed: output.write(batch), unconfirmedBefore: before)
    }

    /// Counts the outcome of handing `handed` events to the output: those it gave up on failed,
    /// those it still holds unconfirmed (TCP, awaiting acknowledgement) neither yet, the rest
    /// (including earlier unconfirmed events confirmed meanwhile) delivered.
    private func account(handed: Int, failed: [Undelivered], unconfirmedBefore: Int) {
        let delivered = handed - failed.count - (output.unconfirmed - unconfirmedBefore)
        output.stats.events += delivered
        output.stats.failed += failed.count
        if handed > 0 && failed.count < handed { output.stats.batches += 1 }
        if !failed.isEmpty { failures.undelivered(output: output.name, failed) }
    }

    private func sendLines(_ b: LineBatch) {
        guard let o = lineOutput else { return }
        let (delivered, reason) = o.writeLines(b)
        let failed = delivered < b.count ? b.undelivered(from: delivered, reason: reason ?? "not delivered") : []
        output.stats.events += delivered
        output.stats.failed += b.count - delivered
        if delivered > 0 { output.stats.batches += 1 }
        if !failed.isEmpty { failures.undelivered(output: output.name, failed) }
        b.removeAll()
    }

    /// Sends what is pending, waits (within the shutdown bound) for the output's confirmation of
    /// what it holds unconfirmed, and closes the output.
    func close() {
        send()
        let before = output.unconfirmed
        account(handed: 0, failed: output.drain(), unconfirmedBefore: before)
        do { try output.close() } catch {
            failures.report(output: output.name, message: describe(error))
        }
    }
}
