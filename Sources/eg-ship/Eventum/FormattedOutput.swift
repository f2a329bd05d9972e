import Core

/// An output of an Eventum generator: its `EventumFormatter` in front of the eg output that
/// delivers (stdout, file, http, tcp, ...). Per-event formatters replace each event's text; an
/// event they refuse is returned undelivered with the reason (so it is reported, counted and
/// dead-lettered, never dropped silently). `json-batch` makes one event of the batch, a JSON array,
/// and maps the output's answer for it back onto every event of the batch, also for outputs that
/// confirm later (TCP): `unconfirmed` and `drain` speak of the original events.
final class FormattedOutput: Output {
    let inner: Output
    let formatter: EventumFormatter
    var name: String { inner.name }
    var stats: OutputStats { inner.stats }
    /// json-batch: the events of each array handed to `inner` and not yet confirmed, oldest first.
    private var groups: [(id: Int, events: [ShipEvent])] = []
    private var nextGroup = 0
    private var scratch: [UInt8] = []

    init(inner: Output, formatter: EventumFormatter) {
        self.inner = inner
        self.formatter = formatter
    }

    func write(_ batch: [ShipEvent]) -> [Undelivered] {
        var refused: [Undelivered] = []
        if formatter.batches { return writeArray(batch) }
        var formatted: [ShipEvent] = []
        formatted.reserveCapacity(batch.count)
        for e in batch {
            scratch.removeAll(keepingCapacity: true)
            do {
                try formatter.append(e.raw, to: &scratch)
            } catch {
                refused.append(Undelivered(event: e, reason: "\(formatter.identity) formatter: \(describe(error))"))
                continue
            }
            var f = e
            f.raw = String(decoding: scratch, as: UTF8.self)
            formatted.append(f)
        }
        return refused + (formatted.isEmpty ? [] : inner.write(formatted))
    }

    private func writeArray(_ batch: [ShipEvent]) -> [Undelivered] {
        var refused: [Undelivered] = []
        var ok: [ShipEvent] = []
        var body: [UInt8] = [UInt8(ascii: "[")]
        for e in batch {
            let mark = body.count
            if !ok.isEmpty { body.append(UInt8(ascii: ",")) }
            do {
                try formatter.append(e.raw, to: &body)
            } catch {
                body.removeSubrange(mark...)
                refused.append(Undelivered(event: e, reason: "\(formatter.identity) formatter: \(describe(error))"))
                continue
            }
            ok.append(e)
        }
        guard !ok.isEmpty else { return refused }
        body.append(UInt8(ascii: "]"))
        let id = nextGroup
        nextGroup += 1
        var merged = ok[0]
        merged.raw = String(decoding: formatter.batchArray(body), as: UTF8.self)
        merged.record = Record(fields: [JSONField("_egGroup", .int(id))])
        groups.append((id, ok))
        let failed = inner.write([merged])
        return refused + settle(failed)
    }

    /// Maps the answers for arrays back onto their events and forgets the arrays that are settled
    /// (delivered or failed; the unconfirmed ones are the newest).
    private func settle(_ failed: [Undelivered]) -> [Undelivered] {
        var out: [Undelivered] = []
        for f in failed {
            guard case .number(let t)? = f.event.record["_egGroup"], let id = Int(t),
                  let k = groups.firstIndex(where: { $0.id == id }) else { continue }
            out += groups[k].events.map { Undelivered(event: $0, reason: f.reason) }
            groups.remove(at: k)
        }
        let open = inner.unconfirmed
        if groups.count > open { groups.removeFirst(groups.count - open) }
        return out
    }

    var unconfirmed: Int {
        guard formatter.batches else { return inner.unconfirmed }
        return groups.suffix(inner.unconfirmed).reduce(0) { $0 + $1.events.count }
    }

    func drain() -> [Undelivered] {
        let failed = inner.drain()
        return formatter.batches ? settle(failed) : failed
    }

    func flush() throws { try inner.flush() }

    func close() throws { try inner.close() }
}
