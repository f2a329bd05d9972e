import EgTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Live mode makes eventgen's number of events per interval (issue 19: eg once made about 8
/// times fewer than eventgen over the same wall time): one generation at start and one each
/// `interval` after it, each of the stanza's count (`count = -1`: the whole sample). A real
/// pipeline runs for a few seconds at `interval = 1`; the count is checked against the intervals
/// elapsed since the first event arrived, within one interval either way (a loaded machine may
/// deliver the first events late).
@Suite struct LiveRateTests {
    @Test func liveRunMakesCountEventsPerIntervalElapsed() throws {
        let conf = EventgenLargeRulesTests.fixtures.appendingPathComponent("conf/live_rate.conf").path
        let p = try ProcessGroupPipeline([["eg-sample", conf], ["eg-rate", "--seed", "5"], ["eg-tokenize", "--seed", "5"],
                                          ["eg-ship", "--output", "stdout", "--format", "json"]])
        // The first interval's events come out at once: its arrival marks the first tick.
        let until = Date().addingTimeInterval(20)
        while p.output.isEmpty && Date() < until { usleep(20_000) }
        let first = try #require(p.output.first?.arrived, "no live event within 20 s")
        usleep(3_500_000)
        let stop = Date()
        p.signalGroup(SIGINT)
        let ends = p.wait()
        for (k, e) in ends.enumerated() { #expect(e.status == 0, "stage \(k): \(e.stderr)") }
        // One interval at the first tick, then one more each second (eg releases each event at its
        // time inside the interval, so a run stopped mid-interval holds part of the next one).
        let intervals = stop.timeIntervalSince(first) + 1
        let lines = p.output.map(\.line)
        for (sample, perInterval) in [("app1.log", 20.0), ("app2.log", 12.0)] {
            let n = Double(lines.filter { $0.contains("\"sample\":\"\(sample)\"") }.count)
            #expect(abs(n - perInterval * intervals) <= perInterval,
                    "\(sample): \(Int(n)) events in \(intervals) intervals of \(Int(perInterval))")
        }
    }
}
