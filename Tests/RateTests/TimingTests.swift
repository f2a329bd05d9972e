import Testing
import Core
@testable import eg_rate

/// Backfill, end, batch merging and live pacing.
@Suite struct TimingTests {
    let pool = ["one", "two"]

    @Test func sevenDayBackfillFollowsHourAndDayRates() throws {
        var hours: [String] = []
        for h in 0..<24 { hours.append("\"\(h)\": \(Double(h % 6 + 1) * 0.5)") }
        let hourRate = "{" + hours.joined(separator: ", ") + "}"
        let dayRate = #"{"0": 0.2, "1": 1.0, "2": 1.1, "3": 1.2, "4": 1.3, "5": 0.9, "6": 0.4}"#
        let settings = [("count", "40"), ("interval", "900"), ("hourOfDayRate", hourRate), ("dayOfWeekRate", dayRate)]
        // now = Sunday 2024-01-21 00:00 UTC; -7d is the Sunday before.
        let g = try Run.engine(["--now", "2024-01-21T00:00:00Z", "--timezone", "UTC", "--backfill", "-7d", "--end", "now", "--seed", "4"],
                               input: Run.stream("s.log", settings, pool))
        let start = EventTime(seconds: 1_705_190_400)  // 2024-01-14T00:00:00Z, a Sunday
        var perHour = [Int](repeating: 0, count: 168)
        for r in g.records {
            let t = try #require(r.time)
            let h = Int((t.micros - start.micros) / 3_600_000_000)
            try #require((0..<168).contains(h))
            perHour[h] += 1
        }
        let hr = (0..<24).map { Double($0 % 6 + 1) * 0.5 }
        let dr = [0.2, 1.0, 1.1, 1.2, 1.3, 0.9, 0.4]
        for h in 0..<168 {
            let perInterval = Rater.count(40, factor: hr[h % 24] * dr[h / 24])
            #expect(perHour[h] == 4 * perInterval, "hour \(h)")
        }
        // The curve is really there: Sunday 05:00 vs Thursday 05:00.
        #expect(perHour[5] < perHour[4 * 24 + 5])
    }

    @Test func backfillWithSnapAndLiveAfter() throws {
        // @h snap: from 09:00 to now 10:30, 6 slices of 15 minutes, then 2 forward intervals: as in
        // eventgen, the backfill is the first of end's 3 executions.
        let g = try Run.engine(["--now", "2024-01-15T10:30:00Z", "--timezone", "UTC", "--backfill", "-1h@h", "--end", "3"],
                               input: Run.stream("s.log", [("count", "1"), ("interval", "900")], pool))
        #expect(g.batches.map { EventTime.formatRFC3339($0.tick) } == [
            "2024-01-15T09:00:00Z", "2024-01-15T09:15:00Z", "2024-01-15T09:30:00Z", "2024-01-15T09:45:00Z",
            "2024-01-15T10:00:00Z", "2024-01-15T10:15:00Z", "2024-01-15T10:30:00Z", "2024-01-15T10:45:00Z",
        ])
    }

    @Test func endAsIntervalsAndAsTime() throws {
        let input = Run.stream("s.log", [("count", "2")], pool)
        let byCount = try Run.engine(["--now", "2024-01-15T10:00:00Z", "--end", "4"], input: input)
        #expect(byCount.batches.count == 4)
        #expect(byCount.records.count == 8)
        let byTime = try Run.engine(["--now", "2024-01-15T10:00:00Z", "--end", "+5m"], input: input)
        #expect(byTime.batches.count == 5)
        let absolute = try Run.engine(["--now", "2024-01-15T10:00:00Z", "--end", "2024-01-15T10:02:30Z"], input: input)
        #expect(absolute.batches.count == 3)
        let setting = try Run.engine(["--now", "2024-01-15T10:00:00Z"], input: Run.stream("s.log", [("count", "2"), ("end", "3")], pool))
        #expect(setting.batches.count == 3)
        let zero = try Run.engine(["--now", "2024-01-15T10:00:00Z", "--end", "0"], input: input)
        #expect(zero.records.isEmpty)
        // --start TIME --end TIME: a span of history, aligned to the start.
        let span = try Run.engine(["--now", "2024-01-15T10:00:00Z", "--start", "2024-01-01T00:00:00Z", "--end", "2024-01-01T01:00:00Z"],
                                  input: input)
        #expect(span.batches.count == 60)
        #expect(EventTime.formatRFC3339(span.batches[0].tick) == "2024-01-01T00:00:00Z")
    }

    @Test func samplesMergeInTimeOrder() throws {
        let input = [Run.stanza("a.log", [("count", "7"), ("earliest", "-60s"), ("interval", "60")])]
            + Run.pool("a.log", ["a1", "a2"])
            + [Run.stanza("b.log", [("count", "3"), ("earliest", "-5m"), ("latest", "+30s"), ("interval", "20")])]
            + Run.pool("b.log", ["b1"])
        let g = try Run.engine(["--now", "2024-01-15T10:00:00Z", "--end", "+1h", "--seed", "8"], input: input.joined(separator: "\n") + "\n")
        let times = g.records.compactMap { $0.time }
        #expect(times.count == 60 * 7 + 180 * 3)
        #expect(zip(times, times.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(Set(g.records.compactMap { $0.sample }) == ["a.log", "b.log"])
    }

    @Test func liveModeReleasesEachEventAtItsOwnTime() throws {
        let base: Int64 = 1_705_312_800_000_000
        let clock = FakeClock(start: EventTime(micros: base))
        let input = Run.stream("s.log", [("count", "20"), ("earliest", "-60s"), ("end", "3")], pool)
        let g = try Run.engine(["--now", "2024-01-15T10:00:00Z", "--seed", "1"], input: input, clock: clock).units
        #expect(g.count == 60)
        // The first interval's window is already past at start; later ones are released at their own times.
        for u in g { #expect(u.at!.micros == max(u.unit.time, base)) }
        #expect(Set(g.map { $0.at!.micros }).count > 35)  // smooth: not one burst per interval
        #expect(clock.wakeUps.count > 35)
    }

    @Test func burstReleasesAtTheTick() throws {
        let clock = FakeClock(start: EventTime(seconds: 1_705_312_800))
        let input = Run.stream("s.log", [("count", "20"), ("earliest", "-60s"), ("end", "3")], pool)
        let g = try Run.engine(["--now", "2024-01-15T10:00:00Z", "--burst", "--seed", "1"], input: input, clock: clock).units
        #expect(g.count == 60)
        let base: Int64 = 1_705_312_800_000_000
        #expect(Set(g.map { $0.at!.micros }) == [base, base + 60_000_000, base + 120_000_000])
    }
}
