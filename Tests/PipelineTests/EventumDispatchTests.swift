import Core
import EgTestSupport
import Foundation
import Testing

/// `dispatch.drop()`, `dispatch.next()` and `dispatch.exhaust()` with Eventum's semantics, the
/// `json` formatter's validation (invalid events counted and reported per template, valid ones
/// written on one line) and runtime errors counted per template.
@Suite struct EventumDispatchTests {
    typealias P = EventumPipelineTests

    static func generator(mode: String, templates: [(String, String)], count: Int = 12, output: String = "{stdout: {}}") -> [String: String] {
        var files = ["generator.yml": """
            input: [{static: {count: \(count)}}]
            event:
              template:
                mode: \(mode)
                templates:
            \(templates.map { "      - \($0.0): {template: t/\($0.0).jinja\(mode == "chance" ? ", chance: 1" : "")}" }.joined(separator: "\n"))
            output: [\(output)]
            """]
        for (alias, text) in templates { files["t/\(alias).jinja"] = text }
        return files
    }

    static func pipeline(_ files: [String: String], count: String = "", seed: Int = 7) throws -> (status: Int32, raws: [String], templates: [String], err: String) {
        let dir = try P.folder(files)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try P.sh("eg-sample '\(dir)' | eg-rate \(count) --now 2025-06-01T08:00:00Z | eg-tokenize --seed \(seed)")
        let events = P.events(r.out)
        return (r.status, events.map { $0.raw ?? "" }, events.map { $0.string("template") ?? "" }, r.err)
    }

    @Test func dropDiscardsEveryEventOfTheTimestampInAllMode() throws {
        // b drops every third timestamp; a rendered first is discarded with it.
        let r = try Self.pipeline(Self.generator(mode: "all", templates: [
            ("a", "A{{ shared.get('n', 0) }}"),
            ("b", "{% set n = shared.get('n', 0) %}{% do shared.set('n', n + 1) %}{% if n % 3 == 2 %}{% do dispatch.drop() %}{% endif %}B{{ n }}"),
        ]))
        #expect(r.status == 0, "\(r.err)")
        #expect(r.raws == ["A0", "B0", "A1", "B1", "A3", "B3", "A4", "B4", "A6", "B6", "A7", "B7", "A9", "B9", "A10", "B10"])
        #expect(r.err.contains("4 timestamps dropped by dispatch.drop()"), "\(r.err)")
    }

    @Test func nextPicksAgainForTheSameTimestamp() throws {
        // spin: a always asks for another pick, so the position moves on to b (then c, then a -> b ...).
        let spin = try Self.pipeline(Self.generator(mode: "spin", templates: [("a", "{% do dispatch.next() %}A"), ("b", "B"), ("c", "C")], count: 5))
        #expect(spin.status == 0, "\(spin.err)")
        #expect(spin.raws == ["B", "C", "B", "C", "B"])
        // chance: a new random pick, so a never appears and every timestamp still gives one event.
        let chance = try Self.pipeline(Self.generator(mode: "chance", templates: [("a", "{% do dispatch.next() %}A"), ("b", "B")], count: 400))
        #expect(chance.raws.count == 400 && chance.raws.allSatisfy { $0 == "B" })
        // all: everything is rendered again; the second try succeeds and its output is the only one kept.
        let all = try Self.pipeline(Self.generator(mode: "all", templates: [
            ("a", "A{{ locals.get('k', 0) }}"),
            ("b", "{% do locals.set('k', locals.get('k', 0) + 1) %}{% if locals.k % 2 == 1 %}{% do dispatch.next() %}{% endif %}B{{ locals.k }}"),
        ], count: 3))
        #expect(all.raws == ["A0", "B2", "A0", "B4", "A0", "B6"])
    }

    @Test func nextBeyondMaxRepicksIsATemplateError() throws {
        let r = try Self.pipeline(Self.generator(mode: "any", templates: [("a", "{% do dispatch.next(3) %}"), ("b", "{% do dispatch.next(3) %}")], count: 4))
        #expect(r.status == 1)
        #expect(r.raws.isEmpty)
        #expect(r.err.contains("dispatch.next() asked for more than 3 re-picks for one timestamp"), "\(r.err)")
        #expect(r.err.contains("4 events could not be rendered"), "\(r.err)")
    }

    @Test func exhaustEndsTheGenerator() throws {
        let files = Self.generator(mode: "all", templates: [
            ("a", "{% set n = shared.get('n', 0) + 1 %}{% do shared.set('n', n) %}{% if n > 5 %}{% do dispatch.exhaust() %}{% endif %}event {{ n }}"),
        ])
        let r = try Self.pipeline(files)
        #expect(r.status == 0, "\(r.err)")
        #expect(r.raws == (1...5).map { "event \($0)" })
        #expect(r.err.contains("template a called dispatch.exhaust(), which ended the generator"), "\(r.err)")
        // An endless input: eg-tokenize stops reading once its only generator is exhausted, and
        // the pipeline ends (eg-rate sees its reader go and stops quietly).
        var endless = files
        endless["generator.yml"] = endless["generator.yml"]!.replacingOccurrences(of: "static: {count: 12}", with: "cron: {expression: \"* * * * * *\", count: 50}")
        let started = Date()
        let e = try Self.pipeline(endless, count: "--count 100000000")
        #expect(e.status == 0, "\(e.err)")
        #expect(e.raws == (1...5).map { "event \($0)" })
        #expect(Date().timeIntervalSince(started) < 120)
    }

    @Test func fsmStaysWhereItWasWhenItsTemplateDrops() throws {
        // login drops its first two renders; the fsm moves on only once locals.tries reaches 3.
        let r = try Self.pipeline([
            "generator.yml": """
                input: [{static: {count: 6}}]
                event:
                  template:
                    mode: fsm
                    templates:
                      - login:
                          template: t/login.jinja
                          initial: true
                          transitions: [{to: work, when: {ge: {locals.tries: 3}}}]
                      - work:
                          template: t/work.jinja
                          transitions: [{to: login, when: {always: }}]
                output: [{stdout: {}}]
                """,
            "t/login.jinja": "{% do locals.set('tries', locals.get('tries', 0) + 1) %}{% if locals.tries < 3 %}{% do dispatch.drop() %}{% endif %}login {{ locals.tries }}",
            "t/work.jinja": "work",
        ])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.raws == ["login 3", "work", "login 4", "work"])
        #expect(r.err.contains("2 timestamps dropped by dispatch.drop()"), "\(r.err)")
    }

    @Test func jsonFormatterWritesOneLineAndCountsInvalidEventsPerTemplate() throws {
        let good = """
            {
              "@timestamp": "{{ timestamp.isoformat() }}",
              "msg": "a  b\\n c",
              "n": [1, 2.50, {"x": null}]
            }
            """
        let bad = "{\"id\": {{ shared.get('id', 0) }}{% do shared.set('id', shared.get('id', 0) + 1) %}, }"
        let json = try Self.pipeline(Self.generator(mode: "spin", templates: [("good", good), ("bad", bad)], count: 6,
                                                    output: "{stdout: {formatter: {format: json}}}"))
        #expect(json.status == 1)
        #expect(json.templates == ["good", "good", "good"])
        #expect(json.raws.allSatisfy { $0 == #"{"@timestamp":"2025-06-01T08:00:00+00:00","msg":"a  b\n c","n":[1,2.50,{"x":null}]}"# }, "\(json.raws)")
        #expect(json.err.contains("t/bad.jinja: the rendered event is not valid JSON: expected a member name in quotes, found '}' (byte 11) (3 events failed in template bad of generator"), "\(json.err)")
        #expect(json.err.components(separatedBy: "not valid JSON").count == 2, "one line per template: \(json.err)")
        #expect(json.err.contains("3 events could not be rendered"))
        // The plain formatter passes events as rendered.
        let plain = try Self.pipeline(Self.generator(mode: "spin", templates: [("good", good), ("bad", bad)], count: 2,
                                                     output: "{stdout: {formatter: {format: plain}}}"))
        #expect(plain.status == 0, "\(plain.err)")
        #expect(plain.raws.count == 2 && plain.raws[0].contains("\n  \"msg\"") && plain.raws[1] == "{\"id\": 0, }")
    }

    @Test func runtimeErrorsAreCountedPerTemplateAndTheRestRenders() throws {
        let r = try Self.pipeline(Self.generator(mode: "spin", templates: [
            ("ok", "fine"),
            ("div", "{{ 1 // 0 }}"),
            ("call", "{{ params.nothing.method() }}"),
        ], count: 9))
        #expect(r.status == 1)
        #expect(r.raws == ["fine", "fine", "fine"])
        #expect(r.err.contains("t/div.jinja:1:") && r.err.contains("(3 events failed in template div of generator"), "\(r.err)")
        #expect(r.err.contains("t/call.jinja:1:") && r.err.contains("(3 events failed in template call of generator"), "\(r.err)")
        #expect(r.err.contains("6 events could not be rendered"), "\(r.err)")
    }
}
