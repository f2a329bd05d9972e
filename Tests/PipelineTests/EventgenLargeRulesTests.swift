import Foundation
import Testing

/// More of the rules of eventgen's functional suite (`tests/large/test_*.py` in splunk/eventgen),
/// on the confs and samples of `fixtures/eventgen-large` (our own: a JSON edge log, windbag-style
/// job logs, order csvs, lookup lists), through the whole pipeline at a pinned now.
@Suite struct EventgenLargeRulesTests {
    static let fixtures = Run.root.appendingPathComponent("Tests/PipelineTests/fixtures/eventgen-large")
    static let now = "2026-03-06T19:30:00Z"
    static let nowEpoch = 1_772_825_400

    /// Runs `conf/<name>.conf` of the fixtures; eg-ship writes each record as JSON.
    static func run(_ name: String, rate: String = "", ship: String = "-o stdout --format json") throws -> Run.Result {
        try Run.sh("cd '\(fixtures.path)' && eg-sample conf/\(name).conf | eg-rate --now \(now) --seed 7 \(rate) "
                   + "| eg-tokenize --seed 3 | eg-ship \(ship)", environment: ["TZ": "UTC"])
    }

    /// The JSON records of eg-ship's output.
    static func records(_ r: Run.Result) -> [[String: Any]] {
        r.text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    /// Lines of a fixture file.
    static func lines(_ file: String) throws -> [String] {
        try String(contentsOf: fixtures.appendingPathComponent("samples/\(file)"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
    }

    static func matches(_ text: String, _ pattern: String) -> Bool {
        text.range(of: "^" + pattern + "$", options: .regularExpression) != nil
    }

    // MARK: - test_token_replacement.py

    /// Every replacementType, each token's capture group replaced and nothing else: static,
    /// timestamp (%s), replaytimestamp, random (integer, float, string, hex, ipv4, ipv6, mac,
    /// guid, list), rated, file (whole line and column), mvfile (one row per event), seqfile,
    /// integerid.
    @Test func everyTokenTypeReplacesItsGroupByItsRules() throws {
        let r = try Self.run("token_replacement")
        #expect(r.status == 0, "\(r.stderr)")
        let events = Self.records(r).compactMap { $0["_raw"] as? String }
        #expect(events.count == 10, "\(r.stderr)")
        let zones = try Self.lines("zones.list"), ids = try Self.lines("request-ids.list")
        let clients = try Self.lines("clients.list"), ordinals = try Self.lines("ordinals.list")
        let geo = try Self.lines("geo.csv").map { $0.split(separator: ",").map(String.init) }
        let paths = try Self.lines("edge.json").map { line -> String in
            let o = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return (o["req"] as? [String: Any])?["path"] as? String ?? ""
        }
        var usedPaths: [String] = []
        for (k, raw) in events.enumerated() {
            let o = try #require(try JSONSerialization.jsonObject(with: Data(raw.utf8)) as? [String: Any], "not JSON: \(raw)")
            let req = o["req"] as? [String: Any] ?? [:], g = o["geo"] as? [String: Any] ?? [:]
            let net = o["net"] as? [String: Any] ?? [:], trace = o["trace"] as? [String: Any] ?? [:]
            func s(_ d: [String: Any], _ key: String) -> String { d[key] as? String ?? "<missing \(key)>" }
            // Text outside the groups is kept.
            #expect(o["kind"] as? String == "edge_log")
            usedPaths.append(s(req, "path"))
            // timestamp %s: the event's time (earliest = latest = now).
            #expect(s(o, "at") == String(Self.nowEpoch), "\(raw)")
            // file, whole lines.
            #expect(zones.contains(s(o, "zone")), "\(raw)")
            #expect(ids.contains(s(req, "id")), "\(raw)")
            #expect(clients.contains(s(req, "client")), "\(raw)")
            // mvfile :1 and :2 and file :4 and :5 of the same file: one row for the event.
            let row = [s(g, "cc"), s(g, "town"), s(g, "lat"), s(g, "lon")]
            #expect(geo.contains { [$0[0], $0[1], $0[3], $0[4]] == row }, "\(row)")
            // random integer[40:5000], inclusive.
            let size = Int(s(req, "size")) ?? -1
            #expect(size >= 40 && size <= 5000, "\(raw)")
            // static.
            #expect(s(net, "retry") == "0")
            // integerid from 1, one up per event.
            #expect(s(trace, "seq") == String(k + 1), "\(raw)")
            // seqfile: the lines in order, wrapping.
            #expect(s(trace, "ordinal") == ordinals[k % ordinals.count], "\(raw)")
            #expect(Self.matches(s(net, "edge4"), #"((25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(25[0-5]|2[0-4]\d|1?\d?\d)"#), "\(raw)")
            #expect(Self.matches(s(net, "edge6"), "([0-9a-f]{1,4}:){7}[0-9a-f]{1,4}"), "\(raw)")
            #expect(Self.matches(s(net, "nic"), "([0-9a-f]{2}:){5}[0-9a-f]{2}"), "\(raw)")
            #expect(Self.matches(s(trace, "guid"), "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), "\(raw)")
            #expect(Self.matches(s(trace, "hexid"), "[0-9A-F]{8}"), "\(raw)")
            // float[0.000:1.000]: round(x, 3) printed by str(): at most three decimals, trailing
            // zeros dropped (0.780 prints 0.78), inside the range.
            let ratio = s(trace, "ratio")
            #expect(Self.matches(ratio, #"[01]\.(0|\d{0,2}[1-9])"#) && (Double(ratio) ?? 2) <= 1, "\(raw)")
            // string(12): 12 characters of eventgen's alphabet.
            #expect(Self.matches(s(trace, "nonce"), "[A-Za-z0-9_.~/-]{12}"), "\(raw)")
            // rated integer[100:200] with no rates set: rate 1.
            let load = Int(s(trace, "load")) ?? -1
            #expect(load >= 100 && load <= 200, "\(raw)")
            #expect(["GET", "PUT", "HEAD"].contains(s(req, "verb")), "\(raw)")
            // replaytimestamp: the original time moved to the event's time, in its own format.
            #expect(s(o, "logged") == "2026-03-06 19:30:00", "\(raw)")
        }
        // Every sample line once (end = 1, count = -1).
        #expect(usedPaths.sorted() == paths.sorted())
    }

    // MARK: - test_extend_index.py

    @Test func extendIndexesSpreadsOneStanzaOverItsIndexes() throws {
        let r = try Self.run("extend_index")
        let records = Self.records(r)
        #expect(records.count == 24, "\(r.stderr)")
        let main = records.filter { $0["index"] as? String == "main" }
        #expect(main.count == 12)
        #expect(main.allSatisfy { $0["sourcetype"] as? String == "router" })
        let extended = records.filter { ($0["index"] as? String)?.hasPrefix("test_") == true }
        #expect(extended.count == 12)
        #expect(extended.allSatisfy { $0["sourcetype"] as? String == "app" })
        // eg chooses per event (eventgen per batch): both indexes appear, and only they.
        #expect(Set(extended.compactMap { $0["index"] as? String }) == ["test_0", "test_1"])
    }

    // MARK: - eventgen_sample_regex_{integer,wildcard,csv}.conf

    /// A stanza name is a regex that must match a sample's whole file name; each file it
    /// matches is a sample of its own, with the stanza's settings.
    @Test(arguments: [("regex_integer", ["app1.log": 12, "app2.log": 12]),
                      ("regex_wildcard", ["app1.log": 12, "app2.log": 12, "appX.log": 12]),
                      ("regex_csv", ["orders.csv": 10, "ordersXcsv": 10, "orders_eu.csv": 10])])
    func regexStanzaNameGeneratesEveryMatchingSample(_ conf: String, _ expected: [String: Int]) throws {
        let r = try Self.run(conf)
        let records = Self.records(r)
        let counts = Dictionary(grouping: records) { $0["sample"] as? String ?? "" }.mapValues(\.count)
        #expect(counts == expected, "\(r.stderr)")
        let raws = records.compactMap { $0["_raw"] as? String }
        #expect(raws.allSatisfy { !$0.contains("@@integer") && $0.hasPrefix("2026-03-06 19:") })
        if conf == "regex_csv" {
            // csv rows keep their own metadata columns.
            #expect(records.allSatisfy { $0["sourcetype"] as? String == "orders" && ($0["host"] as? String)?.hasPrefix("shop") == true })
        }
    }

    // MARK: - test_perdayvolume.py, for the file token types

    /// The volume is the generated bytes whatever writes them: each stanza's bytes are within 2 %
    /// of 0.1 GiB / 1440 (eventgen's bound), so the stanza whose file, mvfile or seqfile token
    /// writes wider values makes fewer events, and replaytimestamp counts the month it prints.
    @Test func perDayVolumeCountsWhatFileAndReplayTokensWrite() throws {
        let r = try Self.run("perdayvolume_tokens")
        var events: [String: Int] = [:], bytes: [String: Int] = [:]
        for o in Self.records(r) {
            let sample = o["sample"] as? String ?? "", raw = o["_raw"] as? String ?? ""
            events[sample, default: 0] += 1
            bytes[sample, default: 0] += raw.utf8.count + 1
        }
        let target = 0.1 * Double(1 << 30) / 1440
        #expect(events.count == 7, "\(r.stderr)")
        for (sample, b) in bytes {
            #expect(abs(Double(b) / target - 1) < 0.02, "\(sample): \(b) bytes for \(target)")
        }
        for type in ["file", "mvfile", "seqfile"] {
            let small = events["vol-\(type)-small.log"] ?? 0, large = events["vol-\(type)-large.log"] ?? 0
            #expect(large > 0 && Double(large) < Double(small) * 0.8, "\(type): \(large) large against \(small) small")
        }
        // '04 September 2019 ...' is written as '06 March 2026 ...': 4 bytes shorter, more events.
        #expect((events["vol-replay.log"] ?? 0) > (events["vol-file-small.log"] ?? 0))
    }
}
