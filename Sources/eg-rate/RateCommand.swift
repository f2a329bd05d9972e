import Core
import Foundation

/// eg-rate's command line and its top level: read the stream, resolve each sample's plan, then
/// preview, or pass the stanza records through and generate (batch or live).
public enum RateCommand {
    public static let spec = CommandSpec(
        name: "eg-rate",
        usage: ["[OPTIONS] [FILE...]"],
        summary: "Reads an eg record stream (stanza records and sample pools, as eg-sample writes them) and writes events with times: per sample, count events per interval rated by the time being generated, backfill, batch spans, live pacing and replay.",
        options: [
            OptionSpec("c", "count", value: "N", help: "Events (or bundles) per interval before rating: -1 the whole sample, 0 none (overrides count). For an Eventum generator: exactly N events in all, in batch mode unless --live is given."),
            OptionSpec("i", "interval", value: "SECONDS", help: "Seconds between intervals; 0 or less means every second (overrides interval; in replay the pause between passes)."),
            OptionSpec("earliest", value: "TIME", help: "Start of each interval's time window, relative to the interval's time, e.g. -15s (overrides earliest)."),
            OptionSpec("latest", value: "TIME", help: "End of each interval's time window, e.g. now or +15s (overrides latest)."),
            OptionSpec("backfill", value: "TIME", help: "Generate history from TIME (e.g. -7d or -1d@d) up to now, each slice rated by its own time (overrides backfill). For an Eventum generator: keep its timestamps from TIME on (its inputs still begin where generator.yml says)."),
            OptionSpec("end", value: "N|TIME", help: "Stop after N intervals (replay: passes) or when generation reaches TIME, and run in batch mode: as fast as possible, no sleeping (overrides end)."),
            OptionSpec("start", value: "TIME", help: "Begin generating at TIME (relative or absolute) instead of now; with --end, a batch span from TIME. A generator's inputs count their relative times from TIME and give nothing before it (--backfill gives history)."),
            OptionSpec("now", value: "TIME", help: "Pin the clock: the run's now is TIME (relative or absolute) instead of the wall clock."),
            OptionSpec("live", help: "Eventum generators: release each event at its own time even when --count or finite inputs would make the run batch."),
            OptionSpec("burst", help: "Live mode: release each interval's events at once at the interval's time instead of at their own timestamps."),
            OptionSpec("timezone", value: "ZONE", help: "Zone for rates, snaps and times: local, UTC or an offset like -0500 (overrides timezone)."),
            OptionSpec("shard", value: "I/N", help: "Write only shard I of N; shards 0 to N-1 together give exactly the unsharded output, after eg-tokenize too (events carry their number, _seq). Default: EG_SHARD=I/N, else JOB_COMPLETION_INDEX (a Kubernetes Indexed Job) of EG_SHARDS=N."),
            OptionSpec("preview", help: "Print a chart of the expected events per hour over a day and per day over a week for each sample, instead of events."),
            OptionSpec("s", "sample", value: "NAME", help: "Name of the ad-hoc sample made of bare events that have no stanza record (default: their sample field, else stdin)."),
            OptionSpec("anomaly", value: "SPEC", help: "Add a labelled anomaly to every sample (or to sample=NAME): comma-separated anomaly settings, e.g. type=spike,start=random,duration=30m,factor=10. Repeatable; numbered after the stanza's anomaly.<n> groups."),
            OptionSpec("labels", value: "FILE", help: "Write the ground truth of the run's anomalies to FILE as JSON lines: a header, then one line per anomaly with its window, parameters and event counts."),
            OptionSpec("stats", help: "Print progress on stderr every few seconds: the event time reached, events written and events/s; batch runs with a known end also the percentage done and an estimate of the time left. A summary line at the end."),
            OptionSpec("stats-interval", value: "SECONDS", help: "How often --stats prints (default 5; implies --stats)."),
            OptionSpec("labels-format", value: "jsonl|nab", help: "nab: also write NAB-style windows {\"<sample>\": [[\"start\", \"end\"], ...]} to FILE.nab.json (a .jsonl suffix replaced); default jsonl."),
        ])

    /// The parsed flags.
    public struct Options {
        public var overrides: [(String, String)] = []
        public var now: EventTime
        public var start: EventTime?
        public var endGiven = false
        public var burst = false
        public var shard = Shard.all
        public var preview = false
        public var sampleName: String?
        public var seed: UInt64?
        public var zone: TimeZoneSetting = .local
        /// `--stats`: seconds between progress lines (0: none).
        public var statsEvery = 0.0
        /// `--live`: Eventum generators stay live even with --count or finite inputs.
        public var live = false
        /// `--count N` for Eventum generators: exactly N events each.
        public var generatorCount: Int64?
        /// `--end` for Eventum generators: nothing at or after it.
        public var generatorEnd: EventTime?
        /// `--backfill TIME` for Eventum generators: timestamps before it are dropped (their inputs
        /// still begin where generator.yml says).
        public var generatorFrom: EventTime?
        /// `--anomaly` flags were given (generators then compute their span).
        public var anomalyFlags = false
    }

    /// Reads the flags; `wallNow` is the wall clock (tests pass a fixed one).
    public static func options(_ args: ParsedArguments, wallNow: EventTime = .now()) throws -> Options {
        var zone = TimeZoneSetting.local
        if let z = args.value("timezone") { zone = try TimeZoneSetting.parse(z, at: "--timezone") }
        let now = try args.value("now").map { try RelativeTime.parse($0, at: "--now").resolve(now: wallNow, zone: zone) } ?? wallNow
        var o = Options(now: now)
        o.zone = zone
        if let c = try args.int("count") {
            o.overrides.append(("count", String(c)))
            o.generatorCount = c >= 0 ? Int64(c) : nil
        }
        o.live = args.has("live")
        o.anomalyFlags = !args.values("anomaly").isEmpty
        if let i = try args.int("interval") { o.overrides.append(("interval", String(i))) }
        for key in ["earliest", "latest", "backfill"] {
            if let v = args.value(key) {
                let t = try RelativeTime.parse(v, at: "--\(key)")
                o.overrides.append((key, v))
                if key == "backfill" { o.generatorFrom = t.resolve(now: now, zone: zone) }
            }
        }
        if let e = args.value("end") {
            _ = try EndCondition.parse(e, now: now, zone: zone, at: "--end")
            o.overrides.append(("end", e))
            o.endGiven = true
            switch try EndCondition.parse(e, now: now, zone: zone, at: "--end") {
            case .time(let t): o.generatorEnd = t
            case .intervals(let n):
                // N seconds from the start, ending at the year 9999 at the latest.
                let from = try args.value("start").map { try RelativeTime.parse($0, at: "--start").resolve(now: now, zone: zone) } ?? now
                let (span, over) = Int64(n).multipliedReportingOverflow(by: 1_000_000)
                o.generatorEnd = EventTime(micros: over || span > EventTime.lastMicros - from.micros ? EventTime.lastMicros : from.micros + span)
            case .forever: break
            }
        }
        if let z = args.value("timezone") { o.overrides.append(("timezone", z)) }
        o.start = try args.value("start").map { try RelativeTime.parse($0, at: "--start").resolve(now: now, zone: zone) }
        // A generator begins at --start: its inputs' relative times count from it, and what
        // they would give before it (a `start: -7d@w1`) is left out, unless --backfill asks for history.
        if o.generatorFrom == nil { o.generatorFrom = o.start }
        o.burst = args.has("burst")
        o.shard = try Shard.resolve(flag: args.value("shard"), environment: Shard.environment())
        o.preview = args.has("preview")
        o.sampleName = args.value("sample")
        o.seed = try args.seed()
        if args.has("stats") || args.value("stats-interval") != nil {
            o.statsEvery = 5
            if let v = args.value("stats-interval") {
                guard let d = Double(v), d.isFinite, d >= 0.1, d <= 86_400 else {
                    throw EgError.usage("--stats-interval expects seconds between 0.1 and 86400, got '\(v)'")
                }
                o.statsEvery = d
            }
        }
        return o
    }

    /// A sample ready to run: its plan, encoded pool and (replay) timeline.
    public struct PreparedSample {
        public var plan: SamplePlan
        public var pool: EncodedPool
        public var timeline: ReplayTimeline?
        /// An Eventum generator's inputs (the stanza record's `eventum` member), nil for eventgen samples.
        var generator: GeneratorInputs? = nil
        var eventum: JSONValue? = nil
    }

    /// Resolves every sample of the stream; a sample whose settings are refused is reported on
    /// standard error (when `report`) and left out, so one stanza's problem never stops the others.
    public static func prepare(_ input: StreamInput, _ o: Options, runSeed: UInt64,
                               refused: inout [RefusedSample], report: Bool = true) throws -> [PreparedSample] {
        var out: [PreparedSample] = []
        var entries: [(name: String, settings: Settings, records: [Record], locations: [String], adHoc: Bool, eventum: JSONValue?, confDir: String?, sampleDir: String?)] = []
        for s in input.stanzas {
            var settings = s.located
            for (k, v) in o.overrides where s.eventum == nil || !["count", "end"].contains(k) { settings.set(k, v) }
            let pool = input.pools[s.sample] ?? ([], [])
            entries.append((s.sample, settings, pool.records, pool.locations, false, s.eventum,
                            s.conf.map { ($0 as NSString).deletingLastPathComponent }, s.sampleDir))
        }
        if !input.bare.records.isEmpty {
            let name = o.sampleName ?? input.bare.records.first?.sample ?? "stdin"
            var settings = Settings(stanza: name)
            for (k, v) in o.overrides { settings.set(k, v) }
            entries.append((name, settings, input.bare.records, input.bare.locations, true, nil, nil, nil))
        }
        var index = 0
        for e in entries {
            do {
                out.append(try prepareOne(e, index: index, o, runSeed: runSeed))
                index += 1
            } catch let error as EgError where error.kind == .config || error.kind == .input {
                // A lone sample's error is the run's error; among others it is reported and skipped.
                if entries.count == 1 { throw error }
                if report { Diagnostics.error(error, tool: spec.name) }
                refused.append(RefusedSample(name: e.name, error: error))
            }
        }
        return out
    }

    /// Resolves one sample: its plan, encoded pool and (replay) timeline.
    static func prepareOne(_ e: (name: String, settings: Settings, records: [Record], locations: [String], adHoc: Bool, eventum: JSONValue?, confDir: String?, sampleDir: String?),
                           index: Int, _ o: Options, runSeed: UInt64) throws -> PreparedSample {
        let stanzaSeed = try e.settings.string("seed").map { text -> UInt64 in
            guard let v = RandomSeed.parse(text) else { throw e.settings.invalid("seed", text, "an integer") }
            return v
        }
        var plan = try SamplePlan(name: e.name, index: index, settings: e.settings, now: o.now,
                                  seed: o.seed ?? stanzaSeed ?? runSeed)
        if let eventum = e.eventum { return try GeneratorRun.prepare(plan: &plan, eventum: eventum, o) }
        let pool = EncodedPool(records: e.records, locations: e.locations, extendIndexes: plan.extendIndexes,
                               addSample: e.adHoc && o.sampleName != nil ? e.name : nil)
        pool.marksCycles = e.settings.string("generator") == "jinja"
        if plan.perDayVolume != nil {
            let measure = GeneratedSize(settings: e.settings, now: o.now, zone: plan.zone, confDir: e.confDir, sampleDir: e.sampleDir)
            if !measure.isEmpty { pool.remeasure(measure.size) }
        }
        if !plan.disabled { try plan.checkVolume(pool: pool) }
        var timeline: ReplayTimeline?
        if plan.mode == .replay && !plan.disabled {
            let parser = try ReplayTimeParser(settings: e.settings, zone: plan.zone,
                                              defaultYear: plan.zone.civil(o.now).year)
            if parser.isEmpty && pool.count > 0 {
                throw EgError.config(at: "stanza [\(e.settings.stanza)]",
                                     "mode = replay needs a timestamp or replaytimestamp token to read each event's original time")
            }
            let t = ReplayTimeline(pool: pool, timeField: plan.timeField, parser: parser, timeMultiple: plan.timeMultiple)
            if t.tooLong {
                throw e.settings.problem("timeMultiple", e.settings.string("timeMultiple") ?? "1",
                                         "stretches the sample's time span past ten thousand years")
            }
            if t.unparsed > 0 {
                Diagnostics.warning("\(t.unparsed) of \(pool.count) events have no time the timestamp tokens can read in \(plan.timeField) and are not replayed; first: \(t.firstUnparsed ?? "")",
                                    at: "sample \(e.name)", tool: spec.name)
            }
            if t.negativeGaps > 0 {
                Diagnostics.warning("\(t.negativeGaps) events are earlier than the event before them; their gaps count as 0",
                                    at: "sample \(e.name)", tool: spec.name)
            }
            timeline = t
        }
        if plan.mode == .sample, o.start == nil, let b = plan.backfill, b.resolve(now: o.now, zone: plan.zone) >= o.now + plan.delayMicros {
            Diagnostics.warning("backfill = \(e.settings.string("backfill") ?? "") is not in the past: no history; as in eventgen it still counts as the first of end's intervals",
                                at: "sample \(e.name)", tool: spec.name)
        }
        return PreparedSample(plan: plan, pool: pool, timeline: timeline)
    }

    /// The `seed` every stanza record carries alike (as eg-sample --seed writes it), or nil.
    static func travelledSeed(_ stanzas: [StanzaRecord]) -> UInt64? {
        let seeds = Set(stanzas.map { $0.setting("seed") })
        guard seeds.count == 1, let s = seeds.first ?? nil else { return nil }
        return RandomSeed.parse(s)
    }

    /// Whether the run is batch: `--end`, or every sample has an `end`.
    public static func isBatch(_ samples: [PreparedSample], _ o: Options) -> Bool {
        if o.live { return false }
        if o.endGiven { return true }
        let active = samples.filter { !$0.plan.disabled }
        return !active.isEmpty && active.allSatisfy { s in
            if let g = s.generator { return o.generatorCount != nil || g.finite }
            return s.plan.end != .forever
        }
    }

    /// The batch sources of the enabled samples.
    public static func sources(_ samples: [PreparedSample], timing: RunTiming, shard: Shard, _ o: Options? = nil) -> [BatchSource] {
        samples.filter { !$0.plan.disabled }.map { s -> BatchSource in
            if let g = s.generator {
                return GeneratorSource(sample: s.plan.index, inputs: g, hook: s.plan.unitHook, limit: o?.generatorCount, from: o?.generatorFrom, stop: o?.generatorEnd, shard: shard)
            }
            if let t = s.timeline { return ReplaySource(plan: s.plan, timeline: t, timing: timing, shard: shard) }
            return IntervalGenerator(plan: s.plan, pool: s.pool, timing: timing, shard: shard)
        }
    }

    /// The tool's body.
    public static func run(_ args: ParsedArguments) throws {
        let o = try options(args)
        let input = try StreamInput(inputs: RecordInputs(paths: args.positionals))
        // A seed that travelled in the stanza records (eg-sample --seed) seeds the run as --seed would.
        let runSeed = o.seed ?? travelledSeed(input.stanzas) ?? RandomSeed.fresh()
        var refused: [RefusedSample] = []
        var samples = try prepare(input, o, runSeed: runSeed, refused: &refused)
        let output = OutputBuffer()
        let batch = isBatch(samples, o)
        let timing = RunTiming(now: o.now, start: o.start, batch: batch, burst: o.burst)
        let labels = try AnomalyRun(args, samples: &samples, timing: timing, seed: runSeed)
        if o.preview {
            labels.scenario.attachPreview(&samples)
            for s in samples {
                if let e = s.eventum {
                    try output.write(try GeneratorPreview.render(s, eventum: e, now: o.now) + "\n")
                    continue
                }
                try output.write(Preview.render(s.plan, pool: s.pool, timeline: s.timeline, now: o.now) + "\n")
            }
            try output.flush()
            return
        }
        let engine = Engine(sources: sources(samples, timing: timing, shard: o.shard, o),
                            pools: samples.map(\.pool), clock: batch ? nil : SystemClock(start: o.now), output: output)
        if o.statsEvery > 0 { engine.stats = RateStats(every: o.statsEvery, span: RateStats.span(samples, timing: timing)) }
        // A reader that has gone (`| head`) ends the generation early; the labels are written all the same.
        try OutputClosed.absorb {
            for r in try labels.scenario.rewrite(input.stanzaRecords) {
                // --seed travels on to eg-tokenize in the stanza records, and so does the shard.
                var r = o.seed.map { StanzaRecord.withSeed(r, $0) } ?? r
                if o.shard.count > 1 { r["shard"] = .string(o.shard.text) }
                try output.write(r)
            }
            try engine.run()
            try output.flush()
        }
        engine.stats?.finish()
        try labels.finish()
        if !refused.isEmpty { throw RefusedSample.summary(refused, ran: samples.filter { !$0.plan.disabled }.map(\.plan.name)) }
    }
}
