import Foundation
import Testing

/// The rules eventgen's own functional suite (`tests/large/test_*.py` in splunk/eventgen) checks,
/// written as eg tests on confs and samples of our own, plus a regression test for each place
/// where eg once differed from eventgen on its example confs (issue 19).
@Suite struct EventgenLargeTests {
    static let now = "2026-03-06T19:30:00Z"
    static let nowEpoch = 1_772_825_400.0

    /// Twelve windbag-style lines with a timestamp and an `@@integer` token, 21 s from first to last.
    static let sample = (0..<12).map { k -> String in
        let offsets = [0, 1, 2, 3, 3, 4, 5, 6, 8, 20, 21, 21]
        return String(format: "2014-01-04 20:00:%02d WINDBAG Event %d of 12 randint @@integer", offsets[k], k + 1)
    }.joined(separator: "\n") + "\n"

    static let csv = "_time,_raw,index,host,source,sourcetype\n" + (0..<10).map { k in
        String(format: "2014-01-04 20:00:%02d,\"2014-01-04 20:00:%02d csv event %d\",main,host%d,src,st", k * 2, k * 2, k, k % 3)
    }.joined(separator: "\n") + "\n"

    static let timestampToken = """
        token.0.token = \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}
        token.0.replacementType = timestamp
        token.0.replacement = %Y-%m-%d %H:%M:%S
        token.1.token = @@integer
        token.1.replacementType = random
        token.1.replacement = integer[0:10]
        """

    /// What a pipeline run left: the shipped `_raw` lines, stderr, eg-ship's counts.
    struct Output {
        var lines: [String]
        var stderr: String
        var events: Int
        var bytes: Int
    }

    /// Writes `conf` (as `default/eventgen.conf`, so `samples/` beside it is the sample folder).
    func writeApp(_ dir: URL, _ conf: String, samples: [String: String]) throws {
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("samples"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("default"), withIntermediateDirectories: true)
        try conf.write(to: dir.appendingPathComponent("default/eventgen.conf"), atomically: true, encoding: .utf8)
        for (name, text) in samples {
            try text.write(to: dir.appendingPathComponent("samples/\(name)"), atomically: true, encoding: .utf8)
        }
    }

    /// Writes the app into a fresh folder and runs the whole pipeline.
    func run(_ conf: String, samples: [String: String] = ["sample": sample], rate: [String] = [],
             tokenizeSeed: Int = 3) throws -> Output {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("eg-large-\(getpid())-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeApp(dir, conf, samples: samples)
        let flags = rate.map { "'\($0)'" }.joined(separator: " ")
        let r = try Run.sh("eg-sample '\(dir.path)/default/eventgen.conf' | eg-rate --now \(Self.now) --seed 7 \(flags) "
                           + "| eg-tokenize --seed \(tokenizeSeed) | eg-ship --output stdout", environment: ["TZ": "UTC"])
        let summary = r.stderr.split(separator: "\n").last { $0.hasPrefix("eg-ship: summary:") } ?? ""
        return Output(lines: r.text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init),
                      stderr: r.stderr, events: EventgenConfTests.field("events", summary) ?? 0,
                      bytes: EventgenConfTests.field("bytes", summary) ?? 0)
    }

    /// Seconds from the pinned now of each line's leading `%Y-%m-%d %H:%M:%S` (UTC).
    func offsets(_ lines: [String]) throws -> [Double] {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return try lines.map { line in
            let d = try #require(f.date(from: String(line.prefix(19))), "no timestamp in \(line)")
            return d.timeIntervalSince1970 - Self.nowEpoch
        }
    }

    // MARK: - test_mode_sample.py

    @Test func sampleModeEndOneIsTheWholeSampleWithTokensReplaced() throws {
        let o = try run("[sample]\nend = 1\nearliest = -15s\n\(Self.timestampToken)\n")
        #expect(o.events == 12)
        #expect(o.lines.count == 12)
        #expect(o.lines.allSatisfy { !$0.contains("@@integer") })
        for d in try offsets(o.lines) { #expect(d >= -15 && d <= 0, "\(d)") }
    }

    @Test func sampleModeCsvCountAndInterval() throws {
        let csv = try run("[sample.csv]\nsampletype = csv\nend = 1\n\(Self.timestampToken)\n", samples: ["sample.csv": Self.csv])
        #expect(csv.events == 10)
        // interval = 10 for 30 s: 3 intervals of the whole sample.
        let interval = try run("[sample]\ninterval = 10\nend = 3\n\(Self.timestampToken)\n")
        #expect(interval.events == 36)
        let count = try run("[sample]\ncount = 5\nend = 1\n\(Self.timestampToken)\n")
        #expect(count.events == 5)
        // generatorWorkers = 5 does not multiply the count: end 5 x count 10.
        let workers = try run("[sample]\ncount = 10\nend = 5\ngeneratorWorkers = 5\n\(Self.timestampToken)\n")
        #expect(workers.events == 50)
    }

    @Test func sampleModeEarliestLatestAndBackfillWindows() throws {
        let earliest = try run("[sample]\nend = 1\nearliest = -15s\n\(Self.timestampToken)\n")
        for d in try offsets(earliest.lines) { #expect(d > -16 && d <= 0, "\(d)") }
        let latest = try run("[sample]\nend = 1\nlatest = +15s\n\(Self.timestampToken)\n")
        for d in try offsets(latest.lines) { #expect(d >= 0 && d < 17, "\(d)") }
        // backfill = -15s, end = 1: the backfill is the one execution, inside [now-15s, now+interval).
        let backfill = try run("[sample]\nend = 1\nbackfill = -15s\ninterval = 5\n\(Self.timestampToken)\n")
        #expect(backfill.events == 36)
        for d in try offsets(backfill.lines) { #expect(d > -16 && d < 0, "\(d)") }
    }

    @Test func sampleModeBreakerSplitsEventsAtEachMatch() throws {
        let text = (0..<9).map { k in
            String(format: "2014010420%02d00.000000 line one of event %d\n  continued line\n", k, k)
        }.joined()
        let o = try run("[breakersample]\nbreaker = ^\\d{14}\\.\\d{6}\ncount = 3\nend = 1\n", samples: ["breakersample": text])
        #expect(o.events == 3)
        #expect(o.lines.filter { $0.hasPrefix("20140104") }.count == 3)
    }

    // MARK: - test_mode_replay.py

    @Test func replayPassesEndAndForever() throws {
        let one = try run("[sample]\nmode = replay\nend = 1\n\(Self.timestampToken)\n")
        #expect(one.events == 12)
        #expect(one.lines.allSatisfy { !$0.contains("@@integer") && $0.first?.isNumber == true })
        let two = try run("[sample]\nmode = replay\nend = 2\ninterval = 0\n\(Self.timestampToken)\n")
        #expect(two.events == 24)
        // end = -1 replays for ever: still running after 2 s (eventgen's test waits 60 s).
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("eg-forever-\(getpid())")
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeApp(dir, "[sample]\nmode = replay\nend = -1\ninterval = 0\n\(Self.timestampToken)\n", samples: ["sample": Self.sample])
        let r = try Run.sh("eg-sample '\(dir.path)/default/eventgen.conf' > '\(dir.path)/s.ndjson'; timeout 2 eg-rate '\(dir.path)/s.ndjson' > '\(dir.path)/out'; echo status=$?; grep -c _raw '\(dir.path)/out'")
        #expect(r.text.hasPrefix("status=124\n"), "\(r.text) \(r.stderr)")
        #expect((Int(r.text.split(separator: "\n").last ?? "") ?? 0) >= 1, "\(r.text)")
    }

    @Test func replayBackfillShorterThanAPassAddsNothingLongerFillsTheSpan() throws {
        // eventgen: backfill -5s with the default 60 s pause between passes is ignored: 2 passes.
        let short = try run("[sample]\nmode = replay\nend = 2\nbackfill = -5s\n\(Self.timestampToken)\n")
        #expect(short.events == 24)
        // backfill -120s, interval 0: history at the original spacing in [now-120s, now) (its 21 s
        // passes: 5 whole ones and the last 15 s of a sixth, 3 events), then 2 passes from now.
        // eventgen's test expects 24 and every event before its start time; its replay code
        // (the backward walk of replay.py) makes history, as here, and stamps the first event
        // of every pass with the backfill start (eventgen #140).
        let long = try run("[sample]\nmode = replay\nend = 2\ninterval = 0\nbackfill = -120s\n\(Self.timestampToken)\n")
        let times = try offsets(long.lines)
        let history = times.filter { $0 < 0 }
        #expect(history.count == long.events - 24)
        #expect(history.allSatisfy { $0 >= -120 })
        #expect(history.count >= 5 * 12 && history.count <= 6 * 12, "\(history.count)")
        #expect(times.filter { $0 >= 0 }.count == 24)
    }

    @Test func replayTimeMultipleCsvAndTimezone() throws {
        // timeMultiple 0.5: a 21 s sample replays in 10.5 s.
        let half = try run("[sample]\nmode = replay\nend = 1\ntimeMultiple = 0.5\n\(Self.timestampToken)\n")
        let t = try offsets(half.lines)
        #expect(t.count == 12)
        #expect(t.allSatisfy { $0 >= 0 && $0 < 14 }, "\(t)")
        #expect(t.max() == 10)
        // csv replay with timeField = _time keeps every row.
        let csv = try run("[sample.csv]\nmode = replay\nsampletype = csv\ntimeField = _time\nend = 1\n\(Self.timestampToken)\n",
                          samples: ["sample.csv": Self.csv])
        #expect(csv.events == 10)
        // timezone = -0100: stamped one hour behind UTC.
        let tz = try run("[sample]\nmode = replay\nend = 1\ntimezone = -0100\n\(Self.timestampToken)\n")
        for d in try offsets(tz.lines) { #expect(d >= -3600 && d < -3600 + 22, "\(d)") }
    }

    // MARK: - test_perdayvolume.py

    @Test func perDayVolumeIsMeasuredOnTheGeneratedBytes() throws {
        // Ten minutes at 1 GiB/day: 2^30 / 144 bytes, within one event, whatever the token's size.
        let target = Double(1 << 30) / 144
        let tokens = [
            "none": "",
            "small": "token.0.token = @@integer\ntoken.0.replacementType = random\ntoken.0.replacement = integer[0:10]\n",
            "large": "token.0.token = @@integer\ntoken.0.replacementType = static\ntoken.0.replacement = \"supercalifragilisticexpialidocious\"\n",
        ]
        var counts: [String: Int] = [:]
        for (name, token) in tokens {
            let o = try run("[sample]\nperDayVolume = 1\ninterval = 60\nend = 10\n\(token)")
            #expect(abs(Double(o.bytes) / target - 1) < 0.02, "\(name): \(o.bytes) bytes for \(target)")
            counts[name] = o.events
        }
        // eventgen's large-token and small-token runs expect different counts for the same volume.
        #expect(counts["large"]! < counts["none"]!)
        #expect(counts["none"]! < counts["small"]!)
    }

    // MARK: - issue 19 regressions

    @Test func negativeIntervalRunsEverySecondAndAFutureBackfillIsTheFirstExecution() throws {
        let conf = """
            [windbag]
            generator = windbag
            earliest = -3s
            interval = -1
            count = 5
            end = 5
            [windbag2]
            generator = windbag
            earliest = -3s
            backfill = 1m
            interval = 3
            count = 5
            end = 5
            """
        let o = try run(conf, samples: [:])
        #expect(o.events == 45, "\(o.stderr)")
        #expect(!o.stderr.contains("expected a number of seconds"))
    }

    @Test func aRefusedStanzaIsNamedAndTheOthersStillRun() throws {
        let o = try run("[sample]\ncount = 2\nend = 1\n[other]\ncount = many\nend = 1\n",
                        samples: ["sample": Self.sample, "other": "x\n"])
        #expect(o.events == 2)
        #expect(o.stderr.contains("eg-rate: stanza [other]: [other] count: expected an integer, found 'many'"), "\(o.stderr)")
        #expect(o.stderr.contains("eg-rate: 1 of 2 samples not generated because of the errors above (other); generated: sample"), "\(o.stderr)")
    }

    @Test func eachToolLeavesOutOnlyTheStanzaItRefuses() throws {
        // eg-tokenize: [bad]'s replacement file is missing; [sample] is still tokenized and the
        // dropped events are counted. eg-sample: [tmpl]'s generator is refused, [sample] still runs.
        let conf = """
            [sample]
            count = 2
            end = 1
            \(Self.timestampToken)
            [bad]
            count = 3
            end = 1
            token.0.token = x
            token.0.replacementType = file
            token.0.replacement = /no/such/file.sample
            [tmpl]
            generator = weblog
            """
        let o = try run(conf, samples: ["sample": Self.sample, "bad": "x\n"])
        #expect(o.events == 2)
        #expect(o.lines.allSatisfy { !$0.contains("@@integer") })
        #expect(o.stderr.contains("eg-sample: 1 of 3 samples not generated because of the errors above (tmpl); generated: sample, bad"), "\(o.stderr)")
        #expect(o.stderr.contains("replacement file '/no/such/file.sample' not found"), "\(o.stderr)")
        #expect(o.stderr.contains("eg-tokenize: 1 of 2 samples not tokenized because of the errors above (bad: 3 events dropped); tokenized: sample"), "\(o.stderr)")
    }

    @Test func generatorReplayWithBackfillAndEndIsReplayNotSampleMode() throws {
        // eventgen.conf.backfillreplay's rules: 42 s passes, 15 min of history, end 3 passes.
        let o = try run("[sample]\ngenerator = replay\ntimeMultiple = 2\nbackfill = -15m\nend = 3\ninterval = 0\n\(Self.timestampToken)\n")
        #expect(o.events == 289, "\(o.stderr)")
        let t = try offsets(o.lines)
        #expect(t.filter { $0 < 0 }.count == 253)
        #expect(t.allSatisfy { $0 >= -900 })
    }

    @Test func unreadableReplayTimestampsAreReportedAndTheRestReplaysAtOnce() throws {
        let text = "no time here\n2014-01-04 20:00:00 first\nstill none\n2014-01-04 20:00:00 second\n"
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("eg-badts-\(getpid())")
        defer { try? FileManager.default.removeItem(at: dir) }
        try writeApp(dir, "[bad]\ngenerator = replay\ntimeMultiple = 2\n\(Self.timestampToken)\n", samples: ["bad": text])
        // Live (no end): the readable events come out at once, the run goes on (killed after 2 s).
        let r = try Run.sh("eg-sample '\(dir.path)/default/eventgen.conf' > '\(dir.path)/s.ndjson'; timeout 2 eg-rate '\(dir.path)/s.ndjson' > '\(dir.path)/out'; echo status=$?; grep -c _raw '\(dir.path)/out'")
        #expect(r.text == "status=124\n2\n", "\(r.text)")
        #expect(r.stderr.contains("2 of 4 events have no time the timestamp tokens can read in _raw and are not replayed; first: "), "\(r.stderr)")
    }
}
