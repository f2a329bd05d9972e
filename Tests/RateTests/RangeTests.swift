import Testing
import Core
@testable import eg_rate

/// Issue 12: every numeric setting eg-rate reads has a checked range. Each case below trapped
/// (SIGILL), looped for ever or allocated without limit before; now each is exit 2 with
/// `eg-rate: <where>: [stanza] key = value: ...`.
@Suite struct RangeTests {
    /// Runs one sample with `settings` through eg-rate in batch mode.
    func run(_ settings: [(String, String)], _ extra: [String] = []) throws -> Run.Result {
        try Run.tool(["--now", "2024-06-01T00:00:00Z", "--end", "1"] + extra,
                     input: Run.stream("s.log", settings, ["one", "two"]))
    }

    @Test(arguments: [
        ("count", "9223372036854775807", "expected an integer from -1 to 10000000"),
        ("count", "5000000000000000000", "expected an integer from -1 to 10000000"),
        ("count", "-2", "expected an integer from -1 to 10000000"),
        ("interval", "10000000000000000", "expected an integer from -1 to 315576000"),
        ("delay", "1e16", "expected a number from 0 to 315576000"),
        ("delay", "inf", "expected a number from 0 to 315576000"),
        ("delay", "-1", "expected a number from 0 to 315576000"),
        ("earliest", "-999999999d", "offsets of more than 10000 years are out of range"),
        ("latest", "+99999999h", "offsets of more than 10000 years are out of range"),
        ("backfill", "-999999999d", "offsets of more than 10000 years are out of range"),
        ("timeMultiple", "1e300", "expected a number from 1e-06 to 1000000"),
        ("timeMultiple", "nan", "expected a number from 1e-06 to 1000000"),
        ("perDayVolume", "1e20", "expected a number from 1e-09 to 1000000"),
        ("randomizeCount", "nan", "expected a number from 0 to 2"),
        ("hourOfDayRate", "{\"0\":1e300}", "factors from 0 to 1000000"),
        ("minuteOfHourRate", "{\"5\":-1}", "factors from 0 to 1000000"),
    ])
    func outOfRangeIsExitTwo(key: String, value: String, message: String) throws {
        let r = try run([(key, value)])
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("eg-rate: [s.log] \(key) = \(value): "), "\(r.stderr)")
        #expect(r.stderr.contains(message), "\(r.stderr)")
        #expect(!r.stderr.contains("Fatal error"))
    }

    @Test func countTimesRateAboveTheIntervalLimit() throws {
        let r = try run([("count", "10000000"), ("hourOfDayRate", "{\"0\": 2}")])
        #expect(r.status == 2)
        #expect(r.stderr.contains("[s.log] count = 10000000: 10000000 events per interval times the largest rate factor 2 is 20000000; eg-rate generates at most 10000000 events in one interval"), "\(r.stderr)")
    }

    @Test func perDayVolumeAboveTheIntervalLimit() throws {
        let r = try run([("perDayVolume", "1000")])
        #expect(r.status == 2)
        #expect(r.stderr.contains("[s.log] perDayVolume = 1000: up to "), "\(r.stderr)")
        #expect(r.stderr.contains("events of 4 bytes per interval"), "\(r.stderr)")
    }

    @Test func anomalyFactorAndDurationAreBounded() throws {
        let f = try run([("anomaly.1.type", "spike"), ("anomaly.1.factor", "1e300")])
        #expect(f.status == 2 && f.stderr.contains("factor: expected a number from 0 to 10000, found '1e300'"), "\(f.stderr)")
        let d = try run([("anomaly.1.type", "spike"), ("anomaly.1.duration", "99999999999d")])
        #expect(d.status == 2 && d.stderr.contains("duration: expected a duration"), "\(d.stderr)")
    }

    @Test func flagValuesAreCheckedLikeSettings() throws {
        let r = try run([], ["--count", "99999999999"])
        #expect(r.status == 2 && r.stderr.contains("count = 99999999999: expected an integer from -1 to 10000000"), "\(r.stderr)")
        let b = try run([], ["--backfill", "-999999999d"])
        #expect(b.status == 2 && b.stderr.contains("offsets of more than 10000 years"), "\(b.stderr)")
    }

    @Test func errorsPointAtTheConfLineTheStanzaRecordCarries() throws {
        let stanza = #"{"_kind":"stanza","sample":"s.log","stanza":"s","settings":{"delay":"1e16"},"sources":{"delay":"/x/eventgen.conf:7"}}"#
        let r = try Run.tool(["--end", "1"], input: stanza + "\n" + #"{"_raw":"a","sample":"s.log"}"# + "\n")
        #expect(r.status == 2)
        #expect(r.stderr == "eg-rate: /x/eventgen.conf:7: [s] delay = 1e16: expected a number from 0 to 315576000\n")
    }

    @Test func backfillZeroMeansNow() throws {
        // backfill = 0 is now, not the epoch (which would be 28 million intervals of history).
        let r = try Run.tool(["--now", "2024-06-01T00:00:00Z", "--end", "3"],
                             input: Run.stream("s.log", [("backfill", "0"), ("interval", "60"), ("count", "1")], ["one"]))
        #expect(r.status == 0, "\(r.stderr)")
        let times = r.lines.compactMap { Run.record($0) }.filter { !$0.isStanza }.compactMap(\.time)
        #expect(times.count >= 1 && times.count <= 3)
        #expect(times.allSatisfy { $0.seconds >= 1_717_200_000 - 60 })
    }

    @Test func largeLegalValuesRunWithoutTrapping() throws {
        // A ten-year interval for 100000 intervals ends at the year 9999 instead of overflowing.
        let r = try Run.tool(["--now", "2024-06-01T00:00:00Z"],
                             input: Run.stream("s.log", [("interval", "315576000"), ("end", "100000"), ("count", "1")], ["x"]))
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.lines.count > 100 && r.lines.count < 1000)
        let e = try Run.tool(["--now", "2024-06-01T00:00:00Z", "--end", "99999999999999999"],
                             input: Run.stream("s.log", [("interval", "315576000"), ("count", "1")], ["x"]))
        #expect(e.status == 0, "\(e.stderr)")
    }
}
