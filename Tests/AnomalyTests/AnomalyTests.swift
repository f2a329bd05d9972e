import Foundation
import Testing
import Core

/// End-to-end tests of labelled anomalies: the real eg-rate (and eg-tokenize) on small streams.
@Suite struct AnomalyTests {
    static let now = "2024-05-01T00:00:00Z"
    static let nowEpoch: Int64 = 1_714_521_600
    /// Two days of history, one event pick per second on average (count 60 per minute).
    static let base: [(String, String)] = [("interval", "60"), ("count", "60"), ("randomizeEvents", "true")]
    static let pool: [(raw: String, host: String)] = [
        ("ip=1.2.3.4 status=200 bytes=5", "web-1"), ("ip=1.2.3.4 status=200 bytes=5", "web-2"),
        ("ip=1.2.3.4 status=200 bytes=5", "web-3"),
    ]
    static let tokens: [(String, String)] = [
        ("token.0.token", "status=(\\d+)"), ("token.0.replacementType", "static"), ("token.0.replacement", "200"),
        ("token.1.token", "ip=(\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3})"), ("token.1.replacementType", "random"), ("token.1.replacement", "ipv4"),
        ("token.2.token", "bytes=(\\d+)"), ("token.2.replacementType", "random"), ("token.2.replacement", "integer[100:200]"),
    ]

    struct Output {
        var events: [Record]
        var bytes: Data
        var labels: String
        var labelLines: [Record] { Run.records(labels) }
    }

    /// Runs eg-rate (optionally piped into eg-tokenize) over two days of history.
    func generate(_ settings: [(String, String)], seed: Int = 7, extra: [String] = [], tokenize: Bool = false) throws -> Output {
        let labels = Run.temp("labels.jsonl")
        defer { try? FileManager.default.removeItem(atPath: labels) }
        let input = Run.stream("web", AnomalyTests.base + settings, pool: AnomalyTests.pool)
        var r = try Run.tool("eg-rate", ["--seed", String(seed), "--now", AnomalyTests.now, "--backfill", "-2d",
                                         "--end", AnomalyTests.now, "--labels", labels] + extra, input: input)
        #expect(r.status == 0, "\(r.stderr)")
        if tokenize {
            r = try Run.tool("eg-tokenize", ["--seed", String(seed)], input: r.stdout)
            #expect(r.status == 0, "\(r.stderr)")
        }
        let text = (try? String(contentsOfFile: labels, encoding: .utf8)) ?? ""
        return Output(events: Run.records(r.text).filter { !$0.isStanza }, bytes: r.stdout, labels: text)
    }

    /// Event counts per hour, keyed by the hour's epoch second.
    func hourly(_ events: [Record]) -> [Int64: Int] {
        var out: [Int64: Int] = [:]
        for e in events { out[e.time!.seconds / 3600 * 3600, default: 0] += 1 }
        return out
    }

    @Test func spikeIsFactorTimesBaselineInsideAndUnchangedOutside() throws {
        let start = AnomalyTests.nowEpoch - 20 * 3600
        let normal = try generate([])
        let spiked = try generate([("anomaly.1.type", "spike"), ("anomaly.1.start", "\(start)"),
                                   ("anomaly.1.duration", "2h"), ("anomaly.1.factor", "10")])
        let a = hourly(normal.events), b = hourly(spiked.events)
        #expect(a.count == 48)
        for (hour, n) in a {
            if hour >= start && hour < start + 7200 {
                let ratio = Double(b[hour] ?? 0) / Double(n)
                #expect(abs(ratio - 10) <= 1, "hour \(hour): \(b[hour] ?? 0) vs baseline \(n)")
            } else {
                #expect(b[hour] == n, "hour \(hour) changed outside the spike")
            }
        }
        // Outside the window the events are byte-identical to the run without the anomaly.
        let outside = { (e: Record) -> Bool in let s = e.time!.seconds; return s < start || s >= start + 7200 }
        #expect(normal.events.filter(outside) == spiked.events.filter(outside))
    }

    @Test func outageHasNoEvents() throws {
        let start = AnomalyTests.nowEpoch - 30 * 3600
        let out = try generate([("anomaly.1.type", "outage"), ("anomaly.1.start", "\(start)"), ("anomaly.1.duration", "90m")])
        let inside = out.events.filter { $0.time!.seconds >= start && $0.time!.seconds < start + 5400 }
        #expect(inside.isEmpty)
        let normal = try generate([])
        let baseline = normal.events.filter { $0.time!.seconds >= start && $0.time!.seconds < start + 5400 }.count
        #expect(baseline > 4000)
        let label = out.labelLines[1]
        #expect(label["events_removed"]?.doubleValue == Double(baseline))
        #expect(out.events.count == normal.events.count - baseline)
    }

    @Test func targetedSpikeAddsOnlyTargetEvents() throws {
        let start = AnomalyTests.nowEpoch - 10 * 3600
        let out = try generate([("anomaly.1.type", "spike"), ("anomaly.1.start", "\(start)"), ("anomaly.1.duration", "1h"),
                                ("anomaly.1.factor", "5"), ("anomaly.1.target", "host=web-3")])
        let normal = try generate([])
        let tagged = out.events.filter { $0["anomaly"] != nil }
        #expect(!tagged.isEmpty)
        #expect(tagged.allSatisfy { $0.string("host") == "web-3" })
        func hosts(_ ev: [Record]) -> [String: Int] {
            var m: [String: Int] = [:]
            for e in ev where e.time!.seconds >= start && e.time!.seconds < start + 3600 { m[e.string("host")!, default: 0] += 1 }
            return m
        }
        let h0 = hosts(normal.events), h1 = hosts(out.events)
        #expect(h1["web-1"] == h0["web-1"])
        #expect(h1["web-2"] == h0["web-2"])
        #expect(abs(Double(h1["web-3"]!) / Double(h0["web-3"]!) - 5) <= 0.5)
    }

    @Test func valueAnomaliesChangeOnlyMarkedEventsInWindowAndTarget() throws {
        let s1 = AnomalyTests.nowEpoch - 20 * 3600, s2 = AnomalyTests.nowEpoch - 10 * 3600, s3 = AnomalyTests.nowEpoch - 5 * 3600
        let anomalies: [(String, String)] = [
            ("anomaly.1.type", "value_shift"), ("anomaly.1.token", "0"), ("anomaly.1.values", "[\"500\",\"503\"]"),
            ("anomaly.1.fraction", "0.3"), ("anomaly.1.target", "host=web-2"), ("anomaly.1.start", "\(s1)"), ("anomaly.1.duration", "1h"),
            ("anomaly.2.type", "new_value"), ("anomaly.2.token", "1"), ("anomaly.2.start", "\(s2)"), ("anomaly.2.duration", "30m"),
            ("anomaly.3.type", "metric_outlier"), ("anomaly.3.token", "2"), ("anomaly.3.factor", "100"),
            ("anomaly.3.start", "\(s3)"), ("anomaly.3.duration", "30m"),
        ]
        let out = try generate(AnomalyTests.tokens + anomalies, tokenize: true)
        let normal = try generate(AnomalyTests.tokens, tokenize: true)
        #expect(out.events.count == normal.events.count)
        var changed: [String: Int] = [:]
        for (e, n) in zip(out.events, normal.events) {
            #expect(e.time == n.time)
            guard let id = e["anomaly"]?.stringValue else {
                #expect(e.raw == n.raw)
                continue
            }
            changed[id, default: 0] += 1
            let t = e.time!.seconds
            let raw = e.raw!
            switch id {
            case "web-a1":
                #expect(t >= s1 && t < s1 + 3600)
                #expect(e.string("host") == "web-2")
                #expect(raw.contains("status=500") || raw.contains("status=503"))
            case "web-a2":
                #expect(t >= s2 && t < s2 + 1800)
                #expect(raw.hasPrefix("ip=203.0.113."))
            case "web-a3":
                #expect(t >= s3 && t < s3 + 1800)
                let bytes = Int(raw.split(separator: "=").last!)!
                #expect(bytes >= 10_000 && bytes <= 20_000)
            default: Issue.record("unknown id \(id)")
            }
        }
        // Unmarked events in the value_shift window keep status 200; the fraction is about 30%.
        let web2 = normal.events.filter { $0.string("host") == "web-2" && $0.time!.seconds >= s1 && $0.time!.seconds < s1 + 3600 }.count
        #expect(abs(Double(changed["web-a1"] ?? 0) / Double(web2) - 0.3) < 0.06)
        #expect(changed["web-a2"] == normal.events.filter { $0.time!.seconds >= s2 && $0.time!.seconds < s2 + 1800 }.count)
        for l in out.labelLines.dropFirst() {
            #expect(l["events_changed"]?.doubleValue == Double(changed[l.string("id")!] ?? -1))
        }
    }

    @Test func labelsMatchEvents() throws {
        let out = try generate([("anomaly.1.type", "spike"), ("anomaly.1.start", "random"), ("anomaly.1.duration", "30m"),
                                ("anomaly.1.factor", "10"), ("anomaly.2.type", "drop"), ("anomaly.2.start", "end-6h"),
                                ("anomaly.2.duration", "1h"), ("anomaly.2.factor", "0.25"),
                                ("anomaly.3.type", "trend"), ("anomaly.3.start", "end-3h"), ("anomaly.3.duration", "1h"),
                                ("anomaly.3.factor", "3")])
        let lines = out.labelLines
        #expect(lines.count == 4)
        #expect(lines[0].string("type") == "header")
        #expect(lines[0].string("seed") == "7")
        #expect(lines[0]["span"]?["start"]?.stringValue == "2024-04-29T00:00:00Z")
        #expect(lines[0]["span"]?["end"]?.stringValue == "2024-05-01T00:00:00Z")
        #expect(lines[0].string("warmup_end") == "2024-04-29T07:12:00Z")
        #expect(lines[0].string("settings_hash")?.count == 16)
        for l in lines.dropFirst() {
            let id = l.string("id")!
            let startT = try RelativeTime.parse(l.string("start")!).resolve(now: EventTime(micros: 0), zone: .utc)
            let endT = try RelativeTime.parse(l.string("end")!).resolve(now: EventTime(micros: 0), zone: .utc)
            let marked = out.events.filter { $0["anomaly"]?.stringValue == id }
            #expect(marked.allSatisfy { $0.time! >= startT && $0.time! < endT }, "\(id) events outside its window")
            #expect(Double(marked.count) == l["events_added"]?.doubleValue, "\(id)")
        }
        #expect(lines[1]["events_added"]!.doubleValue! > 10_000)
        #expect(lines[2]["events_removed"]!.doubleValue! > 2000)
        #expect(lines[3]["events_added"]!.doubleValue! > 2000)
        #expect(lines[2].string("start") == "2024-04-30T18:00:00Z")
        #expect(lines[2].string("end") == "2024-04-30T19:00:00Z")
    }

    @Test func sameSeedSameBytes() throws {
        let settings: [(String, String)] = AnomalyTests.tokens + [
            ("anomaly.1.type", "spike"), ("anomaly.1.start", "random"), ("anomaly.1.duration", "30m"),
            ("anomaly.2.type", "new_value"), ("anomaly.2.token", "1"), ("anomaly.2.start", "random"), ("anomaly.2.fraction", "0.5"),
        ]
        let a = try generate(settings, tokenize: true), b = try generate(settings, tokenize: true)
        #expect(a.bytes == b.bytes)
        #expect(a.labels == b.labels)
        #expect(!a.labels.isEmpty)
        let c = try generate(settings, seed: 8, tokenize: true)
        #expect(a.labels != c.labels)
    }

    @Test func randomStartRespectsWarmup() throws {
        let spec = try AnomalySpec(number: 1, values: ["type": "spike", "duration": "30m", "anomalyWarmup": "0.5"],
                                   sample: "s", stanza: "s", defaultWarmup: 0.15)
        let span: (Int64, Int64) = (0, 86_400_000_000)
        var starts = Set<Int64>()
        for seed in 0..<200 {
            var rng = SeededRandom(seed: UInt64(seed), stream: "x")
            let w = try AnomalyWindow.place(spec, spanStart: span.0, spanEnd: span.1, now: EventTime(micros: 0), zone: .utc, rng: &rng)
            #expect(w.start >= 43_200_000_000)
            #expect(w.end <= span.1)
            #expect(w.end - w.start == 1_800_000_000)
            starts.insert(w.start)
        }
        #expect(starts.count > 150)
        // The binary: the header's warm-up end, and the drawn start after it (default 15%).
        for seed in [1, 2, 3] {
            let out = try generate([], seed: seed, extra: ["--anomaly", "type=spike,start=random,duration=30m,factor=10"])
            let l = out.labelLines
            #expect(l.count == 2)
            #expect(l[1].string("start")! >= l[0].string("warmup_end")!)
            #expect(l[1].string("id") == "web-a1")
            #expect(l[1].string("placement") == "random")
        }
    }

    @Test func nabFormat() throws {
        let labels = Run.temp("l.jsonl")
        let nab = String(labels.dropLast(6)) + ".nab.json"
        defer { try? FileManager.default.removeItem(atPath: labels); try? FileManager.default.removeItem(atPath: nab) }
        let input = Run.stream("web", AnomalyTests.base, pool: AnomalyTests.pool)
        let r = try Run.tool("eg-rate", ["--seed", "1", "--now", AnomalyTests.now, "--backfill", "-2d", "--end", AnomalyTests.now,
                                         "--anomaly", "type=outage,start=end-5h,duration=1h",
                                         "--anomaly", "type=spike,start=2024-04-30T01:00:00Z,duration=15m",
                                         "--labels", labels, "--labels-format", "nab"], input: input)
        #expect(r.status == 0, "\(r.stderr)")
        let text = try String(contentsOfFile: nab, encoding: .utf8)
        // NAB's combined_windows.json: series -> [[start, end], ...] in time order.
        #expect(text == "{\"web\":[[\"2024-04-30 01:00:00.000000\",\"2024-04-30 01:15:00.000000\"],[\"2024-04-30 19:00:00.000000\",\"2024-04-30 20:00:00.000000\"]]}\n")
    }

    @Test func nabMergesOverlappingWindows() throws {
        let labels = Run.temp("l.jsonl")
        let nab = String(labels.dropLast(6)) + ".nab.json"
        defer { try? FileManager.default.removeItem(atPath: labels); try? FileManager.default.removeItem(atPath: nab) }
        let input = Run.stream("web", AnomalyTests.base, pool: AnomalyTests.pool)
        let r = try Run.tool("eg-rate", ["--seed", "1", "--now", AnomalyTests.now, "--backfill", "-2d", "--end", AnomalyTests.now,
                                         "--anomaly", "type=drop,start=2024-04-30T10:30:00Z,duration=1h",
                                         "--anomaly", "type=spike,start=2024-04-30T10:00:00Z,duration=1h",
                                         "--anomaly", "type=spike,start=2024-04-30T12:00:00Z,duration=10m",
                                         "--labels", labels, "--labels-format", "nab"], input: input)
        #expect(r.status == 0, "\(r.stderr)")
        let text = try String(contentsOfFile: nab, encoding: .utf8)
        #expect(text == "{\"web\":[[\"2024-04-30 10:00:00.000000\",\"2024-04-30 11:30:00.000000\"],[\"2024-04-30 12:00:00.000000\",\"2024-04-30 12:10:00.000000\"]]}\n")
        // The JSON lines keep one label per anomaly.
        #expect(Run.records(try String(contentsOfFile: labels, encoding: .utf8)).count == 4)
    }

    @Test func labelValuesAreJSON() throws {
        let out = try generate(AnomalyTests.tokens + [
            ("anomaly.1.type", "value_shift"), ("anomaly.1.token", "0"), ("anomaly.1.values", "[\"500\",\"503\"]"),
            ("anomaly.1.start", "end-5h"), ("anomaly.1.duration", "1h"),
            ("anomaly.2.type", "value_shift"), ("anomaly.2.token", "2"), ("anomaly.2.values", "integer[7:9]"),
            ("anomaly.2.start", "end-3h"), ("anomaly.2.duration", "1h"),
        ])
        let l = out.labelLines
        #expect(l.count == 3)
        #expect(l[1]["values"] == .array([.string("500"), .string("503")]))
        #expect(l[2]["values"] == .object([JSONField("min", .number("7")), JSONField("max", .number("9"))]))
    }

    @Test func badSettingsAreConfigErrors() throws {
        let input = Run.stream("web", AnomalyTests.base + [("anomaly.1.type", "sparkle")], pool: AnomalyTests.pool)
        let r = try Run.tool("eg-rate", ["--now", AnomalyTests.now, "--end", "1"], input: input)
        #expect(r.status == 2)
        #expect(r.stderr.contains("anomaly.1") && r.stderr.contains("type"))
        let r2 = try Run.tool("eg-rate", ["--now", AnomalyTests.now, "--anomaly", "type=spike,start=random"], input: Run.stream("web", AnomalyTests.base, pool: AnomalyTests.pool))
        #expect(r2.status == 2)
        #expect(r2.stderr.contains("random"))
    }
}
