import Core

/// Decides, per event, which output it goes to and with what default metadata: each sample's
/// stanza record (with command-line overrides) chooses its `outputMode` and that mode's keys.
final class Router {
    /// One sample's destination and metadata defaults.
    struct Route {
        let delivery: Delivery
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
    let failures: FailureSink
    private let board: StatsBoard
    private var routes: [String: Route] = [:]
    private var bare: Route?
    /// Every output in the order first used.
    private(set) var deliveries: [Delivery] = []
    private var byKey: [String: Delivery] = [:]

    init(ctx: OutputContext, overrides: [(String, String)], modeOverride: String?, batchEvents: Int?,
         batchBytes: Int, failures: FailureSink, board: StatsBoard) {
        self.ctx = ctx
        self.overrides = overrides
        self.modeOverride = modeOverride
        self.batchEvents = batchEvents
        self.batchBytes = batchBytes
        self.failures = failures
        self.board = board
    }

    /// Configures the route of the stanza's sample (a later stanza record for the same sample replaces it).
    func configure(_ stanza: StanzaRecord) throws {
        routes[stanza.sample] = try makeRoute(sample: stanza.sample, stanza: stanza.settings, name: stanza.stanza)
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
        return Route(delivery: delivery,
                     index: s.string("index", default: "main"),
                     host: s.string("host", default: "127.0.0.1"),
                     source: s.string("source", default: sample.isEmpty ? "eventgen" : sample),
                     sourcetype: s.string("sourcetype", default: "eventgen"))
    }
}
