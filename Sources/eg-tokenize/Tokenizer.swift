import Core
import Foundation

/// Where the lines a `Tokenizer` takes come from: the location of the line last handed over and
/// its parse into a `Record` (a malformed line is an input error there).
protocol LineSource: AnyObject {
    var location: String { get }
    func record(from line: UnsafeBufferPointer<UInt8>) throws -> Record
}

extension RecordInputs: LineSource {}

/// One tokenizer's state and its per-line work: stanza records configure a `TokenSet` per sample
/// (or a jinja stanza, or an Eventum generator) and pass through; event records get their tokens
/// substituted or their templates rendered; bundles (consecutive events with the same `sample`
/// and `_bundle`) are processed as one unit. `TokenizeCommand` runs one over the input;
/// `--jobs` runs several (see `JobRunner`), each over its own chunks of the same stream.
final class Tokenizer {
    /// How a tokenizer takes part in a run.
    struct Role {
        /// Prints the refusals of stanza records: every job sees every stanza, and only one of
        /// them speaks.
        var speaks = true
        /// Every transformed event must carry `_seq` (`--jobs`: no job sees the events before
        /// its chunk, so none could number them on).
        var needsSeq = false
        /// Warnings of the run (repeats across jobs are printed once).
        var warn: @Sendable (String) -> Void = { Diagnostics.warning($0, tool: TokenizeCommand.spec.name) }
        /// The seed of samples that have none (no `--seed`, no `seed` setting): one per run.
        var fresh = RandomSeed.fresh()
    }

    let role: Role
    let out: OutputBuffer
    /// `--jobs`: the dispatcher found no `_kind` (no `_bundle`) in the lines being taken, so a
    /// stanza (bundle) among them, spelled with escapes, would be one it could not deal right.
    var dealtWithoutStanzas = false
    var dealtWithoutBundles = false
    let state: TokenState?
    /// Each sample's tokens (for `--state`).
    @exclusivity(unchecked) private(set) var sets: [String: TokenSet] = [:]
    let eventum = EventumGenerators()
    let tally = TemplateErrorTally()
    let adHocTemplate: AdHocTemplate?
    /// Samples whose tokens were refused: reported once, their events dropped and counted, the
    /// other samples still tokenized (see `RefusedSample`).
    @exclusivity(unchecked) private(set) var refused: [String: RefusedSample] = [:]
    private(set) var refusedOrder: [String] = []
    private(set) var stanzaSamples = Set<String>()

    private let extra: [TokenSpec]
    private let onlySample: String?
    private let zone: TimeZoneSetting?
    private let seedFlag: UInt64?
    private let fresh: UInt64
    private let files = ReplacementFiles()
    /// generator = jinja stanzas: rendered, not tokenized.
    @exclusivity(unchecked) private var jinja: [String: JinjaStanza] = [:]

    /// Pending bundle: consecutive events of one sample with the same `_bundle`.
    @exclusivity(unchecked) private var bundle: [Record] = []
    private var bundleKey: (sample: String, id: JSONValue)?
    private var bundleSet: TokenSet?
    private var bundleLocations: [String] = []

    /// The byte-level path: events whose line is canonical and whose sample changes only `_raw`
    /// are spliced without building a Record (see `RecordView`, `TokenSet.processFast`). What
    /// `take` touches per line is `@exclusivity(unchecked)`: a class property's dynamic access
    /// check costs more than the rest of a short line's bookkeeping, and no access overlaps.
    /// (The view lives behind a stable pointer, handed to `takeFast` inout: no access copies it.)
    private let viewCell: UnsafeMutablePointer<RecordView> = {
        let p = UnsafeMutablePointer<RecordView>.allocate(capacity: 1)
        p.initialize(to: RecordView())
        return p
    }()
    /// The fast path writes to a local buffer (no class-property access per event); it is
    /// handed to `out` before any Record-path output and when full.
    @exclusivity(unchecked) private var local = ByteBuffer(capacity: (1 << 18) + (1 << 16))
    @exclusivity(unchecked) private var fast: FastSampleCache

    init(_ args: ParsedArguments, state: TokenState?, out: OutputBuffer, role: Role = Role()) throws {
        self.role = role
        self.out = out
        self.state = state
        extra = try TokenizeCommand.adHocTokens(args)
        onlySample = args.value("sample")
        zone = try args.value("timezone").map { try TimeZoneSetting.parse($0, at: "--timezone") }
        seedFlag = try args.seed()
        fresh = role.fresh
        let seed = seedFlag ?? role.fresh
        adHocTemplate = try args.value("template").map { try AdHocTemplate(path: $0, seed: seed) }
        fast = FastSampleCache(onlySample: onlySample)
    }

    deinit {
        viewCell.deinitialize(count: 1)
        viewCell.deallocate()
        local.deallocate()
    }

    /// Whether the generators are all done: every one has called `dispatch.exhaust()` and
    /// nothing else is in the stream.
    private var exhausted: Bool {
        eventum.allExhausted && stanzaSamples.allSatisfy { eventum.generators[$0] != nil }
    }

    /// Whether some generator keeps state from one timestamp to the next (`--jobs` then runs
    /// the rest of the stream in one job).
    var keepsState: Bool { eventum.generators.values.contains { $0.keepsState != nil } }

    private func flagTokens(for sample: String) -> [TokenSpec] {
        if let only = onlySample, only != sample { return [] }
        return extra
    }

    private func adHocSet(_ sample: String) throws -> TokenSet? {
        if let s = sets[sample] { return s }
        if stanzaSamples.contains(sample) { return nil }
        let tokens = flagTokens(for: sample)
        guard !tokens.isEmpty else { return nil }
        let s = try TokenSet(sample: sample, stanza: sample, settings: [], extra: tokens, confDir: nil, sampleDir: nil,
                             zoneOverride: zone, seed: seedFlag ?? fresh, files: files, state: state, warn: role.warn)
        sets[sample] = s
        return s
    }

    private func flushBundle() throws {
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

    /// Hands the fast path's buffer to `out` (before a read that may wait, and when full).
    func drainLocal() throws {
        guard !local.isEmpty else { return }
        defer { local.removeAll() }
        try out.write(block: local.bytes)
    }

    /// `--jobs`: an event that would be numbered on from the one before it has no `_seq`.
    private func missingSeq(_ at: @autoclosure () -> String) -> EgError {
        EgError.input(at: at(), "--jobs needs every event numbered by its \"_seq\" member (eg-rate writes it): this event has none; run without --jobs")
    }

    /// `--jobs`: a member the dispatcher looks for was written with escapes.
    private func undealt(_ what: String, _ at: String) -> EgError {
        EgError.input(at: at, "this \(what) is written with escapes, so --jobs could not deal the stream by it; write it as plain JSON (as eg tools do) or run without --jobs")
    }

    /// Takes one input line (a view valid during the call); false when the work is done before
    /// the input ends (every generator has called `dispatch.exhaust()`).
    func take(_ line: UnsafeBufferPointer<UInt8>, from source: LineSource) throws -> Bool {
        let viewed = bundle.isEmpty && refused.isEmpty && adHocTemplate == nil && viewCell.pointee.scan(line)
        if viewed, try takeFast(line, view: &viewCell.pointee, from: source) { return true }
        try drainLocal()
        // An Eventum generator's plain timestamp record, rendered without parsing the line.
        if viewed, !(role.needsSeq && viewCell.pointee.seqIndex < 0), try eventum.process(view: viewCell.pointee, tally: tally, to: &out.bytes) {
            try out.flushIfFull()
            return !exhausted
        }
        let record = try source.record(from: line)
        if record.isStanza {
            if dealtWithoutStanzas { throw undealt("stanza record's \"_kind\"", source.location) }
            try stanza(record, at: source.location)
            return true
        }
        if dealtWithoutBundles, record["_bundle"] != nil { throw undealt("event's \"_bundle\"", source.location) }
        if role.needsSeq, record.eventNumber == nil,
           record.sample.map({ eventum.generators[$0] != nil || jinja[$0] != nil }) == true || adHocTemplate != nil {
            throw missingSeq(source.location)
        }
        if try eventum.process(record, location: source.location, tally: tally, to: &out.bytes) {
            try out.flushIfFull()
            return !exhausted
        }
        if let t = adHocTemplate {
            try t.render(record, tally: tally, to: &out.bytes)
            try out.flushIfFull()
            return true
        }
        let sample = record.sample ?? onlySample ?? "adhoc"
        fast.reset()
        if refused[sample] != nil {
            try flushBundle()
            refused[sample]!.droppedEvents += 1
            return true
        }
        if let j = jinja[sample] {
            try flushBundle()
            try j.render(record, location: source.location, tally: tally, to: &out.bytes)
            try out.flushIfFull()
            return true
        }
        guard let set = try sets[sample] ?? adHocSet(sample) else {
            try flushBundle()
            try out.write(record)
            return true
        }
        if role.needsSeq, record.eventNumber == nil { throw missingSeq(source.location) }
        if let b = record["_bundle"] {
            if let key = bundleKey, key.sample == sample, key.id == b {
                bundle.append(record)
                bundleLocations.append(source.location)
                if bundle.count >= 100_000 { try flushBundle(); bundleKey = (sample, b); bundleSet = set }
                return true
            }
            try flushBundle()
            bundleKey = (sample, b)
            bundleSet = set
            bundle.append(record)
            bundleLocations.append(source.location)
            return true
        }
        try flushBundle()
        let number = set.beginUnit(CollectionOfOne(record).map { $0 }[...], bundled: false)[0]
        try set.process(record, number: number, location: source.location, to: &out.bytes)
        try out.flushIfFull()
        return true
    }

    /// The byte-level path of `take` for a line the view has scanned: true when the line was
    /// handled (spliced, or passed on as it is). The view comes `inout` (from its cell) so no
    /// access copies it.
    @inline(__always)
    private func takeFast(_ line: UnsafeBufferPointer<UInt8>, view: inout RecordView, from source: LineSource) throws -> Bool {
        guard !view.isStanza, view.bundleIndex < 0, view.rawIndex >= 0,
              view.members[view.rawIndex].kind == .string, !view.duplicateRaw,
              jinja.isEmpty || view.sampleIndex < 0 || jinja[view.text(view.sampleIndex) ?? ""] == nil else { return false }
        let rawIndex = view.rawIndex
        let set = try fast.set(for: view) { try sets[$0] ?? adHocSet($0) }
        if let set, set.takesFastPath {
            if role.needsSeq, view.seqIndex < 0 { throw missingSeq(source.location) }
            set.processFast(view, rawIndex: rawIndex, to: &local)
            if local.count >= 1 << 18 { try drainLocal() }
            return true
        }
        if set == nil {
            local.append(view.line)
            local.append(0x0A)
            if local.count >= 1 << 18 { try drainLocal() }
            return true
        }
        return false
    }

    /// A stanza record: sets up its sample's tokens, jinja stanza or generator, and passes it on.
    private func stanza(_ record: Record, at location: String) throws {
        fast.reset()
        try flushBundle()
        let st = try StanzaRecord(record: record, location: location)
        let seed = try seedFlag ?? st.setting("seed").map { v -> UInt64 in
            guard let s = RandomSeed.parse(v) else { throw EgError.config(at: "stanza [\(st.stanza)]", "seed: expected an integer, found '\(v)'") }
            return s
        } ?? fresh
        if adHocTemplate != nil { try out.write(record); return }
        let set: TokenSet
        do {
            if st.setting("generator") == "jinja" {
                jinja[st.sample] = try JinjaStanza(st, seed: seed, zoneOverride: zone)
                refused[st.sample] = nil
                refusedOrder.removeAll { $0 == st.sample }
                stanzaSamples.insert(st.sample)
                sets[st.sample] = nil
                try out.write(record)
                return
            }
            if state != nil, let shard = record["shard"]?.stringValue,
               st.settings.contains(where: { $0.key.hasSuffix(".replacementType") && $0.value == "integerid" }) {
                throw EgError.config(at: "stanza [\(st.stanza)]", "--state cannot resume an integerid token of a run split by eg-rate --shard \(shard): each shard sees only its own event numbers, so the next value it would save is not the whole run's; run the shards without --state (ids are start + event number, the same in every shard), and to continue a series set the replacement to the last start plus the previous run's event count")
            }
            set = try TokenSet(sample: st.sample, stanza: st.stanza, settings: st.settings,
                               extra: flagTokens(for: st.sample),
                               confDir: st.conf.map { ($0 as NSString).deletingLastPathComponent },
                               sampleDir: st.sampleDir, zoneOverride: zone, seed: seed, files: files, state: state,
                               warn: role.warn)
            try AnomalyValueHook.install(on: set, st, seed: seed)
            try eventum.add(st, seed: seed, zone: zone,
                            split: record["shard"]?.stringValue.map { "eg-rate --shard \($0)" })
        } catch let e as EgError where e.kind == .config {
            if role.speaks { Diagnostics.error(e, tool: TokenizeCommand.spec.name) }
            if refused[st.sample] == nil { refusedOrder.append(st.sample) }
            refused[st.sample] = RefusedSample(name: st.sample, error: e)
            stanzaSamples.insert(st.sample)
            sets[st.sample] = nil
            return
        }
        refused[st.sample] = nil
        refusedOrder.removeAll { $0 == st.sample }
        stanzaSamples.insert(st.sample)
        sets[st.sample] = set.isEmpty ? nil : set
        try out.write(record)
    }

    /// Ends a stretch of the stream: the pending bundle and the fast path's buffer go to `out`.
    func endOfInput() throws {
        try drainLocal()
        try flushBundle()
    }

    /// What the run reports at its end, from this tokenizer's counts: notes on generators and the
    /// ad-hoc template, then the closing error (refused samples, template errors), if any.
    func report() throws {
        let tool = TokenizeCommand.spec.name
        eventum.report(tool: tool)
        if let t = adHocTemplate, t.dropped > 0 {
            Diagnostics.warning("\(t.dropped) event\(t.dropped == 1 ? "" : "s") rendered empty from \(t.name) and were dropped", tool: tool)
        }
        if !refused.isEmpty {
            let ran = stanzaSamples.filter { refused[$0] == nil }.sorted()
            throw RefusedSample.summary(refusedOrder.compactMap { refused[$0] }, ran: ran, done: "tokenized")
        }
        if let e = tally.finish(tool: tool) { throw e }
    }

    /// Adds another job's counts to this one's (`--jobs`: the speaking job reports for all):
    /// dropped events of refused samples, empty renders, template errors, integerid high marks.
    func absorb(_ other: Tokenizer) {
        for (name, r) in other.refused where refused[name] != nil {
            refused[name]!.droppedEvents += r.droppedEvents
        }
        for (name, g) in other.eventum.generators {
            guard let mine = eventum.generators[name] else { continue }
            mine.empty += g.empty
            mine.dispatchDropped += g.dispatchDropped
        }
        if let t = adHocTemplate, let o = other.adHocTemplate { t.dropped += o.dropped }
        tally.absorb(other.tally)
        for (name, s) in other.sets { sets[name]?.absorbHighMarks(s) }
    }

    /// Saves the integerid counters to `--state`.
    func saveState() throws {
        guard let state else { return }
        for s in sets.values { try s.saveState(state) }
    }
}
