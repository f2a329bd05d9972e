import Core
import Foundation

/// One `generator = jinja` stanza: its template set compiled once, and the cycle loop of
/// eventgen's jinja generator. Each incoming event is one cycle (eg-rate made `count` of them per
/// interval and gave each `_cycle: [k, n, earliest, latest]`); the target template is rendered
/// with the `eventgen_*` variables and `jinja_variables`, and its output, a sequence of JSON
/// objects, becomes the events: `_raw` and `_time` from each object, its other keys as fields,
/// `index`, `host`, `source`, `sourcetype` defaulting to the stanza's. With
/// `jinja_count_type = perDayVolume` one cycle event stands for the interval: cycles are rendered
/// until the events' fields (eventgen adds `len()` of each parsed event, with `host`,
/// `hostRegex`, `source`, `sourcetype` and `index` filled in) reach the interval's count.
///
/// Cycle number n (`_seq`) draws from `key.generator(event: n)` (perDayVolume: the interval's
/// cycles one after another); imported modules, evaluated once per interval, draw from a
/// generator of the interval's first cycle number (`_seq` minus the cycle's place k), so any
/// shard renders a cycle exactly as the whole run does.
final class JinjaStanza {
    let sample: String
    let environment: TemplateEnvironment
    let template: CompiledTemplate
    let state: RenderState
    let key: RandomKey
    /// The number of the next cycle without `_seq`, and the first cycle number of the interval
    /// whose modules are cached.
    var nextNumber: UInt64 = 0
    var interval: UInt64?
    let zone: TimeZoneSetting
    var globals: [Value]
    let slots: [String: Int]
    /// `jinja_count_type = perDayVolume`: `count` counts the events' fields, not cycles.
    let countsFields: Bool
    /// The time of the cycle being rendered (`time_now` reads it).
    let clock = CycleClock()

    static let injected = ["eventgen_count", "eventgen_maxcount", "eventgen_earliest", "eventgen_earliest_epoch",
                           "eventgen_latest", "eventgen_latest_epoch", "eventgen_target_time_earliest",
                           "eventgen_target_time_latest", "eventgen_target_time_slice_size", "eventgen_target_time_epoch"]

    /// Compiles the stanza's templates; syntax errors are config errors (exit 2) naming file, line and column.
    init(_ st: StanzaRecord, seed: UInt64, zoneOverride: TimeZoneSetting?) throws {
        sample = st.sample
        countsFields = st.setting("jinja_count_type") == "perDayVolume"
        let location = "stanza [\(st.stanza)]"
        guard let target = st.setting("jinja_target_template"), !target.isEmpty else {
            throw EgError.config(at: location, "generator = jinja needs jinja_target_template (the root template's file name)")
        }
        let dir = JinjaStanza.templateDirectory(st)
        zone = try zoneOverride ?? st.setting("timezone").map { try TimeZoneSetting.parse($0, at: location) } ?? .local
        let env = TemplateEnvironment(directories: [dir] + (st.conf.map { [($0 as NSString).deletingLastPathComponent] } ?? []),
                                      syntax: .eventgen)
        env.displayPrefix = JinjaStanza.displayPrefix(st, dir)
        environment = env
        let clock = self.clock
        EventgenTags.install(in: env, zone: zone) { clock.now }
        key = RandomKey(seed: seed, stream: st.sample + "/jinja")
        state = RenderState(environment: env, rng: key.generator(event: 0))
        state.moduleKey = RandomKey(seed: seed, stream: st.sample + "/jinja/modules")
        do {
            template = try env.template(named: target)
        } catch let e as TemplateError {
            throw EgError.config(at: e.location, e.message)
        }
        var vars: [String: Value] = [:]
        if let text = st.setting("jinja_variables"), !text.trimmingCharacters(in: .whitespaces).isEmpty {
            let parsed: JSONValue
            do { parsed = try JSONParser.parse(text) } catch {
                throw EgError.config(at: location, "jinja_variables = \(text): expected a JSON object (\(error))")
            }
            guard case .object(let fields) = parsed else {
                throw EgError.config(at: location, "jinja_variables = \(text): expected a JSON object")
            }
            for f in fields { vars[f.key] = Value(json: f.value) }
        }
        globals = template.globalNames.map { vars[$0] ?? env.globals[$0] ?? .undefined($0) }
        var s: [String: Int] = [:]
        for name in JinjaStanza.injected { if let g = template.globalSlot(name) { s[name] = g } }
        slots = s
    }

    /// The time of the cycle being rendered, shared with the `time_now` tag.
    final class CycleClock {
        var now = EventTime(micros: 0)
    }

    /// `jinja_template_dir` as eg-sample resolved it (absolute), else `<conf dir>/templates`.
    static func templateDirectory(_ st: StanzaRecord) -> String {
        let confDir = st.conf.map { ($0 as NSString).deletingLastPathComponent } ?? FileManager.default.currentDirectoryPath
        guard let d = st.setting("jinja_template_dir"), !d.isEmpty else {
            return ((confDir as NSString).deletingLastPathComponent as NSString).appendingPathComponent("samples/templates")
        }
        return PathExpansion.resolve(d, relativeTo: confDir)
    }

    /// How template files are named in messages: relative to the working directory when inside it.
    static func displayPrefix(_ st: StanzaRecord, _ dir: String) -> String {
        let cwd = FileManager.default.currentDirectoryPath
        if dir.hasPrefix(cwd + "/") { return String(dir.dropFirst(cwd.count + 1)) + "/" }
        return dir + "/"
    }

    func set(_ name: String, _ v: Value) { if let g = slots[name] { globals[g] = v } }

    /// Renders one cycle for `record` (for `countsFields`, the interval's cycles) and writes its
    /// events; template errors go to `tally`.
    func render(_ record: Record, location: String, tally: TemplateErrorTally, to out: inout [UInt8]) throws {
        let time = record.time ?? EventTime.now()
        var k = 0, n = 1
        var lo = time, hi = time
        if case .array(let c)? = record["_cycle"], c.count == 4 {
            k = Int(c[0].text ?? "") ?? 0
            n = max(1, Int(c[1].text ?? "") ?? 1)
            lo = c[2].text.flatMap { EpochText.parse($0) } ?? time
            hi = c[3].text.flatMap { EpochText.parse($0) } ?? time
        }
        let number = record.eventNumber ?? nextNumber
        nextNumber = number &+ 1
        state.rng = key.generator(event: number)
        // eventgen builds a new environment per interval: imported modules are evaluated again.
        let first = number >= UInt64(k) ? number - UInt64(k) : 0
        if interval != first {
            interval = first
            environment.resetModules()
            state.moduleUnit = first
        }
        guard countsFields else {
            _ = try renderCycle(record, k: k, n: n, lo: lo, hi: hi, time: time, tally: tally, to: &out)
            return
        }
        // eventgen's loop: eventgen_count is the fields counted so far, the slice its share of n.
        var counted = 0, cycles = 0
        while counted < n {
            guard let added = try renderCycle(record, k: counted, n: n, lo: lo, hi: hi, time: time, tally: tally, to: &out) else { return }
            cycles += 1
            guard added > 0 else {
                tally.add(environment.displayPrefix + template.name,
                          "\(environment.displayPrefix + template.name): jinja_count_type = perDayVolume: cycle \(cycles) rendered no event, so count \(n) cannot be reached; the interval stops at \(counted)")
                return
            }
            counted += added
        }
    }

    /// Renders cycle `k` of `n` and writes its events: the fields counted (see `countsFields`),
    /// or nil after a template error.
    func renderCycle(_ record: Record, k: Int, n: Int, lo: EventTime, hi: EventTime, time: EventTime,
                     tally: TemplateErrorTally, to out: inout [UInt8]) throws -> Int? {
        clock.now = time
        let loS = lo.secondsDouble, hiS = hi.secondsDouble
        set("eventgen_count", .int(k))
        set("eventgen_maxcount", .int(n))
        set("eventgen_earliest", EventgenTags.naive(lo, zone))
        set("eventgen_earliest_epoch", .float(loS))
        set("eventgen_latest", EventgenTags.naive(hi, zone))
        set("eventgen_latest_epoch", .float(hiS))
        // The target time: random inside slice k of n over [earliest, latest], in 1/100 s steps.
        let size = (hiS - loS) / Double(n)
        let start = size * Double(k) + loS
        let end = start + size
        let a = Int64((start * 100).rounded(.towardZero)), b = Int64((end * 100).rounded(.towardZero))
        let target = a == b ? Double(b) * 0.01 : Double(a + Int64(state.rng.below(UInt64(b - a)))) * 0.01
        set("eventgen_target_time_earliest", .float(start))
        set("eventgen_target_time_latest", .float(end))
        set("eventgen_target_time_slice_size", .float(size))
        set("eventgen_target_time_epoch", .float(target))

        do {
            try state.render(template, globals: globals)
        } catch let e as TemplateError {
            tally.add(environment.displayPrefix + template.name, e.description)
            return nil
        }
        return try emit(record, time: time, tally: tally, to: &out)
    }

    /// The keys eventgen fills in on every event before counting its fields.
    static let countedKeys: Set<String> = ["_raw", "_time", "host", "hostRegex", "source", "sourcetype", "index"]

    /// Turns the rendered objects (the renderer's `output`) into events; returns their fields
    /// counted as eventgen's perDayVolume count type does (0 unless `countsFields`), nil after an error.
    func emit(_ record: Record, time: EventTime, tally: TemplateErrorTally, to out: inout [UInt8]) throws -> Int? {
        let bytes = state.output
        let name = environment.displayPrefix + template.name
        let defaults = ["index", "host", "source", "sourcetype"].map { ($0, record[$0]) }
        var counted = 0
        let countsFields = self.countsFields
        do {
            try JSONParser.parseObjectSequence(bytes) { fields, offset in
                var raw: JSONValue? = nil, t: JSONValue? = nil
                var rest: [JSONField] = []
                for f in fields {
                    switch f.key {
                    case "_raw": raw = f.value
                    case "_time": t = f.value
                    default: rest.removeAll { $0.key == f.key }; rest.append(f)
                    }
                }
                guard let raw, let t else {
                    throw TemplateError(SourcePosition(), "rendered output line \(Self.line(bytes, offset)): the JSON object has no \(raw == nil ? "_raw" : "_time") field (eventgen needs _raw and _time)", file: name)
                }
                let eventTime = t.text.flatMap { EpochText.parse($0.trimmingCharacters(in: .whitespaces)) } ?? time
                var r = Record(fields: [JSONField("_raw", .string(raw.text ?? JSONWriter.string(raw))),
                                        JSONField("_time", .number(EpochText.format(eventTime)))])
                for (key, v) in defaults {
                    if let own = rest.first(where: { $0.key == key }) { r.fields.append(JSONField(key, .string(own.value.text ?? ""))) }
                    else if let v { r.fields.append(JSONField(key, v)) }
                }
                r.fields.append(JSONField("sample", .string(sample)))
                for f in rest where !["index", "host", "source", "sourcetype", "sample"].contains(f.key) { r.fields.append(f) }
                r.append(to: &out)
                if countsFields {
                    counted += Self.countedKeys.count + rest.filter { !Self.countedKeys.contains($0.key) }.count
                }
            }
        } catch let e as JSONParser.SyntaxError {
            let line = Self.line(bytes, e.offset)
            tally.add(name, "\(name): rendered output line \(line): \(e.message) (each rendered chunk must be a JSON object with _raw and _time)")
            return nil
        } catch let e as TemplateError {
            tally.add(name, e.description)
            return nil
        }
        return counted
    }

    /// The 1-based line of byte `offset` in the rendered output.
    static func line(_ bytes: UnsafeBufferPointer<UInt8>, _ offset: Int) -> Int {
        var n = 1
        for k in 0..<min(offset, bytes.count) where bytes[k] == 10 { n += 1 }
        return n
    }
}
