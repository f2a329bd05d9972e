import Core
import Foundation
import Testing
@testable import eg_rate

/// Eventum input plugins in eg-rate: cron against known fire times, timer, linspace, static,
/// timestamps, time_patterns counts per period, merging, tags, times, --count, --end, seeds,
/// live pacing, anomalies and --preview. The generator stanza records are written here.
@Suite struct GeneratorInputTests {
    /// A generator stanza record with these input plugin objects.
    static func stanza(_ inputs: [String], name: String = "gen") -> String {
        #"{"_kind":"stanza","sample":"\#(name)","stanza":"\#(name)","settings":{"timezone":"UTC"},"eventum":{"input":[\#(inputs.joined(separator: ","))],"event":{"plugin":"template","mode":"all","templates":[]},"output":[]}}"#
    }

    static func times(_ r: Run.Result) -> [Double] {
        r.lines.compactMap { Run.record($0) }.filter { !$0.isStanza }.compactMap { $0["_time"]?.doubleValue }
    }

    static func utc(_ s: String) -> EventTime { try! RelativeTime.parse(s).resolve(now: .now(), zone: .utc) }

    static func fires(_ expr: String, from: String, _ n: Int, zone: TimeZoneSetting = .utc) throws -> [String] {
        let cron = try CronExpression(expr, at: "test")
        var t = utc(from)
        var out: [String] = []
        let f = Strftime("%Y-%m-%d %H:%M:%S %a")
        for _ in 0..<n {
            guard let next = cron.next(atOrAfter: t, zone: zone) else { break }
            out.append(f.format(next, zone: zone))
            t = next + 1
        }
        return out
    }

    @Test func cronExpressionsFireAtKnownTimes() throws {
        #expect(try Self.fires("*/15 9-17 * * 1-5", from: "2025-06-07T00:00:00Z", 3)
                == ["2025-06-09 09:00:00 Mon", "2025-06-09 09:15:00 Mon", "2025-06-09 09:30:00 Mon"])
        #expect(try Self.fires("0 17 * * 1-5", from: "2025-06-06T17:00:01Z", 1) == ["2025-06-09 17:00:00 Mon"])
        #expect(try Self.fires("0 0 29 2 *", from: "2025-03-01T00:00:00Z", 2) == ["2028-02-29 00:00:00 Tue", "2032-02-29 00:00:00 Sun"])
        #expect(try Self.fires("30 8 * jan,JUL mon", from: "2025-06-01T00:00:00Z", 2) == ["2025-07-07 08:30:00 Mon", "2025-07-14 08:30:00 Mon"])
        #expect(try Self.fires("35 10 * * * 3", from: "2025-06-01T00:00:00Z", 2) == ["2025-06-01 10:35:03 Sun", "2025-06-02 10:35:03 Mon"])
        #expect(try Self.fires("0 0 1 1 * 0 2030", from: "2025-06-01T00:00:00Z", 2) == ["2030-01-01 00:00:00 Tue"])
        // Day and weekday both restricted: either fires (Friday or the 13th).
        #expect(try Self.fires("0 0 13 * fri", from: "2025-06-01T00:00:00Z", 3) == ["2025-06-06 00:00:00 Fri", "2025-06-13 00:00:00 Fri", "2025-06-20 00:00:00 Fri"])
        #expect(try Self.fires("0 0 12 * fri", from: "2025-06-07T00:00:00Z", 2) == ["2025-06-12 00:00:00 Thu", "2025-06-13 00:00:00 Fri"])
        #expect(try Self.fires("5/20 * * * *", from: "2025-06-01T00:00:00Z", 4) == ["2025-06-01 00:05:00 Sun", "2025-06-01 00:25:00 Sun", "2025-06-01 00:45:00 Sun", "2025-06-01 01:05:00 Sun"])
        #expect(try Self.fires("0 12 * * 7", from: "2025-06-02T00:00:00Z", 1) == ["2025-06-08 12:00:00 Sun"])
        #expect(try Self.fires("1,2 0 1 * * */20", from: "2025-06-01T00:00:00Z", 4) == ["2025-06-01 00:01:00 Sun", "2025-06-01 00:01:20 Sun", "2025-06-01 00:01:40 Sun", "2025-06-01 00:02:00 Sun"])
        #expect(try Self.fires("0 9 * * *", from: "2025-06-01T00:00:00Z", 1, zone: .fixed(offsetSeconds: 7200)) == ["2025-06-01 09:00:00 Sun"])
        #expect(try CronExpression("0 9 * * *", at: "t").next(atOrAfter: Self.utc("2025-06-01T00:00:00Z"), zone: .fixed(offsetSeconds: 7200))
                == Self.utc("2025-06-01T07:00:00Z"))
    }

    @Test(arguments: [("61 * * * *", "minute field \"61\": 61 is outside 0-59"), ("* * *", "has 3 fields"),
                      ("* * * foo *", "month field \"foo\""), ("*/0 * * * *", "a step must be"), ("5-1 * * * *", "runs backwards")])
    func badCronIsALocatedError(_ expr: String, _ message: String) throws {
        let r = try Run.tool(["--count", "1"], input: Self.stanza([#"{"plugin":"cron","_at":"g.yml:3:5","_keys":{"expression":"g.yml:4:7"},"expression":"\#(expr)","count":1}"#]))
        #expect(r.status == 2)
        #expect(r.stderr.contains("g.yml:4:7: cron expression \"\(expr)\""), "\(r.stderr)")
        #expect(r.stderr.contains(message), "\(r.stderr)")
    }

    @Test func cronCountPerFireAndExactCount() throws {
        // Six fields: the sixth is the second (croniter), so this fires every 10 seconds.
        let s = Self.stanza([#"{"plugin":"cron","expression":"* * * * * */10","count":3}"#])
        let r = try Run.tool(["--count", "31", "--now", "2025-06-01T00:00:05Z"], input: s)
        #expect(r.status == 0, "\(r.stderr)")
        let t = Self.times(r)
        #expect(t.count == 31)
        let base = Self.utc("2025-06-01T00:00:10Z").secondsDouble
        #expect(t.prefix(3).allSatisfy { $0 == base })
        #expect(t[3] == base + 10)
        #expect(t.last == base + 100)
        #expect(r.lines.first?.hasPrefix("{\"_kind\":\"stanza\"") == true)
    }

    @Test func timerLinspaceStaticTimestamps() throws {
        let timer = try Run.tool([], input: Self.stanza([#"{"plugin":"timer","seconds":2.5,"count":2,"repeat":3,"start":"2025-01-01T00:00:00"}"#]))
        let t0 = Self.utc("2025-01-01T00:00:00Z").secondsDouble
        #expect(Self.times(timer) == [2.5, 2.5, 5, 5, 7.5, 7.5].map { t0 + $0 }, "\(timer.stderr)")
        let lin = try Run.tool([], input: Self.stanza([#"{"plugin":"linspace","start":"2025-01-01T00:00:00","end":"+1m","count":4}"#]))
        #expect(Self.times(lin) == [0, 20, 40, 60].map { t0 + $0 })
        let lin2 = try Run.tool([], input: Self.stanza([#"{"plugin":"linspace","start":"2025-01-01T00:00:00","end":"+1m","count":4,"endpoint":false}"#]))
        #expect(Self.times(lin2) == [0, 15, 30, 45].map { t0 + $0 })
        let st = try Run.tool(["--now", "2025-01-01T00:00:00Z"], input: Self.stanza([#"{"plugin":"static","count":4}"#]))
        #expect(Self.times(st) == [t0, t0, t0, t0])
        let ts = try Run.tool([], input: Self.stanza([#"{"plugin":"timestamps","source":["2025-01-01T00:00:00","2025-01-01T00:00:01.5","2025-01-01T02:00:00+01:00"]}"#]))
        #expect(Self.times(ts) == [t0, t0 + 1.5, t0 + 3600], "\(ts.stderr)")
        let bad = try Run.tool([], input: Self.stanza([#"{"plugin":"timestamps","_keys":{"source":"g.yml:2:9"},"source":["2025-01-02","2025-01-01"]}"#]))
        #expect(bad.status == 2 && bad.stderr.contains("g.yml:2:9 item 2: timestamps must be in ascending order"), "\(bad.stderr)")
    }

    @Test func timestampsFromAFile() throws {
        let path = NSTemporaryDirectory() + "eg-ts-\(getpid()).txt"
        try "2025-01-01T00:00:00\n\n2025-01-01T00:00:02\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { unlink(path) }
        let r = try Run.tool([], input: Self.stanza([#"{"plugin":"timestamps","source":"\#(path)"}"#]))
        let t0 = Self.utc("2025-01-01T00:00:00Z").secondsDouble
        #expect(Self.times(r) == [t0, t0 + 2])
    }

    @Test func relativeAndKeywordTimes() throws {
        let s = Self.stanza([#"{"plugin":"cron","expression":"*/10 * * * *","count":1,"start":"-1h","end":"+30m"}"#])
        let r = try Run.tool(["--now", "2025-06-01T12:00:00Z"], input: s)
        let t = Self.times(r)
        #expect(t.first == Self.utc("2025-06-01T11:00:00Z").secondsDouble)
        #expect(t.last == Self.utc("2025-06-01T11:30:00Z").secondsDouble)
        #expect(t.count == 4)
        let tod = try Run.tool(["--now", "2025-06-01T12:00:00Z"], input: Self.stanza([#"{"plugin":"linspace","start":"08:00","end":"+2h","count":3}"#]))
        #expect(Self.times(tod) == [8, 9, 10].map { Self.utc("2025-06-01T00:00:00Z").secondsDouble + $0 * 3600 })
        let never = try Run.tool(["--now", "2025-06-01T12:00:00Z", "--count", "2"], input: Self.stanza([#"{"plugin":"cron","expression":"0 * * * *","count":1,"end":"never"}"#]))
        #expect(Self.times(never) == [12, 13].map { Self.utc("2025-06-01T00:00:00Z").secondsDouble + $0 * 3600 })
        let bad = try Run.tool(["--count", "1"], input: Self.stanza([#"{"plugin":"cron","_keys":{"start":"g.yml:5:7"},"expression":"* * * * *","count":1,"start":"next tuesday"}"#]))
        #expect(bad.status == 2 && bad.stderr.contains("g.yml:5:7: bad time \"next tuesday\""), "\(bad.stderr)")
    }

    @Test func inputsMergeInTimeOrderWithTheirTags() throws {
        let s = Self.stanza([#"{"plugin":"cron","expression":"* * * * * */10","count":1,"tags":["slow"]}"#,
                             #"{"plugin":"timer","seconds":3,"count":1,"tags":["fast","x"]}"#])
        let r = try Run.tool(["--now", "2025-06-01T00:00:00Z", "--count", "20"], input: s)
        let recs = r.lines.compactMap { Run.record($0) }.filter { !$0.isStanza }
        #expect(recs.count == 20)
        let t = recs.compactMap { $0["_time"]?.doubleValue }
        #expect(t == t.sorted())
        let t0 = Self.utc("2025-06-01T00:00:00Z").secondsDouble
        #expect(recs[0]["tags"] == .array([.string("slow")]) && t[0] == t0)
        #expect(recs[1]["tags"] == .array([.string("fast"), .string("x")]) && t[1] == t0 + 3)
        // At 30 s both fire: the earlier input comes first.
        let at30 = recs.filter { $0["_time"]?.doubleValue == t0 + 30 }
        #expect(at30.map { $0["tags"] } == [.array([.string("slow")]), .array([.string("fast"), .string("x")])])
        #expect(recs.filter { $0["tags"] == .array([.string("slow")]) }.count == 5)
    }

    static let pattern = #"{"plugin":"time_patterns","patterns":[{"label":"p","oscillator":{"period":1,"unit":"hours","start":"2025-06-01T00:00:00","end":"+1d"},"multiplier":{"ratio":100},"randomizer":{"deviation":0.2,"direction":"mixed"},"spreader":{"distribution":"DIST","parameters":PARAMS}}]}"#

    static func patternStanza(_ dist: String, _ params: String) -> String {
        stanza([pattern.replacingOccurrences(of: "DIST", with: dist).replacingOccurrences(of: "PARAMS", with: params)])
    }

    @Test(arguments: [("uniform", #"{"low":0.25,"high":0.5}"#, 0.25, 0.5), ("triangular", #"{"left":0.1,"mode":0.2,"right":0.6}"#, 0.1, 0.6),
                      ("beta", #"{"a":2,"b":5}"#, 0.0, 1.0)])
    func timePatternCountsPerPeriodStayWithinTheDeviation(_ dist: String, _ params: String, _ lo: Double, _ hi: Double) throws {
        let r = try Run.tool(["--seed", "3"], input: Self.patternStanza(dist, params))
        #expect(r.status == 0, "\(r.stderr)")
        let t = Self.times(r)
        #expect(t == t.sorted())
        let t0 = Self.utc("2025-06-01T00:00:00Z").secondsDouble
        var perHour = [Int](repeating: 0, count: 24)
        var positions: [Double] = []
        for x in t {
            let h = Int((x - t0) / 3600)
            try #require(h >= 0 && h < 24)
            perHour[h] += 1
            positions.append((x - t0 - Double(h) * 3600) / 3600)
        }
        #expect(perHour.allSatisfy { $0 >= 80 && $0 <= 120 }, "\(perHour)")
        #expect(Set(perHour).count > 3, "counts vary: \(perHour)")
        #expect(positions.allSatisfy { $0 >= lo - 1e-6 && $0 <= hi + 1e-6 })
        let mean = positions.reduce(0, +) / Double(positions.count)
        let expected = dist == "uniform" ? 0.375 : dist == "triangular" ? (0.1 + 0.2 + 0.6) / 3 : 2.0 / 7
        #expect(abs(mean - expected) < 0.03, "mean \(mean)")
    }

    @Test func randomizerDirections() throws {
        for (dir, lo, hi) in [("decrease", 80, 100), ("increase", 100, 120)] {
            let json = Self.pattern.replacingOccurrences(of: "mixed", with: dir).replacingOccurrences(of: "DIST", with: "uniform")
                .replacingOccurrences(of: "PARAMS", with: #"{"low":0,"high":1}"#)
            let p = try #require(JSONParser.parse(json)["patterns"].flatMap { if case .array(let a) = $0 { return a.first } else { return nil } })
            let input = try PatternInput(json: p, now: Self.utc("2025-06-01T00:00:00Z"), zone: .utc, rng: SeededRandom(seed: 5), at: "t")
            var n = 0
            while input.next() != nil { n += 1 }
            #expect(input.periodCounts.count == 24)
            #expect(input.periodCounts.allSatisfy { $0 >= lo && $0 <= hi }, "\(dir): \(input.periodCounts)")
            #expect(n == input.periodCounts.reduce(0, +))
        }
    }

    @Test func sameSeedSameBytesOtherSeedOtherBytes() throws {
        let s = Self.patternStanza("beta", #"{"a":2,"b":2}"#)
        let a = try Run.tool(["--seed", "11"], input: s), b = try Run.tool(["--seed", "11"], input: s)
        let c = try Run.tool(["--seed", "12"], input: s)
        #expect(a.stdout == b.stdout && !a.stdout.isEmpty)
        #expect(a.stdout != c.stdout)
    }

    @Test func endStopsTheStreamAndFiniteInputsEndTheRun() throws {
        let s = Self.stanza([#"{"plugin":"cron","expression":"* * * * * *","count":2}"#])
        let r = try Run.tool(["--now", "2025-06-01T00:00:00Z", "--end", "2025-06-01T00:01:00Z"], input: s)
        #expect(Self.times(r).count == 120)
        #expect(Self.times(r).last == Self.utc("2025-06-01T00:00:59Z").secondsDouble)
        let n = try Run.tool(["--now", "2025-06-01T00:00:00Z", "--end", "10"], input: s)
        #expect(Self.times(n).count == 20)
    }

    /// `--backfill TIME --end now` on a generator whose inputs began long before: the events from
    /// TIME to now, numbered from 0 (issue 17's `eg-rate --backfill -7d --end now`).
    @Test func backfillKeepsTheGeneratorsTimestampsFromItsTime() throws {
        let s = Self.stanza([#"{"plugin":"cron","expression":"* * * * *","count":2,"start":"2025-05-01T00:00:00Z"}"#])
        let now = "2025-06-01T00:00:00Z"
        let r = try Run.tool(["--now", now, "--backfill", "-1h", "--end", now, "--seed", "3"], input: s)
        #expect(r.status == 0, "\(r.stderr)")
        let t = Self.times(r)
        #expect(t.count == 120)
        #expect(t.first == Self.utc("2025-05-31T23:00:00Z").secondsDouble)
        #expect(t.last == Self.utc("2025-05-31T23:59:00Z").secondsDouble)
        let seqs = r.lines.compactMap { Run.record($0) }.filter { !$0.isStanza }.compactMap { $0["_seq"]?.doubleValue }
        #expect(seqs.first == 0 && seqs.last == 119)
        // Without --backfill the whole month since the input's start comes out.
        let all = try Run.tool(["--now", now, "--end", now, "--seed", "3"], input: s)
        #expect(Self.times(all).count == 31 * 24 * 60 * 2)
        // A backfill before the input's start changes nothing: the input begins where it says.
        let early = try Run.tool(["--now", now, "--backfill", "-60d", "--end", now, "--seed", "3"], input: s)
        #expect(early.stdout == all.stdout)
    }

    /// `--start TIME --count N`: N timestamps from TIME on, the inputs' relative times counted
    /// from TIME (the week's shape of `start: -7d@w1` keeps its Monday).
    @Test func startBeginsTheGeneratorAtItsTime() throws {
        let s = Self.stanza([#"{"plugin":"cron","expression":"*/10 * * * *","count":1,"start":"-7d@w1"}"#])
        let r = try Run.tool(["--now", "2025-06-20T12:00:00Z", "--start", "2025-06-04T09:05:00Z", "--count", "3", "--seed", "3"], input: s)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(Self.times(r) == ["2025-06-04T09:10:00Z", "2025-06-04T09:20:00Z", "2025-06-04T09:30:00Z"].map { Self.utc($0).secondsDouble })
        let seqs = r.lines.compactMap { Run.record($0) }.filter { !$0.isStanza }.compactMap { $0["_seq"]?.doubleValue }
        #expect(seqs == [0, 1, 2])
        // --backfill (counted from --now) says where history begins instead.
        let back = try Run.tool(["--now", "2025-06-20T12:00:00Z", "--start", "2025-06-04T09:05:00Z", "--backfill", "-1h",
                                 "--count", "1", "--seed", "3"], input: s)
        #expect(Self.times(back) == [Self.utc("2025-06-20T11:00:00Z").secondsDouble])
    }

    @Test func liveModeReleasesEachEventAtItsOwnTime() throws {
        let start = Self.utc("2025-06-01T00:00:00Z")
        let clock = FakeClock(start: start)
        let s = Self.stanza([#"{"plugin":"timer","seconds":0.5,"count":1}"#])
        let g = try Run.engine(["--now", "2025-06-01T00:00:00Z", "--count", "6", "--live"], input: s, clock: clock)
        #expect(g.units.count == 6)
        for (k, u) in g.units.enumerated() {
            #expect(u.unit.time == start.micros + Int64(k + 1) * 500_000)
            #expect(u.at == EventTime(micros: u.unit.time), "released at its own time")
        }
    }

    @Test func anomaliesAndPreviewWorkOnGeneratorStreams() throws {
        let s = Self.stanza([#"{"plugin":"cron","expression":"* * * * * *","count":2}"#])
        let base = try Run.tool(["--now", "2025-06-01T00:00:00Z", "--end", "2025-06-01T02:00:00Z", "--seed", "4"], input: s)
        let spiked = try Run.tool(["--now", "2025-06-01T00:00:00Z", "--end", "2025-06-01T02:00:00Z", "--seed", "4",
                                   "--anomaly", "type=spike,start=2025-06-01T01:00:00Z,duration=10m,factor=5"], input: s)
        #expect(spiked.status == 0, "\(spiked.stderr)")
        let tagged = spiked.lines.filter { $0.contains("\"anomaly\":") && !$0.hasPrefix("{\"_kind\"") }
        #expect(Self.times(base).count == 14_400)
        #expect(tagged.count > 3_000 && tagged.count < 6_000, "\(tagged.count)")
        #expect(Self.times(spiked).count == 14_400 + tagged.count)
        let preview = try Run.tool(["--preview", "--now", "2025-06-01T12:00:00Z"], input: s)
        #expect(preview.stdout.contains("generator gen"))
        #expect(preview.stdout.contains("total 172800 events that day"), "\(preview.stdout)")
        #expect(preview.stdout.contains("total 1209600 events that week"))
    }

    /// `target=tags=T` spikes only the timestamps of the inputs carrying tag T; the others are untouched.
    @Test func spikeTargetedAtATagCopiesOnlyThatInput() throws {
        let s = Self.stanza([#"{"plugin":"cron","expression":"* * * * * *","count":2,"tags":["base"]}"#,
                             #"{"plugin":"cron","expression":"*/10 * * * * *","count":1,"tags":["attack","rdp"]}"#])
        let r = try Run.tool(["--now", "2025-06-01T00:00:00Z", "--end", "2025-06-01T02:00:00Z", "--seed", "4",
                              "--anomaly", "type=spike,start=2025-06-01T01:00:00Z,duration=10m,factor=21,target=tags=attack"], input: s)
        #expect(r.status == 0, "\(r.stderr)")
        let recs = r.lines.compactMap { Run.record($0) }.filter { !$0.isStanza }
        let added = recs.filter { $0["anomaly"] != nil }
        #expect(recs.count - added.count == 14_400 + 720)
        #expect(added.count == 60 * 20, "\(added.count)")
        #expect(added.allSatisfy { $0["tags"] == .array([.string("attack"), .string("rdp")]) })
        let lo = Self.utc("2025-06-01T01:00:00Z").secondsDouble
        #expect(added.allSatisfy { ($0["_time"]?.doubleValue ?? 0) >= lo && ($0["_time"]?.doubleValue ?? 0) < lo + 600 })
    }
}

/// Bounded fuzzing of the cron and versatile-time parsers: random field text either parses (and the
/// next fire is found without a crash) or fails with a config error naming the place.
@Suite struct GeneratorParserFuzzTests {
    @Test func cronAndTimeTextNeverCrash() {
        var rng = SeededRandom(seed: 77)
        let alphabet = Array("0123456789*/-,? abcdefghjklmnoprstuvwxyJANFEBMONSUN@+:.TZ")
        var parsed = 0, failed = 0
        for _ in 0..<4000 {
            let n = 1 + rng.index(24)
            let text = String((0..<n).map { _ in alphabet[rng.index(alphabet.count)] })
            do {
                let c = try CronExpression(text, at: "fuzz")
                _ = c.next(atOrAfter: EventTime(seconds: 1_750_000_000), zone: .utc)
                parsed += 1
            } catch let e as EgError {
                #expect(e.location == "fuzz" && !e.message.isEmpty)
                failed += 1
            } catch { Issue.record("unexpected \(error)") }
            do {
                let t = try EventumTime.parse(text, at: "fuzz")
                _ = t.resolve(now: EventTime(seconds: 1_750_000_000), base: EventTime(seconds: 1_750_000_000), zone: .utc)
            } catch let e as EgError {
                #expect(e.location == "fuzz")
            } catch { Issue.record("unexpected \(error)") }
        }
        for expr in ["* * * * *", "0-59/7 */3 1-31 * 0-7", "1,2,3 4-5 ? * MON-FRI 0 2025-2030"] {
            #expect((try? CronExpression(expr, at: "f")) != nil, "\(expr)")
        }
        #expect(parsed + failed == 4000 && failed > 0)
    }
}
