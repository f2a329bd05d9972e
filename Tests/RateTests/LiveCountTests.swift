import Testing
import Core
@testable import eg_rate

/// Events per interval in live mode, as eventgen's timer makes them (issue 19): one generation
/// of `count` x rate events every `interval` seconds from the first tick at start, measured with
/// a fake clock that records when each event is released.
@Suite struct LiveCountTests {
    let pool = (0..<12).map { "2020-01-01 00:00:00 line \($0)" }

    /// Events released in each `seconds`-long window from `start`, by the clock time of release;
    /// `endingAtTicks`: windows (t - seconds, t] that end at each tick (an interval's events are
    /// stamped in the window before its tick, and released at their times, at most at the tick).
    func perWindow(_ g: Run.Generated, start: EventTime, seconds: Int64, windows: Int, endingAtTicks: Bool = false) -> [Int] {
        var out = [Int](repeating: 0, count: windows)
        let w = seconds * 1_000_000
        for u in g.units {
            let d = u.at!.micros - start.micros
            let k = Int(endingAtTicks ? (d + w - 1) / w : d / w)
            if k >= 0 && k < windows { out[k] += 1 }
        }
        return out
    }

    /// eventgen's tests/large `eventgen_sample_interval.conf` rule: 12 events, interval 10: 36 in 30 s.
    @Test func sampleModeMakesCountEventsEveryInterval() throws {
        let start = EventTime(seconds: 1_705_312_800)
        let g = try Run.engine(["--now", "2024-01-15T10:00:00Z", "--end", "3"],
                               input: Run.stream("s.log", [("interval", "10"), ("count", "-1"), ("earliest", "-10s")], pool),
                               clock: FakeClock(start: start))
        #expect(perWindow(g, start: start, seconds: 10, windows: 3, endingAtTicks: true) == [12, 12, 12])
        #expect(g.units.count == 36)
    }

    /// The tutorial's cisco stanza: count 20 every 15 s, rated by hour and day, randomizeCount 0.2
    /// (±10 %): every 15-second window of a live hour holds one interval's rated count.
    @Test func ratedCountPerIntervalOverALiveHour() throws {
        let start = EventTime(seconds: 1_705_312_800)   // Monday 2024-01-15 10:00 UTC
        let settings: [(String, String)] = [
            ("interval", "15"), ("count", "20"), ("earliest", "-15s"), ("latest", "now"), ("randomizeCount", "0.2"),
            ("randomizeEvents", "true"), ("hourOfDayRate", #"{"10": 0.4}"#), ("dayOfWeekRate", #"{"1": 0.7}"#),
        ]
        let g = try Run.engine(["--now", "2024-01-15T10:00:00Z", "--timezone", "UTC", "--end", "240", "--seed", "3"],
                               input: Run.stream("cisco.log", settings, pool), clock: FakeClock(start: start))
        let windows = perWindow(g, start: start, seconds: 15, windows: 240, endingAtTicks: true)
        // 20 x 0.4 x 0.7 = 5.6, times [0.9, 1.1]: 5 or 6 events each interval, about 5.6 on average.
        #expect(windows.allSatisfy { (5...6).contains($0) }, "\(windows)")
        let mean = Double(windows.reduce(0, +)) / 240
        #expect(abs(mean - 5.6) < 0.3, "mean \(mean)")
        #expect(g.batches.count == 240)
    }

    /// Replay: a whole pass of the sample per pass, spread over its span x timeMultiple, then the
    /// interval's pause (eventgen's tests/large tutorial1 rule: end = 1 replays all 2019 rows once).
    @Test func replayMakesOnePassPerSpanPlusInterval() throws {
        let start = EventTime(seconds: 1_705_312_800)
        let raws = (0..<10).map { "2023-05-01 12:00:\(String(format: "%02d", $0 * 4)) event \($0)" }   // a 36 s span
        let settings: [(String, String)] = [
            ("mode", "replay"), ("timeMultiple", "0.5"), ("interval", "2"),
            ("token.0.token", #"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}"#), ("token.0.replacementType", "timestamp"),
            ("token.0.replacement", "%Y-%m-%d %H:%M:%S"),
        ]
        let g = try Run.engine(["--now", "2024-01-15T10:00:00Z", "--end", "3"], input: Run.stream("r.log", settings, raws),
                               clock: FakeClock(start: start))
        // Each pass lasts 36 x 0.5 = 18 s, then 2 s of pause: 10 events in every 20 s.
        #expect(perWindow(g, start: start, seconds: 20, windows: 3) == [10, 10, 10])
    }
}
