import Core
import Foundation
import Testing

/// eg-sample's rules, each checked end to end on a small conf and samples written by the test.
@Suite struct RuleTests {
    /// Raw `_raw` values of the events of one sample.
    func raws(_ r: Run.Result, _ sample: String) -> [String] {
        r.events.filter { $0.string("sample") == sample }.compactMap(\.raw)
    }

    @Test func mergingPrecedenceAcrossStanzasGlobalAndFiles() throws {
        let t = TempDir()
        t.write("samples/web.log", "a\nb\n")
        t.write("default/eventgen.conf", """
            [global]
            index = globalidx
            host = globalhost
            count = 7

            [web.*]
            sourcetype = fromPattern
            count = 1
            interval = 5
            token.0.token = b
            token.0.replacementType = static
            token.0.replacement = B

            [web\\.log]
            sourcetype = fromExact
            token.0.token = a
            token.0.replacementType = static
            token.0.replacement = A
            token.3.token = x
            token.3.replacementType = static
            token.3.replacement = X
            """)
        t.write("second.conf", """
            [web\\.log]
            host = laterFileWins
            """)
        let r = try Run.sample([t.path + "/default/eventgen.conf", t.path + "/second.conf"], cwd: t.path)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stanzas.count == 1)
        #expect(r.stanzas[0].string("stanza") == "web\\.log")
        #expect(r.setting("web.log", "sourcetype") == "fromExact")      // master wins
        #expect(r.setting("web.log", "count") == "1")                  // other stanza fills before [global]
        #expect(r.setting("web.log", "interval") == "5")
        #expect(r.setting("web.log", "index") == "globalidx")          // [global] fills the rest
        #expect(r.setting("web.log", "host") == "laterFileWins")       // later file wins key by key
        #expect(r.setting("web.log", "token.0.replacement") == "A")
        #expect(r.setting("web.log", "token.3.replacement") == "X")
        #expect(r.setting("web.log", "token.4.replacement") == "B")    // appended after the master's highest
        let e = r.events[0]
        #expect(e.string("index") == "globalidx" && e.string("host") == "laterFileWins" && e.string("sourcetype") == "fromExact")
        #expect(e.string("source") == "web.log")
    }

    @Test func stanzaNamesAreWholeMatchRegexes() throws {
        let t = TempDir()
        for f in ["sample.tutorial1", "sampleXtutorial1", "sample.tutorial10", "timeorder.csv", "timeorderXcsv"] {
            t.write("samples/" + f, "line of \(f)\n")
        }
        t.write("conf/eventgen.conf", """
            [sample.tutorial1]
            [timeorder\\.csv]
            """)
        let r = try Run.sample([t.path + "/conf/eventgen.conf"], cwd: t.path)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.counts == ["sample.tutorial1": 1, "sampleXtutorial1": 1, "timeorder.csv": 1])
        #expect(r.stanzas.map { $0.string("sampleDir") ?? "" } == Array(repeating: t.path + "/samples", count: 3))
    }

    @Test func appDefaultThenLocalLayering() throws {
        let t = TempDir()
        t.write("app/samples/app.log", "one\ntwo\nthree\n")
        t.write("app/default/eventgen.conf", "[app.log]\ncount = 1\nsourcetype = default_st\nindex = d\n")
        t.write("app/local/eventgen.conf", "[app.log]\ncount = 2\n")
        let r = try Run.sample([t.path + "/app"], cwd: t.path)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.setting("app.log", "count") == "2")
        #expect(r.setting("app.log", "sourcetype") == "default_st")
        #expect(r.stanzas[0].string("conf") == t.path + "/app/local/eventgen.conf")
        #expect(raws(r, "app.log") == ["one", "two", "three"])
    }

    @Test func breakerStartsEventsAndKeepsInnerNewlines() throws {
        let t = TempDir()
        t.write("samples/multi.log", "20240101 first\n  detail 1\n\n20240102 second\n  detail 2\n20240103 third\n\n")
        t.write("conf/eventgen.conf", "[multi\\.log]\nbreaker = ^\\d{8}\n")
        let r = try Run.sample([t.path + "/conf/eventgen.conf"], cwd: t.path)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(raws(r, "multi.log") == ["20240101 first\n  detail 1", "20240102 second\n  detail 2", "20240103 third"])
        // The default breaker means "by lines".
        t.write("conf/lines.conf", "[multi\\.log]\nbreaker = [^\\r\\n\\s]+\n")
        let lines = try Run.sample([t.path + "/conf/lines.conf"], cwd: t.path)
        #expect(raws(lines, "multi.log").count == 5)
    }

    @Test func csvQuotingAndPerRowMetadata() throws {
        let t = TempDir()
        let csv = "_time,index,host,_raw,extra\r\n"
            + "2024-01-01T00:00:00.000,,h1,\"a, with comma\",x\r\n"
            + "2024-01-01T00:00:01.000,other,,\"he said \"\"hi\"\"\",y\r\n"
            + "\r\n"
            + "2024-01-01T00:00:02.000,,,\"two\r\nlines\",z\r\n"
        t.write("samples/t.csv", csv)
        t.write("conf/eventgen.conf", "[t\\.csv]\nsampletype = csv\nindex = stanzaidx\nhost = stanzahost\n")
        let r = try Run.sample([t.path + "/conf/eventgen.conf"], cwd: t.path)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(raws(r, "t.csv") == ["a, with comma", "he said \"hi\"", "two\nlines"])
        #expect(r.events.map { $0.string("index") ?? "" } == ["stanzaidx", "other", "stanzaidx"])
        #expect(r.events.map { $0.string("host") ?? "" } == ["h1", "stanzahost", "stanzahost"])
        #expect(r.events[1]["_time"] == .string("2024-01-01T00:00:01.000"))
        #expect(r.events[2].string("extra") == "z")
        #expect(r.events[0].fields.map(\.key) == ["_raw", "sample", "index", "host", "source", "sourcetype", "_time", "extra"])
    }

    @Test func csvWithoutRawColumnIsAnErrorNamingFileAndLine() throws {
        let t = TempDir()
        t.write("samples/bad.csv", "\nhost,message\nh,m\n")
        t.write("conf/eventgen.conf", "[bad\\.csv]\nsampletype = csv\n")
        let r = try Run.sample([t.path + "/conf/eventgen.conf"], cwd: t.path)
        #expect(r.status == 2)
        #expect(r.stderr.contains("eg-sample: \(t.path)/samples/bad.csv:2: csv sample has no _raw column"))
        #expect(r.stdout.isEmpty)
    }

    @Test func bundlelinesPassesThroughInTheStanzaRecord() throws {
        let t = TempDir()
        t.write("samples/b.log", "step 1\nstep 2\nstep 3\n")
        t.write("conf/eventgen.conf", "[b\\.log]\nbundlelines = true\ncount = 2\n")
        let r = try Run.sample([t.path + "/conf/eventgen.conf"], cwd: t.path)
        #expect(r.setting("b.log", "bundlelines") == "true")
        #expect(raws(r, "b.log") == ["step 1", "step 2", "step 3"])
        #expect(r.events.allSatisfy { $0["_bundle"] == nil && $0["_time"] == nil })
    }

    @Test func lineEndingsBlankLinesAndLatin1() throws {
        let t = TempDir()
        t.write("samples/cr.log", "one\rtwo\r\rthree")
        t.write("samples/crlf.log", "one\r\ntwo\r\n\r\n   \r\nthree\r\n")
        t.write("samples/latin1.log", bytes: [0x63, 0x61, 0x66, 0xE9, 0x0A, 0x6F, 0x6B, 0x0A])  // "café" in Latin-1
        t.write("conf/eventgen.conf", "[.*\\.log]\n")
        let r = try Run.sample([t.path + "/conf/eventgen.conf"], cwd: t.path)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(raws(r, "cr.log") == ["one", "two", "three"])
        #expect(raws(r, "crlf.log") == ["one", "two", "three"])
        #expect(raws(r, "latin1.log") == ["café", "ok"])
        #expect(r.stdout.contains("\"_raw\":\"café\""))
    }

    @Test func windbagPoolAndSettings() throws {
        let t = TempDir()
        t.write("eventgen.conf", """
            [wb]
            generator = windbag
            token.2.token = WINDBAG
            token.2.replacementType = static
            token.2.replacement = BAG

            [wb3]
            generator = windbag
            count = 3
            sequentialTimestamp = false
            """)
        let r = try Run.sample([t.path + "/eventgen.conf"], cwd: t.path)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.counts == ["wb": 60, "wb3": 3])
        #expect(raws(r, "wb").first == "2014-01-01 00:00:00 -0700 WINDBAG Event 1 of 60")
        #expect(raws(r, "wb3") == (1...3).map { "2014-01-01 00:00:00 -0700 WINDBAG Event \($0) of 3" })
        #expect(r.setting("wb", "sequentialTimestamp") == "true")
        #expect(r.setting("wb", "token.3.token") == "\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}")
        #expect(r.setting("wb", "token.3.replacementType") == "timestamp")
        #expect(r.setting("wb", "token.3.replacement") == "%Y-%m-%d %H:%M:%S")
        #expect(r.setting("wb3", "sequentialTimestamp") == "false")
        #expect(r.setting("wb3", "token.0.replacement") == "%Y-%m-%d %H:%M:%S")
        #expect(r.events.first?.string("source") == "wb")
    }

    @Test func autotimestampAddsTokensPerLineShape() throws {
        let t = TempDir()
        t.write("samples/mixed.log", """
            Mar  1 00:01:50 router1 %SYS-5-CONFIG_I: Configured
            Mar 12 10:01:50 router2 %SYS-5-CONFIG_I: Configured
            10.1.1.1 - - [04/Jan/2014:20:00:00 -0800] "GET / HTTP/1.1" 200
            2014-01-04 20:00:00.123 INFO started
            {"timestamp": 1388865600, "msg": "x"}
            13/Foo/2014:20:00:00 not a date
            """)
        t.write("conf/eventgen.conf", """
            [mixed\\.log]
            autotimestamp = true
            token.0.token = INFO
            token.0.replacementType = static
            token.0.replacement = WARN
            """)
        let r = try Run.sample([t.path + "/conf/eventgen.conf"], cwd: t.path)
        #expect(r.status == 0, "\(r.stderr)")
        let formats = (1...6).compactMap { r.setting("mixed.log", "token.\($0).replacement") }
        #expect(formats == ["%b %d %H:%M:%S", "%d/%b/%Y:%H:%M:%S %z", "%Y-%m-%d %H:%M:%S.%f", "%s"])
        #expect((1...4).allSatisfy { r.setting("mixed.log", "token.\($0).replacementType") == "timestamp" })
        #expect(r.setting("mixed.log", "token.0.replacement") == "WARN")
    }

    @Test func autotimestampCsvTimeColumnAndCustomCatalogue() throws {
        let t = TempDir()
        t.write("samples/c.csv", "_time,_raw\n2024-01-01T00:00:00.000,05/06/2024 10:00:00 hello\n")
        t.write("conf/eventgen.conf", """
            [c\\.csv]
            sampletype = csv
            autotimestamp = true
            autotimestamps = [["\\\\d{2}/\\\\d{2}/\\\\d{4} \\\\d{2}:\\\\d{2}:\\\\d{2}", "%m/%d/%Y %H:%M:%S"]]
            """)
        let r = try Run.sample([t.path + "/conf/eventgen.conf"], cwd: t.path)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.setting("c.csv", "token.0.replacement") == "%Y-%m-%dT%H:%M:%S.%f")
        #expect(r.setting("c.csv", "token.1.token") == "\\d{2}/\\d{2}/\\d{4} \\d{2}:\\d{2}:\\d{2}")
        #expect(r.setting("c.csv", "token.1.replacement") == "%m/%d/%Y %H:%M:%S")
    }

    @Test func listReportsStanzasSamplesTyposAndWarnings() throws {
        let t = TempDir()
        t.write("samples/a.log", "x\ny\n")
        t.write("conf/eventgen.conf", """
            [a\\.log]
            count = 3
            cuont = 4

            [missing\\.log]
            count = 1

            [off\\.log]
            disabled = true

            [j]
            generator = counter
            """)
        let r = try Run.sample(["--list", t.path + "/conf/eventgen.conf"], cwd: t.path)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("  [a\\.log]  (\(t.path)/conf/eventgen.conf:1)\n    matched a.log (master)\n"))
        #expect(r.stdout.contains("  [missing\\.log]  (\(t.path)/conf/eventgen.conf:5)\n    matched no file in \(t.path)/samples\n"))
        #expect(r.stdout.contains("  [off\\.log]  (\(t.path)/conf/eventgen.conf:8)\n    disabled\n"))
        #expect(r.stdout.contains("    events: 2 (raw, one event per line)\n"))
        #expect(r.stdout.contains("      cuont = 4    (\(t.path)/conf/eventgen.conf:3)    <- unknown\n"))
        #expect(r.stdout.contains("    unknown settings (no eg tool reads them; typos?): cuont\n"))
        #expect(r.stdout.contains("ERROR: \(t.path)/conf/eventgen.conf:12: [j] generator = counter is not supported yet"))
        #expect(r.stdout.contains("Warnings:\n  [missing\\.log]: no sample file in \(t.path)/samples matches the stanza name; stanza skipped\n"))
        #expect(!r.stdout.contains("\"_raw\""))
    }

    @Test func unknownSettingIsReportedOnStderrOnce() throws {
        let t = TempDir()
        t.write("samples/a.log", "x\n")
        t.write("samples/b.log", "y\n")
        t.write("conf/eventgen.conf", "[global]\nintervall = 3\n[.*\\.log]\n")
        let r = try Run.sample([t.path + "/conf/eventgen.conf"], cwd: t.path)
        #expect(r.status == 0)
        #expect(r.stderr.components(separatedBy: "setting 'intervall' is not read by any eg tool").count == 2)
        #expect(r.setting("a.log", "intervall") == "3")   // passed through untouched
    }

    @Test func plainFileModeAndStdin() throws {
        let t = TempDir()
        t.write("access.log", "2024-01-01 a\ncontinued\n2024-01-02 b\n")
        let r = try Run.sample([t.path + "/access.log", "--breaker", "^\\d{4}-", "--sourcetype", "access", "--index", "web"], cwd: t.path)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stanzas.first?.string("sample") == "access.log")
        #expect(r.setting("access.log", "breaker") == "^\\d{4}-")
        #expect(raws(r, "access.log") == ["2024-01-01 a\ncontinued", "2024-01-02 b"])
        #expect(r.events.allSatisfy { $0.string("sourcetype") == "access" && $0.string("index") == "web"
                && $0.string("source") == "access.log" && $0.string("host") == "127.0.0.1" })
        let s = try Run.sample([], cwd: t.path, stdin: "l1\n\nl2\n")
        #expect(s.status == 0)
        #expect(raws(s, "stdin") == ["l1", "l2"])
        // A file whose first meaningful line is a stanza header is a conf, whatever its name.
        t.write("samples/z.log", "zz\n")
        t.write("conf/myconf", "# comment\n\n[z\\.log]\n")
        let c = try Run.sample([t.path + "/conf/myconf"], cwd: t.path)
        #expect(c.counts == ["z.log": 1])
    }

    @Test func selectionBySampleOrStanzaName() throws {
        let t = TempDir()
        for f in ["a.log", "b.log", "c.txt"] { t.write("samples/" + f, "\(f)\n") }
        t.write("conf/eventgen.conf", "[.*\\.log]\n[c\\.txt]\n")
        let conf = t.path + "/conf/eventgen.conf"
        #expect(try Run.sample(["-s", "b.log", conf]).counts == ["b.log": 1])
        #expect(try Run.sample(["-s", ".*\\.log", conf]).counts == ["a.log": 1, "b.log": 1])
        #expect(try Run.sample(["--sample", "c\\.txt", "-s", "a.log", conf]).counts == ["a.log": 1, "c.txt": 1])
        let bad = try Run.sample(["-s", "nope", conf])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--sample nope: no sample file or stanza of that name (samples: a.log, b.log, c.txt)"))
    }

    @Test func sampleDirOverrideAndRelativeSampleDir() throws {
        let t = TempDir()
        t.write("elsewhere/x.log", "from elsewhere\n")
        t.write("conf/data/x.log", "from sampleDir\n")
        t.write("conf/eventgen.conf", "[x\\.log]\nsampleDir = data\n")
        let r = try Run.sample([t.path + "/conf/eventgen.conf"], cwd: "/")
        #expect(raws(r, "x.log") == ["from sampleDir"])
        let o = try Run.sample(["--sample-dir", "elsewhere", t.path + "/conf/eventgen.conf"], cwd: t.path)
        #expect(raws(o, "x.log") == ["from elsewhere"])
        #expect(o.stanzas.first?.string("sampleDir") == t.path + "/elsewhere")
    }

    @Test func errorsAndExitCodes() throws {
        let t = TempDir()
        t.write("samples/ok.log", "fine\n")
        t.write("conf/eventgen.conf", "[ok\\.log]\n[nothing\\.here]\ncount = 1\n[skip\\.log]\ndisabled = 1\n")
        let r = try Run.sample([t.path + "/conf/eventgen.conf"], cwd: t.path)
        #expect(r.status == 0)
        #expect(r.counts == ["ok.log": 1])
        #expect(r.stderr == "eg-sample: warning: [nothing\\.here]: no sample file in \(t.path)/samples matches the stanza name; stanza skipped\n")

        t.write("conf/none.conf", "[nothing\\.here]\n")
        let none = try Run.sample([t.path + "/conf/none.conf"], cwd: t.path)
        #expect(none.status == 2)
        #expect(none.stderr.hasSuffix("eg-sample: no samples to generate: no enabled stanza matched a sample file (searched: \(t.path)/samples)\n"))

        t.write("conf/counter.conf", "[ok\\.log]\n[cnt]\ngenerator = counter\n")
        let c = try Run.sample([t.path + "/conf/counter.conf"], cwd: t.path)
        #expect(c.status == 2)
        #expect(c.stderr == "eg-sample: \(t.path)/conf/counter.conf:3: [cnt] generator = counter is not supported yet (eg supports default, replay, windbag, jinja and perDayVolume)\n"
                + "eg-sample: 1 of 2 samples not generated because of the errors above (cnt); generated: ok.log\n")
        #expect(c.stdout.hasPrefix("{\"_kind\":\"stanza\",\"sample\":\"ok.log\""))

        t.write("conf/jinja.conf", "[ok\\.log]\n[tmpl]\ngenerator = jinja\n")
        let j = try Run.sample([t.path + "/conf/jinja.conf"], cwd: t.path)
        #expect(j.status == 2)
        // One stanza's problem does not stop the others: [ok.log] is still written, and the last
        // line says which samples were left out and which were generated.
        #expect(j.stderr == "eg-sample: \(t.path)/conf/jinja.conf:3: [tmpl] generator = jinja needs jinja_target_template (the root template's file name)\n"
                + "eg-sample: 1 of 2 samples not generated because of the errors above (tmpl); generated: ok.log\n")
        #expect(j.stdout.hasPrefix("{\"_kind\":\"stanza\",\"sample\":\"ok.log\""))

        for mode in ["s2s", "scsout", "awss3", "metric_httpevent"] {
            t.write("conf/out.conf", "[global]\noutputMode = \(mode)\n[ok\\.log]\n")
            let o = try Run.sample([t.path + "/conf/out.conf"], cwd: t.path)
            #expect(o.status == 2)
            #expect(o.stderr.contains("[ok\\.log] outputMode = \(mode) is not supported yet"))
        }

        t.write("conf/badtype.conf", "[ok\\.log]\nsampletype = json\n")
        let bt = try Run.sample([t.path + "/conf/badtype.conf"], cwd: t.path)
        #expect(bt.status == 2)
        #expect(bt.stderr.contains("badtype.conf:2: [ok\\.log] sampletype: expected raw or csv, found 'json'"))

        let missing = try Run.sample([t.path + "/conf/missing.conf"], cwd: t.path)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("missing.conf: no such conf file or app directory"))

        let opt = try Run.sample(["--bogus"], cwd: t.path)
        #expect(opt.status == 2)
        #expect(opt.stderr.hasPrefix("eg-sample: unknown option '--bogus'\nusage: eg-sample"))

        t.write("samples/open.csv", "_raw\n\"never closed\n")
        t.write("conf/open.conf", "[open\\.csv]\nsampletype = csv\n")
        let open = try Run.sample([t.path + "/conf/open.conf"], cwd: t.path)
        #expect(open.status == 2)
        #expect(open.stderr.contains("open.csv:2: unterminated quoted CSV field"))
    }

    @Test func manPageHoldsManSectionsVerbatim() throws {
        let sections = try Run.sample(["--man-sections"])
        let page = try String(contentsOfFile: Run.root + "/man/eg-sample.1", encoding: .utf8)
        #expect(sections.status == 0)
        #expect(page.contains(sections.stdout))
        for heading in ["NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "EXIT STATUS", "EXAMPLES", "SEE ALSO"] {
            #expect(page.contains(".SH \(heading)\n"))
        }
    }
}
