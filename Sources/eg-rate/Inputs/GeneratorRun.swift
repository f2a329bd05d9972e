import Core

/// How eg-rate prepares an Eventum generator's stanza: its inputs from the `eventum` member, a pool
/// of one record per input, and, when anomalies are asked for, the generated span (first timestamp
/// to one second after the last) that anomaly windows are placed in.
enum GeneratorRun {
    /// At most this many timestamps are simulated to find the span.
    static let spanCap = 10_000_000

    static func prepare(plan: inout SamplePlan, eventum: JSONValue, _ o: RateCommand.Options) throws -> RateCommand.PreparedSample {
        let now = o.start ?? o.now
        let inputs = try GeneratorInputs(eventum: eventum, name: plan.name, now: now, zone: plan.zone, seed: plan.seed)
        plan.intervalMicros = 1_000_000
        plan.intervalSeconds = 1
        plan.end = .forever
        plan.backfill = nil
        if o.anomalyFlags || !plan.settings.anomalies().isEmpty {
            let probe = try GeneratorInputs(eventum: eventum, name: plan.name, now: now, zone: plan.zone, seed: plan.seed)
            if let from = o.generatorFrom?.micros { while let t = probe.peek, t < from { _ = probe.next() } }
            if let first = probe.peek, first < now.micros {
                plan.backfill = RelativeTime(kind: .instant(EventTime(micros: first)))
            }
            if probe.finite || o.generatorCount != nil || o.generatorEnd != nil {
                var last: Int64?
                var n: Int64 = 0
                let cap = min(o.generatorCount ?? Int64(spanCap), Int64(spanCap))
                while n < cap, let (t, _) = probe.next() {
                    if let e = o.generatorEnd, t >= e.micros { break }
                    last = t
                    n += 1
                }
                if let last { plan.end = .time(EventTime(micros: last) + 1_000_000) }
            }
        }
        var p = RateCommand.PreparedSample(plan: plan, pool: GeneratorSource.pool(name: plan.name, tags: inputs.tags), timeline: nil)
        p.generator = inputs
        p.eventum = eventum
        return p
    }
}
