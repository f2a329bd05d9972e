import Testing
@testable import Core

@Suite struct SettingsTests {
    @Test func orderedFromPairsLaterWins() {
        let s = Settings([("b", "1"), ("a", "2"), ("b", "3")], stanza: "x")
        #expect(s.keys == ["b", "a"])
        #expect(s["b"] == "3")
        #expect(s.pairs.map(\.0) == ["b", "a"])
    }

    @Test func eventgenBooleans() {
        let s = Settings([("f0", "0"), ("f1", "false"), ("f2", "False"), ("t1", "FALSE"), ("t2", "no"),
                          ("t3", "1"), ("t4", "true"), ("e", "")])
        #expect(s.bool("f0") == false)
        #expect(s.bool("f1") == false)
        #expect(s.bool("f2") == false)
        #expect(s.bool("t1") == true)
        #expect(s.bool("t2") == true)
        #expect(s.bool("t3") == true)
        #expect(s.bool("t4") == true)
        #expect(s.bool("e") == nil)
        #expect(s.bool("missing") == nil)
    }

    @Test func numbers() throws {
        let s = Settings([("i", "-12"), ("u", "1_000"), ("d", "0.25"), ("e", "1e3"), ("bad", "12x")], stanza: "web")
        #expect(try s.int("i") == -12)
        #expect(try s.int("u") == 1000)
        #expect(try s.int("missing") == nil)
        #expect(try s.double("d") == 0.25)
        #expect(try s.double("e") == 1000)
        #expect(try s.double("i") == -12)
        let e = #expect(throws: EgError.self) { try s.int("bad") }
        #expect(e?.location == nil)
        #expect(e?.message == "[web] bad = 12x: expected an integer")
        #expect(throws: EgError.self) { try s.double("bad") }
        #expect(throws: EgError.self) { try s.int("d") }
    }

    @Test func errorsPointAtTheConfLine() throws {
        let f = try ConfFile.parse(text: "[web]\n\ncount = ten\n", path: "app.conf")
        let e = #expect(throws: EgError.self) { try f[section: "web"]!.settings.int("count") }
        #expect(e?.location == "app.conf:3")
        #expect(e?.kind == .config)
    }

    @Test func tokensGroupedAndSortedNumerically() throws {
        let s = Settings([
            ("token.10.token", "b"), ("token.10.replacementType", "static"), ("token.10.replacement", "B"),
            ("token.2.token", "a"), ("token.2.replacementType", "file"), ("token.2.replacement", "f.txt"),
            ("token.2.jsonSafe", "true"), ("token.x.token", "ignored"), ("count", "3"),
        ])
        let t = try s.tokens()
        #expect(t.map(\.number) == [2, 10])
        #expect(t[0] == TokenSpec(number: 2, pattern: "a", type: "file", replacement: "f.txt", extra: ["jsonSafe": "true"]))
        #expect(t[1].pattern == "b")
        #expect(t[1].extra.isEmpty)
        #expect(s.highestTokenNumber == 10)
    }

    @Test func incompleteTokenIsAnError() {
        let s = Settings([("token.3.token", "a"), ("token.3.replacement", "x")], stanza: "web")
        let e = #expect(throws: EgError.self) { try s.tokens() }
        #expect(e?.message.contains("token 3") == true)
        #expect(e?.message.contains("token.3.replacementType") == true)
        #expect(e?.message.contains("[web]") == true)
    }

    @Test func anomaliesGrouped() {
        let s = Settings([("anomaly.1.rate", "0.1"), ("anomaly.0.sample", "x"), ("anomaly.1.sample", "y")])
        let a = s.anomalies()
        #expect(a == [NumberedGroup(number: 0, values: ["sample": "x"]),
                      NumberedGroup(number: 1, values: ["rate": "0.1", "sample": "y"])])
    }

    @Test func knownSettingsReportTypos() {
        let s = Settings([("count", "1"), ("intervall", "3"), ("token.0.token", "a"), ("token.0.replacemnt", "b"),
                          ("anomaly.2.whatever", "c"), ("host.token", "h"), ("outputMode", "stdout")])
        #expect(KnownSettings.unknownKeys(in: s) == ["intervall", "token.0.replacemnt"])
    }
}
