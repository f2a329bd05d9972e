import Core
import Foundation

/// eg-tokenize's command line and main loop: stanza records configure a `TokenSet` per sample
/// (and pass through); event records get their tokens substituted; bundles (consecutive events
/// with the same `sample` and `_bundle`) are processed as one unit.
enum TokenizeCommand {
    static let spec = CommandSpec(
        name: "eg-tokenize",
        usage: ["[OPTIONS] [FILE...]"],
        summary: "Replaces the tokens of each event's _raw (and host) as eventgen's token settings describe: static, timestamp, replaytimestamp, random, rated, file, mvfile, seqfile and integerid. Reads the record stream from the FILEs or standard input; stanza records configure each sample and pass through; events come out in the same order with _raw substituted. Each distinct sample line is compiled once, so no regex runs per event.",
        options: [
            OptionSpec("t", "token", value: "REGEX", help: "Add an ad-hoc token: a Python regex whose group 1 (or whole match) is replaced. Repeatable; each --token takes the --type and --replacement that follow it. Ad-hoc tokens run after the stanza's tokens."),
            OptionSpec("type", value: "TYPE", help: "The replacement type of the preceding --token: static, timestamp, replaytimestamp, random, rated, file, mvfile, seqfile or integerid."),
            OptionSpec("r", "replacement", value: "R", help: "The replacement of the preceding --token, as token.N.replacement would give it (a format, integer[a:b], a file path, ...)."),
            OptionSpec("s", "sample", value: "NAME", help: "Apply the ad-hoc tokens only to events of sample NAME (default: every event); also the sample name used for events that have none."),
            OptionSpec("timezone", value: "TZ", help: "Read and write times in TZ (local, UTC, or an offset like -0500), overriding the stanza's timezone setting."),
            OptionSpec("template", value: "FILE", help: "Render the Jinja template FILE for every event instead of substituting tokens: the event's fields (and _time as epoch seconds) are its variables, the output becomes _raw; an empty rendering drops the event. Templates FILE includes or imports are read from its directory."),
            OptionSpec("state", value: "DIR", help: "Keep integerid counters in DIR: read at start, saved at the end, so the next run continues the sequence."),
        ])

    /// The ad-hoc tokens of the command line, grouped in order.
    static func adHocTokens(_ args: ParsedArguments) throws -> [TokenSpec] {
        var specs: [TokenSpec] = []
        var current: (pattern: String, type: String?, replacement: String?)?
        func finish() throws {
            guard let c = current else { return }
            guard let type = c.type else { throw EgError.usage("--token '\(c.pattern)' needs a --type") }
            guard let rep = c.replacement else { throw EgError.usage("--token '\(c.pattern)' needs a --replacement") }
            specs.append(TokenSpec(number: specs.count, pattern: c.pattern, type: type, replacement: rep))
        }
        for (name, value) in args.options {
            switch name {
            case "token":
                try finish()
                current = (value ?? "", nil, nil)
            case "type", "replacement":
                guard current != nil else { throw EgError.usage("--\(name) must follow a --token") }
                if name == "type" {
                    if current!.type != nil { throw EgError.usage("--token '\(current!.pattern)' has two --type options") }
                    current!.type = value
                } else {
                    if current!.replacement != nil { throw EgError.usage("--token '\(current!.pattern)' has two --replacement options") }
                    current!.replacement = value
                }
            default: break
            }
        }
        try finish()
        return specs
    }

    static func run(_ args: ParsedArguments) throws {
        let state = try args.value("state").map { try TokenState(directory: $0) }
        var sets: [String: TokenSet] = [:]
        // A reader that has gone (`| head`) ends the work early; the state is saved all the same.
        try OutputClosed.absorb { try tokenize(args, state: state, sets: &sets) }
        if let state {
            for s in sets.values { try s.saveState(state) }
        }
    }

    /// Reads the stream and writes the substituted events; `sets` collects each sample's tokens.
    static func tokenize(_ args: ParsedArguments, state: TokenState?, sets: inout [String: TokenSet]) throws {
        let extra = try adHocTokens(args)
        let onlySample = args.value("sample")
        let zone = try args.value("timezone").map { try TimeZoneSetting.parse($0, at: "--timezone") }
        let seedFlag = try args.seed()
        let fresh = RandomSeed.fresh()
        let files = ReplacementFiles()
        let inputs = RecordInputs(paths: args.positionals)
        let out = OutputBuffer()
        var stanzaSamples = Set<String>()
        let eventum = EventumGenerators()
        // Samples whose tokens were refused: reported once, their events dropped and counted,
        // the other samples still tokenized (see `RefusedSample`).
        var refused: [String: RefusedSample] = [:]
        var refusedOrder: [String] = []
        // generator = jinja stanzas, and --template: rendered, not tokenized.
        var jinja: [String: JinjaStanza] = [:]
        let tally = TemplateErrorTally()
        let adHocTemplate = try args.value("template").map { try AdHocTemplate(path: $0, seed: seedFlag ?? fresh) }

        func flagTokens(for sample: String) -> [TokenSpec] {
            if let only = onlySample, only != sample { return [] }
            return extra
        }
        func adHocSet(_ sample: String) throws -> TokenSet? {
            if let s = sets[sample] { return s }
            if stanzaSamples.contains(sample) { return nil }
            let tokens = flagTokens(for: sample)
            guard !tokens.isEmpty else { return nil }
            let s = try TokenSet(sample: sample, stanza: sample, settings: [], extra: tokens, confDir: nil, sampleDir: nil,
                                 zoneOverride: zone, seed: seedFlag ?? fresh, files: files, state: state,
                                 warn: { Diagnostics.warning($0, tool: spec.name) })
            sets[sample] = s
            return s
        }

        // Pending bundle: consecutive events of one sample with the same `_bundle`.
        var bundle: [Record] = []
        var bundleKey: (sample: String, id: JSONValue)?
        var bundleSet: TokenSet?
        var bundleLocations: [String] = []
        func flushBundle() throws {
            guard let set = bundleSet, !bundle.isEmpty else { bundle.removeAll(); bundleKey = nil; return }
            let numbers = set.beginUnit(bundle[...], bundled: true)
            for (k, r) in bundle.enumerated() {
                try set.process(r, number: numbers[k], location: bundleLocations[k], to: &out.bytes)
                try out.flushIfFull()
            }
            bundle.removeAll(keepingCapacity: true)
            bundleLocations.removeAll(keepingCapacity: true)
            bundleKey = nil
            bundleSet = nil
        }

        // The byte-level path: events whose line is canonical and whose sample changes only `_raw`
        // are spliced without building a Record (see `RecordView`, `TokenSet.processFast`).
        var view = RecordView()
        // The fast path writes to a local buffer (no class-property access per event); it is
        // handed to `out` before any Record-path output and when full.
        var local: [UInt8] = []
        local.reserveCapacity((1 << 18) + (1 << 16))
        func drainLocal() throws {
            guard !local.isEmpty else { return }
            if out.bytes.isEmpty {
                swap(&local, &out.bytes)   // no copy: the buffers change places
            } else {
                out.bytes.append(contentsOf: local)
                local.removeAll(keepingCapacity: true)
            }
            try out.flushIfFull()
        }
        var fast = FastSampleCache(onlySample: onlySample)
        // Live input: when it goes quiet, what is buffered goes out. The fast path's local buffer
        // is handed over before a read that would wait, so the idle flush sees it all; while
        // input keeps coming it drains only when full.
        inputs.onIdle = { try out.flush() }
        while true {
            guard let line = try inputs.nextBufferedLine() ?? {
                if !inputs.inputReady() { try drainLocal() }
                return try inputs.nextLine()
            }() else { break }
            if bundle.isEmpty, refused.isEmpty, adHocTemplate == nil, view.scan(line), !view.isStanza, view.bundleIndex < 0, view.rawIndex >= 0,
               view.members[view.rawIndex].kind == .string, !view.duplicateRaw,
               jinja.isEmpty || view.sampleIndex < 0 || jinja[view.text(view.sampleIndex) ?? ""] == nil {
                let rawIndex = view.rawIndex
                let set = try fast.set(for: view) { try sets[$0] ?? adHocSet($0) }
                if let set, set.takesFastPath {
                    set.processFast(view, rawIndex: rawIndex, to: &local)
                    if local.count >= 1 << 18 { try drainLocal() }
                    continue
                }
                if set == nil {
                    view.appendLine(to: &local)
                    if local.count >= 1 << 18 { try drainLocal() }
                    continue
                }
            }
            try drainLocal()
            let record = try inputs.record(from: line)
            if record.isStanza {
                fast.reset()
                try flushBundle()
                let st = try StanzaRecord(record: record, location: inputs.location)
                let seed = try seedFlag ?? st.setting("seed").map { v -> UInt64 in
                    guard let s = RandomSeed.parse(v) else { throw EgError.config(at: "stanza [\(st.stanza)]", "seed: expected an integer, found '\(v)'") }
                    return s
                } ?? fresh
                if adHocTemplate != nil { try out.write(record); continue }
                let set: TokenSet
                do {
                    if st.setting("generator") == "jinja" {
                        jinja[st.sample] = try JinjaStanza(st, seed: seed, zoneOverride: zone)
                        refused[st.sample] = nil
                        refusedOrder.removeAll { $0 == st.sample }
                        stanzaSamples.insert(st.sample)
                        sets[st.sample] = nil
                        try out.write(record)
                        continue
                    }
                    if state != nil, let shard = record["shard"]?.stringValue,
                       st.settings.contains(where: { $0.key.hasSuffix(".replacementType") && $0.value == "integerid" }) {
                        throw EgError.config(at: "stanza [\(st.stanza)]", "--state cannot resume an integerid token of a run split by eg-rate --shard \(shard): each shard sees only its own event numbers, so the next value it would save is not the whole run's; run the shards without --state (ids are start + event number, the same in every shard), and to continue a series set the replacement to the last start plus the previous run's event count")
                    }
                    set = try TokenSet(sample: st.sample, stanza: st.stanza, settings: st.settings,
                                       extra: flagTokens(for: st.sample),
                                       confDir: st.conf.map { ($0 as NSString).deletingLastPathComponent },
                                       sampleDir: st.sampleDir, zoneOverride: zone, seed: seed, files: files, state: state,
                                       warn: { Diagnostics.warning($0, tool: spec.name) })
                    try AnomalyValueHook.install(on: set, st, seed: seed)
                    try eventum.add(st, seed: seed, zone: zone,
                                    split: record["shard"]?.stringValue.map { "eg-rate --shard \($0)" })
                } catch let e as EgError where e.kind == .config {
                    Diagnostics.error(e, tool: spec.name)
                    if refused[st.sample] == nil { refusedOrder.append(st.sample) }
                    refused[st.sample] = RefusedSample(name: st.sample, error: e)
                    stanzaSamples.insert(st.sample)
                    sets[st.sample] = nil
                    continue
                }
                refused[st.sample] = nil
                refusedOrder.removeAll { $0 == st.sample }
                stanzaSamples.insert(st.sample)
                sets[st.sample] = set.isEmpty ? nil : set
                try out.write(record)
                continue
            }
            if try eventum.process(record, location: inputs.location, tally: tally, to: &out.bytes) {
                try out.flushIfFull()
                // Every generator has called dispatch.exhaust() and nothing else is in the stream: done.
                if eventum.allExhausted && stanzaSamples.allSatisfy({ eventum.generators[$0] != nil }) { break }
                continue
            }
            if let t = adHocTemplate {
                try t.render(record, tally: tally, to: &out.bytes)
                try out.flushIfFull()
                continue
            }
            let sample = record.sample ?? onlySample ?? "adhoc"
            fast.reset()
            if refused[sample] != nil {
                try flushBundle()
                refused[sample]!.droppedEvents += 1
                continue
            }
            if let j = jinja[sample] {
                try flushBundle()
                try j.render(record, location: inputs.location, tally: tally, to: &out.bytes)
                try out.flushIfFull()
                continue
            }
            guard let set = try sets[sample] ?? adHocSet(sample) else {
                try flushBundle()
                try out.write(record)
                continue
            }
            if let b = record["_bundle"] {
                if let key = bundleKey, key.sample == sample, key.id == b {
                    bundle.append(record)
                    bundleLocations.append(inputs.location)
                    if bundle.count >= 100_000 { try flushBundle() ; bundleKey = (sample, b) ; bundleSet = set }
                    continue
                }
                try flushBundle()
                bundleKey = (sample, b)
                bundleSet = set
                bundle.append(record)
                bundleLocations.append(inputs.location)
                continue
            }
            try flushBundle()
            let number = set.beginUnit(CollectionOfOne(record).map { $0 }[...], bundled: false)[0]
            try set.process(record, number: number, location: inputs.location, to: &out.bytes)
            try out.flushIfFull()
        }
        try drainLocal()
        try flushBundle()
        try out.flush()
        eventum.report(tool: spec.name)
        if let t = adHocTemplate, t.dropped > 0 {
            Diagnostics.warning("\(t.dropped) event\(t.dropped == 1 ? "" : "s") rendered empty from \(t.name) and were dropped", tool: spec.name)
        }
        if !refused.isEmpty {
            let ran = stanzaSamples.filter { refused[$0] == nil }.sorted()
            throw RefusedSample.summary(refusedOrder.compactMap { refused[$0] }, ran: ran, done: "tokenized")
        }
        if let e = tally.finish(tool: spec.name) { throw e }
    }
}
