import Core

/// Decides, per event, which output it goes to and with what default metadata: each sample's
/// stanza record (with command-line overrides) chooses its `outputMode` and that mode's keys. An
/// Eventum generator's stanza record names its outputs instead (`EventumOutputPlan`): every event
/// goes to each of them. A command-line choice of output (`--output`, `--file`, `--es-*`, ...)
/// replaces them with that one output, built from the generator's output of the same kind (if it
/// has one) with the flags' keys on top; `--set` keys apply to every output; `--format` replaces
/// the generators' formatters.
final class Router {
    /// One sample's destinations and metadata defaults.
    struct Route {
        let delivery: Delivery
        /// Further outputs every event also goes to (an Eventum generator's other outputs).
        let others: [Delivery]
        let index: String
        let host: String
        let source: String
        let sourcetype: String
    }

    private let ctx: OutputContext
    private let overrides: [(String, String)]
    private let modeOverride: String?
    private let batchEvents: Int?
    private let batchBytes: Int
    /// `--format` was given: it replaces Eventum formatters.
    private let formatGiven: Bool
    let failures: FailureSink
    private let board: StatsBoard
    private var routes: [String: Route] = [:]
    private var bare: Route?
    /// Every output in the order first used.
    private(set) var deliveries: [Delivery] = []
    private var byKey: [String: Delivery] = [:]

    init(ctx: OutputContext, overrides: [(String, String)], modeOverride: String?, batchEvents: Int?,
         batchBytes: Int, formatGiven: Bool = false, failures: FailureSink, board: StatsBoard) {
        self.ctx = ctx
        self.formatGiven = formatGiven
        self.overrides = overrides
        self.modeOverride = modeOverride
        self.batchEvents = batchEvents
        self.batchBytes = batchBytes
        self.failures = failures
        self.board = board
    }

    /// Configures the route of the stanza's sample (a later stanza record for the same sample replaces it).
    func configure(_ stanza: StanzaRecord) throws {
        if let eventum = stanza.eventum, eventum["output"] != nil {
            routes[stanza.sample] = try makeGeneratorRoute(stanza, eventum)
            return
        }
        routes[stanza.sample] = try makeRoute(sample: stanza.sample, stanza: stanza.settings, name: stanza.stanza)
    }

    /// The route of an Eventum generator: one delivery per output of its `output:` list, or the
    /// command line's output.
    private func makeGeneratorRoute(_ stanza: StanzaRecord, _ eventum: JSONValue) throws -> Route {
        let plans = try EventumOutputPlan.plans(eventum)
        let sample = stanza.sample
        var chosen = plans
        if let m = modeOverride {
            let same = { (p: EventumOutputPlan) in p.mode == m || (Set([p.mode, m]) == Set(["elasticsearch", "opensearch"])) }
            if let base = plans.first(where: same) {
                var p = base
                p.mode = m
                chosen = [p]
            } else {
                return try makeRoute(sample: sample, stanza: stanza.settings, name: stanza.stanza)
            }
        }
        var given = Settings(stanza.settings.map { ($0.key, $0.value) } + overrides)
        if let m = modeOverride { given.set("outputMode", m) }
        failures.remember(sample: sample, stanza: stanza.stanza, settings: given.pairs, eventum: modeOverride == nil ? eventum : nil)
        var deliveries: [Delivery] = []
        var s0: SampleSettings?
        for plan in chosen {
            let s = try SampleSettings(sample: sample, stanza: stanza.settings + plan.settings.map { (key: $0.0, value: $0.1) },
                                       overrides: overrides, name: stanza.stanza)
            let octx = ctx.applying(plan.tweaks)
            if formatGiven { octx.format = ctx.format }
            let formatter = formatGiven ? EventumFormatter.plain : plan.formatter
            let built = try OutputFactory.plan(mode: plan.mode, s, octx)
            // Outputs to one destination share a delivery only when their formatter and TLS, proxy
            // and framing tweaks agree too.
            let key = built.key + (formatter.kind == .plain ? "" : " formatter=\(formatter.identity)") + " tweaks=\(plan.tweaks)"
            if let d = byKey[key] {
                if !deliveries.contains(where: { $0 === d }) { deliveries.append(d) }
            } else {
                let events = batchEvents ?? OutputFactory.defaultBatch(plan.mode)
                let output = try built.make()
                let d = Delivery(output: formatter.kind == .plain ? output : FormattedOutput(inner: output, formatter: formatter),
                                 maxEvents: events, maxBytes: batchBytes, failures: failures)
                d.maxDelay = plan.tweaks.flushInterval
                byKey[key] = d
                self.deliveries.append(d)
                board.add(name: d.output.name, stats: d.stats)
                deliveries.append(d)
            }
            if modeOverride == nil, case .object(let fields) = eventum {
                let only = JSONValue.object(fields.map { $0.key == "output" ? JSONField("output", .array([plan.spec])) : $0 })
                failures.remember(sample: sample, output: deliveries.last!.output.name, eventum: only)
            }
            if s0 == nil { s0 = s }
        }
        guard let first = deliveries.first, let s = s0 else {
            throw EgError.config(at: stanza.conf, "generator \(stanza.stanza) has no outputs")
        }
        return Route(delivery: first, others: Array(deliveries.dropFirst()),
                     index: s.string("index", default: "main"),
                     host: s.string("host", default: "127.0.0.1"),
                     source: s.string("source", default: sample),
                     sourcetype: s.string("sourcetype", default: "eventgen"))
    }

    /// The route of `sample`; events of samples without a stanza record use flags and defaults
    /// (events without a `sample` use the stanza record of sample "", as a dead letter holds it).
    func route(_ sample: String?) throws -> Route {
        if let r = routes[sample ?? ""] { return r }
        if let b = bare { return b }
        let r = try makeRoute(sample: "", stanza: [], name: "")
        bare = r
        return r
    }

    private func makeRoute(sample: String, stanza: [(key: String, value: String)], name: String) throws -> Route {
        let s = try SampleSettings(sample: sample, stanza: stanza, overrides: overrides, name: name.isEmpty ? sample : name)
        let mode = (modeOverride ?? s.string("outputMode") ?? "stdout").lowercased()
        let plan = try OutputFactory.plan(mode: mode, s, ctx)
        var given = Settings(stanza.map { ($0.key, $0.value) } + overrides)
        given.set("outputMode", mode)
        failures.remember(sample: sample, stanza: name.isEmpty ? sample : name, settings: given.pairs)
        let delivery: Delivery
        if let d = byKey[plan.key] {
            delivery = d
        } else {
            let events = try batchEvents ?? {
                let q = try s.int("maxQueueLength", default: 0)
                return q > 0 ? q : OutputFactory.defaultBatch(mode)
            }()
            delivery = Delivery(output: try plan.make(), maxEvents: events, maxBytes: batchBytes, failures: failures)
            byKey[plan.key] = delivery
            deliveries.append(delivery)
            board.add(name: delivery.output.name, stats: delivery.stats)
        }
        return Route(delivery: delivery, others: [],
                     index: s.string("index", default: "main"),
                     host: s.string("host", default: "127.0.0.1"),
                     source: s.string("source", default: sample.isEmpty ? "eventgen" : sample),
                     sourcetype: s.string("sourcetype", default: "eventgen"))
    }
}
