import Testing
import Core
@testable import eg_rate

/// Replay: original gaps × timeMultiple, each event its own gap, passes, backfill, unparsable events.
@Suite struct ReplayTests {
    let settings: [(String, String)] = [
        ("mode", "replay"), ("timeMultiple", "2"), ("interval", "10"),
        ("token.0.token", #"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}"#), ("token.0.replacementType", "timestamp"),
        ("token.0.replacement", "%Y-%m-%d %H:%M:%S"),
    ]
    let raws = ["2023-05-01 12:00:00 start", "2023-05-01 12:00:05 five", "2023-05-01 12:00:07 seven",
                "no time here", "2023-05-01 12:00:20 twenty"]

    @Test func gapsAreTheOriginalsTimesMultipleMeasuredWithAFakeClock() throws {
        let start = EventTime(seconds: 1_705_312_800)
        let clock = FakeClock(start: start)
        let g = try Run.engine(["--now", "2024-01-15T10:00:00Z", "--end", "2"], input: Run.stream("r.log", settings, raws),
                               clock: clock)
        // --end makes the real tool batch; the fake clock keeps this run live.
        let at = g.units.map { $0.at!.micros - start.micros }
        // Gaps 5, 2, 13 seconds × 2; then the 10 s pause and the second pass.
        #expect(at == [0, 10, 14, 40, 50, 60, 64, 90].map { Int64($0) * 1_000_000 })
        #expect(g.units.map { $0.unit.time - start.micros } == at)
        #expect(clock.wakeUps.map { $0.micros - start.micros } == [10, 14, 40, 50, 60, 64, 90].map { Int64($0) * 1_000_000 })
        let t = try #require(g.samples[0].timeline)
        #expect(t.unparsed == 1)
        #expect(t.firstUnparsed?.hasSuffix(": no time here") == true)
    }

    @Test func formatListEpochAndMissingYear() throws {
        let s: [(String, String)] = [
            ("mode", "replay"), ("interval", "0"),
            ("token.0.token", #"(\w{3} \d{2} \d{2}:\d{2}:\d{2}|\d{10})"#), ("token.0.replacementType", "replaytimestamp"),
            ("token.0.replacement", #"["%b %d %H:%M:%S", "%s"]"#),
        ]
        let g = try Run.engine(["--now", "2024-03-01T00:00:00Z", "--timezone", "UTC", "--end", "1"],
                               input: Run.stream("r.log", s, ["Jan 05 10:00:00 a", "Jan 05 10:00:30 b", "at 1704448845 c"]))
        let t = try #require(g.samples[0].timeline)
        #expect(t.unparsed == 0)
        #expect(t.offsets == [0, 30_000_000, 45_000_000])  // 2024-01-05 10:00:45 UTC = 1704448845
    }

    @Test func endTimeBackfillAndPasses() throws {
        let now = EventTime(seconds: 1_705_312_800)
        // Pass length 2 × 20 s = 40 s, plus 10 s pause: a pass every 50 s.
        let g = try Run.engine(["--now", "2024-01-15T10:00:00Z", "--backfill", "-100s", "--end", "+60s"],
                               input: Run.stream("r.log", settings, raws))
        let rel = g.units.map { ($0.unit.time - now.micros) / 1_000_000 }
        #expect(rel == [-100, -90, -86, -60, -50, -40, -36, -10, 0, 10, 14, 40, 50])
        // The unparsable event is reported by the real tool on stderr.
        let r = try Run.tool(["--now", "2024-01-15T10:00:00Z", "--end", "1"], input: Run.stream("r.log", settings, raws))
        #expect(r.status == 0)
        #expect(r.stderr.contains("1 of 5 events have no time"))
        #expect(r.stderr.contains("stdin:5: no time here"))
        #expect(r.lines.count == 5)
    }

    @Test func replayWithoutTimestampTokenIsAConfigError() throws {
        let r = try Run.tool(["--end", "1"], input: Run.stream("r.log", [("mode", "replay")], ["x"]))
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("eg-rate: stanza [r.log]: mode = replay needs a timestamp"))
    }
}
