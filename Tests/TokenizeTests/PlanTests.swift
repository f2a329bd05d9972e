import Core
import Foundation
import Testing
@testable import eg_tokenize

/// The compiled fast path gives exactly what applying the tokens one by one gives.
@Suite struct PlanTests {
    static func makeSet(_ settings: [(String, String)], seed: UInt64 = 99, compile: Bool, sample: String = "s",
                        sampleDir: String? = nil) throws -> TokenSet {
        let s = try TokenSet(sample: sample, stanza: sample, settings: settings.map { (key: $0.0, value: $0.1) }, extra: [],
                             confDir: nil, sampleDir: sampleDir, zoneOverride: .utc, seed: seed, files: ReplacementFiles(), state: nil)
        s.compileLines = compile
        return s
    }

    static func tok(_ n: Int, _ re: String, _ type: String, _ rep: String) -> [(String, String)] {
        [("token.\(n).token", re), ("token.\(n).replacementType", type), ("token.\(n).replacement", rep)]
    }

    /// Renders `lines` `rounds` times through both paths and compares every byte.
    static func compare(_ settings: [(String, String)], _ lines: [String], rounds: Int = 20, sampleDir: String? = nil) throws -> (compiled: Int, total: Int) {
        let fast = try makeSet(settings, compile: true, sampleDir: sampleDir)
        let slow = try makeSet(settings, compile: false, sampleDir: sampleDir)
        var compiled = 0
        for round in 0..<rounds {
            for (k, line) in lines.enumerated() {
                let t = EventTime(micros: (1_700_000_000 + Int64(round * 977 + k * 13)) * 1_000_000 + Int64(k * 12345))
                fast.beginUnit([Record(fields: [JSONField("_raw", .string(line))])][...], bundled: false)
                slow.beginUnit([Record(fields: [JSONField("_raw", .string(line))])][...], bundled: false)
                if fast.plan(for: line) != nil { compiled += 1 }
                let a = fast.render(line, time: t, compiled: true)
                let b = slow.render(line, time: t, compiled: false)
                #expect(a == b, "line \(k): compiled \(a) != sequential \(b)")
            }
        }
        return (compiled, rounds * lines.count)
    }

    static var samplesDir: String { Run.shared + "/eventgen/samples" }

    @Test func compiledEqualsSequentialOnTutorialSamples() throws {
        let cisco = try String(contentsOfFile: PlanTests.samplesDir + "/sample.tutorial2", encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let settings = PlanTests.tok(0, #"\w{3}\s+\d{1,2}\s+\d{2}:\d{2}:\d{2}"#, "timestamp", "%b %d %H:%M:%S")
            + PlanTests.tok(1, #"Interface (\S+),"#, "random", #"list["Gi0/1","Fa0/2","Te1/0/3"]"#)
            + PlanTests.tok(2, #"(\d+\.\d+\.\d+\.\d+)"#, "random", "ipv4")
            + PlanTests.tok(3, #"by (\w+)"#, "static", "admin")
            + PlanTests.tok(4, #"FastEthernet(\d)"#, "random", "integer[0:9]")
        let (compiled, total) = try PlanTests.compare(settings, cisco, rounds: 3)
        #expect(compiled > total * 9 / 10)
    }

    @Test func compiledEqualsSequentialOnBusinessEvent() throws {
        let line = try String(contentsOfFile: PlanTests.samplesDir + "/sample.tutorial3", encoding: .utf8)
            .trimmingCharacters(in: .newlines)
        let s = PlanTests.samplesDir
        let settings = PlanTests.tok(0, #"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3}"#, "timestamp", "%Y-%m-%d %H:%M:%S")
            + PlanTests.tok(1, #"transType=(\w+)"#, "file", s + "/orderType.sample")
            + PlanTests.tok(2, #"transID=(\d+)"#, "integerid", "10000")
            + PlanTests.tok(3, #"transGUID=([0-9a-fA-F]+)"#, "random", "guid")
            + PlanTests.tok(4, #"userName=(\w+)"#, "file", s + "/userName.sample")
            + PlanTests.tok(5, #"city="(\w+)""#, "mvfile", s + "/markets.sample:2")
            + PlanTests.tok(6, #"state=(\w+)"#, "mvfile", s + "/markets.sample:3")
            + PlanTests.tok(7, #"zip=(\d+)"#, "mvfile", s + "/markets.sample:1")
            + PlanTests.tok(8, #"value=(\d+)"#, "random", "float[0.000:10.000]")
        let (compiled, total) = try PlanTests.compare(settings, [line], rounds: 200)
        #expect(compiled == total)
        // A tenth token whose regex could match the float token's value: the line falls back.
        let interacting = settings + PlanTests.tok(9, #"(\d+)$"#, "rated", "integer[1:100]")
        let (none, _) = try PlanTests.compare(interacting, [line], rounds: 50)
        #expect(none == 0)
    }

    @Test func compiledEqualsSequentialOnManyGeneratedLines() throws {
        var rng = SeededRandom(seed: 1)
        let words = ["user=bob", "ip=10.0.0.1", "status=200", "id=42", "x", "msg=\"hi\"", "t=2020-01-02 03:04:05", "ERROR", "OK", "n=7"]
        let lines = (0..<200).map { _ in (0..<(3 + rng.index(8))).map { _ in words[rng.index(words.count)] }.joined(separator: " ") }
        let settings = PlanTests.tok(0, #"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d"#, "timestamp", "%Y-%m-%d %H:%M:%S")
            + PlanTests.tok(1, #"user=(\w+)"#, "random", #"list["alice","bob","carol"]"#)
            + PlanTests.tok(2, #"ip=(\S+)"#, "random", "ipv4")
            + PlanTests.tok(3, #"status=(\d+)"#, "random", #"list["200","404","500"]"#)
            + PlanTests.tok(4, #"id=(\d+)"#, "integerid", "1000")
            + PlanTests.tok(5, "ERROR", "static", "WARN")
            + PlanTests.tok(6, #"n=(\d+)"#, "random", "integer[1:9]")
            + PlanTests.tok(7, #"\d+"#, "static", "N")
            + PlanTests.tok(8, #"msg="(\w+)""#, "random", "string(5)")
        _ = try PlanTests.compare(settings, lines, rounds: 5)
    }

    @Test func interactingTokensFallBack() throws {
        // Token 1 can produce ERROR, which token 2 then rewrites: the line must not be compiled.
        let settings = PlanTests.tok(1, #"status=(\w+)"#, "random", #"list["OK","ERROR"]"#)
            + PlanTests.tok(2, "ERROR", "static", "FAIL")
        let set = try PlanTests.makeSet(settings, compile: true)
        #expect(set.plan(for: "status=OK code") == nil)
        let (compiled, _) = try PlanTests.compare(settings, ["status=OK code", "status=ERROR"], rounds: 30)
        #expect(compiled == 0)
        // An adjacent later token that would extend into a slot falls back too.
        let adj = PlanTests.tok(0, #"a=(\d+)"#, "random", "integer[1:99]") + PlanTests.tok(1, #"\d+x"#, "static", "Z")
        #expect(try PlanTests.makeSet(adj, compile: true).plan(for: "a=5x") == nil)
        _ = try PlanTests.compare(adj, ["a=5x", "a=5 7x"], rounds: 30)
        // Independent tokens compile.
        let ok = PlanTests.tok(1, #"status=(\w+)"#, "random", #"list["OK","ERROR"]"#) + PlanTests.tok(2, "code", "static", "CODE")
        #expect(try PlanTests.makeSet(ok, compile: true).plan(for: "status=OK code") != nil)
    }

    @Test func staticTokensAreInlined() throws {
        let settings = PlanTests.tok(0, "a", "static", "b") + PlanTests.tok(1, "b+", "static", "C")
        let set = try PlanTests.makeSet(settings, compile: true)
        let plan = try #require(set.plan(for: "aab"))
        #expect(plan.isLiteral)
        #expect(set.render("aab", time: EventTime(micros: 0), compiled: true) == "C")
    }

    @Test func jsonSafeOnJSONLines() throws {
        let settings = PlanTests.tok(0, #""user":"(\w+)""#, "random", #"list["a\"b","c\\d"]"#)
            + PlanTests.tok(1, #"plain=(\w+)"#, "random", #"list["q\"q"]"#)
        for compile in [true, false] {
            let set = try PlanTests.makeSet(settings, compile: compile)
            for _ in 0..<20 {
                let out = set.render(#"  {"user":"x","n":1}"#, time: EventTime(micros: 0), compiled: compile)
                let v = try JSONParser.parse(out)
                let user = v["user"]?.stringValue
                #expect(user == "a\"b" || user == "c\\d")
                // Not a JSON line: the value goes in as it is.
                #expect(set.render("plain=x", time: EventTime(micros: 0), compiled: compile) == "plain=q\"q")
            }
        }
        // token.N.jsonSafe forces escaping on a non-JSON line.
        let forced = PlanTests.tok(1, #"plain=(\w+)"#, "random", #"list["q\"q"]"#) + [("token.1.jsonSafe", "true")]
        #expect(try PlanTests.makeSet(forced, compile: true).render("plain=x", time: EventTime(micros: 0), compiled: true) == #"plain=q\"q"#)
    }

    @Test func pythonFloatPrinting() {
        func f(_ x: Double, _ p: Int) -> String { var o: [UInt8] = []; NumberText.appendPythonFloat(x, decimals: p, to: &o); return String(decoding: o, as: UTF8.self) }
        #expect(f(1.5, 2) == "1.5")
        #expect(f(2, 3) == "2.0")
        #expect(f(2.675, 0) == "3.0")
        #expect(f(0.125, 2) == "0.12")
        #expect(f(-0.25, 2) == "-0.25")
        #expect(f(10, 3) == "10.0")
        #expect(f(3.14159, 3) == "3.142")
    }
}
