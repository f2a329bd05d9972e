import Testing
import Core
@testable import eg_rate

/// Zero and empty times mean what a user means (now), consistently with `end = 0` (issue 11).
@Suite struct ZeroTimeTests {
    let pool = ["one", "two"]
    let now = EventTime(seconds: 1_705_312_800)   // 2024-01-15T10:00:00Z

    func plan(_ settings: [(String, String)]) throws -> SamplePlan {
        try SamplePlan(name: "s.log", index: 0, settings: Settings(settings, stanza: "s.log"), now: now, seed: 1)
    }

    @Test func backfillZeroIsNoHistory() throws {
        let args = ["--now", "2024-01-15T10:00:00Z", "--end", "2", "--seed", "1"]
        let input = Run.stream("s.log", [("count", "3"), ("interval", "60")], pool)
        let plain = try Run.engine(args, input: input)
        for zero in ["0", "+0", "0.0", "now"] {
            let g = try Run.engine(args + ["--backfill", zero], input: input)
            #expect(g.batches.map(\.tick) == plain.batches.map(\.tick), "--backfill \(zero)")
            #expect(g.output == plain.output, "--backfill \(zero)")
        }
        #expect(plain.batches.map(\.tick) == [now, now + 60_000_000])
        for zero in ["0", " ", "", "now"] {
            #expect(try plan([("backfill", zero)]).backfill == nil, "backfill = '\(zero)'")
        }
    }

    @Test func earliestAndLatestZeroOrEmptyAreTheIntervalsTime() throws {
        let g = try Run.engine(["--now", "2024-01-15T10:00:00Z", "--end", "2"],
                               input: Run.stream("s.log", [("count", "4"), ("interval", "60"), ("earliest", "0"), ("latest", "")], pool))
        #expect(g.records.filter { !$0.isStanza }.count == 8)
        for r in g.records where !r.isStanza {
            let t = try #require(r.time)
            #expect(t == now || t == now + 60_000_000, "\(t.micros)")
        }
    }

    @Test func endZeroNowAndEmpty() throws {
        #expect(try plan([("end", "0")]).end == .intervals(0))
        #expect(try plan([("end", "now")]).end == .time(now))
        #expect(try plan([("end", "")]).end == .forever)
        #expect(try plan([("end", "-1")]).end == .forever)
        // end = now, or a zero time, stops now: with a backfill, the history only.
        let input = Run.stream("s.log", [("count", "1"), ("interval", "600"), ("backfill", "-1h")], pool)
        let atNow = try Run.engine(["--now", "2024-01-15T10:00:00Z", "--end", "now", "--seed", "2"], input: input)
        let zeroTime = try Run.engine(["--now", "2024-01-15T10:00:00Z", "--end", "0.0", "--seed", "2"], input: input)
        #expect(atNow.batches.count == 6)
        #expect(zeroTime.output == atNow.output)
    }
}
