import Core
import Foundation
import Testing

/// eg-sample on Eventum generators: the 20 real ones under ../shared load (read in place), and
/// generators written here into temp folders cover params, secrets, modes and each error class.
@Suite struct GeneratorTests {
    static let generators = Run.shared + "/eventum/generators"

    /// A temp folder holding `files` (relative path -> contents), removed by the caller.
    static func folder(_ files: [String: String]) throws -> String {
        let dir = NSTemporaryDirectory() + "eg-gen-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        for (path, text) in files {
            let full = dir + "/" + path
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: full, atomically: true, encoding: .utf8)
        }
        return dir
    }

    static let basic = """
        input:
          - cron:
              expression: "*/5 * * * * *"
              count: ${params.per_tick}
              tags: [web]
          - static: {count: 3}
        event:
          template:
            mode: chance
            params: {host: ${params.host}}
            samples:
              users: {type: csv, source: data/users.csv, header: true}
              codes: {type: items, source: [200, 404, 500]}
              things: {type: json, source: data/things.json}
              semis: {type: csv, source: data/semi.csv, delimiter: ";"}
            templates:
              - hit: {template: t/hit.jinja, chance: 3, vars: {kind: hit}}
              - miss:
                  template: t/miss.jinja
                  chance: 1
        output:
          - stdout: {formatter: {format: json}}
          - file:
              path: out/events.json
              write_mode: append
              formatter.format: json
        """
    static let basicFiles = [
        "generator.yml": basic,
        "data/users.csv": "name,role\nann,admin\n\"bob, jr\",user\n\"multi\nline\",user\n",
        "data/things.json": #"[{"a": 1}, {"a": 2}]"#,
        "data/semi.csv": "x;y\n1;2\n",
        "t/hit.jinja": "{}", "t/miss.jinja": "{}",
    ]

    @Test func everyRealGeneratorLoads() throws {
        let r = try Run.sample([Self.generators])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stanzas.count == 20)
        for s in r.stanzas {
            let e = try #require(s["eventum"], "\(s.sample ?? "")")
            #expect(e["event"]?["mode"]?.stringValue == "chance")
            guard case .array(let templates)? = e["event"]?["templates"] else { Issue.record("templates"); continue }
            for t in templates {
                let path = try #require(t["template"]?.stringValue)
                #expect(FileManager.default.fileExists(atPath: path), "\(path)")
                #expect((t["chance"]?.doubleValue ?? 0) > 0)
            }
            #expect(e["input"]?.list.first?["plugin"]?.stringValue == "cron")
            #expect(e["output"]?.list.count == 1)
        }
        // Row counts and template counts as Python's csv and json modules count them.
        let expected: [String: (Int, [String: Int])] = [
            "windows-security": (12, ["hosts": 120, "usernames": 20, "processes": 30, "services": 10]),
            "network-dns": (10, ["domains": 40, "internal_services": 30]),
            "cloud-aws-cloudtrail": (22, ["accounts": 3, "users": 10, "roles": 12, "regions": 5, "source_ips": 15,
                                          "instances": 15, "buckets": 6, "security_groups": 8, "user_agents": 15,
                                          "error_scenarios": 20]),
        ]
        for (name, (templates, rows)) in expected {
            let e = try #require(r.stanzas.first { $0.sample == name }?["eventum"])
            #expect(e["event"]?["templates"]?.list.count == templates, "\(name)")
            for (sample, n) in rows {
                #expect(e["event"]?["samples"]?[sample]?["rows"] == .int(n), "\(name) \(sample)")
            }
        }
    }

    @Test func oneGeneratorByFolderOrFile() throws {
        let byDir = try Run.sample([Self.generators + "/windows-security"])
        let byFile = try Run.sample([Self.generators + "/windows-security/generator.yml"])
        #expect(byDir.status == 0 && byDir.stanzas.count == 1)
        #expect(byDir.stdout == byFile.stdout)
        #expect(byDir.stanzas[0].sample == "windows-security")
        #expect(byDir.setting("windows-security", "timezone") == "UTC")
    }

    @Test func listShowsTemplatesSamplesInputsOutputsAndNeeds() throws {
        let r = try Run.sample(["--list", Self.generators + "/windows-security"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("Generator windows-security"))
        #expect(r.stdout.contains("cron  expression \"* * * * * *\", count 5"))
        #expect(r.stdout.contains("logon_success  templates/4624-logon-success.json.jinja  chance 150 (15.3%)"))
        #expect(r.stdout.contains("hosts  csv samples/hosts.csv, header, 120 rows (name, ip, mac, agent_id, role)"))
        #expect(r.stdout.contains("file  path output/events.json, write_mode overwrite"))
        #expect(r.stdout.contains("needs: no params or secrets"))
        let dir = try Self.folder(Self.basicFiles)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let l = try Run.sample(["--list", dir, "--param", "host=h1"])
        #expect(l.status == 0, "\(l.stderr)")
        #expect(l.stdout.contains("not fully checked without its params"))
        let full = try Run.sample(["--list", dir, "--param", "host=h1", "--param", "per_tick=4"])
        #expect(full.status == 0, "\(full.stderr)")
        #expect(l.stdout.contains("needs param per_tick: MISSING (--param per_tick=VALUE)"))
        #expect(l.stdout.contains("needs param host: given"))
        #expect(full.stdout.contains("users  csv data/users.csv, header, 3 rows (name, role)"))
        #expect(full.stdout.contains("codes  items, 3 items"))
        #expect(full.stdout.contains("semis  csv data/semi.csv, delimiter ';', 2 rows"))
        #expect(full.stdout.contains("hit  t/hit.jinja  chance 3 (75.0%)"))
        #expect(full.stdout.contains("vars {\"kind\":\"hit\"}"))
    }

    @Test func paramsAreRenderedAndTheRecordCarriesEverything() throws {
        let dir = try Self.folder(Self.basicFiles)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try Run.sample([dir, "--params", #"{"per_tick": 2, "host": "x"}"#, "--param", "host=web-1"])
        #expect(r.status == 0, "\(r.stderr)")
        let e = try #require(r.stanzas.first?["eventum"])
        let cron = e["input"]?.list[0]
        #expect(cron?["count"] == .number("2"))
        #expect(cron?["tags"] == .array([.string("web")]))
        #expect(cron?["_keys"]?["count"]?.stringValue?.hasSuffix("generator.yml:4:7") == true)
        #expect(e["input"]?.list[1]["plugin"]?.stringValue == "static")
        #expect(e["event"]?["params"]?["host"] == .string("web-1"))
        let t = e["event"]?["templates"]?.list ?? []
        #expect(t.map { $0["alias"]?.stringValue } == ["hit", "miss"])
        #expect(t[0]["vars"]?["kind"] == .string("hit"))
        #expect(t[0]["template"]?.stringValue?.hasSuffix("/t/hit.jinja") == true)
        let samples = e["event"]?["samples"]
        #expect(samples?["users"]?["columns"] == .array([.string("name"), .string("role")]))
        #expect(samples?["semis"]?["delimiter"] == .string(";"))
        #expect(samples?["codes"]?["source"] == .array([.number("200"), .number("404"), .number("500")]))
        #expect(samples?["things"]?["rows"] == .int(2))
        let file = e["output"]?.list[1]
        #expect(file?["path"]?.stringValue == URL(fileURLWithPath: dir + "/out/events.json").standardizedFileURL.path)
        #expect(file?["formatter"]?["format"] == .string("json"))   // dotted key expanded
    }

    @Test func missingParamIsAnErrorAtItsPlace() throws {
        let dir = try Self.folder(Self.basicFiles)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try Run.sample([dir, "--param", "host=a"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("generator.yml:4:14: ${params.per_tick} is not set: pass --param per_tick=VALUE"), "\(r.stderr)")
        let bad = try Run.sample([dir, "--params", "[1]"])
        #expect(bad.status == 2 && bad.stderr.contains("--params expects a JSON object"))
    }

    @Test func secretsAreCheckedButNeverWrittenToTheStream() throws {
        let dir = try Self.folder([
            "generator.yml": """
                input: [{static: {count: 1}}]
                event: {template: {mode: all, templates: [{a: {template: a.jinja}}]}}
                output:
                  - opensearch: {hosts: [https://es:9200], username: u, password: ${secrets.es_password}, index: x}
                """,
            "a.jinja": "{}",
        ])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let missing = try Run.sample([dir])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("generator.yml:4:67: ${secrets.es_password} is not set: export EG_SECRET_ES_PASSWORD"), "\(missing.stderr)")
        let env = try Run.sample([dir], env: ["EG_SECRET_ES_PASSWORD": "hunter2-unit"])
        #expect(env.status == 0, "\(env.stderr)")
        #expect(!env.stdout.contains("hunter2-unit"))
        #expect(env.stanzas.first?["eventum"]?["output"]?.list.first?["password"] == .string("${secrets.es_password}"))
        let secretsFile = dir + "/secrets.txt"
        try "es_password = from-file\n".write(toFile: secretsFile, atomically: true, encoding: .utf8)
        let file = try Run.sample([dir, "--secrets", secretsFile])
        #expect(file.status == 0, "\(file.stderr)")
        let list = try Run.sample(["--list", dir])
        #expect(list.stdout.contains("needs secret es_password: MISSING (EG_SECRET_ES_PASSWORD or --secrets FILE)"))
    }

    @Test func fsmChainAndTimePatternsAreCarried() throws {
        let dir = try Self.folder([
            "fsm/generator.yml": """
                input: [{timer: {seconds: 1, count: 1, repeat: 3}}]
                event:
                  template:
                    mode: fsm
                    templates:
                      - login:
                          template: t.jinja
                          initial: true
                          transitions:
                            - {to: activity, when: {always: }}
                      - activity:
                          template: t.jinja
                          transitions:
                            - to: logout
                              when: {and: [{gt: {locals.actions: 3}}, {not: {has_tags: quiet}}]}
                      - logout: {template: t.jinja, transitions: [{to: login, when: {always: }}]}
                output: [{stdout: {}}]
                """,
            "fsm/t.jinja": "x",
            "chain/generator.yml": """
                input:
                  - time_patterns: {patterns: [p/day.yml]}
                event:
                  template:
                    mode: chain
                    chain: [b, a]
                    templates: [{a: {template: t.jinja}}, {b: {template: t.jinja}}]
                output: [{stdout: {}}]
                """,
            "chain/t.jinja": "x",
            "chain/p/day.yml": """
                label: daily
                oscillator: {period: 1, unit: hours, start: "2025-01-01T00:00:00", end: +1d}
                multiplier: {ratio: 60}
                randomizer: {deviation: 0.2, direction: mixed}
                spreader: {distribution: beta, parameters: {a: 2, b: 5}}
                """,
        ])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try Run.sample([dir])
        #expect(r.status == 0, "\(r.stderr)")
        try #require(r.stanzas.map { $0.sample } == ["chain", "fsm"])
        let chain = try #require(r.stanzas[0]["eventum"])
        #expect(chain["event"]?["chain"] == .array([.string("b"), .string("a")]))
        let pattern = chain["input"]?.list[0]["patterns"]?.list.first
        #expect(pattern?["label"] == .string("daily"))
        #expect(pattern?["multiplier"]?["ratio"] == .number("60"))
        #expect(pattern?["spreader"]?["parameters"]?["b"] == .number("5"))
        let fsm = try #require(r.stanzas[1]["eventum"])
        let activity = fsm["event"]?["templates"]?.list[1]
        #expect(activity?["transitions"]?.list.first?["to"] == .string("logout"))
        #expect(fsm["event"]?["templates"]?.list[0]["initial"] == .bool(true))
        let list = try Run.sample(["--list", dir + "/fsm"])
        #expect(list.stdout.contains("-> logout when {\"and\":[{\"gt\":{\"locals.actions\":3}},{\"not\":{\"has_tags\":\"quiet\"}}]}"))
        let cl = try Run.sample(["--list", dir + "/chain"])
        #expect(cl.stdout.contains("chain: b -> a"))
        #expect(cl.stdout.contains("time_patterns  pattern daily: 60 per 1 hours"))
    }

    /// Each error class: exit 2 and `eg-sample: file:line:col: message`.
    @Test(arguments: [
        ("input: [{static: {count: 1}}]\nevent: {template: {mode: all, templates: [{a: {template: t.jinja}}]}}\noutput: [{stdout: {}}]\nextra: 1\n",
         "generator.yml:4:1: unknown top-level key 'extra'"),
        ("input: [{sometimes: {count: 1}}]\nevent: {template: {mode: all, templates: [{a: {template: t.jinja}}]}}\noutput: [{stdout: {}}]\n",
         "generator.yml:1:10: unknown input plugin 'sometimes'"),
        ("input: [{static: {count: 0}}]\nevent: {template: {mode: all, templates: [{a: {template: t.jinja}}]}}\noutput: [{stdout: {}}]\n",
         "generator.yml:1:26: input static count must be a whole number from 1"),
        ("input: [{cron: {count: 1}}]\nevent: {template: {mode: all, templates: [{a: {template: t.jinja}}]}}\noutput: [{stdout: {}}]\n",
         "generator.yml:1:16: input cron needs 'expression'"),
        ("input: [{static: {count: 1, every: 2}}]\nevent: {template: {mode: all, templates: [{a: {template: t.jinja}}]}}\noutput: [{stdout: {}}]\n",
         "generator.yml:1:29: input static has no setting 'every'"),
        ("input: [{static: {count: 1}}]\nevent: {template: {mode: all, templates: [{a: {template: nope.jinja}}]}}\noutput: [{stdout: {}}]\n",
         "generator.yml:2:58: template a nope.jinja does not exist"),
        ("input: [{static: {count: 1}}]\nevent: {template: {mode: chance, templates: [{a: {template: t.jinja}}]}}\noutput: [{stdout: {}}]\n",
         "generator.yml:2:50: template a needs 'chance'"),
        ("input: [{static: {count: 1}}]\nevent: {template: {mode: fsm, templates: [{a: {template: t.jinja}}]}}\noutput: [{stdout: {}}]\n",
         "generator.yml:2:19: fsm mode needs exactly one template with 'initial: true'"),
        ("input: [{static: {count: 1}}]\nevent: {template: {mode: fsm, templates: [{a: {template: t.jinja, initial: true, transitions: [{to: b, when: {always: }}]}}]}}\noutput: [{stdout: {}}]\n",
         "generator.yml:2:101: transition to 'b' names no template alias"),
        ("input: [{static: {count: 1}}]\nevent: {template: {mode: fsm, templates: [{a: {template: t.jinja, initial: true, transitions: [{to: a, when: {sometimes: 1}}]}}]}}\noutput: [{stdout: {}}]\n",
         "generator.yml:2:111: unknown condition 'sometimes'"),
        ("input: [{static: {count: 1}}]\nevent: {template: {mode: chain, templates: [{a: {template: t.jinja}}]}}\noutput: [{stdout: {}}]\n",
         "chain mode needs 'chain'"),
        ("input: [{static: {count: 1}}]\nevent: {template: {mode: rotate, templates: [{a: {template: t.jinja}}]}}\noutput: [{stdout: {}}]\n",
         "generator.yml:2:26: mode must be one of all, any, chance, spin, chain, fsm"),
        ("input: [{static: {count: 1}}]\nevent: {template: {mode: all, samples: {s: {type: xml, source: a.xml}}, templates: [{a: {template: t.jinja}}]}}\noutput: [{stdout: {}}]\n",
         "generator.yml:2:51: sample s needs type: items, csv or json"),
        ("input: [{static: {count: 1}}]\nevent: {template: {mode: all, samples: {s: {type: csv, source: bad.csv}}, templates: [{a: {template: t.jinja}}]}}\noutput: [{stdout: {}}]\n",
         "bad.csv:2: a quoted CSV field is not closed"),
        ("input: [{static: {count: 1}}]\nevent: {script: {path: x.py}}\noutput: [{stdout: {}}]\n",
         "generator.yml:2:9: event plugin 'script' is not supported"),
        ("input: [{http: {port: 8080}}]\nevent: {template: {mode: all, templates: [{a: {template: t.jinja}}]}}\noutput: [{stdout: {}}]\n",
         "generator.yml:1:10: input http is not supported"),
        ("input: [{static: {count: 1}}]\nevent: {template: {mode: all, templates: [{a: {template: t.jinja}}]}}\noutput: [{pigeon: {}}]\n",
         "generator.yml:3:11: unknown output plugin 'pigeon'"),
        ("input: [{static: {count: 1}}\n", "generator.yml:1:8: unterminated flow sequence"),
        ("input: [{time_patterns: {patterns: [p.yml]}}]\nevent: {template: {mode: all, templates: [{a: {template: t.jinja}}]}}\noutput: [{stdout: {}}]\n",
         "p.yml:3:25: randomizer deviation must be at least 0 and at most 1, got 1.5"),
    ])
    func errorClass(_ yaml: String, _ message: String) throws {
        let dir = try Self.folder([
            "generator.yml": yaml, "t.jinja": "{}", "bad.csv": "a,b\n\"open,1\n",
            "p.yml": "oscillator: {period: 1, unit: hours, start: now, end: +1h}\nmultiplier: {ratio: 5}\nrandomizer: {deviation: 1.5, direction: mixed}\nspreader: {distribution: uniform, parameters: {low: 0, high: 1}}\n",
        ])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try Run.sample([dir])
        #expect(r.status == 2, "\(message): \(r.stdout)")
        #expect(r.stderr.hasPrefix("eg-sample: "), "\(r.stderr)")
        #expect(r.stderr.contains(message), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test func generatorsAndConfsAreNotMixed() throws {
        let r = try Run.sample([Self.generators + "/web-nginx", Run.root + "/examples/cisco"])
        #expect(r.status == 2 && r.stderr.contains("is not an Eventum generator"), "\(r.stderr)")
    }
}

extension Record {
    var sample: String? { string("sample") }
}



extension JSONValue {
    var list: [JSONValue] {
        if case .array(let a) = self { return a }
        return []
    }
}
