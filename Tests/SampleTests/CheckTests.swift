import Testing
import Foundation

/// `eg-sample --check` (issue 11): every class of problem the later tools would stop on, reported
/// all at once as `conf:line: [stanza] key = value: problem`, exit 2; a clean conf prints one ok
/// line and exits 0.
@Suite struct CheckTests {
    /// A conf `[web.log]` over a one-line sample, with `body` added to the stanza; returns the
    /// check's result and the conf path.
    func check(_ body: String, files: [String: String] = [:], extraArgs: [String] = []) throws -> (Run.Result, String, TempDir) {
        let t = TempDir()
        t.write("samples/web.log", "GET /index.html 200 user=alice\n")
        for (name, text) in files { t.write(name, text) }
        let conf = t.write("conf/eventgen.conf", "[web.log]\n" + body)
        return (try Run.sample(["--check"] + extraArgs + [conf], cwd: t.path), conf, t)
    }

    /// The problem lines (without the final count line).
    func problems(_ r: Run.Result) -> [String] {
        r.stderr.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("eg-sample: check:") }
    }

    @Test func cleanConfPrintsOneOkLine() throws {
        let (r, _, _) = try check("""
            interval = 60
            count = 5
            hourOfDayRate = {"0": 0.5, "12": 2}
            token.0.token = user=(\\w+)
            token.0.replacementType = file
            token.0.replacement = users.txt
            token.1.token = (\\d{3})$
            token.1.replacementType = random
            token.1.replacement = integer[200:599]
            token.2.token = GET
            token.2.replacementType = timestamp
            token.2.replacement = %Y-%m-%dT%H:%M:%S.%3fZ
            outputMode = file
            fileName = /tmp/out.log
            """, files: ["samples/users.txt": "bob\ncarol\n"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr == "")
        #expect(r.stdout == "eg-sample: check: ok, 1 sample of 1 stanza, no problems\n")
    }

    @Test func everyProblemAtOnceWithLinesAndSuggestions() throws {
        let (r, conf, _) = try check("""
            intervall = 60
            count = 99999999999
            randomizeCount = nan
            mode = Replay
            outputMode = httpevnt
            dayOfWeekRate = {"7": 1}
            syslogDestinationPort = 0
            earliest = +1h
            """)
        #expect(r.status == 2)
        // The outputMode line lists every mode eg-ship has; check its start and suggestion only.
        let mode = problems(r).first { $0.contains("outputMode = httpevnt") } ?? ""
        #expect(mode.hasPrefix("eg-sample: \(conf):6: [web.log] outputMode = httpevnt: expected one of stdout, devnull, file, spool,"))
        #expect(mode.hasSuffix("; did you mean httpevent?"))
        #expect(problems(r).filter { !$0.contains("outputMode = httpevnt") } == [
            "eg-sample: \(conf):2: [web.log] intervall: not a setting any eg tool reads; did you mean interval?",
            "eg-sample: \(conf):3: [web.log] count = 99999999999: expected an integer from -1 to 10000000",
            "eg-sample: \(conf):4: [web.log] randomizeCount = nan: expected a number from 0 to 2",
            "eg-sample: \(conf):5: [web.log] mode = Replay: expected one of sample, replay; did you mean replay?",
            "eg-sample: \(conf):7: [web.log] dayOfWeekRate = {\"7\": 1}: expected a JSON object like {\"0\": 1.0, ...} with keys 0-6 and factors from 0 to 1000000",
            "eg-sample: \(conf):8: [web.log] syslogDestinationPort = 0: expected an integer from 1 to 65535",
            "eg-sample: \(conf):9: [web.log] earliest = +1h: is after latest (now)",
        ], "\(r.stderr)")
        #expect(r.stderr.hasSuffix("eg-sample: check: 8 problems in 1 sample of 1 stanza\n"))
        #expect(r.stdout == "")
    }

    @Test func tokenProblems() throws {
        let (r, conf, _) = try check("""
            token.0.token = (\\d+
            token.0.replacementType = static
            token.0.replacement = x
            token.1.token = a
            token.1.replacementType = randum
            token.1.replacement = ipv4
            token.2.token = b
            token.2.replacementType = file
            token.2.replacement = nosuch.txt
            token.3.token = c
            token.3.replacementType = mvfile
            token.3.replacement = cols.csv:3
            token.4.token = d
            token.4.replacementType = timestamp
            token.4.replacement = %H:%M:%S.%L
            token.5.token = e
            token.5.replacementType = random
            token.5.replacement = string(100000000000)
            token.6.token = f
            token.6.replacementType = integerid
            token.6.replacement = 99999999999999999999
            token.7.token = g
            token.7.replacementType = mvfile
            token.7.replacement = cols.csv
            token.8.token = *h
            token.8.replacementType = random
            token.8.replacement = integr[1:5]
            token.9.token = i
            token.9.replacement = x
            """, files: ["samples/cols.csv": "a,b\nc,d\n"])
        #expect(r.status == 2)
        let p = problems(r)
        #expect(p.contains("eg-sample: \(conf):2: [web.log] token.0.token = (\\d+: missing ), unterminated subpattern at position 0"), "\(r.stderr)")
        #expect(p.contains("eg-sample: \(conf):6: [web.log] token.1.replacementType = randum: expected one of static, timestamp, replaytimestamp, random, rated, file, mvfile, seqfile, integerid; did you mean random?"), "\(r.stderr)")
        #expect(p.contains { $0.hasPrefix("eg-sample: \(conf):10: [web.log] token.2.replacement = nosuch.txt: replacement file 'nosuch.txt' not found (tried ") }, "\(r.stderr)")
        #expect(p.contains { $0.hasPrefix("eg-sample: \(conf):13: [web.log] token.3.replacement = cols.csv:3: column 3 is out of range in '") && $0.hasSuffix("cols.csv' line 1, which has 2 columns") }, "\(r.stderr)")
        #expect(p.contains("eg-sample: \(conf):16: [web.log] token.4.replacement = %H:%M:%S.%L: timestamp format '%H:%M:%S.%L': unknown strftime directive %L at position 9; did you mean %3f (milliseconds)?"), "\(r.stderr)")
        #expect(p.contains("eg-sample: \(conf):19: [web.log] token.5.replacement = string(100000000000): bad string length in 'string(100000000000)': expected string(n) with n from 0 to 1048576"), "\(r.stderr)")
        #expect(p.contains("eg-sample: \(conf):22: [web.log] token.6.replacement = 99999999999999999999: bad integerid start '99999999999999999999': expected an integer from -9223372036854775808 to 9223372036854775807"), "\(r.stderr)")
        #expect(p.contains("eg-sample: \(conf):25: [web.log] token.7.replacement = cols.csv: mvfile replacement 'cols.csv' needs a column: <path>:<column>"), "\(r.stderr)")
        #expect(p.contains("eg-sample: \(conf):26: [web.log] token.8.token = *h: nothing to repeat at position 0"), "\(r.stderr)")
        #expect(p.contains("eg-sample: \(conf):28: [web.log] token.8.replacement = integr[1:5]: unknown random replacement 'integr[1:5]': expected ipv4, ipv6, mac, guid, integer[a:b], float[a:b], string(n), hex(n) or list[...]; did you mean integer?"), "\(r.stderr)")
        #expect(p.contains("eg-sample: \(conf):29: [web.log] token 9 is incomplete: missing token.9.replacementType"), "\(r.stderr)")
        #expect(p.count == 11, "\(r.stderr)")
    }

    @Test func outputModesNeedTheirKeys() throws {
        let (f, conf, _) = try check("outputMode = file\n")
        #expect(f.status == 2)
        #expect(problems(f) == ["eg-sample: \(conf):2: [web.log] outputMode = file: needs fileName (or spoolDir)"])
        let (h, conf2, _) = try check("outputMode = httpevent\nhttpeventServers = {\"servers\": []}\n")
        #expect(problems(h) == ["eg-sample: \(conf2):3: [web.log] httpeventServers = {\"servers\": []}: expected a JSON object {\"servers\": [...]} with at least one server"])
    }

    @Test func volumeAndAnomalyLimits() throws {
        let (r, conf, _) = try check("count = 10000000\nhourOfDayRate = {\"3\": 4}\nanomaly.1.type = spike\nanomaly.1.factor = 1e300\n")
        #expect(r.status == 2)
        let p = problems(r)
        #expect(p.contains("eg-sample: stanza [web.log] anomaly.1: factor: expected a number from 0 to 10000, found '1e300'"), "\(r.stderr)")
        #expect(p.contains("eg-sample: \(conf):2: [web.log] count = 10000000: 10000000 events per interval times the largest rate factor 4 is 40000000; eg-rate generates at most 10000000 events in one interval; use a shorter interval or a smaller count"), "\(r.stderr)")
    }

    @Test func globalProblemsAreReportedOnceAndSecretsRedacted() throws {
        let t = TempDir()
        t.write("samples/a.log", "a\n")
        t.write("samples/b.log", "b\n")
        let conf = t.write("conf/eventgen.conf", "[global]\nbackfil = -1h\nredisPassword = hunter2secret\nredisPort = 70000\n[a.log]\n[b.log]\n")
        let r = try Run.sample(["--check", conf], cwd: t.path)
        #expect(r.status == 2)
        #expect(problems(r).filter { $0.contains("backfil:") }.count == 1, "\(r.stderr)")
        #expect(problems(r).contains("eg-sample: \(conf):2: [a.log] backfil: not a setting any eg tool reads; did you mean backfill?"), "\(r.stderr)")
        #expect(!r.stderr.contains("hunter2secret"))
        let l = try Run.sample(["--list", conf], cwd: t.path)
        #expect(l.status == 0)
        #expect(l.stdout.contains("problems (--check):"))
        #expect(l.stdout.contains("\(conf):4: [a.log] redisPort = 70000: expected an integer from 1 to 65535"))
        #expect(!l.stdout.contains("hunter2secret"))
    }

    @Test func everySharedExampleConfChecksAsItRuns() throws {
        // --check finds nothing in the tutorial's conf, which runs.
        let r = try Run.sample(["--check", Run.root + "/examples/cisco"], cwd: Run.root)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("eg-sample: check: ok, "))
    }
}
