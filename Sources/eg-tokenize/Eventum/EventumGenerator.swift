import Core
import Foundation

/// One Eventum generator in eg-tokenize: its compiled templates, samples, state and picking mode.
/// For each timestamp record from eg-rate it picks templates by the mode (all, any, chance, spin,
/// chain, fsm) and renders each with `timestamp`, `tags`, `params`, `vars`, `samples`, `module`,
/// `locals`, `shared` and `globals`, writing `{"sample","_time","template","_raw"}` per event.
/// A template that renders only whitespace gives no event (counted in `dropped`).
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
        render = RenderState(environment: env, rng: SeededRandom(seed: seed, stream: "eventum/\(name)"))
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
            defer { spin = (spin + 1) % templates.count }
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
        // eg's addition: `anomaly` is the id of the labelled anomaly that added this timestamp
        // (eg-rate --anomaly), so a template can render the scenario's events; undefined otherwise.
        let anomaly = record["anomaly"]
        if let id = anomaly?.text { context["anomaly"] = .string(id) } else { context.removeValue(forKey: "anomaly") }
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
            if let anomaly {
                out.append(contentsOf: Array(",\"anomaly\":".utf8))
                JSONWriter.append(anomaly, to: &out)
            }
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

    /// Sets up the generator of a stanza record that has an `eventum` member.
    func add(_ st: StanzaRecord, seed: UInt64, zone: TimeZoneSetting?) throws {
        guard let e = st.eventum else { return }
        let z = try zone ?? st.setting("timezone").map { try TimeZoneSetting.parse($0) } ?? .utc
        generators[st.sample] = try EventumGenerator(st, eventum: e, seed: seed, zone: z, globals: globals)
    }

    /// Renders `record` if it belongs to a generator; false otherwise.
    func process(_ record: Record, location: String, to out: inout [UInt8]) throws -> Bool {
        guard let s = record.sample, let g = generators[s], !record.isStanza else { return false }
        try g.process(record, location: location, to: &out)
        return true
    }
}
