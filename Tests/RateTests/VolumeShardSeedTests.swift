import Testing
import Foundation
import Core
@testable import eg_rate

/// perDayVolume accuracy, shards that partition the output, seeds.
@Suite struct VolumeShardSeedTests {
    @Test func perDayVolumeWithinTwoPercentOverADay() throws {
        var raws: [String] = []
        var rng = SeededRandom(seed: 3)
        for k in 0..<50 { raws.append("event \(k) " + String(repeating: "x", count: Int(rng.int(in: 20...400)))) }
        for (settings, name) in [([("perDayVolume", "0.002")], "in order"),
                                 ([("perDayVolume", "0.002"), ("randomizeEvents", "true")], "random"),
                                 ([("perDayVolume", "0.002"), ("bundlelines", "true"), ("interval", "600")], "bundles"),
                                 ([("perDayVolume", "0.002"), ("hourOfDayRate", #"{"3": 0.1, "4": 2}"#), ("randomizeCount", "0.3")], "rated")] {
            let g = try Run.engine(["--now", "2024-01-15T00:00:00Z", "--timezone", "UTC", "--end", "+1d", "--seed", "6"],
                                   input: Run.stream("v.log", settings, raws))
            let bytes = g.records.reduce(0) { $0 + ($1.raw?.utf8.count ?? 0) + 1 }
            var target = 0.002 * 1_073_741_824
            if name == "rated" { target *= (22 + 0.1 + 2) / 24 }
            #expect(abs(Double(bytes) - target) / target < 0.02, "\(name): \(bytes) vs \(target)")
            #expect(abs(Double(bytes) - target) / target < 0.02)
        }
    }

    func stream() -> String {
        ([Run.stanza("a.log", [("count", "9"), ("randomizeCount", "0.5"), ("earliest", "-60s"), ("randomizeEvents", "true")])]
         + Run.pool("a.log", ["a1", "a2", "a3"])
         + [Run.stanza("b.log", [("count", "2"), ("bundlelines", "true"), ("earliest", "-30s"), ("interval", "30")])]
         + Run.pool("b.log", ["b1", "b2"])).joined(separator: "\n") + "\n"
    }

    @Test func shardsPartitionTheUnshardedOutputExactly() throws {
        let args = ["--now", "2024-01-15T10:00:00Z", "--end", "+30m", "--seed", "11"]
        let whole = try Run.tool(args, input: stream())
        #expect(whole.status == 0)
        let events = whole.lines.filter { !$0.contains("\"_kind\"") }
        #expect(events.count > 400)
        var union: [String] = []
        var shardSizes: [Int] = []
        for i in 0..<3 {
            let r = try Run.tool(args + ["--shard", "\(i)/3"], input: stream())
            #expect(r.status == 0)
            let e = r.lines.filter { !$0.contains("\"_kind\"") }
            #expect(r.lines.count - e.count == 2)  // every shard passes the stanza records through
            shardSizes.append(e.count)
            union += e
        }
        #expect(union.sorted() == events.sorted())
        #expect(shardSizes.allSatisfy { $0 > events.count / 5 })
        // Counts per minute match.
        func perMinute(_ lines: [String]) -> [Int64: Int] {
            var m: [Int64: Int] = [:]
            for l in lines {
                let r = Run.record(l) ?? Record()
                m[(r.time?.seconds ?? 0) / 60, default: 0] += 1
            }
            return m
        }
        #expect(perMinute(union) == perMinute(events))
        // A bundle copy stays in one shard.
        let b = try Run.tool(args + ["--shard", "1/3"], input: stream()).lines.filter { $0.contains("\"_bundle\"") }
        var perBundle: [String: Int] = [:]
        for l in b { perBundle[String(l[l.range(of: "\"_bundle\":")!.upperBound...].prefix { $0.isNumber }), default: 0] += 1 }
        #expect(perBundle.values.allSatisfy { $0 == 2 })
    }

    @Test func sameSeedSameBytesOtherSeedOtherBytes() throws {
        let a = try Run.tool(["--now", "2024-01-15T10:00:00Z", "--end", "20", "--seed", "42"], input: stream())
        let b = try Run.tool(["--now", "2024-01-15T10:00:00Z", "--end", "20", "--seed", "42"], input: stream())
        let c = try Run.tool(["--now", "2024-01-15T10:00:00Z", "--end", "20", "--seed", "43"], input: stream())
        #expect(a.status == 0 && !a.stdout.isEmpty)
        #expect(a.stdout == b.stdout)
        #expect(a.stdout != c.stdout)
        // The stanza's seed setting works the same way; --seed overrides it.
        let seeded = Run.stream("s.log", [("count", "5"), ("earliest", "-1h"), ("seed", "42")], ["x", "y"])
        let d = try Run.tool(["--now", "2024-01-15T10:00:00Z", "--end", "3"], input: seeded)
        let e = try Run.tool(["--now", "2024-01-15T10:00:00Z", "--end", "3"], input: seeded)
        let f = try Run.tool(["--now", "2024-01-15T10:00:00Z", "--end", "3", "--seed", "7"], input: seeded)
        #expect(d.stdout == e.stdout && d.stdout != f.stdout)
    }
}
