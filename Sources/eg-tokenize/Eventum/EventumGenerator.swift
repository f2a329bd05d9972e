import Core
import Foundation

/// One Eventum generator in eg-tokenize: its compiled templates, samples, state and picking mode.
/// For each timestamp record from eg-rate it picks templates by the mode (all, any, chance, spin,
/// chain, fsm) and renders each with `timestamp`, `tags`, `params`, `vars`, `samples`, `module`,
/// `locals`, `shared` and `globals`, writing `{"sample","_time","template","_raw"}` per event.
/// A template that renders only whitespace gives no event (counted in `dropped`).
///
/// Timestamp record number n (`_seq`) draws from `key.generator(event: n)` (its templates in
/// order); `spin` picks template n modulo their count. What a shard cannot reproduce is state
/// carried from one timestamp to the next: `locals`, `shared`, `globals` and `fsm` (`keepsState`).
final class EventumGenerator {
    struct Template {
        var alias: String
        var compiled: CompiledTemplate
        var vars: Value
        var locals = EventumState()
        var chance: Double
        var transitions: [(to: Int, when: EventumCondition)] = []
    }

    enum Mode: String { case all, any, chance, spin, chain, fsm }

    let name: String
    let mode: Mode
    var templates: [Template] = []
    var chain: [Int] = []
    var cumulative: [Double] = []
    var spin = 0
    var current = 0
    let shared = EventumState()
    let globals: EventumState
    let render: RenderState
    let key: RandomKey
    var nextNumber: UInt64 = 0
    /// Why the generator's output depends on earlier timestamps (nil: it does not).
    private(set) var keepsState: String?
    var context: [String: Value] = [:]
    let zone: TimeZoneSetting
    var dropped = 0
    var buffer: [UInt8] = []

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
        var sets: [String: SampleSet] = [:]
        if case .object(let samples)? = ev["samples"] {
            for s in samples { sets[s.key] = try SampleSet.load(name: s.key, s.value) }
        }
        context["params"] = ev["params"].map(Value.init(json:)) ?? .dict([])
        context["samples"] = .object(SampleSets(sets))
        context["module"] = EventumModule.make()
        context["shared"] = .object(shared)
        context["globals"] = .object(globals)
        // Imported macros render without the caller's context but see these (Eventum's globals).
        for k in ["params", "samples", "module", "shared", "globals"] { env.globals[k] = context[k] }
        keepsState = try EventumGenerator.stateUse(mode: mode, env)
    }

    /// What makes a generator's output depend on earlier timestamps: `mode: fsm`, or a template
    /// (or one it includes or imports) that reads `locals`, `shared` or `globals`; nil for none.
    static func stateUse(mode: Mode, _ env: TemplateEnvironment) throws -> String? {
        var uses: [String] = mode == .fsm ? ["mode fsm"] : []
        for name in env.names {
            let t = try env.template(named: name)
            for store in ["locals", "shared", "globals"] where t.globalNames.contains(store) && !uses.contains(store) {
                uses.append(store)
            }
        }
        return uses.isEmpty ? nil : uses.joined(separator: ", ")
    }

    /// The templates to render for one timestamp (fsm: the current state).
    func pick() -> [Int] {
        switch mode {
        case .all: return Array(templates.indices)
        case .any: return [render.rng.index(templates.count)]
        case .chance:
            let x = render.rng.unit() * (cumulative.last ?? 0)
            return [cumulative.firstIndex { $0 > x } ?? templates.count - 1]
        case .spin:
            return [spin]
        case .chain: return chain
        case .fsm: return [current]
        }
    }

    /// Renders the events of one timestamp record.
    func process(_ record: Record, location: String, to out: inout [UInt8]) throws {
        guard let time = record.time else { throw EgError.input(at: location, "a timestamp record of generator \(name) has no _time") }
        let offset = zone.offset(at: time)
        var tags: [String] = []
        if case .array(let a)? = record["tags"] { tags = a.compactMap(\.text) }
        context["timestamp"] = .datetime(DateTimeValue(micros: time.micros, offset: offset))
        context["tags"] = .tuple(tags.map { .string($0) })
        let number = record.eventNumber ?? nextNumber
        nextNumber = number &+ 1
        render.rng = key.generator(event: number)
        spin = Int(number % UInt64(templates.count))
        for i in pick() {
            let t = templates[i]
            context["vars"] = t.vars
            context["locals"] = .object(t.locals)
            buffer.removeAll(keepingCapacity: true)
            do { try render.render(t.compiled, context: context, into: &buffer) } catch let e as TemplateError {
                throw EgError.input(at: e.location, "template \(t.alias) of generator \(name): \(e.message)")
            }
            if mode == .fsm {
                let c = zone.civil(time)
                let facts = EventumCondition.Facts(locals: t.locals, shared: shared, globals: globals, tags: tags,
                                                   secondOfDay: c.hour * 3600 + c.minute * 60 + c.second)
                if let next = t.transitions.first(where: { $0.when.evaluate(facts) }) { current = next.to }
            }
            if buffer.allSatisfy({ $0 == 32 || $0 == 10 || $0 == 9 || $0 == 13 }) { dropped += 1; continue }
            out.append(contentsOf: Array("{\"sample\":".utf8))
            JSONWriter.appendString(name, to: &out)
            out.append(contentsOf: Array(",\"_time\":".utf8))
            JSONWriter.append(record["_time"] ?? .null, to: &out)
            out.append(contentsOf: Array(",\"template\":".utf8))
            JSONWriter.appendString(t.alias, to: &out)
            out.append(contentsOf: Array(",\"_raw\":".utf8))
            buffer.withUnsafeBufferPointer { JSONWriter.appendString(bytes: $0, to: &out) }
            out.append(contentsOf: Array("}\n".utf8))
        }
    }
}

/// The generators of one eg-tokenize run, by sample name, sharing `globals`.
final class EventumGenerators {
    var generators: [String: EventumGenerator] = [:]
    let globals = EventumState()

    /// Sets up the generator of a stanza record that has an `eventum` member. `split` names how
    /// the stream is split (`eg-rate --shard 1/3`, `--jobs 4`), if it is: a generator that keeps
    /// state from one timestamp to the next is then refused, as no part sees every timestamp.
    func add(_ st: StanzaRecord, seed: UInt64, zone: TimeZoneSetting?, split: String? = nil) throws {
        guard let e = st.eventum else { return }
        let z = try zone ?? st.setting("timezone").map { try TimeZoneSetting.parse($0) } ?? .utc
        let g = try EventumGenerator(st, eventum: e, seed: seed, zone: z, globals: globals)
        if let split, let uses = g.keepsState {
            throw EgError.config(at: "generator \(st.sample)", "it keeps state from one timestamp to the next (\(uses)), which \(split) cannot split: each part would see only some timestamps; run this generator unsharded and without --jobs")
        }
        generators[st.sample] = g
    }

    /// Renders `record` if it belongs to a generator; false otherwise.
    func process(_ record: Record, location: String, to out: inout [UInt8]) throws -> Bool {
        guard let s = record.sample, let g = generators[s], !record.isStanza else { return false }
        try g.process(record, location: location, to: &out)
        return true
    }
}
