import EgTestSupport
import Foundation
import Testing

/// eventgen's `generator = jinja` through the real pipeline: every example conf of eventgen's
/// jinja tests gives the events eventgen's own tests expect.
@Suite struct JinjaPipelineTests {
    static let dir = Run.shared.appendingPathComponent("eventgen/example-confs/jinja").path
    static let now = "2026-01-01T00:00:00"
    static let env = ["TZ": "UTC"]

    /// The events (not stanza records) of a pipeline's output, parsed.
    static func events(_ text: String) -> [[String: Any]] {
        text.split(separator: "\n").compactMap { line in
            guard let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], o["_kind"] == nil else { return nil }
            return o
        }
    }

    static func run(_ conf: String, seed: Int = 1, extra: String = "") throws -> Run.Result {
        try Run.sh("cd '\(dir)' && eg-sample \(conf) | eg-rate --now \(now) --seed \(seed) | eg-tokenize --seed \(seed)\(extra)", environment: env)
    }

    @Test func basicConfWritesTenLoopEventsInOrder() throws {
        let r = try Self.run("eventgen.conf.jinja_basic")
        #expect(r.status == 0, "\(r.stderr)")
        let events = Self.events(r.text)
        #expect(events.count == 10)
        for (k, e) in events.enumerated() {
            let raw = e["_raw"] as? String ?? ""
            #expect(raw.contains("I like little windbags"))
            #expect(raw.contains("Im at: \(k + 1) out of: 10"), "\(raw)")
            // time_now is the cycle's time: inside [now - 3s, now], printed as a naive local time.
            let t = e["_time"] as? Double ?? 0
            let inWindow = t >= 1_767_225_597.0 && t <= 1_767_225_600.0
            #expect(inWindow)
            let stamped = raw.hasPrefix("2025-12-31T23:59:5") || raw.hasPrefix("2026-01-01T00:00:00")
            #expect(stamped, "\(raw)")
            #expect(e["sample"] as? String == "Test_Jinja")
            #expect(e["index"] as? String == "main")
        }
    }

    @Test func jinjaConfRunsItsThreeStanzas() throws {
        let r = try Self.run("eventgen.conf.jinja")
        #expect(r.status == 0, "\(r.stderr)")
        let events = Self.events(r.text)
        let bySample = Dictionary(grouping: events, by: { $0["sample"] as? String ?? "" })
        #expect(bySample["test_jinja"]?.count == 1)
        #expect(bySample["test_jinja_loop"]?.count == 5 * 1000)
        #expect(bySample["test_jinja_timeslice"]?.count == 1000)
        let first = bySample["test_jinja"]?.first?["_raw"] as? String ?? ""
        #expect(first.contains("Im at: 0 out of: 1\n        I'm also hungry"), "\(first)")
        // time_slice over [1234, 2345] in 5 slices: loop.index 1..1000 gives the lower bound of each.
        let slices = (bySample["test_jinja_timeslice"] ?? []).compactMap { $0["_time"] as? Double }
        #expect(slices.prefix(3) == [1456.2, 1678.4, 1900.6])
    }

    @Test func advancedConfUsesMacrosBlocksAndIncludes() throws {
        let r = try Self.run("eventgen.conf.jinja_example")
        #expect(r.status == 0, "\(r.stderr)")
        let events = Self.events(r.text)
        #expect(events.count == 11)
        let users = events.filter { ($0["_raw"] as? String ?? "").contains("userID=") }
        #expect(users.count == 10)
        for e in users {
            let raw = e["_raw"] as? String ?? ""
            #expect(raw.range(of: #"userID=\d+ User messsage is 'new guid is: \d{6}', sender=mockSender$"#, options: .regularExpression) != nil, "\(raw)")
            #expect(e["source"] as? String == "user")
            #expect(e["sourceType"] as? String == "userEvent")
        }
        #expect(events.contains { ($0["_raw"] as? String) == "If you see this, you successfully imported another jinja template." })
    }

    @Test func timeExamplesGiveEventgensSliceTimes() throws {
        let r = try Self.run("eventgen.conf.jinja_time_examples")
        #expect(r.status == 0, "\(r.stderr)")
        let events = Self.events(r.text)
        #expect(events.count == 26)  // 1 + 5 + 10 + 5 + 5
        let raws = events.map { $0["_raw"] as? String ?? "" }
        // eventgen's large test: slice times 00:24:16, 00:27:58, 00:31:40 for the first three.
        let stamps = ["00:24:16", "00:27:58", "00:31:40"]
        let epochs = ["1456.2", "1678.4", "1900.6"]
        for i in 0..<3 {
            let expected: String = "Formatted_Time: 1970-01-01T" + stamps[i] + "  Epoch_Time: " + epochs[i]
                + "\n        I like little windbags\n        Im at: \(i + 1) out of: 5\n        I'm also hungry, can I have a pizza?"
            #expect(raws.contains(expected))
        }
        #expect(raws.contains { $0.hasPrefix("Formatted_Time_Custom: 00:24  Epoch_Time: 1456.2") })
        // Counting past the slices continues the offset: slice 10 of 5 over 1111 s starts at 3456.0.
        #expect(raws.contains { $0.hasPrefix("Formatted_Time: 1970-01-01T00:57:36  Epoch_Time: 3456.0\n") })
        let settings = raws.first { $0.contains("Current Settings") } ?? ""
        #expect(settings.contains("eventgen_count: 0\n        eventgen_maxcount: 1\n        eventgen_earliest: 2025-12-31 23:59:57\n        eventgen_earliest_epoch: 1767225597.0\n        eventgen_latest: 2026-01-01 00:00:00\n        eventgen_latest_epoch: 1767225600.0\n        large_number: 10"), "\(settings)")
    }

    @Test func sameSeedSameBytesOtherSeedOtherValues() throws {
        let a = try Self.run("eventgen.conf.jinja_example", seed: 5)
        let b = try Self.run("eventgen.conf.jinja_example", seed: 5)
        let c = try Self.run("eventgen.conf.jinja_example", seed: 6)
        #expect(a.status == 0)
        #expect(!a.stdout.isEmpty)
        #expect(a.stdout == b.stdout)
        #expect(a.stdout != c.stdout)
    }

    @Test func everyExampleTemplateCompilesOrGivesALocatedError() throws {
        let templates = try FileManager.default.subpathsOfDirectory(atPath: Self.dir + "/templates")
            .filter { $0.hasSuffix(".template") }
        #expect(templates.count >= 25)
        for t in templates {
            let r = try Run.sh("cd '\(Self.dir)/templates' && eg-tokenize --template '\(t)' </dev/null")
            if r.status != 0 {
                #expect(r.status == 2)
                #expect(r.stderr.range(of: #"^eg-tokenize: [^:]+:\d+:\d+: "#, options: .regularExpression) != nil, "\(t): \(r.stderr)")
            }
        }
    }

    /// A scratch conf directory with `templates/` holding `files`.
    static func scratch(_ files: [String: String], variables: String = "{}", settings: String = "count = 3\nend = 1") throws -> String {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("eg-jinja-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: d + "/templates", withIntermediateDirectories: true)
        for (name, text) in files { try text.write(toFile: d + "/templates/" + name, atomically: true, encoding: .utf8) }
        try "[s]\ngenerator = jinja\n\(settings)\njinja_template_dir = templates\njinja_target_template = main.j2\njinja_variables = \(variables)\nearliest = -10s\nlatest = now\n"
            .write(toFile: d + "/eventgen.conf", atomically: true, encoding: .utf8)
        return d
    }

    @Test func perDayVolumeCountTypeCountsTheEventsFields() throws {
        // eventgen adds len() of each parsed event (its keys with host, hostRegex, source,
        // sourcetype, index filled in): 7 + 8 = 15 per cycle, so count 50 takes 4 cycles.
        let t = "{\"_raw\": \"a {{ eventgen_count }}/{{ eventgen_maxcount }}\", \"_time\": {{ eventgen_target_time_epoch }}}\n"
            + "{\"_raw\": \"b\", \"_time\": {{ eventgen_target_time_epoch }}, \"extra\": 1}\n"
        let d = try Self.scratch(["main.j2": t], settings: "jinja_count_type = perDayVolume\ncount = 50\ninterval = 10\nend = 2")
        let r = try Run.sh("cd '\(d)' && eg-sample eventgen.conf | eg-rate --now \(Self.now) | eg-tokenize --seed 1")
        #expect(r.status == 0, "\(r.stderr)")
        let raws = Self.events(r.text).compactMap { $0["_raw"] as? String }
        #expect(raws.count == 16, "\(raws)")
        #expect(raws.filter { $0.hasPrefix("a ") } == Array(repeating: ["a 0/50", "a 15/50", "a 30/50", "a 45/50"], count: 2).flatMap { $0 })
        // A cycle that renders nothing cannot reach the count: reported, not a hang.
        let empty = try Self.scratch(["main.j2": "{# nothing #}"], settings: "jinja_count_type = perDayVolume\ncount = 5\nend = 1")
        let e = try Run.sh("cd '\(empty)' && eg-sample eventgen.conf | eg-rate --now \(Self.now) | eg-tokenize --seed 1 >/dev/null; echo \"status=$?\"")
        #expect(e.text == "status=1\n")
        #expect(e.stderr.contains("jinja_count_type = perDayVolume: cycle 1 rendered no event, so count 5 cannot be reached"), "\(e.stderr)")
        let bad = try Self.scratch(["main.j2": "x"], settings: "jinja_count_type = line_count\nend = 1")
        #expect(try Run.sh("cd '\(bad)' && eg-sample eventgen.conf").stderr.contains("jinja_count_type = line_count: expected cycles or perDayVolume"))
    }

    @Test func syntaxErrorStopsBeforeAnyEvent() throws {
        let d = try Self.scratch(["main.j2": "{\"_raw\":\"x\",\"_time\":1}\n{% for x in items }}\n{% endfor %}"])
        let r = try Run.sh("cd '\(d)' && eg-sample eventgen.conf; echo \"status=$?\"")
        #expect(r.stderr == "eg-sample: templates/main.j2:2:19: expected '%}' after the for loop, found '}}'\n")
        #expect(r.text == "status=2\n")
    }

    @Test func runtimeErrorsAreCountedAndReportedOnceWithExitOne() throws {
        let d = try Self.scratch(["main.j2": "{% set n = 0 %}{\"_raw\":\"{{ 1 // n }}\",\"_time\":1}"])
        let r = try Run.sh("cd '\(d)' && eg-sample eventgen.conf | eg-rate --now \(Self.now) | eg-tokenize --seed 1 >/dev/null; echo \"status=$?\"")
        #expect(r.text == "status=1\n")
        #expect(r.stderr == "eg-tokenize: templates/main.j2:1:30: integer division or modulo by zero (3 events failed in templates/main.j2)\neg-tokenize: 3 events could not be rendered (template errors above)\n", "\(r.stderr)")
    }

    @Test func outputThatIsNotAJSONObjectNamesTheTemplateAndLine() throws {
        let d = try Self.scratch(["main.j2": "{\"_raw\":\"ok\",\"_time\":1}\nnot json {{ v }}", ], variables: "{\"v\": 2}")
        let r = try Run.sh("cd '\(d)' && eg-sample eventgen.conf | eg-rate --now \(Self.now) | eg-tokenize --seed 1; echo \"status=$?\"")
        #expect(r.stderr.hasPrefix("eg-tokenize: templates/main.j2: rendered output line 2: expected a JSON object starting with '{', found 'n'"), "\(r.stderr)")
        #expect(r.text.hasSuffix("status=1\n"))
    }

    @Test func adHocTemplateRendersEachRecord() throws {
        let d = try Self.scratch(["t.j2": "{% from 'm.j2' import tag %}{{ tag(user) }} at {{ _time }} {{ n * 2 }}", "m.j2": "{% macro tag(u) %}<{{ u | upper }}>{% endmacro %}"])
        let input = "{\"_raw\":\"a\",\"_time\":1700000000.5,\"user\":\"ann\",\"n\":2}\n{\"_raw\":\"b\",\"_time\":1700000001,\"user\":\"bob\",\"n\":0.5}\n"
        let r = try Run.sh("eg-tokenize --template '\(d)/templates/t.j2'", input: input)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.text == "{\"_raw\":\"<ANN> at 1700000000.5 4\",\"_time\":1700000000.5,\"user\":\"ann\",\"n\":2}\n{\"_raw\":\"<BOB> at 1700000001.0 1.0\",\"_time\":1700000001,\"user\":\"bob\",\"n\":0.5}\n")
    }
}
