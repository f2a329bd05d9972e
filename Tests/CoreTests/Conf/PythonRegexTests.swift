import Foundation
import Testing
@testable import Core

@Suite struct PythonRegexTests {
    func t(_ p: String) throws -> String { try PythonRegex.translate(p) }

    @Test func namedGroupsAndBackreferences() throws {
        #expect(try t("(?P<year>\\d{4})-(?P=year)") == "(?<year>\\d{4})-\\k<year>")
        let tr = try PythonRegex.translation("(?P<user_id>\\w+) (?P=user_id)")
        let icu = try #require(tr.groupNames["user_id"])
        #expect(PythonRegex.isICUName(icu))
        let re = try PythonRegex.compile("(?P<user_id>\\w+) (?P=user_id)")
        #expect(re.matchesWhole("bob bob"))
        #expect(!re.matchesWhole("bob alice"))
    }

    @Test func anchorsCommentsAndFlags() throws {
        #expect(try t("abc\\Z") == "abc\\z")
        #expect(try t("a(?#a comment)b") == "ab")
        #expect(try t("(?i)abc") == "(?i)abc")
        #expect(try t("(?u)abc") == "abc")
        #expect(try t("(?i:a)b") == "(?i:a)b")
        #expect(try PythonRegex.compile("(?i)ABC").matchesWhole("abc"))
        #expect(try PythonRegex.compile("(?s)a.b").matchesWhole("a\nb"))
        #expect(!(try PythonRegex.compile("a.b").matchesWhole("a\nb")))
    }

    @Test func bracesNotQuantifiersAreLiterals() throws {
        #expect(try t("a{2}") == "a{2}")
        #expect(try t("a{2,}") == "a{2,}")
        #expect(try t("a{,3}") == "a{0,3}")
        #expect(try t("{\"k\": 1}") == "\\{\"k\": 1\\}")
        #expect(try t("a{x}") == "a\\{x\\}")
        #expect(try PythonRegex.compile("\\{\"id\": (\\d+)}").firstMatch(in: "{\"id\": 42}", range: NSRange(location: 0, length: 10)) != nil)
        #expect(try PythonRegex.compile("a{,2}").matchesWhole("aa"))
    }

    @Test func characterClasses() throws {
        #expect(try PythonRegex.compile("[[]+").matchesWhole("[[["))
        #expect(try PythonRegex.compile("[]a]+").matchesWhole("]a]"))
        #expect(try PythonRegex.compile("[^]]+").matchesWhole("abc"))
        #expect(try PythonRegex.compile("[a&&b]+").matchesWhole("a&b"))
        #expect(try PythonRegex.compile("[^\"]+").matchesWhole("Mozilla/5.0 (X11)"))
        #expect(try PythonRegex.compile("[\\w.-]+").matchesWhole("a.b-c"))
        #expect(try PythonRegex.compile("[{}$]+").matchesWhole("{$}"))
    }

    @Test func dollarMatchesBeforeAFinalNewline() throws {
        let re = try PythonRegex.compile("abc$")
        #expect(re.firstMatch(in: "abc\n", range: NSRange(location: 0, length: 4)) != nil)
        #expect(re.firstMatch(in: "abc\r", range: NSRange(location: 0, length: 4)) == nil)
    }

    @Test func unsupportedConstructsAreRejectedClearly() {
        let e = #expect(throws: EgError.self) { try PythonRegex.compile("(a)?(?(1)b|c)", context: "token 2 of [web]") }
        #expect(e?.location == "token 2 of [web]")
        #expect(e?.message.contains("(a)?(?(1)b|c)") == true)
        #expect(e?.message.contains("conditional") == true)
        #expect(throws: EgError.self) { try PythonRegex.translate("(?a)\\w") }
        #expect(throws: EgError.self) { try PythonRegex.translate("a(?i)b") }
        #expect(throws: EgError.self) { try PythonRegex.translate("(?P=nope)") }
        #expect(throws: EgError.self) { try PythonRegex.compile("(unclosed", context: "x") }
        #expect(throws: EgError.self) { try PythonRegex.translate("[abc") }
    }

    @Test func wholeNameMatchingIsPythonReMatchSpan() throws {
        #expect(try PythonRegex.compile("sample.tutorial1").matchesWhole("sampleXtutorial1"))
        #expect(try PythonRegex.compile("sample.tutorial1").matchesWhole("sample.tutorial1"))
        #expect(!(try PythonRegex.compile("sample.tutorial1").matchesWhole("sample.tutorial10")))
        #expect(!(try PythonRegex.compile("timeorder\\.csv").matchesWhole("timeorderXcsv")))
        #expect(!(try PythonRegex.compile("tutorial1").matchesWhole("sample.tutorial1")))
        // re.match takes the first alternative that matches at 0; it must span the name.
        #expect(!(try PythonRegex.compile("a|ab").matchesWhole("ab")))
        #expect(try PythonRegex.compile(".*\\.csv").matchesWhole("vmware-perf.csv"))
    }

    @Test func realTokenRegexesCompile() throws {
        for p in ["\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2},\\d{3,6}",
                  "((\\w+\\s+\\d+\\s+\\d{2}:\\d{2}:\\d{2}:\\d{3})|(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}:\\d{3}))",
                  "\"(Mozilla/5\\.0[^\"]+)\"", "(?<=user=)\\w+", "(?:a|b)+?", "\\d{2}/\\w{3}/\\d{4}:\\d{2}:\\d{2}:\\d{2}"] {
            _ = try PythonRegex.compile(p)
        }
    }
}
