import Core

/// eg-rate's anomaly scenario for a run: reads every sample's `anomaly.<n>.*` settings and the
/// `--anomaly` flags, places each anomaly in the sample's generated span (seeded), installs the
/// injectors, rewrites the stanza records it passes on (with the id, the resolved window and the
/// resolved new value, so eg-tokenize can apply value anomalies), and writes the labels.
public final class AnomalyScenario {
    /// One sample with anomalies.
    public struct SampleAnomalies {
        public var name: String
        public var spanStart: Int64
        public var spanEnd: Int64?
        public var warmup: Double
        public var injector: AnomalyInjector
        /// The settings eg-rate passes on in the sample's stanza record.
        public var settings: Settings
    }

    public private(set) var samples: [SampleAnomalies] = []
    public let seed: UInt64
    /// The text the settings hash is computed over (every sample's anomaly keys, sorted).
    public private(set) var hashInput = ""

    /// `flags` are the `--anomaly` values (`key=value,...`; `sample=NAME` limits one to a sample).
    public init(samples prepared: inout [RateCommand.PreparedSample], flags: [String], timing: RunTiming, seed: UInt64) throws {
        self.seed = seed
        let parsedFlags = try flags.map { try AnomalySpec.parseFlag($0) }
        var hashLines: [String] = []
        for k in prepared.indices {
            var settings = prepared[k].plan.settings
            let name = prepared[k].plan.name
            var next = (settings.anomalies().map(\.number).max() ?? 0) + 1
            for pairs in parsedFlags {
                if let only = pairs.first(where: { $0.0 == "sample" })?.1, only != name { continue }
                for (key, v) in pairs where key != "sample" { settings.set("anomaly.\(next).\(key)", v) }
                next += 1
            }
            let specs = try AnomalySpec.all(settings, sample: name)
            if specs.isEmpty { continue }
            let plan = prepared[k].plan
            if plan.disabled { continue }
            guard plan.mode == .sample else {
                throw EgError.config(at: "stanza [\(settings.stanza)]", "anomalies need mode = sample (replay keeps the original timing)")
            }
            // The span: first tick to one interval after the last tick.
            var lattice = TickLattice(plan: plan, timing: timing)
            let spanStart = lattice.first.micros
            var spanEnd: Int64?
            if plan.end != .forever || !timing.batch {
                if plan.end != .forever {
                    var last = spanStart - plan.intervalMicros
                    while let t = lattice.peek { last = t.micros; lattice.advance() }
                    spanEnd = last + plan.intervalMicros
                }
            }
            let warm = specs.first?.warmup ?? 0.15
            var actives: [AnomalyInjector.Active] = []
            let pool = prepared[k].pool
            var checked = plan
            checked.settings = settings
            try checked.checkVolume(pool: pool)
            for (i, spec) in specs.enumerated() {
                var rng = SeededRandom(seed: plan.seed, stream: "\(name)/anomaly.\(spec.number)/place")
                let w = try AnomalyWindow.place(spec, spanStart: spanStart, spanEnd: spanEnd, now: timing.now, zone: plan.zone, rng: &rng)
                let a = AnomalyInjector.Active(spec: spec, window: w, tag: Int32(i), pool: pool, seed: plan.seed, sample: name)
                let p = "anomaly.\(spec.number)."
                settings.setIfAbsent(p + "id", spec.id)
                settings.set(p + "resolvedStart", EpochText.format(EventTime(micros: w.start)))
                settings.set(p + "resolvedEnd", EpochText.format(EventTime(micros: w.end)))
                if spec.type == .newValue && spec.values == nil && spec.value == nil, let tk = spec.token {
                    let ipv4: Bool
                    if let kind = spec.raw["kind"] { ipv4 = kind == "ipv4" } else {
                        ipv4 = AnomalyText.looksIPv4(pattern: settings["token.\(tk).token"], replacement: settings["token.\(tk).replacement"])
                    }
                    let v = AnomalyText.newValue(ipv4: ipv4, seed: plan.seed, id: spec.id)
                    a.resolvedValue = v
                    settings.set(p + "resolvedValue", v)
                }
                actives.append(a)
                var tf: [UInt8] = Array(",\"anomaly\":".utf8)
                JSONWriter.appendString(spec.id, to: &tf)
                pool.tagFields.append(tf)
                hashLines.append(contentsOf: spec.raw.keys.sorted().filter { !$0.hasPrefix("resolved") }.map { "\(name)\tanomaly.\(spec.number).\($0)=\(spec.raw[$0]!)" })
            }
            let injector = AnomalyInjector(anomalies: actives, pool: pool)
            prepared[k].plan.unitHook = injector
            samples.append(SampleAnomalies(name: name, spanStart: spanStart, spanEnd: spanEnd, warmup: warm,
                                           injector: injector, settings: settings))
        }
        hashInput = hashLines.joined(separator: "\n")
    }

    /// The stanza records to pass on: those of samples with anomalies carry the resolved settings.
    public func rewrite(_ records: [Record]) throws -> [Record] {
        records.map { r in
            guard let name = r.sample, let s = samples.first(where: { $0.name == name }) else { return r }
            var out = r
            out["settings"] = .object(s.settings.pairs.map { JSONField($0.0, .string($0.1)) })
            return out
        }
    }

    /// `--preview`: show untargeted volume anomalies in the chart.
    public func attachPreview(_ prepared: inout [RateCommand.PreparedSample]) {
        for k in prepared.indices {
            guard let s = samples.first(where: { $0.name == prepared[k].plan.name }) else { continue }
            prepared[k].plan.modifiers.append(AnomalyPreviewModifier(s.injector.anomalies))
        }
    }
}
