import Core
import EgTestSupport
import Foundation
import Testing

/// Eventum generators through eg-sample | eg-rate | eg-tokenize: the 20 real generators under
/// ../shared (read in place) render valid JSON with the real output's shape, and generators
/// written here cover every picking mode, the fsm conditions, state, samples, modules and seeds.
@Suite struct EventumPipelineTests {
    static let generators = ToolProcess.shared.appendingPathComponent("eventum/generators").path
    static let signatures = ToolProcess.shared.appendingPathComponent("eventum/signatures").path

    static func sh(_ script: String, env: [String: String] = [:]) throws -> (status: Int32, out: String, err: String) {
        let o = try ToolProcess.run(URL(fileURLWithPath: "/bin/bash"), ["-c", "set -o pipefail; " + script], environment: env)
        return (o.status, String(decoding: o.stdout, as: UTF8.self), String(decoding: o.stderr, as: UTF8.self))
    }

    /// The rendered event records (not the stanza) of a pipeline's output.
    static func events(_ out: String) -> [Record] {
        out.split(separator: "\n").compactMap { line -> Record? in
            guard let f = try? Array(line.utf8).withUnsafeBufferPointer({ try JSONParser.parseObject($0) }) else { return nil }
            let r = Record(fields: f)
            return r.isStanza ? nil : r
        }
    }

    static func folder(_ files: [String: String]) throws -> String {
        let dir = NSTemporaryDirectory() + "eg-evt-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        for (path, text) in files {
            let full = dir + "/" + path
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: full, atomically: true, encoding: .utf8)
        }
        return dir
    }

    static func run(_ dir: String, count: Int, seed: Int = 7, extra: String = "") throws -> [Record] {
        let r = try sh("eg-sample '\(dir)' \(extra) | eg-rate --count \(count) --now 2025-06-01T08:00:00Z | eg-tokenize --seed \(seed)")
        #expect(r.status == 0, "\(r.err)")
        return events(r.out)
    }

    /// The real generators' folder names; empty when ../shared is not beside the checkout (then
    /// `realGeneratorsArePresent` fails with a message instead of the suite trapping).
    static let realGenerators: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: generators)) ?? []).sorted()

    @Test func realGeneratorsArePresent() {
        #expect(!Self.realGenerators.isEmpty, "no Eventum generators at \(Self.generators): ../shared (the reference confs, samples and generators) must sit beside the checkout")
    }

    @Test(arguments: realGenerators)
    func realGeneratorRendersValidJSONWithItsSignature(_ name: String) throws {
        let dir = Self.generators + "/" + name
        let r = try Self.sh("eg-sample '\(dir)' | eg-rate --count 1000 --now 2025-06-01T00:00:00Z | eg-tokenize --seed 7")
        #expect(r.status == 0, "\(name): \(r.err)")
        let events = Self.events(r.out)
        #expect(events.count == 1000, "\(name)")
        var lines = ""
        for e in events {
            let raw = e.raw ?? ""
            guard let v = try? JSONParser.parse(raw) else { Issue.record("\(name): invalid JSON from \(e.string("template") ?? "")"); continue }
            lines += JSONWriter.string(v) + "\n"
        }
        let file = NSTemporaryDirectory() + "eg-evt-\(name)-\(getpid()).json"
        try lines.write(toFile: file, atomically: true, encoding: .utf8)
        defer { unlink(file) }
        let score = try Self.sh("python3 '\(ToolProcess.shared.path)/eventum/shape.py' --compare '\(Self.signatures)/\(name).json' '\(file)' | tail -1")
        guard case .object(let f)? = try? JSONParser.parse(score.out.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            Issue.record("\(name): no score: \(score.out) \(score.err)"); return
        }
        let s = Record(fields: f)
        #expect((s["score"]?.doubleValue ?? 0) >= 0.98, "\(name): \(score.out)")
        #expect((s["mix_tvd"]?.doubleValue ?? 1) <= 0.10, "\(name): \(score.out)")
    }

    static let modes = """
        input: [{static: {count: COUNT}}]
        event:
          template:
            mode: MODE
            CHAIN
            templates:
              - a: {template: t/a.jinja, chance: 3}
              - b: {template: t/b.jinja, chance: 1}
              - c: {template: t/c.jinja, chance: 1}
        output: [{stdout: {}}]
        """

    static func modeRun(_ mode: String, count: Int, chain: String = "") throws -> [String] {
        let dir = try folder(["generator.yml": modes.replacingOccurrences(of: "MODE", with: mode).replacingOccurrences(of: "COUNT", with: "\(count)")
                                .replacingOccurrences(of: "CHAIN", with: chain),
                              "t/a.jinja": "A", "t/b.jinja": "B", "t/c.jinja": "C"])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        return try run(dir, count: count).map { $0.raw ?? "" }
    }

    @Test func everyPickingMode() throws {
        #expect(try Self.modeRun("all", count: 2) == ["A", "B", "C", "A", "B", "C"])
        #expect(try Self.modeRun("spin", count: 5) == ["A", "B", "C", "A", "B"])
        #expect(try Self.modeRun("chain", count: 2, chain: "chain: [c, a]") == ["C", "A", "C", "A"])
        let chance = try Self.modeRun("chance", count: 2000)
        let a = chance.filter { $0 == "A" }.count
        #expect(a > 1090 && a < 1310, "A \(a) of 2000 at weight 3/5")
        let any = try Self.modeRun("any", count: 1500)
        for t in ["A", "B", "C"] { #expect(any.filter { $0 == t }.count > 420, "\(t)") }
    }

    @Test func fsmSessionWithConditionsOnLocalsSharedTagsAndTime() throws {
        let dir = try Self.folder([
            "generator.yml": """
                input: [{timer: {seconds: 60, count: 1, repeat: 12, start: "2025-06-01T08:00:00", tags: [web]}}]
                event:
                  template:
                    mode: fsm
                    templates:
                      - login:
                          template: t/login.jinja
                          initial: true
                          transitions:
                            - {to: activity, when: {and: [{has_tags: web}, {after: "07:00"}, {defined: shared.user}]}}
                      - activity:
                          template: t/activity.jinja
                          transitions:
                            - to: logout
                              when: {or: [{ge: {locals.actions: 3}}, {matches: {shared.user: "^root$"}}]}
                      - logout:
                          template: t/logout.jinja
                          transitions:
                            - {to: login, when: {not: {never: }}}
                output: [{stdout: {}}]
                """,
            "t/login.jinja": "{% do shared.set('user', 'ann') %}{% do locals.set('n', locals.get('n', 0) + 1) %}login {{ shared.user }} {{ locals.n }}",
            "t/activity.jinja": "{% do locals.set('actions', locals.get('actions', 0) + 1) %}act {{ locals.actions }}",
            "t/logout.jinja": "{% do shared.pop('user') %}{% set c = globals.get('sessions', 0) + 1 %}{% do globals.set('sessions', c) %}logout {{ c }}{% do locals.clear() %}",
        ])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let raws = try Self.run(dir, count: 12).map { $0.raw ?? "" }
        // actions keeps counting in activity's locals: the second session logs out after one action.
        #expect(raws == ["login ann 1", "act 1", "act 2", "act 3", "logout 1", "login ann 2", "act 4", "logout 2",
                         "login ann 3", "act 5", "logout 3", "login ann 4"])
    }

    @Test func contextSamplesModulesAndTimestamp() throws {
        let dir = try Self.folder([
            "generator.yml": """
                input: [{static: {count: 300, tags: [x, y]}}]
                event:
                  template:
                    mode: all
                    params: {site: hq}
                    samples:
                      hosts: {type: csv, source: s/hosts.csv, header: true}
                      codes: {type: items, source: [200, 404]}
                      procs: {type: json, source: s/procs.json}
                    templates:
                      - e: {template: t/e.jinja, vars: {kind: demo}}
                output: [{stdout: {}}]
                """,
            "s/hosts.csv": "name,ip,weight\nweb1,10.0.0.1,9\ndb1,10.0.0.2,1\n",
            "s/procs.json": #"[{"exe": "a.exe", "pid": 4}, {"exe": "b.exe", "pid": 8}]"#,
            "t/e.jinja": """
                {%- set h = samples.hosts.weighted_pick('weight') -%}
                {%- set p = samples.procs | random -%}
                {{ timestamp.isoformat() }}|{{ tags | join(',') }}|{{ params.site }}|{{ vars.kind }}|{{ h.name }}={{ h['ip'] }}|{{ h[0] }}|\
                {{- samples.codes | random }}|{{ p.exe }}:{{ p.pid + 1 }}|{{ module.rand.number.integer(1, 6) }}|\
                {{- module.rand.network.ip_v4_private_c() }}|{{ module.rand.crypto.uuid4() }}|{{ module.rand.string.hex(8) }}|\
                {{- module.hashlib.sha1('abc'.encode()).hexdigest() }}|{{ module.base64.b64encode('ab'.encode()).decode() }}|\
                {{- (timestamp + module.datetime.timedelta(minutes=90)).isoformat() }}|{{ samples.hosts | length }}
                """,
        ])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let rows = try Self.run(dir, count: 300).map { ($0.raw ?? "").split(separator: "|", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.count == 300)
        var web = 0
        for r in rows {
            try #require(r.count == 16, "\(r)")
            #expect(r[0] == "2025-06-01T08:00:00+00:00")
            #expect(r[1] == "x,y" && r[2] == "hq" && r[3] == "demo")
            #expect(r[4] == "web1=10.0.0.1" || r[4] == "db1=10.0.0.2")
            #expect(r[5] == String(r[4].prefix { $0 != "=" }))
            if r[5] == "web1" { web += 1 }
            #expect(r[6] == "200" || r[6] == "404")
            #expect(r[7] == "a.exe:5" || r[7] == "b.exe:9")
            #expect((1...6).contains(Int(r[8]) ?? 0))
            #expect(r[9].hasPrefix("192.168."))
            #expect(r[10].count == 36 && r[10].split(separator: "-")[2].hasPrefix("4"))
            #expect(r[11].count == 8 && r[11].allSatisfy(\.isHexDigit))
            #expect(r[12] == "a9993e364706816aba3e25717850c26c9cd0d89d")
            #expect(r[13] == "YWI=")
            #expect(r[14] == "2025-06-01T09:30:00+00:00")
            #expect(r[15] == "2")
        }
        #expect(web > 240 && web < 295, "weighted_pick 9:1 gave web1 \(web) of 300")
    }

    /// `selectattr` and friends over a CSV sample are filtered once when the generator starts:
    /// each render still gets a list of its own, a JSON sample (rows a template may change) is
    /// filtered on every render, and a bad test is still the render's error.
    @Test func selectattrOverSamplesGivesANewListEachRender() throws {
        func generator(_ template: String) throws -> String {
            try Self.folder([
                "generator.yml": """
                    input: [{static: {count: 3}}]
                    event:
                      template:
                        mode: all
                        samples:
                          hosts: {type: csv, source: s/hosts.csv, header: true}
                          procs: {type: json, source: s/procs.json}
                        templates:
                          - e: {template: t/e.jinja}
                    output: [{stdout: {}}]
                    """,
                "s/hosts.csv": "name,role\nweb1,web\nfs1,fs\nfs2,fs\n",
                "s/procs.json": #"[{"exe": "a.exe", "pid": 4}, {"exe": "b.exe", "pid": 8}]"#,
                "t/e.jinja": template,
            ])
        }
        let dir = try generator("""
            {%- set fs = samples.hosts | selectattr('role', 'equalto', 'fs') | list -%}
            {%- do fs.append('x') -%}
            {%- set ps = samples.procs | selectattr('pid', 'gt', 4) | map(attribute='exe') | join(',') -%}
            {%- do (samples.procs | first).update({'pid': 9}) -%}
            {{ fs | length }}|{{ ps }}|{{ samples.hosts | rejectattr('role', 'equalto', 'fs') | map(attribute='name') | join(',') }}|\
            {{- samples.hosts | select | list | length }}
            """)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(try Self.run(dir, count: 3).map { $0.raw ?? "" } == ["3|b.exe|web1|3", "3|a.exe,b.exe|web1|3", "3|a.exe,b.exe|web1|3"])
        let bad = try generator("{{ samples.hosts | selectattr('role', 'nosuchtest') | list }}")
        defer { try? FileManager.default.removeItem(atPath: bad) }
        let r = try Self.sh("eg-sample '\(bad)' | eg-rate --count 3 --now 2025-06-01T08:00:00Z | eg-tokenize --seed 7")
        #expect(Self.events(r.out).isEmpty)
        #expect(r.err.contains("no test named 'nosuchtest'"), "\(r.err)")
    }

    @Test func sameSeedSameBytesOtherSeedOtherOutput() throws {
        let dir = Self.generators + "/windows-security"
        let a = try Self.sh("eg-sample '\(dir)' | eg-rate --count 300 --now 2025-06-01T00:00:00Z | eg-tokenize --seed 5")
        let b = try Self.sh("eg-sample '\(dir)' | eg-rate --count 300 --now 2025-06-01T00:00:00Z | eg-tokenize --seed 5")
        let c = try Self.sh("eg-sample '\(dir)' | eg-rate --count 300 --now 2025-06-01T00:00:00Z | eg-tokenize --seed 6")
        #expect(a.status == 0 && !a.out.isEmpty)
        #expect(a.out == b.out)
        #expect(a.out != c.out)
    }

    @Test func templateErrorsNameTheTemplateFileLineAndColumn() throws {
        let dir = try Self.folder([
            "generator.yml": "input: [{static: {count: 1}}]\nevent: {template: {mode: all, templates: [{a: {template: a.jinja}}]}}\noutput: [{stdout: {}}]\n",
            "a.jinja": "ok\n{{ module.rand.number.integer(5, 1) }}\n",
        ])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // A runtime error is counted per template and reported once at the end (exit 1).
        let r = try Self.sh("eg-sample '\(dir)' | eg-rate --now 2025-06-01T00:00:00Z | eg-tokenize")
        #expect(r.status == 1)
        #expect(r.err.contains("a.jinja:2:22: integer(a, b) needs a <= b (1 event failed in template a of generator"), "\(r.err)")
        try "{% if %}".write(toFile: dir + "/a.jinja", atomically: true, encoding: .utf8)
        let s = try Self.sh("eg-sample '\(dir)' | eg-rate --now 2025-06-01T00:00:00Z | eg-tokenize")
        #expect(s.status == 2 && s.err.contains("a.jinja:1:") && s.err.contains("template a"), "\(s.err)")
    }
}
