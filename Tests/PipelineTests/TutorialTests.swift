import Foundation
import Testing

/// The README tutorial's second and third examples, run through the real
/// `eg-sample | eg-rate | eg-tokenize`, with every substituted field checked against its source.
@Suite struct TutorialTests {
    static let samples = Run.shared.appendingPathComponent("eventgen/samples")
    static let tutorials = Run.shared.appendingPathComponent("eventgen/tutorials")

    /// Runs the three tools on a tutorial conf and returns the event records (stanza records dropped).
    private func events(conf: String, end: Int, environment: [String: String] = [:]) throws -> [[String: Any]] {
        let path = Self.tutorials.appendingPathComponent(conf).path
        let r = try Run.sh("eg-sample '\(path)' --sample-dir '\(Self.samples.path)' | eg-rate --now 2026-03-06T01:00:00Z --end \(end) --seed 5 | eg-tokenize --seed 5",
                           environment: environment.merging(["TZ": "UTC"]) { a, _ in a })
        #expect(r.status == 0, "\(r.stderr)")
        return try r.text.split(separator: "\n").compactMap {
            let o = try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
            return o["_kind"] == nil ? o : nil
        }
    }

    private func lines(_ file: String) throws -> [String] {
        try String(contentsOf: Self.samples.appendingPathComponent(file), encoding: .utf8)
            .components(separatedBy: CharacterSet.newlines).filter { !$0.isEmpty }
    }

    private func utc(_ format: String, _ time: Double) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = format
        return f.string(from: Date(timeIntervalSince1970: time.rounded(.down)))
    }

    @Test func tutorialTwoCiscoNoiseStampsEveryEventWithItsTime() throws {
        let events = try events(conf: "eventgen.conf.tutorial2", end: 3)
        // Friday 01:00 UTC: hourOfDayRate["1"] = 1.0, dayOfWeekRate["5"] = 1.0, count 20, randomizeCount 0.2.
        #expect(events.count >= 54 && events.count <= 66, "\(events.count)")
        // The token rewrites every match of its regex in the line with the event time; nothing else changes.
        let token = try NSRegularExpression(pattern: #"\w{3}\s+\d{1,2}\s+\d{2}:\d{2}:\d{2}"#)
        let originals = try lines("sample.tutorial2")
        var stamped = 0
        for e in events {
            let raw = e["_raw"] as! String, time = e["_time"] as! Double
            let stamp = utc("MMM dd HH:mm:ss", time)
            let expected = Set(originals.map {
                token.stringByReplacingMatches(in: $0, range: NSRange($0.startIndex..., in: $0),
                                               withTemplate: NSRegularExpression.escapedTemplate(for: stamp))
            })
            #expect(expected.contains(raw), "\(raw)")
            if raw.hasPrefix(stamp) { stamped += 1 }
            #expect(time >= 1_772_758_800 - 15 && time < 1_772_758_800 + 3 * 15)
        }
        #expect(stamped > events.count / 2, "most sample lines start with a timestamp")
    }

    @Test func tutorialThreeBusinessEventsTakeEveryFieldFromItsSource() throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("eg-splunk-home-\(getpid())")
        let apps = home.appendingPathComponent("etc/apps/SA-Eventgen")
        try FileManager.default.createDirectory(at: apps, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        try? FileManager.default.createSymbolicLink(at: apps.appendingPathComponent("samples"), withDestinationURL: Self.samples)
        let events = try events(conf: "eventgen.conf.tutorial3", end: 2, environment: ["SPLUNK_HOME": home.path])
        // hourOfDayRate["1"] = 0.10 x dayOfWeekRate["5"] = 1.0 x count 10000, +-10%, two 1-second intervals.
        #expect(events.count >= 1800 && events.count <= 2200, "\(events.count)")
        let types = Set(try lines("orderType.sample")), users = Set(try lines("userName.sample"))
        let markets = Set(try lines("markets.sample").map { $0.split(separator: ",", omittingEmptySubsequences: false).prefix(3).joined(separator: ",") })
        let shape = try NSRegularExpression(pattern:
            #"^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}) transType=(.+) transID=(\d+) transGUID=([0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}) userName=(.+) city="(.*)" state=(.*) zip=(.*) value=(\d+(?:\.\d{1,3})?)$"#)
        var ids: [Int] = []
        for e in events {
            let raw = e["_raw"] as! String
            guard let m = shape.firstMatch(in: raw, range: NSRange(raw.startIndex..., in: raw)) else {
                Issue.record("unexpected shape: \(raw)"); continue
            }
            let g = { (k: Int) in String(raw[Range(m.range(at: k), in: raw)!]) }
            #expect(g(1) == utc("yyyy-MM-dd HH:mm:ss", e["_time"] as! Double))
            #expect(types.contains(g(2)), "\(g(2))")
            ids.append(Int(g(3))!)
            #expect(users.contains(g(5)), "\(g(5))")
            #expect(markets.contains("\(g(8)),\(g(6)),\(g(7))"), "zip, city and state must come from one row: \(raw)")
            let value = Double(g(9))!
            #expect(value >= 0 && value <= 10)
        }
        #expect(ids == Array(10000..<(10000 + ids.count)), "integerid counts up from its seed")
    }
}
