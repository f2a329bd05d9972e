import Testing
import Core
@testable import eg_rate

/// Counts per interval: count, -1, 0, each rate table, randomizeCount, picking, bundles, indexes.
@Suite struct CountTests {
    let now = "2024-01-15T10:30:00Z"  // a Monday, 10:30 UTC
    let pool = ["alpha one", "beta two", "gamma three"]

    func counts(_ settings: [(String, String)], _ args: [String] = ["--end", "3"], zone: [String] = ["--timezone", "UTC"]) throws -> [Int] {
        let g = try Run.engine(["--now", now, "--seed", "1"] + zone + args,
                               input: Run.stream("s.log", settings, pool))
        return g.batches.map(\.generated)
    }

    @Test func countNMinusOneAndZero() throws {
        #expect(try counts([("count", "5")]) == [5, 5, 5])
        #expect(try counts([("count", "-1")]) == [3, 3, 3])
        #expect(try counts([]) == [3, 3, 3])  // -1 is the default
        #expect(try counts([("count", "0")]) == [0, 0, 0])
        #expect(try counts([("count", "4")], ["--end", "2", "--count", "7"]) == [7, 7])
    }

    @Test func inOrderPickingRestartsEachIntervalAndWraps() throws {
        let g = try Run.engine(["--now", now, "--end", "2", "--seed", "3"],
                               input: Run.stream("s.log", [("count", "5")], pool))
        let raws = g.records.filter { !$0.isStanza }.map { $0.raw ?? "" }
        let one = ["alpha one", "beta two", "gamma three", "alpha one", "beta two"]
        #expect(raws == one + one)
        // Default window: every event of an interval at the interval's time.
        let times = g.records.filter { !$0.isStanza }.compactMap { $0.time }
        #expect(Set(times.prefix(5)).count == 1)
        #expect(times[5].micros - times[0].micros == 60_000_000)
    }

    @Test func everyRateTableAtTheIntervalTime() throws {
        // Monday 2024-01-15 10:30 UTC.
        #expect(try counts([("count", "10"), ("hourOfDayRate", #"{"10": 2.0, "11": 5}"#)]) == [20, 20, 20])
        #expect(try counts([("count", "10"), ("dayOfWeekRate", #"{"0": 3, "1": 0.5}"#)]) == [5, 5, 5])
        #expect(try counts([("count", "10"), ("minuteOfHourRate", #"{"30": 3, "31": 1, "32": 0}"#)]) == [30, 10, 0])
        #expect(try counts([("count", "10"), ("dayOfMonthRate", #"{"15": 1.5}"#)]) == [15, 15, 15])
        #expect(try counts([("count", "10"), ("monthOfYearRate", #"{"1": 0.2, "2": 9}"#)]) == [2, 2, 2])
        // All five multiply, then round once: 10 × 2 × 0.5 × 3 × 1.5 × 0.2 = 9.
        #expect(try counts([("count", "10"), ("hourOfDayRate", #"{"10": 2}"#), ("dayOfWeekRate", #"{"1": 0.5}"#),
                            ("minuteOfHourRate", #"{"30": 3}"#), ("dayOfMonthRate", #"{"15": 1.5}"#),
                            ("monthOfYearRate", #"{"1": 0.2}"#)], ["--end", "1"]) == [9])
        // Hourly intervals move through the table: rated by each interval's own time.
        #expect(try counts([("count", "10"), ("interval", "3600"), ("hourOfDayRate", #"{"10": 1, "11": 2, "12": 3}"#)])
                == [10, 20, 30])
        // The stanza's timezone decides the hour: 10:30 UTC is 05:30 at -0500; --timezone overrides it.
        #expect(try counts([("count", "10"), ("timezone", "-0500"), ("hourOfDayRate", #"{"5": 4, "10": 1}"#)],
                           ["--end", "1"], zone: []) == [40])
        #expect(try counts([("count", "10"), ("timezone", "-0500"), ("hourOfDayRate", #"{"5": 4, "10": 3}"#)],
                           ["--end", "1"]) == [30])
        // -1 is rated too.
        #expect(try counts([("hourOfDayRate", #"{"10": 2}"#)], ["--end", "1"]) == [6])
    }

    @Test func randomizeCountStaysInsideAndSpreads() throws {
        let c = try counts([("count", "1000"), ("randomizeCount", "0.2")], ["--end", "400"])
        #expect(c.count == 400)
        #expect(c.allSatisfy { (900...1100).contains($0) })
        #expect(c.min()! < 915 && c.max()! > 1085)
        #expect(Set(c).count > 120)
        // Rated count 2000 (hour rate 2) → [1800, 2200].
        let r = try counts([("count", "1000"), ("randomizeCount", "0.2"), ("hourOfDayRate", #"{"10": 2}"#)], ["--end", "200", "--interval", "1"])
        #expect(r.allSatisfy { (1800...2200).contains($0) } && r.min()! < 1850 && r.max()! > 2150)
    }

    @Test func randomizeEventsPicksWithReplacement() throws {
        let g = try Run.engine(["--now", now, "--end", "20", "--seed", "5"],
                               input: Run.stream("s.log", [("count", "6"), ("randomizeEvents", "true")], pool))
        let raws = g.records.filter { !$0.isStanza }.map { $0.raw ?? "" }
        #expect(raws.count == 120)
        #expect(Set(raws) == Set(pool))
        let firstInterval = Array(raws.prefix(6))
        #expect(firstInterval.count == 6)  // 6 picks from 3 events: repeats are certain
    }

    @Test func earliestLatestWindowAndSequential() throws {
        let g = try Run.engine(["--now", now, "--end", "5", "--seed", "5"],
                               input: Run.stream("s.log", [("count", "50"), ("earliest", "-15s"), ("latest", "+15s")], pool))
        let base = EventTime(seconds: 1_705_314_600)
        for (k, b) in g.batches.enumerated() {
            let tick = base + Int64(k) * 60_000_000
            #expect(b.tick == tick)
            #expect(b.units.allSatisfy { $0.time >= tick.micros - 15_000_000 && $0.time <= tick.micros + 15_000_000 })
            #expect(zip(b.units, b.units.dropFirst()).allSatisfy { $0.time <= $1.time })
        }
        #expect(g.units.contains { $0.unit.time % 1_000_000 != 0 })  // microseconds kept
        let s = try Run.engine(["--now", now, "--end", "1"],
                               input: Run.stream("s.log", [("count", "4"), ("earliest", "-60s"), ("sequentialTimestamp", "true")], pool))
        #expect(s.units.map { $0.unit.time - (base.micros - 60_000_000) } == [0, 15_000_000, 30_000_000, 45_000_000])
    }

    @Test func bundlesCountCopiesWithSharedTimeAndIds() throws {
        let g = try Run.engine(["--now", now, "--end", "2", "--seed", "2"],
                               input: Run.stream("s.log", [("count", "2"), ("bundlelines", "true"), ("earliest", "-60s")], pool))
        #expect(g.batches.map(\.generated) == [2, 2])
        let events = g.records.filter { !$0.isStanza }
        #expect(events.count == 12)
        var byBundle: [String: [Record]] = [:]
        for e in events { byBundle[e.string("_bundle") ?? "?", default: []].append(e) }
        #expect(byBundle.keys.sorted() == ["0", "1", "2", "3"])
        for (_, copy) in byBundle {
            #expect(copy.map { $0.raw ?? "" } == pool)
            #expect(Set(copy.map { $0.string("_time") ?? "" }).count == 1)
        }
    }

    @Test func extendIndexesChoosesPerEvent() throws {
        let g = try Run.engine(["--now", now, "--end", "10", "--seed", "2"],
                               input: Run.stream("s.log", [("count", "10"), ("extendIndexes", "test_:3, main")], pool))
        let idx = g.records.filter { !$0.isStanza }.map { $0.string("index") ?? "" }
        #expect(Set(idx) == ["test_0", "test_1", "test_2", "main"])
        let first = Array(idx.prefix(10))
        #expect(Set(first).count > 1)  // per event, not per interval
    }

    @Test func eventsCarryPoolFieldsAndNumericTime() throws {
        let input = Run.stanza("c.csv", [("count", "1")]) + "\n"
            + #"{"_raw":"x \"q\"","sample":"c.csv","_time":"2020-01-01 00:00:00","extra":"keep"}"# + "\n"
        let g = try Run.engine(["--now", "1700000000.5", "--end", "1"], input: input)
        let lines = g.output.split(separator: "\n")
        #expect(lines == [#"{"_raw":"x \"q\"","sample":"c.csv","extra":"keep","_time":1700000000.5,"_seq":0}"#])
    }
}
