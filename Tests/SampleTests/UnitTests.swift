import Core
import Testing
@testable import eg_sample

/// Unit tests of eg-sample's parsing pieces.
@Suite struct UnitTests {
    @Test func csvParserFollowsPythonsDialect() throws {
        let rows = try CSVParser.parse("a,b,c\n\"x,1\",\"say \"\"hi\"\"\",\"multi\nline\"\n\nq\"uote,\"\"\"ab\"c,\n", file: "f")
        #expect(rows.map(\.fields) == [["a", "b", "c"], ["x,1", "say \"hi\"", "multi\nline"], ["q\"uote", "\"abc", ""]])
        #expect(rows.map(\.line) == [1, 2, 5])
        #expect(try CSVParser.parse("last,row", file: "f").map(\.fields) == [["last", "row"]])
        #expect(throws: EgError.self) { try CSVParser.parse("a\n\"open", file: "f") }
    }

    @Test func textDecodingNewlinesBomAndLatin1() {
        #expect(TextDecoding.decode(Array("a\r\nb\rc\n".utf8)).text == "a\nb\nc\n")
        #expect(TextDecoding.decode([0xEF, 0xBB, 0xBF, 0x61]).text == "a")
        let latin = TextDecoding.decode([0x6E, 0xE4, 0x0D])
        #expect(latin.text == "nä\n" && latin.latin1)
        #expect(!TextDecoding.decode(Array("ä".utf8)).latin1)
    }

    @Test func timestampCheckValidatesFields() {
        #expect(TimestampCheck.parses("04/Jan/2014:20:00:00 -0800", format: "%d/%b/%Y:%H:%M:%S %z"))
        #expect(!TimestampCheck.parses("13/Foo/2014:20:00:00", format: "%d/%b/%Y:%H:%M:%S"))
        #expect(!TimestampCheck.parses("2014-13-01 00:00:00", format: "%Y-%m-%d %H:%M:%S"))
        #expect(TimestampCheck.parses("Mar  1 00:01:50", format: "%b %d %H:%M:%S"))
        #expect(TimestampCheck.parses("12/31/2024 11:59:59 PM", format: "%m/%d/%Y %I:%M:%S %p"))
        #expect(!TimestampCheck.parses("12/31/2024 13:59:59 PM", format: "%m/%d/%Y %I:%M:%S %p"))
        #expect(TimestampCheck.parses("1388865600", format: "%s"))
    }

    @Test func autotimestampPrefersTheMostSpecificPattern() throws {
        let found = try AutoTimestamp.detect(lines: ["2014-01-04 20:00:00.123 x", "2014-01-04T20:00:00+01:00 y"],
                                             patterns: AutoTimestamp.catalogue, context: "t")
        #expect(found.map(\.format) == ["%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%dT%H:%M:%S%z"])
        var settings = Settings([("token.5.token", "x"), ("token.5.replacementType", "static"), ("token.5.replacement", "y")])
        #expect(AutoTimestamp.addTokens(found + found, to: &settings).count == 2)
        #expect(settings["token.6.replacement"] == "%Y-%m-%d %H:%M:%S.%f")
        #expect(settings["token.7.replacement"] == "%Y-%m-%dT%H:%M:%S%z")
    }

    @Test func breakerIgnoresAMatchAtOffsetZero() throws {
        let events = try SampleLoader.splitRaw("X1\nX2 a\nb\n\n", breaker: "X", context: "t")
        #expect(events.map(\.raw) == ["X1", "X2 a\nb"])
        #expect(events.map(\.line) == [1, 2])
    }

    @Test func inputClassification() {
        let t = TempDir()
        #expect(InputKind.classify(t.path) == .app)
        #expect(InputKind.classify(t.write("x.conf", "anything")) == .conf)
        #expect(InputKind.classify(t.write("eventgen.conf.tutorial9", "k = v")) == .conf)
        #expect(InputKind.classify(t.write("named", "; c\n\n[stanza]\n")) == .conf)
        #expect(InputKind.classify(t.write("access.log", "[error] not a stanza\n")) == .logFile)
        #expect(InputKind.classify(t.write("bracket.log", "[one]\n")) == .conf)
        #expect(InputKind.classify("-") == .stdin)
    }
}
