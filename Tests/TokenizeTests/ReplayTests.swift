import Core
import Foundation
import Testing

/// replaytimestamp: original times parsed, one offset per event or bundle, spacing kept.
@Suite struct ReplayTests {
    static let formats = ["%b %d %H:%M:%S:%f", "%Y-%m-%d %H:%M:%S:%f"]
    static let settings: [(String, String)] = [
        ("timezone", "UTC"), ("bundlelines", "true"),
        ("token.0.token", #"((\w+\s+\d+\s+\d{2}:\d{2}:\d{2}:\d{3,6})|(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}:\d{3,6}))"#),
        ("token.0.replacementType", "replaytimestamp"),
        ("token.0.replacement", #"["%b %d %H:%M:%S:%f", "%Y-%m-%d %H:%M:%S:%f"]"#),
    ]
    static let pool = ["May 27 18:28:11:000 aaa2 radiusd acct start",
                       "2012-05-27 18:28:11:112 10.2.1.35 POST /playhistory",
                       "2012-05-27 18:28:13:137 10.2.1.35 GET /sync"]

    /// Parses a replaced time with the format it must have been printed in.
    static func parse(_ raw: String, year: Int) -> EventTime? {
        for f in formats {
            let n = f.hasPrefix("%Y") ? 26 : 22
            let prefix = String(raw.prefix(n))
            if let t = Strptime(f).parse(prefix, zone: .utc, defaultYear: year) { return t }
        }
        return nil
    }

    @Test func bundleKeepsSpacingAndNeverGetsLonger() throws {
        var lines = [Run.stanza(sample: "mm.csv", settings: ReplayTests.settings)]
        let base: Int64 = 1_700_000_000
        for b in 0..<30 {
            for raw in ReplayTests.pool {
                lines.append(Run.line([("_raw", .string(raw)), ("_time", .number("\(base + Int64(b) * 60).5")),
                                       ("sample", .string("mm.csv")), ("_bundle", .number(String(b)))]))
            }
        }
        let r = try Run.tokenize(["--seed", "11"], input: lines.joined(separator: "\n") + "\n")
        #expect(r.status == 0, "\(r.stderr)")
        let events = Array(r.records.dropFirst())
        #expect(events.count == 90)
        var sawShrink = false
        for b in 0..<30 {
            let ev = Array(events[(b * 3)..<(b * 3 + 3)])
            let pivot = EventTime(micros: (base + Int64(b) * 60) * 1_000_000 + 500_000)
            let raws = ev.map { $0.raw ?? "" }
            // Each line is printed in the format it matched.
            #expect(raws[0].range(of: #"^[A-Z][a-z]{2} \d\d \d\d:\d\d:\d\d:\d{6} aaa2"#, options: .regularExpression) != nil, "\(raws[0])")
            #expect(raws[1].range(of: #"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d:\d{6} 10\.2"#, options: .regularExpression) != nil, "\(raws[1])")
            let t = raws.map { ReplayTests.parse($0, year: 2023)! }
            #expect(t[0] == pivot)
            #expect(t[1] >= t[0] && t[2] >= t[1])
            #expect(t[1].micros - t[0].micros <= 112_000)
            #expect(t[2].micros - t[1].micros <= 2_025_000)
            #expect(t[1].micros - t[0].micros >= 56_000)
            #expect(t[2].micros - t[1].micros >= 1_012_500)
            if t[2].micros - t[0].micros < 2_137_000 { sawShrink = true }
            // _time becomes each event's first replaced time.
            #expect(ev.map { $0.time } == t)
        }
        #expect(sawShrink)
    }

    @Test func singleEventKeepsExactSpacing() throws {
        let raw = "start 2012-05-27 18:28:11:112 end 2012-05-27 18:30:41:612 done"
        let input = [Run.stanza(sample: "one.log", settings: ReplayTests.settings.filter { $0.0 != "bundlelines" }),
                     Run.line([("_raw", .string(raw)), ("_time", .number("1700000000")), ("sample", .string("one.log"))]),
                     Run.line([("_raw", .string(raw)), ("_time", .number("1700000100")), ("sample", .string("one.log"))])]
        let r = try Run.tokenize([], input: input.joined(separator: "\n") + "\n")
        #expect(r.records.dropFirst().map { $0.raw ?? "" } == [
            "start 2023-11-14 22:13:20:000000 end 2023-11-14 22:15:50:500000 done",
            "start 2023-11-14 22:15:00:000000 end 2023-11-14 22:17:30:500000 done"])
    }

    @Test func singleFormatAndEpoch() throws {
        let input = Run.line([("_raw", .string("t=1600000000 u=1600000005")), ("_time", .number("1700000000"))]) + "\n"
        let r = try Run.tokenize(["--token", #"=(\d{10})"#, "--type", "replaytimestamp", "--replacement", "%s"], input: input)
        #expect(r.records.first?.raw == "t=1700000000 u=1700000005")
    }
}
