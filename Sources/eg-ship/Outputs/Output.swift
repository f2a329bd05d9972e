import Core
import Synchronization

/// A destination for events: stdout, a file, Splunk, syslog, ...
///
/// `Delivery` hands an output batches (already sized by the batching policy). `write` delivers
/// one batch, retrying as the protocol allows, and returns the events it finally could not
/// deliver; it updates its `stats` (bytes, retries). New outputs (e.g. Elasticsearch `_bulk`,
/// Redis RESP) conform to this protocol and register a mode in `OutputFactory`.
protocol Output: AnyObject {
    /// A short name for messages and the summary, e.g. `file:/var/log/x.log`.
    var name: String { get }
    /// Counters the output updates (bytes sent, retries).
    var stats: OutputStats { get }
    /// Delivers `batch`; returns the events that could not be delivered, with the reason.
    func write(_ batch: [ShipEvent]) -> [Undelivered]
    /// Pushes out anything the output buffers itself (a write buffer, an open connection's data).
    func flush() throws
    /// Flushes and releases the output's resources; called once at the end.
    func close() throws
    /// Events handed over by `write` that the receiver has not confirmed yet (TCP outputs: bytes
    /// not yet acknowledged); they count as neither delivered nor failed until it does.
    var unconfirmed: Int { get }
    /// Waits, within the shutdown bound, for the confirmation of the unconfirmed events; returns
    /// those that could not be confirmed. Called once at the end, before `close`.
    func drain() -> [Undelivered]
}

extension Output {
    func flush() throws {}
    func close() throws { try flush() }
    var unconfirmed: Int { 0 }
    func drain() -> [Undelivered] { [] }

    /// Runs `body` for the whole batch; an error fails every event of the batch with its text.
    func all(_ batch: [ShipEvent], _ body: () throws -> Void) -> [Undelivered] {
        do {
            try body()
            return []
        } catch {
            let reason = describe(error)
            return batch.map { Undelivered(event: $0, reason: reason) }
        }
    }
}

/// An event an output gave up on, and why.
struct Undelivered {
    var event: ShipEvent
    var reason: String
}

/// Text of an error for messages (EgError without the location clutter).
func describe(_ error: Error) -> String {
    if let e = error as? EgError { return e.description }
    return "\(error)"
}

/// Per-output counters for `--stats` and the summary. One thread (the one delivering, under the
/// engine's lock) updates them; the stats timer reads them at any time, even while a request hangs.
final class OutputStats: Sendable {
    private let eventCount = Atomic<Int>(0)
    private let byteCount = Atomic<Int>(0)
    private let batchCount = Atomic<Int>(0)
    private let retryCount = Atomic<Int>(0)
    private let failedCount = Atomic<Int>(0)
    private let deletedCount = Atomic<Int>(0)

    /// Events delivered.
    var events: Int {
        get { eventCount.load(ordering: .relaxed) }
        set { eventCount.store(newValue, ordering: .relaxed) }
    }
    /// Bytes written or sent (the wire payload, before compression).
    var bytes: Int {
        get { byteCount.load(ordering: .relaxed) }
        set { byteCount.store(newValue, ordering: .relaxed) }
    }
    /// Batches (or requests) delivered.
    var batches: Int {
        get { batchCount.load(ordering: .relaxed) }
        set { batchCount.store(newValue, ordering: .relaxed) }
    }
    /// Attempts that failed and were tried again.
    var retries: Int {
        get { retryCount.load(ordering: .relaxed) }
        set { retryCount.store(newValue, ordering: .relaxed) }
    }
    /// Events that could not be delivered.
    var failed: Int {
        get { failedCount.load(ordering: .relaxed) }
        set { failedCount.store(newValue, ordering: .relaxed) }
    }
    /// Events delivered and later deleted by the output itself (file rotation's oldest backup).
    var deleted: Int {
        get { deletedCount.load(ordering: .relaxed) }
        set { deletedCount.store(newValue, ordering: .relaxed) }
    }

    /// `events=N bytes=N batches=N retries=N failed=N`, and `deleted=N` when rotation deleted some.
    var line: String {
        "events=\(events) bytes=\(bytes) batches=\(batches) retries=\(retries) failed=\(failed)"
            + (deleted > 0 ? " deleted=\(deleted)" : "")
    }
}
