import Core
import Foundation

/// One Eventum generator in eg-tokenize: its compiled templates, samples, state and picking mode.
/// For each timestamp record from eg-rate it picks templates by the mode (all, any, chance, spin,
/// chain, fsm) and renders each with `timestamp`, `tags`, `params`, `vars`, `samples`, `module`,
/// `locals`, `shared`, `globals` and `dispatch`, writing `{"sample","_time","template","_raw"}` per
/// event. A template that renders only whitespace gives no event (counted in `empty`); runtime
/// errors and, with a `json` formatter, events that are not one JSON value are counted per template
/// in the run's `TemplateErrorTally`. The fsm moves before each pick but the first, as Eventum's
/// does: its conditions see the new timestamp and tags and the last rendered template's `locals`.
///
/// Timestamp record number n (`_seq`) draws from `key.generator(event: n)` (its templates in
/// order, re-picks included); `spin` starts timestamp n at template n modulo their count. What a
/// shard cannot reproduce is state carried from one timestamp to the next: `locals`, `shared`,
/// `globals`, `dispatch` (its `exhaust()` ends later timestamps) and `fsm` (`keepsState`).
final class EventumGenerator {
    struct Template {
        var alias: String
        var compiled: CompiledTemplate
        var vars: Value
        var locals = EventumState()
        var chance: Double
        var transitions: [(to: Int, when: EventumCondition)] = []
        /// The template's globals in its slot order, all but `timestamp`, `tags` and `anomaly` bound
        /// once.
        var globals: [Value] = []
        var timestampSlot: Int? = nil, tagsSlot: Int? = nil, anomalySlot: Int? = nil
        /// `,"template":"<alias>"` pre-encoded, and the same with `,"_raw":` after it.
        var header: [UInt8] = [], rawHeader: [UInt8] = []
    }

    enum Mode: String { case all, any, chance, spin, chain, fsm }

    let name: String
    let mode: Mode
    // The per-event state is `@exclusivity(unchecked)`: one render at a time, never re-entered
    // (a dynamic access check costs more than the access on every event).
    @exclusivity(unchecked) var templates: [Template] = []
    var chain: [Int] = []
    var cumulative: [Double] = []
    @exclusivity(unchecked) var spin = 0
    var current = 0
    var started = false
    /// The `locals` the fsm's conditions read: those of the last template rendered.
    var lastLocals: EventumState
    let shared = EventumState()
    let globals: EventumState
    let render: RenderState
    let key: RandomKey
    @exclusivity(unchecked) var nextNumber: UInt64 = 0
    /// Why the generator's output depends on earlier timestamps (nil: it does not).
    private(set) var keepsState: String?
    let zone: TimeZoneSetting
    let clock = EventClock()
    /// Outputs with the `json` or `json-batch` formatter need each event to be one JSON value.
    let validatesJSON: Bool
    /// Events rendered empty, timestamps dropped by `dispatch.drop()`.
    var empty = 0, dispatchDropped = 0
    /// Set by `dispatch.exhaust()`: the template that called it; later timestamps are skipped.
    @exclusivity(unchecked) var exhaustedBy: String?
    var skipped = 0
    /// `{"sample":"<name>","_time":` pre-encoded.
    var prefix: [UInt8] = []
    let escaper = JSONEscaper()
    let compactor = JSONSegmentCompactor()
    /// Whether a template includes one named at run time, which reads the event's values from
    /// the renderer's `extraContext` (kept current only then).
    private(set) var dynamicIncludes = false
    /// The timestamp record's `_time` and `anomaly` (empty: none) as JSON, for each event's head.
    @exclusivity(unchecked) var timeJSON: [UInt8] = []
    @exclusivity(unchecked) var anomalyJSON: [UInt8] = []

    init(_ st: StanzaRecord, eventum e: JSONValue, seed: UInt64, zone: TimeZoneSetting, globals: EventumState) throws {
        name = st.sample
        self.zone = zone
        self.globals = globals
        let ev = e["event"] ?? .null
        let at = ev["_at"]?.stringValue ?? "generator \(name)"
        guard let m = ev["mode"]?.stringValue.flatMap(Mode.init(rawValue:)) else {
            throw EgError.input(at: at, "the generator's event has no known mode")
        }
        mode = m
        var outputs: [JSONValue] = []
        if case .array(let o)? = e["output"] { outputs = o }
        validatesJSON = outputs.contains { o in
            let f = o["formatter"]?["format"]?.stringValue
            return f == "json" || f == "json-batch"
        }
        let dir = e["dir"]?.stringValue ?? st.sampleDir ?? "."
        guard case .array(let list)? = ev["templates"], !list.isEmpty else { throw EgError.input(at: at, "the generator has no templates") }
        var searchPath = [dir]
        for t in list {
            if let p = t["template"]?.stringValue {
                let folder = (p as NSString).deletingLastPathComponent
                if !searchPath.contains(folder) { searchPath.append(folder) }
            }
        }
        let env = TemplateEnvironment(directories: searchPath)
        key = RandomKey(seed: seed, stream: "eventum/\(name)")
        render = RenderState(environment: env, rng: key.generator(event: 0))
        render.notesText = validatesJSON
        render.moduleKey = RandomKey(seed: seed, stream: "eventum/\(name)/modules")
        var aliases: [String] = []
        for t in list {
            let alias = t["alias"]?.stringValue ?? ""
            let path = t["template"]?.stringValue ?? ""
            let rel = path.hasPrefix(dir + "/") ? String(path.dropFirst(dir.count + 1)) : path
            let compiled: CompiledTemplate
            do { compiled = try env.template(named: rel) } catch let err as TemplateError {
                throw EgError.config(at: err.location.isEmpty ? path : err.location, "template \(alias): \(err.message)")
            }
            templates.append(Template(alias: alias, compiled: compiled, vars: t["vars"].map(Value.init(json:)) ?? .dict([]),
                                      chance: t["chance"]?.doubleValue ?? 1))
            aliases.append(alias)
        }
        for (i, t) in list.enumerated() {
            if t["initial"] == .bool(true) { current = i }
            guard case .array(let trs)? = t["transitions"] else { continue }
            for tr in trs {
                let where_ = tr["_at"]?.stringValue ?? t["_at"]?.stringValue ?? at
                guard let to = tr["to"]?.stringValue, let k = aliases.firstIndex(of: to) else {
                    throw EgError.config(at: where_, "transition to an unknown template")
                }
                templates[i].transitions.append((k, try EventumCondition.compile(tr["when"] ?? .null, at: where_)))
            }
        }
        if case .array(let c)? = ev["chain"] { chain = c.compactMap { $0.stringValue.flatMap(aliases.firstIndex(of:)) } }
        var acc = 0.0
        cumulative = templates.map { acc += max($0.chance, 0); return acc }
        lastLocals = templates[0].locals
        var sets: [String: SampleSet] = [:]
        if case .object(let samples)? = ev["samples"] {
            for s in samples { sets[s.key] = try SampleSet.load(name: s.key, s.value) }
        }
        var context: [String: Value] = [:]
        context["params"] = ev["params"].map(Value.init(json:)) ?? .dict([])
        context["samples"] = .object(SampleSets(sets))
        context["module"] = EventumModule.make(clock: clock)
        context["dispatch"] = EventumDispatch.make()
        context["shared"] = .object(shared)
        context["globals"] = .object(globals)
        // Imported macros render without the caller's context but see these (Eventum's globals).
        for k in ["params", "samples", "module", "shared", "globals", "dispatch"] { env.globals[k] = context[k] }
        render.extraContext = context
        prefix = Array("{\"sample\":".utf8)
        JSONWriter.appendString(name, to: &prefix)
        prefix.append(contentsOf: ",\"_time\":".utf8)
        for i in templates.indices {
            var t = templates[i]
            var c = context
            c["vars"] = t.vars
            c["locals"] = .object(t.locals)
            t.globals = t.compiled.globalNames.map { c[$0] ?? env.globals[$0] ?? .undefined($0) }
            t.timestampSlot = t.compiled.globalSlot("timestamp")
            t.tagsSlot = t.compiled.globalSlot("tags")
            t.anomalySlot = t.compiled.globalSlot("anomaly")
            t.header = Array(",\"template\":".utf8)
            JSONWriter.appendString(t.alias, to: &t.header)
            t.rawHeader = t.header + Array(",\"_raw\":".utf8)
            templates[i] = t
        }
        keepsState = try EventumGenerator.stateUse(mode: mode, env)
        dynamicIncludes = env.hasDynamicInclude
        // `module` and `samples` are the same objects for every render: their attribute chains
        // (`module.rand.number.integer`, `samples.hosts`) are read once, here.
        env.bindConstants(["module": context["module"]!, "samples": context["samples"]!], roots: templates.map(\.compiled))
    }

    /// What makes a generator's output depend on earlier timestamps: `mode: fsm`, or a template
    /// (or one it includes or imports) that reads `locals`, `shared`, `globals` or `dispatch`
    /// (`dispatch.exhaust()` skips every later timestamp); nil for none.
    static func stateUse(mode: Mode, _ env: TemplateEnvironment) throws -> String? {
        var uses: [String] = mode == .fsm ? ["mode fsm"] : []
        for name in env.names {
            let t = try env.template(named: name)
            for store in ["locals", "shared", "globals", "dispatch"] where t.globalNames.contains(store) && !uses.contains(store) {
                uses.append(store)
            }
        }
        return uses.isEmpty ? nil : uses.joined(separator: ", ")
    }

    /// The templates to render for one timestamp (fsm: the state after its first true transition).
    func pick(_ facts: () -> EventumCondition.Facts) -> [Int] {
        switch mode {
        case .all: return Array(templates.indices)
        case .any: return [render.rng.index(templates.count)]
        case .chance:
            let x = render.rng.unit() * (cumulative.last ?? 0)
            return [cumulative.firstIndex { $0 > x } ?? templates.count - 1]
        case .spin:
            defer { spin = (spin + 1) % templates.count }
            return [spin]
        case .chain: return chain
        case .fsm:
            if started {
                let f = facts()
                if let next = templates[current].transitions.first(where: { $0.when.evaluate(f) }) { current = next.to }
            }
            started = true
            return [current]
        }
    }

    /// The name errors of template `t` are counted under.
    func label(_ t: Int) -> String { "template \(templates[t].alias) of generator \(name)" }

    /// Renders the events of one timestamp record; template errors go to `tally`.
    func process(_ record: Record, location: @autoclosure () -> String, tally: TemplateErrorTally, to out: inout [UInt8]) throws {
        if exhaustedBy != nil { skipped += 1; return }
        guard let time = record.time else { throw EgError.input(at: location(), "a timestamp record of generator \(name) has no _time") }
        var tags: [String] = []
        if case .array(let a)? = record["tags"] { tags = a.compactMap(\.text) }
        timeJSON.removeAll(keepingCapacity: true)
        JSONWriter.append(record["_time"] ?? .null, to: &timeJSON)
        anomalyJSON.removeAll(keepingCapacity: true)
        let anomaly = record["anomaly"]
        if let anomaly { JSONWriter.append(anomaly, to: &anomalyJSON) }
        try render(time: time, number: record.eventNumber, tags: tags, anomaly: anomaly?.text, tally: tally, to: &out)
    }

    /// Renders the timestamp record `view` holds, when it has what a plain eg-rate timestamp has
    /// (a number `_time`, `_seq` in digits or none, no tags, no anomaly): the `Record` path's
    /// work without parsing the line. False (nothing done) for any other record.
    func process(view: RecordView, tally: TemplateErrorTally, to out: inout [UInt8]) throws -> Bool {
        let t = view.timeIndex
        guard t >= 0, view.members[t].kind == .number, let time = view.time, view.find("anomaly") == nil else { return false }
        if let k = view.find("tags") {
            let b = view.valueBytes(k)
            guard b.count == 2, b[0] == 0x5B, b[1] == 0x5D else { return false }
        }
        var number: UInt64? = nil
        if view.seqIndex >= 0 {
            guard let n = view.unsignedInteger(view.seqIndex) else { return false }
            number = n
        }
        if exhaustedBy != nil { skipped += 1; return true }
        timeJSON.removeAll(keepingCapacity: true)
        timeJSON.append(contentsOf: view.valueBytes(t))
        anomalyJSON.removeAll(keepingCapacity: true)
        try render(time: time, number: number, tags: [], anomaly: nil, tally: tally, to: &out)
        return true
    }

    /// Renders the events of one timestamp (`timeJSON` and `anomalyJSON` hold its `_time` and
    /// `anomaly` as written); template errors go to `tally`.
    private func render(time: EventTime, number given: UInt64?, tags: [String], anomaly anomalyText: String?, tally: TemplateErrorTally, to out: inout [UInt8]) throws {
        let offset = zone.offset(at: time)
        let timestamp = Value.datetime(DateTimeValue(micros: time.micros, offset: offset))
        let tagsValue = Value.tuple(tags.map { .string($0) })
        let number = given ?? nextNumber
        nextNumber = number &+ 1
        render.rng = key.generator(event: number)
        // Without state the spin position is the number's (any shard agrees); with `dispatch`
        // (never sharded) re-picks move it on from timestamp to timestamp, as in Eventum.
        if keepsState == nil { spin = Int(number % UInt64(templates.count)) }
        // eg's addition: `anomaly` is the id of the labelled anomaly that added this timestamp
        // (eg-rate --anomaly), so a template can render the scenario's events; undefined otherwise.
        let anomaly: Value = anomalyText.map { .string($0) } ?? .undefined("anomaly")
        // What a dynamically included template reads beyond its includer's globals (updated in
        // place: the renderer holds the only copy).
        if dynamicIncludes {
            render.extraContext["timestamp"] = timestamp
            render.extraContext["tags"] = tagsValue
            if case .string = anomaly { render.extraContext["anomaly"] = anomaly } else { render.extraContext.removeValue(forKey: "anomaly") }
        }
        clock.micros = time.micros
        let facts = { [unowned self] () -> EventumCondition.Facts in
            let c = self.zone.civil(time)
            return EventumCondition.Facts(locals: self.lastLocals, shared: self.shared, globals: self.globals, tags: tags,
                                          secondOfDay: c.hour * 3600 + c.minute * 60 + c.second)
        }
        let mark = out.count
        var repicks = 0
        while true {
            let picked = pick(facts)
            var signal: (DispatchSignal, Int)? = nil
            for i in picked {
                if let s = templates[i].timestampSlot { templates[i].globals[s] = timestamp }
                if let s = templates[i].tagsSlot { templates[i].globals[s] = tagsValue }
                if let s = templates[i].anomalySlot { templates[i].globals[s] = anomaly }
                let t = templates[i]
                if dynamicIncludes {
                    render.extraContext["vars"] = t.vars
                    render.extraContext["locals"] = .object(t.locals)
                }
                do { try render.render(t.compiled, globals: t.globals) } catch let s as DispatchSignal {
                    signal = (s, i)
                    break
                } catch let e as TemplateError {
                    // As in Eventum, a failed render fails the whole timestamp.
                    out.removeSubrange(mark...)
                    lastLocals = t.locals
                    tally.add(label(i), e.description)
                    return
                }
                // The renderer's own bytes, valid until its next render.
                let buffer = render.output
                if buffer.allSatisfy({ $0 == 32 || $0 == 10 || $0 == 9 || $0 == 13 }) { empty += 1; continue }
                let event = out.count
                emitHead(t, to: &out)
                if validatesJSON {
                    // The literals' share of the work is cached; text the compactor does not take
                    // (invalid, or nested deeper) gets JSONCompact's full scan, which gives the error.
                    let spans = render.textSpans
                    let done = compactor.append(buffer, spans: spans, to: &out)
                    if !done {
                        do { try escaper.appendCompactJSON(bytes: buffer, to: &out) } catch let e as JSONParser.SyntaxError {
                            out.removeSubrange(event...)
                            tally.add(label(i) + " (json formatter)", "\(t.compiled.name): the rendered event is not valid JSON: \(e.message) (byte \(e.offset + 1))")
                            continue
                        }
                    }
                } else {
                    escaper.appendString(bytes: buffer, to: &out)
                }
                out.append(0x7D)
                out.append(0x0A)
            }
            if let (s, i) = signal {
                out.removeSubrange(mark...)
                lastLocals = templates[i].locals
                switch s {
                case .drop: dispatchDropped += 1
                case .exhaust: exhaustedBy = templates[i].alias
                case .next(let max):
                    repicks += 1
                    if repicks <= max { continue }
                    tally.add(label(i), "\(templates[i].compiled.name): dispatch.next() asked for more than \(max) re-picks for one timestamp")
                }
                return
            }
            if let last = picked.last { lastLocals = templates[last].locals }
            return
        }
    }

    /// Writes the start of one event record of template `t`,
    /// `{"sample","_time","template"[,"anomaly"],"_raw":`; the caller appends `_raw`'s string and
    /// the closing brace.
    func emitHead(_ t: Template, to out: inout [UInt8]) {
        out.append(contentsOf: prefix)
        out.append(contentsOf: timeJSON)
        if anomalyJSON.isEmpty {
            out.append(contentsOf: t.rawHeader)
            return
        }
        out.append(contentsOf: t.header)
        out.append(contentsOf: ",\"anomaly\":".utf8)
        out.append(contentsOf: anomalyJSON)
        out.append(contentsOf: ",\"_raw\":".utf8)
    }

    /// What happened besides rendering, for the end of the run (nil when nothing did).
    var summary: String? {
        var parts: [String] = []
        if empty > 0 { parts.append("\(empty) event\(empty == 1 ? "" : "s") rendered empty and were dropped") }
        if dispatchDropped > 0 { parts.append("\(dispatchDropped) timestamp\(dispatchDropped == 1 ? "" : "s") dropped by dispatch.drop()") }
        if let by = exhaustedBy {
            parts.append("template \(by) called dispatch.exhaust(), which ended the generator" + (skipped > 0 ? " (\(skipped) later timestamp\(skipped == 1 ? "" : "s") not rendered)" : ""))
        }
        return parts.isEmpty ? nil : "generator \(name): " + parts.joined(separator: "; ")
    }
}

/// The generators of one eg-tokenize run, by sample name, sharing `globals`.
final class EventumGenerators {
    @exclusivity(unchecked) var generators: [String: EventumGenerator] = [:]
    let globals = EventumState()

    /// Sets up the generator of a stanza record that has an `eventum` member. `split` names how
    /// the stream is split (`eg-rate --shard 1/3`), if it is: a generator that keeps
    /// state from one timestamp to the next is then refused, as no part sees every timestamp.
    func add(_ st: StanzaRecord, seed: UInt64, zone: TimeZoneSetting?, split: String? = nil) throws {
        guard let e = st.eventum else { return }
        let z = try zone ?? st.setting("timezone").map { try TimeZoneSetting.parse($0) } ?? .utc
        let g = try EventumGenerator(st, eventum: e, seed: seed, zone: z, globals: globals)
        if let split, let uses = g.keepsState {
            throw EgError.config(at: "generator \(st.sample)", "it keeps state from one timestamp to the next (\(uses)), which \(split) cannot split: each part would see only some timestamps; run this generator unsharded")
        }
        generators[st.sample] = g
        lastGenerator = nil
    }

    /// Renders `record` if it belongs to a generator; false otherwise.
    func process(_ record: Record, location: @autoclosure () -> String, tally: TemplateErrorTally, to out: inout [UInt8]) throws -> Bool {
        guard let s = record.sample, let g = generators[s], !record.isStanza else { return false }
        try g.process(record, location: location(), tally: tally, to: &out)
        return true
    }

    /// Renders the record `view` holds if it is a plain timestamp of a generator (see
    /// `EventumGenerator.process(view:)`); false when the caller is to parse it as a `Record`.
    func process(view: RecordView, tally: TemplateErrorTally, to out: inout [UInt8]) throws -> Bool {
        guard !generators.isEmpty, view.sampleIndex >= 0, !view.isStanza, view.rawIndex < 0, view.bundleIndex < 0 else { return false }
        let name = view.valueBytes(view.sampleIndex)
        if let g = lastGenerator, name.count == lastName.count,
           name.isEmpty || lastName.withUnsafeBufferPointer({ memcmp($0.baseAddress!, name.baseAddress!, name.count) == 0 }) {
            return try g.process(view: view, tally: tally, to: &out)
        }
        guard let s = view.text(view.sampleIndex), let g = generators[s] else { return false }
        lastName = Array(name)
        lastGenerator = g
        return try g.process(view: view, tally: tally, to: &out)
    }

    /// The generator of the last sample seen, by the sample member's bytes as the record holds
    /// them: a name is decoded and looked up only when it changes.
    @exclusivity(unchecked) private var lastName: [UInt8] = []
    @exclusivity(unchecked) private var lastGenerator: EventumGenerator? = nil

    /// True when there are generators and every one has called `dispatch.exhaust()`.
    var allExhausted: Bool { !generators.isEmpty && generators.values.allSatisfy { $0.exhaustedBy != nil } }

    /// Notes on empty renders, drops and exhausted generators, in name order.
    func report(tool: String) {
        for g in generators.keys.sorted().compactMap({ generators[$0] }) {
            if let s = g.summary { Diagnostics.note(s, tool: tool) }
        }
    }
}
