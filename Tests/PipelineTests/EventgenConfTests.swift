import Foundation
import Testing

/// Every conf shipped with eventgen (`../shared/eventgen`) through the whole pipeline,
/// `eg-sample | eg-rate | eg-tokenize | eg-ship`, in batch mode at a pinned now, with the number
/// of events eg-ship delivers checked against what the conf's rules give (or the clear error a
/// conf eg cannot run must give). Outputs are sent to devnull so no network is needed.
///
/// The clock is Friday 2026-03-06 19:30 UTC: hourOfDayRate "19" is 1.0 (0.4 in tutorial 2) and
/// dayOfWeekRate "5" (Friday) is 0.99 or 1.0 in every rated conf, so with randomizeCount 0.2 a
/// count of 1 always rounds to 1 and a count of c gives round(c x 0.891 ... c x 1.1).
@Suite struct EventgenConfTests {
    static let now = "2026-03-06T19:30:00Z"

    /// One conf: extra eg-rate flags (for confs without `end`, or too large for a test), the
    /// events delivered, optionally the bytes, and for confs eg refuses the message.
    struct Case: CustomStringConvertible, Sendable {
        var conf: String
        var rate: [String] = []
        var events: ClosedRange<Int> = 0...0
        var bytes: ClosedRange<Int>? = nil
        var stderr: String? = nil
        var description: String { conf }
    }

    static let cases: [Case] = [
        // 12 lines, count -1, end 1.
        Case(conf: "example-confs/autotimestamp/eventgen.conf.autotimestamp", events: 12...12),
        // count 10, interval 1, backfill -15m, end 3: 900 one-second slices (the first execution)
        // and 2 more intervals, as eventgen's timer counts them.
        Case(conf: "example-confs/backfill/eventgen.conf.backfillend", events: 9020...9020),
        Case(conf: "example-confs/backfill/eventgen.conf.backfillsample", events: 9020...9020),
        // generator = replay, 12 events over 21 s x timeMultiple 2 = 42 s passes, interval 0:
        // [now-15m, now) holds 253 events at the original spacing, then 3 passes of 12.
        // (eventgen 7.2.1 writes 291: its backward walk keeps one event before the backfill start
        // and one at now.)
        Case(conf: "example-confs/backfill/eventgen.conf.backfillreplay", events: 289...289),
        // count 3, end 3, 2 broken events.
        Case(conf: "example-confs/breakersample/eventgen.conf.breakersample", events: 9...9),
        Case(conf: "example-confs/breakersample/eventgen.conf.randombreakersample", events: 9...9),
        // 3 bundles of 5 lines, end 3.
        Case(conf: "example-confs/bundlelines/eventgen.conf.bundlelinescsv", events: 45...45),
        Case(conf: "example-confs/bundlelines/eventgen.conf.bundlelinesraw", events: 45...45),
        Case(conf: "example-confs/counter/eventgen.conf.counter", stderr: "[100multiproc]: no sample file in "),
        Case(conf: "example-confs/eventgen.conf.test1", stderr: "[weblog.sample]: no sample file in "),
        // windbag count 5, end 3.
        Case(conf: "example-confs/httpevent/eventgen.conf.httpevent", events: 15...15),
        // generator = jinja, end 1: eventgen's jinja tests' counts (1 + 5 x 1000 + 1000; 10; 11; 1 + 5 + 10 + 5 + 5).
        Case(conf: "example-confs/jinja/eventgen.conf.jinja", events: 6001...6001),
        Case(conf: "example-confs/jinja/eventgen.conf.jinja_basic", events: 10...10),
        Case(conf: "example-confs/jinja/eventgen.conf.jinja_example", events: 11...11),
        Case(conf: "example-confs/jinja/eventgen.conf.jinja_time_examples", events: 26...26),
        // end 1 each: windbag 5 + sample 3 + mobilemusic (backfill -5m = 100 slices of one
        // 3-line bundle: the backfill is the one execution) + replay 12 + csv 3 bundles of 5 + breaker 3.
        Case(conf: "example-confs/largerconfig/eventgen.conf.largerconfig", events: 338...338),
        Case(conf: "example-confs/medium_test/eventgen.conf.fileoutput", events: 5...5),
        Case(conf: "example-confs/medium_test/eventgen.conf.scsoutput", stderr: "outputMode = scsout is not supported yet"),
        Case(conf: "example-confs/medium_test/eventgen.conf.syslogoutput", events: 5...5),
        Case(conf: "example-confs/medium_test/eventgen.conf.syslogoutputwithheader", events: 5...5),
        Case(conf: "example-confs/medium_test/eventgen.conf.tcpoutput", events: 5...5),
        Case(conf: "example-confs/medium_test/eventgen.conf.udpoutput", events: 5...5),
        // 1.1 GiB/day, interval 1, end 10: 10 x 13,670.4 bytes, within one event (41 bytes).
        Case(conf: "example-confs/perdayvolume/eventgen.conf.perdayvolume", events: 3300...3400, bytes: 136_663...136_704),
        // 0.01 GiB/day, interval 0, end 1: one run with a whole day's volume.
        Case(conf: "example-confs/perdayvolume/eventgen.conf.perdayvolumesinglerun", events: 261_000...262_000,
             bytes: 10_737_377...10_737_418),
        // count 100000 and no end: --count 10 --end 3 keeps the 600-slice backfill: 6000 + 2 x 10.
        Case(conf: "example-confs/perf/eventgen.conf.perfsample", rate: ["--count", "10", "--end", "3"], events: 6020...6020),
        // --count 10 --backfill -30s --end 1: 10 slices of round(10 x 0.99 x [0.835, 1.165]).
        Case(conf: "example-confs/perf/eventgen.conf.perfsampleweblog", rate: ["--count", "10", "--backfill", "-30s", "--end", "1"],
             events: 80...120),
        Case(conf: "example-confs/perf/eventgen.conf.perfsampleweblog-s2s", stderr: "outputMode = s2s is not supported yet"),
        Case(conf: "example-confs/perf/eventgen.conf.perfweblog", stderr: "generator = weblog is not supported yet"),
        // --count 5 --backfill -1m --end 2, interval 10: 6 slices + 1 interval of 5.
        Case(conf: "example-confs/perf/eventgen.conf.perfwindbag", rate: ["--count", "5", "--backfill", "-1m", "--end", "2"],
             events: 35...35),
        // generator = replay; 3 of 9 lines have a time the token reads; one pass.
        Case(conf: "example-confs/replay/eventgen.conf.badtimestamp", rate: ["--end", "1"], events: 3...3,
             stderr: "6 of 9 events have no time the timestamp tokens can read"),
        // mode = replay, end 1, backfill -5s shorter than a pass plus the 60 s pause: no history.
        Case(conf: "example-confs/replay/eventgen.conf.replay", events: 12...12),
        Case(conf: "example-confs/replay/eventgen.conf.timeorder", stderr: "[timeorder]: no sample file in "),
        // one 3-line bundle per interval, backfill -5m (100 slices) then 4 intervals (end 5).
        Case(conf: "example-confs/replaytimestamp/eventgen.conf.replaytimestamp", events: 312...312),
        Case(conf: "example-confs/sample/eventgen.conf.epochtime", events: 15...15),
        Case(conf: "example-confs/sample/eventgen.conf.fullsample", events: 0...0),
        Case(conf: "example-confs/sample/eventgen.conf.longsample", events: 50...50),
        Case(conf: "example-confs/sample/eventgen.conf.notoken", events: 3...3),
        Case(conf: "example-confs/sample/eventgen.conf.randomsample", events: 15...15),
        Case(conf: "example-confs/sample/eventgen.conf.shortsample", events: 15...15),
        Case(conf: "example-confs/scsout/eventgen.conf", stderr: "outputMode = scsout is not supported yet"),
        Case(conf: "example-confs/splitsample/eventgen.conf.splitcounter", events: 33...33),
        // perDayVolume 1, interval 3, no end: 2 intervals of 37,282.7 bytes x 0.99 x [0.9, 1.1].
        Case(conf: "example-confs/unit/eventgen.conf.config", rate: ["--end", "2"], events: 1500...2100,
             bytes: 66_300...81_300),
        Case(conf: "example-confs/windbag/eventgen.conf.windbag", events: 15...15),
        // interval -1 (every second) 5 x 5, and windbag2 whose backfill = 1m (future) is the
        // first of its 5 executions: 4 x 5. eventgen writes 45.
        Case(conf: "example-confs/windbag/eventgen.conf.windbag.end", events: 45...45,
             stderr: "backfill = 1m is not in the past"),
        // tutorials, with the shared samples folder
        Case(conf: "tutorials/eventgen-standalone.conf.tutorial1", stderr: "[cisco.sample]: no sample file in "),
        Case(conf: "tutorials/eventgen-standalone.conf.tutorial2", rate: ["--end", "1"],
             stderr: "replacement file '../samples/autoBillPayment.sample' not found"),
        // mobilemusic.csv only (the failure samples have no file): 10 bundles x 0.99 x [0.9, 1.1] of 5 lines.
        Case(conf: "tutorials/eventgen-standalone.conf.tutorial3", rate: ["--end", "1"], events: 45...55,
             stderr: "[sample.mobilemusicfailure.csv]: no sample file in "),
        Case(conf: "tutorials/eventgen.conf.example", stderr: "expected '[stanza]' before the first setting"),
        Case(conf: "tutorials/eventgen.conf.tutorial0", events: 12...12),
        Case(conf: "tutorials/eventgen.conf.tutorial1", rate: ["--end", "1"], events: 1966...1966),
        // count 20 x hour 0.4 x day 1.0 x [0.9, 1.1] = 7 ... 9, 4 intervals.
        Case(conf: "tutorials/eventgen.conf.tutorial2", rate: ["--end", "4"], events: 28...36),
        Case(conf: "tutorials/eventgen.conf.tutorial3", rate: ["--end", "1"], events: 9000...11000),
        Case(conf: "tutorials/eventgen.conf.tutorial4", rate: ["--end", "1"], events: 27...33),
    ]

    @Test(arguments: cases)
    func wholePipeline(_ c: Case) throws {
        let base = Run.shared.appendingPathComponent("eventgen").path
        let cwd = FileManager.default.temporaryDirectory.appendingPathComponent("eg-conf-\(getpid())-\(UUID().uuidString)")
        // eventgen resolves replacement files from the working directory (tests/sample_eventgen_conf/...).
        try FileManager.default.createDirectory(at: cwd.appendingPathComponent("tests"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: cwd) }
        try FileManager.default.createSymbolicLink(atPath: cwd.appendingPathComponent("tests/sample_eventgen_conf").path,
                                                   withDestinationPath: base + "/example-confs")
        let sampleDir = c.conf.hasPrefix("tutorials/") ? "--sample-dir '\(base)/samples' " : ""
        let rate = c.rate.map { "'\($0)'" }.joined(separator: " ")
        let line = "cd '\(cwd.path)' && eg-sample \(sampleDir)'\(base)/\(c.conf)' | eg-rate --now \(Self.now) --seed 1 \(rate) "
            + "| eg-tokenize --seed 1 | eg-ship --output devnull"
        let r = try Run.sh(line, environment: ["TZ": "UTC", "SPLUNK_HOME": base])
        if let text = c.stderr { #expect(r.stderr.contains(text), "\(c.conf): \(r.stderr)") }
        let summary = try #require(r.stderr.split(separator: "\n").last { $0.hasPrefix("eg-ship: summary:") }, "\(c.conf): \(r.stderr)")
        let events = Self.field("events", summary) ?? 0
        #expect(c.events.contains(events), "\(c.conf): \(events) events; \(r.stderr)")
        if let bytes = c.bytes { #expect(bytes.contains(Self.field("bytes", summary) ?? -1), "\(c.conf): \(summary)") }
        if c.events == 0...0 && c.stderr != nil {
            #expect(summary.hasSuffix("no events"), "\(c.conf): \(summary)")
        }
    }

    /// `name=N` from an eg-ship summary line.
    static func field(_ name: String, _ line: Substring) -> Int? {
        guard let r = line.range(of: " \(name)=") else { return nil }
        return Int(line[r.upperBound...].prefix { $0.isNumber })
    }

    /// Every conf under the shared folders is in the table.
    @Test func tableCoversEveryConf() throws {
        let base = Run.shared.appendingPathComponent("eventgen").path
        var found: [String] = []
        for top in ["tutorials", "example-confs"] {
            let e = FileManager.default.enumerator(atPath: base + "/" + top)
            while let p = e?.nextObject() as? String {
                let name = (p as NSString).lastPathComponent
                if name.hasPrefix("eventgen") && name.contains(".conf") { found.append(top + "/" + p) }
            }
        }
        #expect(Set(found) == Set(Self.cases.map(\.conf)))
        #expect(found.count == Self.cases.count)
    }
}
