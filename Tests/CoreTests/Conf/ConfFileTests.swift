import Testing
@testable import Core

@Suite struct ConfFileTests {
    func parse(_ text: String) throws -> ConfFile { try ConfFile.parse(text: text, path: "app.conf") }

    @Test func sectionsKeysAndSeparators() throws {
        let f = try parse("""
        [web.log]
        count = 10
        interval: 5
        url = http://x:80/a=b
        empty =
        Count = 11
        """)
        let s = try #require(f[section: "web.log"]).settings
        #expect(s.keys == ["count", "interval", "url", "empty", "Count"])
        #expect(s["count"] == "10")
        #expect(s["Count"] == "11")          // keys are case-sensitive
        #expect(s["interval"] == "5")
        #expect(s["url"] == "http://x:80/a=b") // split at the first '=' or ':'
        #expect(s["empty"] == "")
        #expect(s.source(of: "interval") == SourceLocation(file: "app.conf", line: 3))
    }

    @Test func firstSeparatorWinsEvenIfColon() throws {
        let s = try #require(try parse("[a]\nk: v = w\n")[section: "a"]).settings
        #expect(s["k"] == "v = w")
    }

    @Test func commentsAreFullLineOnly() throws {
        let f = try parse("""
        # comment
        ; another
        [a]
          # indented comment
        k = v # not a comment
        """)
        #expect(f[section: "a"]?.settings["k"] == "v # not a comment")
        #expect(f[section: "a"]?.settings.count == 1)
    }

    @Test func indentedContinuationLines() throws {
        let f = try parse("[a]\nk = one\n  two\n\n  three\n\nnext = x\n")
        let s = try #require(f[section: "a"]).settings
        #expect(s["k"] == "one\ntwo\n\nthree")
        #expect(s["next"] == "x")
    }

    @Test func backslashContinuation() throws {
        let s = try #require(try parse("[a]\nk = one \\\ntwo\nregex = a\\\\\nz = 1\n")[section: "a"]).settings
        #expect(s["k"] == "one \ntwo")
        #expect(s["regex"] == "a\\\\")   // an even number of backslashes does not continue
        #expect(s["z"] == "1")
        #expect(s.source(of: "z")?.line == 5)
    }

    @Test func repeatedKeyLaterWinsKeepingPosition() throws {
        let s = try #require(try parse("[a]\nx = 1\ny = 2\nx = 3\n")[section: "a"]).settings
        #expect(s.keys == ["x", "y"])
        #expect(s["x"] == "3")
        #expect(s.source(of: "x")?.line == 4)
    }

    @Test func repeatedSectionIsMerged() throws {
        let f = try parse("[a]\nx = 1\n[b]\ny = 2\n[a]\nx = 9\nz = 3\n")
        #expect(f.sections.map(\.name) == ["a", "b"])
        #expect(f[section: "a"]?.settings.pairs.map { "\($0)=\($1)" } == ["x=9", "z=3"])
    }

    @Test func defaultSectionIsDiscarded() throws {
        let f = try parse("[default]\nx = 1\n[a]\ny = 2\n")
        #expect(f.sections.map(\.name) == ["a"])
        #expect(f[section: "a"]?.settings["x"] == nil)
    }

    @Test func sectionNameRunsToLastBracket() throws {
        let f = try parse("[host[0-9]+\\.log]\nx = 1\n[ spaced ]\n")
        #expect(f.sections.map(\.name) == ["host[0-9]+\\.log", " spaced "])
    }

    @Test func crlfAndCRLineEndings() throws {
        let f = try parse("[a]\r\nx = 1\r\ny = 2\rz = 3")
        #expect(f[section: "a"]?.settings.pairs.map { $0.1 } == ["1", "2", "3"])
    }

    @Test func keyBeforeSectionIsAnErrorWithFileAndLine() {
        let e = #expect(throws: EgError.self) { try parse("# hi\n\ncount = 3\n") }
        #expect(e?.kind == .config)
        #expect(e?.location == "app.conf:3")
        #expect(e?.message.contains("count = 3") == true)
    }

    @Test func lineWithoutSeparatorIsAnError() {
        let e = #expect(throws: EgError.self) { try parse("[a]\nx = 1\njunk line\n") }
        #expect(e?.location == "app.conf:3")
        #expect(e?.message == "expected 'key = value' or '[stanza]', found 'junk line'")
    }

    @Test func emptyKeyIsAnError() {
        let e = #expect(throws: EgError.self) { try parse("[a]\n= 1\n") }
        #expect(e?.location == "app.conf:2")
    }
}
