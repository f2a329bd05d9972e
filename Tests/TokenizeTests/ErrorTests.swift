import Core
import Foundation
import Testing

/// Errors: located, explained, exit status 2, never a crash.
@Suite struct ErrorTests {
    static func stanzaInput(_ settings: [(String, String)]) -> String {
        Run.stanza(sample: "e.log", settings: settings) + "\n" + Run.line([("_raw", .string("a=1")), ("sample", .string("e.log"))]) + "\n"
    }

    @Test func missingFileNamesTheToken() throws {
        let r = try Run.tokenize([], input: ErrorTests.stanzaInput([("token.3.token", "a=(\\d)"), ("token.3.replacementType", "file"),
                                                                     ("token.3.replacement", "/nonexistent/x.txt")]))
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("eg-tokenize: token 3 of [e.log]: replacement file '/nonexistent/x.txt' not found"), "\(r.stderr)")
    }

    @Test func badColumnNamesTheToken() throws {
        let dir = Run.tempDir()
        let f = dir + "/rows.csv"
        _ = FileManager.default.createFile(atPath: f, contents: Data("1,a\n2,b\n".utf8))
        let r = try Run.tokenize([], input: ErrorTests.stanzaInput([("token.1.token", "a=(\\d)"), ("token.1.replacementType", "mvfile"),
                                                                     ("token.1.replacement", f + ":3")]))
        #expect(r.status == 2)
        #expect(r.stderr.contains("token 1 of [e.log]: column 3 is out of range"), "\(r.stderr)")
    }

    @Test func badRegexNamesStanzaTokenAndPattern() throws {
        let r = try Run.tokenize([], input: ErrorTests.stanzaInput([("token.2.token", "a=(\\d"), ("token.2.replacementType", "static"),
                                                                     ("token.2.replacement", "x")]))
        #expect(r.status == 2)
        #expect(r.stderr.contains("token 2 of [e.log]") && r.stderr.contains("a=(\\d"), "\(r.stderr)")
        #expect(!r.stderr.contains("Fatal"))
    }

    @Test func badReplacementsAreConfigErrors() throws {
        for (type, rep, says) in [("random", "integer[5:1]", "b must not be less than a"), ("random", "bogus", "unknown random replacement"),
                                  ("nosuchtype", "x", "unknown replacementType"), ("random", "list[1,", "bad list"),
                                  ("replaytimestamp", "[1]", "bad replaytimestamp formats"), ("mvfile", "/etc/hostname", "needs a column")] {
            let r = try Run.tokenize([], input: ErrorTests.stanzaInput([("token.0.token", "a"), ("token.0.replacementType", type),
                                                                         ("token.0.replacement", rep)]))
            #expect(r.status == 2)
            #expect(r.stderr.contains("token 0 of [e.log]") && r.stderr.contains(says), "\(r.stderr)")
        }
    }

    @Test func adHocTokenErrorsNameTheFlag() throws {
        // A stanza with token 5 and an ad-hoc token: the error names --token and its regex, not "token 6".
        let input = ErrorTests.stanzaInput([("token.5.token", "q"), ("token.5.replacementType", "static"), ("token.5.replacement", "z")])
        let r = try Run.tokenize(["--token", "a=(\\d)", "--type", "random", "--replacement", "nonsense"], input: input)
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("eg-tokenize: --token 'a=(\\d)': unknown random replacement 'nonsense'"), "\(r.stderr)")
        let bare = try Run.tokenize(["--token", "(", "--type", "static", "--replacement", "x"], input: #"{"_raw":"a"}"# + "\n")
        #expect(bare.status == 2)
        #expect(bare.stderr.hasPrefix("eg-tokenize: --token '(': "), "\(bare.stderr)")
    }

    @Test func malformedRecordOnLineThree() throws {
        let input = #"{"_raw":"a"}"# + "\n" + #"{"_raw":"b"}"# + "\n" + #"{"_raw": "x""# + "\n"
        for args in [[String](), ["--token", "a", "--type", "static", "--replacement", "b"]] {
            let r = try Run.tokenize(args, input: input)
            #expect(r.status == 2)
            #expect(r.stderr.hasPrefix("eg-tokenize: stdin:3: "), "\(r.stderr)")
        }
    }

    @Test func flagGroupingErrors() throws {
        let a = try Run.tokenize(["--type", "static"], input: "")
        #expect(a.status == 2 && a.stderr.contains("--type must follow a --token"))
        let b = try Run.tokenize(["--token", "x", "--type", "static"], input: "")
        #expect(b.status == 2 && b.stderr.contains("needs a --replacement"))
        let c = try Run.tokenize(["--timezone", "Mars/Base"], input: "")
        #expect(c.status == 2 && c.stderr.contains("bad timezone"))
    }

    @Test func eventWithoutRawIsAnInputError() throws {
        let r = try Run.tokenize(["--token", "a", "--type", "static", "--replacement", "b"], input: #"{"x":1}"# + "\n")
        #expect(r.status == 2)
        #expect(r.stderr.contains("stdin:1: event record has no \"_raw\" string"))
    }
}
