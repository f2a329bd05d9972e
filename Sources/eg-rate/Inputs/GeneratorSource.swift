import Core

/// Batches of an Eventum generator's timestamps for the engine: one batch per second of event
/// time (at most `maxBatch` units), each unit released at its own time, so live mode is smooth.
/// The anomaly hook (if any) sees every batch; `limit` (`--count N`) stops after exactly N units;
/// `from` (`--backfill`) drops timestamps before it, `stop` (`--end`) those at or after it. Every
/// shard computes every timestamp and keeps those of its shard (by their number, as samples do).
final class GeneratorSource: BatchSource {
    let sample: Int
    let shard: Shard
    let inputs: GeneratorInputs
    let hook: UnitHook?
    var left: Int64?
    let from: Int64?
    let stop: Int64?
    var seq: Int64 = 0
    var added = addedNumbers
    static let maxBatch = 65_536

    init(sample: Int, inputs: GeneratorInputs, hook: UnitHook?, limit: Int64?, from: EventTime? = nil, stop: EventTime?, shard: Shard = .all) {
        self.sample = sample
        self.shard = shard
        self.inputs = inputs
        self.hook = hook
        left = limit
        self.from = from?.micros
        self.stop = stop?.micros
    }

    var nextStart: EventTime? {
        if let left, left <= 0 { return nil }
        if let from { while let t = inputs.peek, t < from { _ = inputs.next() } }
        guard let t = inputs.peek else { return nil }
        if let stop, t >= stop { return nil }
        return EventTime(micros: t)
    }

    func nextBatch() -> Batch {
        guard let first = nextStart else { return Batch(sample: sample, tick: EventTime(micros: 0), units: [], generated: 0) }
        let lo = first.micros - ((first.micros % 1_000_000) + 1_000_000) % 1_000_000
        let hi = lo + 999_999
        var units: [EventUnit] = []
        while units.count < Self.maxBatch, let t = inputs.peek, t <= hi {
            if let stop, t >= stop { break }
            let (time, input) = inputs.next()!
            units.append(EventUnit(time: time, release: time, item: Int32(input), seq: 0))
        }
        let generated = units.count
        let order = { (a: EventUnit, b: EventUnit) in a.release != b.release ? a.release < b.release : a.item < b.item }
        if let hook {
            // Timestamps keep the numbers they have without the hook; added ones are numbered apart.
            units.sort(by: order)
            for k in units.indices { units[k].seq = seq + Int64(k) }
            hook.adjust(tick: EventTime(micros: lo), lo: lo, hi: hi, units: &units)
        }
        units.sort(by: order)
        if let l = left {
            if Int64(units.count) > l { units.removeLast(units.count - Int(l)) }
            left = l - Int64(units.count)
        }
        if hook == nil {
            for k in units.indices { units[k].seq = seq + Int64(k) }
            seq += Int64(units.count)
        } else {
            for k in units.indices where units[k].seq < 0 { units[k].seq = added; added += 1 }
            seq += Int64(generated)
        }
        if shard.count > 1 { units.removeAll { !shard.keeps($0.seq, sample: sample) } }
        return Batch(sample: sample, tick: EventTime(micros: lo), units: units, generated: generated)
    }

    /// The pool the engine writes from: one record per input, `{"sample": NAME, "tags": [...]}`.
    static func pool(name: String, tags: [[String]]) -> EncodedPool {
        let records = tags.map { t in
            Record(fields: [JSONField("sample", .string(name)), JSONField("tags", .array(t.map { .string($0) }))])
        }
        return EncodedPool(records: records, locations: records.map { _ in "generator \(name)" })
    }
}
