import Core
import Foundation

/// Everything eg-tokenize knows about one sample: its compiled tokens (in number order), the
/// host token, the compiled line plans of its pool lines, and the per-event scratch space.
final class TokenSet {
    let sample: String
    let stanza: String
    let tokens: [CompiledToken]
    let zone: TimeZoneSetting
    let rows: SharedRows
    let host: HostToken?
    let hasReplay: Bool
    /// Optional value adjustments (the anomaly seam, issue 8).
    var valueHook: ValueHook?
    /// Whether lines are compiled at all (tests turn it off to compare with the sequential path).
    var compileLines = true
    /// The current unit (event or bundle): its number, whose draws every token's generator is
    /// seeded from, and a stamp that changes with every unit.
    private(set) var unitNumber: UInt64 = 0
    private(set) var unitStamp: UInt64 = 0
    /// The number the next event without `_seq` gets: one more than the previous event's.
    private var nextNumber: UInt64 = 0

    /// Hashes of lines seen once while the plan table is busy (compiled on their second sight).
    private var seenOnce: Set<UInt64> = []
    /// The escaped `_raw` key of a Record-path line (scratch).
    private var keyScratch: [UInt8] = []
    static let planLimit = 100_000
    static let compileFirstSight = 4096

    // Scratch reused by every event.
    var replayBuffer: [UInt8] = []
    var replayStart: [Int] = []
    var replayEnd: [Int] = []
    var replayInstant: [EventTime] = []
    var scratch: [UInt8] = []
    var rawOut: [UInt8] = []

    /// Counters for tests and `--stats`-like diagnostics.
    /// (Behind a pointer: counting costs no exclusivity check on the per-event path.)
    var compiledEvents: Int {
        unsafeAddress { UnsafePointer(counters) }
        unsafeMutableAddress { counters }
    }
    var sequentialEvents: Int {
        unsafeAddress { UnsafePointer(counters + 1) }
        unsafeMutableAddress { counters + 1 }
    }
    private let counters: UnsafeMutablePointer<Int> = {
        let p = UnsafeMutablePointer<Int>.allocate(capacity: 2)
        p.initialize(repeating: 0, count: 2)
        return p
    }()
    deinit { counters.deallocate() }
    /// The plans again, found by the escaped `_raw` bytes of the stream (the byte-level path).
    let bytePlans = BytePlanTable(limit: TokenSet.planLimit)

    /// Builds the tokens of a sample.
    /// - Parameters:
    ///   - settings: the stanza's settings (token.N.* included) — empty for ad-hoc use.
    ///   - extra: ad-hoc tokens from the command line, applied after the stanza's.
    init(sample: String, stanza: String, settings: [(key: String, value: String)], extra: [TokenSpec],
         confDir: String?, sampleDir: String?, zoneOverride: TimeZoneSetting?, seed: UInt64,
         files: ReplacementFiles, state: TokenState?, warn: @escaping (String) -> Void = { _ in }) throws {
        self.sample = sample
        self.stanza = stanza
        let conf = Settings(settings.map { ($0.key, $0.value) }, stanza: stanza)
        let label = "[\(stanza)]"
        let zone = try zoneOverride ?? TimeZoneSetting.parse(conf["timezone"] ?? "local", at: "stanza \(label) timezone")
        self.zone = zone
        rows = SharedRows(key: RandomKey(seed: seed, stream: "\(sample)/rows"))

        let (specs, problems) = conf.tokensSkippingIncomplete()
        for p in problems { warn(p.description + " (token ignored)") }
        var all = specs
        let base = (specs.map(\.number).max() ?? -1) + 1
        for (k, e) in extra.enumerated() {
            var s = e
            s.number = base + k
            all.append(s)
        }
        let hourRates = try RatedReplacement.rates(conf["hourOfDayRate"], count: 24, key: "hourOfDayRate", location: "stanza \(label)")
        let dayRates = try RatedReplacement.rates(conf["dayOfWeekRate"], count: 7, key: "dayOfWeekRate", location: "stanza \(label)")

        var built: [CompiledToken] = []
        for spec in all {
            // Ad-hoc tokens are named as the user wrote them, not by their internal number.
            let loc = spec.number >= base ? "--token '\(spec.pattern)'" : "token \(spec.number) of \(label)"
            let regex = try PythonRegex.compile(spec.pattern, context: loc)
            var generator: ValueGenerator?
            var replay: ReplayTimestamp?
            func fileArgs() throws -> (ReplacementFile, Int?) {
                let (path, col) = ReplacementFiles.splitColumn(spec.replacement)
                return (try files.load(path, confDir: confDir, sampleDir: sampleDir, token: loc), col)
            }
            switch spec.type {
            case "static": generator = StaticReplacement(spec.replacement)
            case "timestamp":
                try TokenTypes.check(type: spec.type, replacement: spec.replacement, at: loc)
                generator = TimestampReplacement(format: spec.replacement, zone: zone)
            case "replaytimestamp": replay = try ReplayTimestamp(spec: spec.replacement, zone: zone, location: loc)
            case "random": generator = try RandomReplacement(spec: spec.replacement, location: loc)
            case "rated": generator = try RatedReplacement(spec: spec.replacement, hourRates: hourRates, dayRates: dayRates, location: loc)
            case "file":
                let (f, col) = try fileArgs()
                generator = try FileReplacement(file: f, column: col, shared: col != nil, location: loc)
            case "mvfile":
                let (f, col) = try fileArgs()
                guard let col else {
                    throw EgError.config(at: loc, "mvfile replacement '\(spec.replacement)' needs a column: <path>:<column>")
                }
                generator = try FileReplacement(file: f, column: col, shared: true, location: loc)
            case "seqfile":
                let (f, col) = try fileArgs()
                generator = try SeqFileReplacement(file: f, column: col, location: loc)
            case "integerid":
                let g = try IntegerIDReplacement(spec: spec.replacement, location: loc, warn: warn)
                if let v = try state?.load(sample: sample, token: spec.number) { g.base = v }
                generator = g
            default:
                throw TokenTypes.unknownType(spec.type, at: loc)
            }
            let jsonSafe = spec.extra["jsonSafe"].flatMap { Settings([("j", $0)]).bool("j") }
            built.append(CompiledToken(number: spec.number, pattern: spec.pattern, regex: regex, generator: generator,
                                       replay: replay, jsonSafe: jsonSafe, location: loc,
                                       key: RandomKey(seed: seed, stream: "\(sample)/token.\(spec.number)")))
        }
        tokens = built
        hasReplay = built.contains { $0.replay != nil }

        if let hostPattern = conf["host.token"] {
            let loc = "host.token of \(label)"
            guard let rep = conf["host.replacement"] else {
                throw EgError.config(at: loc, "host.token is set but host.replacement is missing")
            }
            let (path, col) = ReplacementFiles.splitColumn(rep)
            let f = try files.load(path, confDir: confDir, sampleDir: sampleDir, token: loc)
            host = HostToken(regex: try PythonRegex.compile(hostPattern, context: loc),
                             values: try col.map { try f.column($0, token: loc) } ?? f.lines,
                             key: RandomKey(seed: seed, stream: "\(sample)/host"))
        } else {
            host = nil
        }
    }

    /// Whether the set changes anything (a sample without tokens passes events through).
    var isEmpty: Bool { tokens.isEmpty && host == nil }

    /// The compiled plan for a line, compiling it when first seen (or on its second sight once
    /// many distinct lines have been seen); nil means the sequential path.
    func plan(for raw: String) -> LinePlan? {
        guard compileLines else { return nil }
        keyScratch.removeAll(keepingCapacity: true)
        var r = raw
        r.withUTF8 { JSONWriter.appendEscaped(bytes: $0, to: &keyScratch) }
        let key = keyScratch
        return key.withUnsafeBufferPointer { k in
            plan(escaped: k, hash: BytePlanTable.hash(k), raw: { raw }).plan
        }
    }

    /// The plan of a line given by its `_raw` bytes escaped for the stream (the one table, keyed
    /// by those bytes); `raw` gives the text when it must be compiled. `known` tells whether the
    /// outcome is remembered (false: first sight of a line while the table is busy).
    @inline(__always)
    func plan(escaped k: UnsafeBufferPointer<UInt8>, hash h: UInt64, raw: () -> String) -> (plan: LinePlan?, known: Bool) {
        if let p = bytePlans.lookup(k, hash: h) { return (p, true) }
        return compilePlan(escaped: k, hash: h, raw: raw())
    }

    @inline(never)
    private func compilePlan(escaped k: UnsafeBufferPointer<UInt8>, hash h: UInt64, raw: String) -> (plan: LinePlan?, known: Bool) {
        // (Sets with replaytimestamp compile every line: the unit's reference lookup and the event
        // would otherwise each do the work, and the plan keeps the parsed original times.)
        if !hasReplay, bytePlans.count >= TokenSet.compileFirstSight, seenOnce.insert(h).inserted {
            if seenOnce.count > TokenSet.planLimit { seenOnce.removeAll() }
            return (nil, false)
        }
        let p = LinePlanCompiler.compile(raw, set: self)
        bytePlans.insert(k, hash: h, plan: p)
        return (p, true)
    }

    /// The instant year-less replay times are placed near, for a unit of `events`.
    func replayReference(_ events: ArraySlice<Record>, eventTime: EventTime) -> EventTime {
        for e in events {
            guard let raw = e.raw else { continue }
            if let p = plan(for: raw) {
                if let t = p.firstDated { return t }
                continue
            }
            for t in tokens {
                guard let rt = t.replay else { continue }
                let ns = raw as NSString
                for r in t.replacedRanges(in: raw) {
                    if let o = rt.parse(ns.substring(with: r)), let f = o.fixed { return f }
                }
            }
        }
        return eventTime
    }

    /// The number of an event: its `_seq`, else one more than the previous event's.
    @inline(__always)
    func number(_ given: UInt64?) -> UInt64 {
        let n = given ?? nextNumber
        nextNumber = n &+ 1
        return n
    }

    /// Starts unit number `n` (an event or a bundle): every token's draws are seeded afresh.
    @inline(__always)
    func beginUnit(number n: UInt64) {
        unitNumber = n
        unitStamp &+= 1
        rows.beginUnit(n)
    }

    /// Starts an event or a bundle: its number, fresh mvfile rows, a fresh replay offset; returns
    /// the numbers of its events.
    @discardableResult
    func beginUnit(_ events: ArraySlice<Record>, bundled: Bool) -> [UInt64] {
        let numbers = events.map { number($0.eventNumber) }
        beginUnit(number: numbers.first ?? nextNumber)
        if hasReplay {
            let t0 = events.first?.time ?? EventTime.now()
            let ref = replayReference(events, eventTime: t0)
            for t in tokens { t.replay?.beginUnit(reference: ref, bundled: bundled) }
        }
        return numbers
    }

    /// Substitutes one event's `_raw` (and host) and appends the record to `out`; `number` is the
    /// event's number (from `beginUnit`).
    func process(_ record: Record, number: UInt64, location: @autoclosure () -> String, to out: inout [UInt8]) throws {
        guard let rawIndex = record.fields.firstIndex(where: { $0.key == "_raw" }),
              case .string(let raw) = record.fields[rawIndex].value else {
            throw EgError.input(at: location(), "event record has no \"_raw\" string")
        }
        var ctx = EventContext(time: record.time ?? EventTime.now(), event: number, set: self)
        valueHook?.beginEvent(record, number: number)
        rawOut.removeAll(keepingCapacity: true)
        var firstReplay: EventTime?
        if let p = plan(for: raw) {
            compiledEvents += 1
            firstReplay = p.run(self, ctx: &ctx)
            p.appendEscaped(self, to: &rawOut)
        } else {
            sequentialEvents += 1
            let r = applySequential(raw, ctx: &ctx)
            firstReplay = r.firstReplay
            var text = r.text
            text.withUTF8 { JSONWriter.appendEscaped(bytes: $0, to: &rawOut) }
        }
        var newHost: String?
        if let host, let h = record.string("host") { newHost = host.apply(h, ctx) }
        RecordEmitter.emit(record, rawEscaped: rawOut, time: firstReplay, host: newHost, to: &out)
    }

    /// The new `_raw` of one event (its own unit, numbered on) as plain text, on the compiled
    /// path when `compiled` (tests).
    func render(_ raw: String, time: EventTime, compiled: Bool) -> String {
        let n = number(nil)
        beginUnit(number: n)
        var ctx = EventContext(time: time, event: n, set: self)
        if compiled, let p = plan(for: raw) {
            _ = p.run(self, ctx: &ctx)
            var out: [UInt8] = []
            p.appendRaw(self, to: &out)
            return String(decoding: out, as: UTF8.self)
        }
        return applySequential(raw, ctx: &ctx).text
    }

    /// Saves integerid counters to the state directory: the value after the highest event
    /// number seen, so the next run's numbers continue the sequence.
    /// Takes in the integerid high marks of another job's copy of this sample (`--jobs`), so
    /// `saveState` saves what one tokenizer over the whole stream would.
    func absorbHighMarks(_ other: TokenSet) {
        for (t, o) in zip(tokens, other.tokens) {
            if let g = t.generator as? IntegerIDReplacement, let h = o.generator as? IntegerIDReplacement { g.absorbHighMark(h) }
        }
    }

    func saveState(_ state: TokenState) throws {
        for t in tokens {
            if let g = t.generator as? IntegerIDReplacement { try state.save(sample: sample, token: t.number, next: g.next) }
        }
    }
}
