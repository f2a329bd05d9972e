import Core
import EgTestSupport
import Foundation
import Testing

/// eg's own generators (`generators/NAME/`): each one, found by name, run once for 10,000 timestamps
/// through eg-sample | eg-rate | eg-tokenize, must give valid events with the ECS fields every
/// source needs, the event-type mix its about.yml declares, every state pool within its cap, sessions
/// that open before they close; a shorter run gives the same bytes for the same seed (eg-rate and
/// eg-tokenize both seeded), and a short anomaly run is labelled. One test case per generator found
/// in generators/, so they run in parallel.
@Suite struct GeneratorLibraryTests {
    static let library = ToolProcess.root.appendingPathComponent("generators").path
    static let names: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: library)) ?? []).sorted().filter {
        FileManager.default.fileExists(atPath: "\(library)/\($0)/generator.yml")
    }
    /// eg-rate's `--now`: the generators' inputs start at `-7d@w1`, so the timestamps begin at the
    /// Monday midnight a week before: night-time volume, the baseline rate that about.yml mixes are
    /// declared for where a share depends on the rate (linux-auth's brute-force trickle).
    static let now = "2025-06-02T08:00:00Z"
    static let count = 10_000

    /// eg's metadata for one generator (about.yml).
    struct About {
        var description = "", format = "", namespace = "", typeField = "", anomaly = ""
        var ecsParam: String?
        var mix: [String: Double] = [:]
        var sessions: (idField: String, start: (String, String), end: (String, String), cap: Int)?

        init(_ name: String) throws {
            let root = try YAML.load(path: "\(GeneratorLibraryTests.library)/\(name)/about.yml")
            description = root["description"]?.scalarText ?? ""
            format = root["format"]?.scalarText ?? ""
            namespace = root["namespace"]?.scalarText ?? ""
            typeField = root["type_field"]?.scalarText ?? ""
            anomaly = root["anomaly"]?.scalarText ?? ""
            ecsParam = root["ecs_param"]?.scalarText
            for p in root["mix"]?.pairs ?? [] {
                mix[p.key.keyText] = Double(p.value.scalarText ?? "")
            }
            if let s = root["sessions"] {
                func condition(_ key: String) -> (String, String) {
                    let t = s[key]?.scalarText ?? ""
                    guard let eq = t.firstIndex(of: "=") else { return (t, "") }
                    return (String(t[..<eq]), String(t[t.index(after: eq)...]))
                }
                sessions = (s["id_field"]?.scalarText ?? "", condition("start"), condition("end"), Int(s["cap"]?.scalarText ?? "") ?? 0)
            }
        }
    }

    static func sh(_ script: String) throws -> (status: Int32, out: Data, err: String) {
        let o = try ToolProcess.run(URL(fileURLWithPath: "/bin/bash"), ["-c", "set -o pipefail; " + script])
        return (o.status, o.stdout, String(decoding: o.stderr, as: UTF8.self))
    }

    static func pipeline(_ name: String, _ sampleArgs: String = "", count: Int = count, rateArgs: String = "", seed: Int = 7) throws -> (out: Data, err: String) {
        let r = try sh("eg-sample \(name) \(sampleArgs) | eg-rate --seed \(seed) --count \(count) --now \(now) \(rateArgs) | eg-tokenize --seed \(seed)")
        #expect(r.status == 0, "\(name): \(r.err)")
        return (r.out, r.err)
    }

    static func events(_ out: Data) -> [Record] {
        out.split(separator: 10).compactMap { line -> Record? in
            guard let f = try? Array(line).withUnsafeBufferPointer({ try JSONParser.parseObject($0) }) else { return nil }
            let r = Record(fields: f)
            return r.isStanza ? nil : r
        }
    }

    /// The value at a dotted path.
    static func value(_ path: String, in v: JSONValue) -> JSONValue? {
        var cur: JSONValue? = v
        for part in path.split(separator: ".") { cur = cur?[String(part)] }
        return cur
    }

    static func isStringArray(_ v: JSONValue?) -> Bool {
        guard case .array(let a)? = v, !a.isEmpty else { return false }
        return a.allSatisfy { $0.stringValue != nil }
    }

    static func isObject(_ v: JSONValue?) -> Bool {
        if case .object(let f)? = v { return !f.isEmpty }
        return false
    }

    @Test func libraryIsListedAndFoundByName() throws {
        #expect(Self.names.count >= 1)
        let list = try Self.sh("eg-sample --generators")
        #expect(list.status == 0, "\(list.err)")
        let text = String(decoding: list.out, as: UTF8.self)
        for name in Self.names {
            let about = try About(name)
            #expect(!about.description.isEmpty && !about.description.contains("\n"), "\(name): about.yml needs a one-line description")
            #expect(text.contains("\(name)") && text.contains(about.description), "\(name) missing from --generators:\n\(text)")
            #expect(FileManager.default.fileExists(atPath: "\(Self.library)/\(name)/README.md"), "\(name) has no README.md")
        }
        let missing = try Self.sh("eg-sample no-such-generator")
        #expect(missing.status == 2)
        #expect(missing.err.contains("no generator of that name in") && missing.err.contains("generators"), "\(missing.err)")
        // EG_PATH comes first: a folder of its own generators shadows the library's.
        let dir = NSTemporaryDirectory() + "eg-lib-\(getpid())"
        try FileManager.default.createDirectory(atPath: "\(dir)/\(Self.names[0])/t", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "input: [{static: {count: 1}}]\nevent: {template: {mode: all, templates: [{a: {template: t/a.jinja}}]}}\noutput: [{stdout: {}}]\n"
            .write(toFile: "\(dir)/\(Self.names[0])/generator.yml", atomically: true, encoding: .utf8)
        try "shadow".write(toFile: "\(dir)/\(Self.names[0])/t/a.jinja", atomically: true, encoding: .utf8)
        let shadow = try Self.sh("EG_PATH=\(dir) eg-sample \(Self.names[0]) | eg-rate | eg-tokenize")
        #expect(shadow.status == 0 && String(decoding: shadow.out, as: UTF8.self).contains("\"_raw\":\"shadow\""), "\(shadow.err)")
        let typo = try Self.sh("eg-sample \(Self.names[0]) --param no_such_param=1")
        #expect(typo.status == 2 && typo.err.contains("--param no_such_param"), "\(typo.err)")
    }

    /// One seed, on eg-sample alone, makes a generator's pipeline reproducible: the seed travels in the
    /// generator's stanza record to eg-rate (time_patterns randomizer and spreader) and eg-tokenize.
    /// (eg-sample parsed --seed for generators and dropped it, so `eg-sample --seed 7 dns | eg-rate |
    /// eg-tokenize` drew a fresh seed in eg-rate and gave different bytes each run.)
    @Test func oneSeedOnEgSampleTravelsThroughAGeneratorPipeline() throws {
        let name = Self.names.contains("linux-auth") ? "linux-auth" : Self.names[0]
        func run(_ seed: Int) throws -> Data {
            let r = try Self.sh("eg-sample --seed \(seed) \(name) | eg-rate --count 500 --now \(Self.now) | eg-tokenize")
            #expect(r.status == 0, "\(r.err)")
            return r.out
        }
        let stanza = try Self.sh("eg-sample --seed 7 \(name) | head -1")
        let record = Self.events(stanza.out).isEmpty ? String(decoding: stanza.out, as: UTF8.self) : ""
        let seeded = record.contains("\"seed\":\"7\"")
        #expect(seeded, "the stanza record has no seed setting: \(record.prefix(300))")
        let first = try run(7), again = try run(7), other = try run(8)
        #expect(Self.events(first).count >= 250, "\(Self.events(first).count) events of 500 timestamps")
        #expect(first == again, "eg-sample --seed 7 gave different bytes twice")
        #expect(first != other, "seeds 7 and 8 gave the same bytes: the seed is not used")
    }

    @Test(arguments: names)
    func generatorMeetsItsContract(_ name: String) throws {
        let about = try About(name)
        #expect(["json", "raw"].contains(about.format), "\(name): format must be json or raw")
        #expect(!about.namespace.isEmpty && !about.typeField.isEmpty && !about.mix.isEmpty && !about.anomaly.isEmpty,
                "\(name): about.yml needs namespace, type_field, mix and anomaly")
        let ecsArgs: String
        if about.format == "raw" {
            guard let p = about.ecsParam else { Issue.record("\(name): a raw generator needs ecs_param"); return }
            ecsArgs = "--param \(p)"
            let raw = Self.events(try Self.pipeline(name, count: 1000).out)
            #expect(raw.count >= 500, "\(name): \(raw.count) raw events of 1000 timestamps")
            for e in raw {
                let line = e.raw ?? ""
                #expect(!line.isEmpty && !line.contains("\n") && !line.hasPrefix("{"), "\(name): not a raw log line: \(line)")
            }
        } else {
            ecsArgs = ""
        }
        let (out, _) = try Self.pipeline(name, ecsArgs)
        let events = Self.events(out)
        #expect(events.count >= Self.count / 2, "\(name): \(events.count) events of \(Self.count) timestamps")
        var seen: [String: Int] = [:]
        var open: Set<String> = []
        var problems: [String] = []
        func problem(_ s: String) { if problems.count < 10 { problems.append(s) } }
        for (i, e) in events.enumerated() {
            guard let doc = try? JSONParser.parse(e.raw ?? ""), case .object = doc else { problem("event \(i) is not a JSON object: \(e.raw ?? "")"); continue }
            if Self.value("@timestamp", in: doc)?.stringValue?.count ?? 0 < 19 { problem("event \(i): no @timestamp") }
            if Self.value("event.kind", in: doc)?.stringValue == nil { problem("event \(i): event.kind is not a string") }
            if !Self.isStringArray(Self.value("event.category", in: doc)) { problem("event \(i): event.category is not an array of strings") }
            if !Self.isStringArray(Self.value("event.type", in: doc)) { problem("event \(i): event.type is not an array of strings") }
            if !Self.isObject(Self.value("host", in: doc)) { problem("event \(i): no host.*") }
            if case .object(let related)? = Self.value("related", in: doc), !related.isEmpty {
                for f in related where !Self.isStringArray(f.value) { problem("event \(i): related.\(f.key) is not an array of strings") }
            } else { problem("event \(i): no related.*") }
            if !Self.isObject(Self.value(about.namespace, in: doc)) { problem("event \(i): no \(about.namespace) object") }
            if about.format == "raw", Self.value("event.original", in: doc)?.stringValue?.isEmpty ?? true { problem("event \(i): no event.original") }
            guard let type = Self.value(about.typeField, in: doc)?.text else { problem("event \(i): no \(about.typeField)"); continue }
            seen[type, default: 0] += 1
            if let s = about.sessions {
                let id = Self.value(s.idField, in: doc)?.text
                if Self.value(s.start.0, in: doc)?.text == s.start.1 {
                    guard let id else { problem("event \(i): a session start without \(s.idField)"); continue }
                    if !open.insert(id).inserted { problem("event \(i): session \(id) opened twice") }
                    if open.count > s.cap { problem("event \(i): \(open.count) open sessions, above the cap \(s.cap)") }
                } else if Self.value(s.end.0, in: doc)?.text == s.end.1 {
                    guard let id, open.remove(id) != nil else { problem("event \(i): session \(id ?? "?") closed but not open"); continue }
                }
            }
        }
        #expect(problems.isEmpty, "\(name): \(problems.joined(separator: "\n"))")
        let total = Double(seen.values.reduce(0, +))
        let declared = about.mix.values.reduce(0, +)
        var tvd = 0.0
        for k in Set(seen.keys).union(about.mix.keys) {
            tvd += abs(Double(seen[k] ?? 0) / max(total, 1) - (about.mix[k] ?? 0) / declared)
        }
        tvd /= 2
        #expect(tvd <= 0.05, "\(name): mix is \(tvd) from about.yml's; observed \(seen.sorted { $0.key < $1.key })")

        // The anomaly scenario (its duration cut to 10 minutes so 2,000 timestamps hold it) runs and
        // is labelled, and the same seeds give the same bytes.
        let spec = about.anomaly.split(separator: ",").map { $0.hasPrefix("duration=") ? "duration=10m" : String($0) }.joined(separator: ",")
        let labels = NSTemporaryDirectory() + "eg-lib-\(name)-\(getpid()).jsonl"
        defer { unlink(labels) }
        let anomalyArgs = "--anomaly '\(spec)' --labels \(labels)"
        let first = try Self.pipeline(name, ecsArgs, count: 2000, rateArgs: anomalyArgs).out
        let labelText = (try? String(contentsOfFile: labels, encoding: .utf8)) ?? ""
        let again = try Self.pipeline(name, ecsArgs, count: 2000, rateArgs: anomalyArgs).out
        #expect(!first.isEmpty && again == first, "\(name): the same seed gave different output")
        let spiked = Self.events(first)
        let marked = spiked.filter { $0["anomaly"] != nil }
        #expect(labelText.contains("\"id\":\"\(name)-a1\""), "\(name): no label for \(about.anomaly): \(labelText)")
        if !about.anomaly.contains("outage") && !about.anomaly.contains("drop") {
            #expect(!marked.isEmpty, "\(name): no event carries the anomaly")
        }
        for e in marked.prefix(200) where (try? JSONParser.parse(e.raw ?? "")) == nil {
            Issue.record("\(name): an anomaly event is not JSON: \(e.raw ?? "")"); break
        }
    }
}
