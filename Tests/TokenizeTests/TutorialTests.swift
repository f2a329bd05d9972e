import Core
import Foundation
import Testing

/// The README tutorial's second and third examples: the stanza comes from the real conf (parsed
/// by Core), the pool from the real sample, the SPLUNK_HOME paths from a temporary SPLUNK_HOME
/// whose SA-Eventgen/samples links to the shared samples.
@Suite struct TutorialTests {
    static let samples = Run.shared + "/eventgen/samples"

    static func splunkHome() throws -> String {
        let home = Run.tempDir()
        try FileManager.default.createDirectory(atPath: home + "/etc/apps/SA-Eventgen", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: home + "/etc/apps/SA-Eventgen/samples", withDestinationPath: samples)
        return home
    }

    static func stanza(_ conf: String, _ name: String) throws -> String {
        let path = Run.shared + "/eventgen/tutorials/" + conf
        let file = try ConfFile.load(path: path)
        let section = try #require(file[section: name])
        return StanzaRecord(sample: name, stanza: name, conf: path, sampleDir: samples,
                            settings: section.settings.pairs.map { (key: $0.0, value: $0.1) }).record.jsonText
    }

    static func lines(_ file: String) throws -> [String] {
        try String(contentsOfFile: samples + "/" + file, encoding: .utf8)
            .components(separatedBy: .newlines).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    static func run(_ input: [String]) throws -> [Record] {
        var env = ProcessInfo.processInfo.environment
        env["SPLUNK_HOME"] = try splunkHome()
        env["TZ"] = "UTC"
        let r = try Run.tokenize(["--seed", "2024"], input: input.joined(separator: "\n") + "\n", environment: env)
        #expect(r.status == 0, "\(r.stderr)")
        return r.records
    }

    @Test func tutorial2CiscoTimestamps() throws {
        let pool = try String(contentsOfFile: TutorialTests.samples + "/sample.tutorial2", encoding: .utf8)
            .split(separator: "\n").map(String.init)
        var input = [try TutorialTests.stanza("eventgen.conf.tutorial2", "sample.tutorial2")]
        var times: [Int64] = []
        for k in 0..<(pool.count * 2) {
            let t: Int64 = 1_700_000_000 + Int64(k * 7)
            times.append(t)
            input.append(Run.line([("_raw", .string(pool[k % pool.count])), ("_time", .number(String(t))),
                                   ("sample", .string("sample.tutorial2")), ("index", .string("main"))]))
        }
        let out = try TutorialTests.run(input)
        #expect(out.first?.isStanza == true)
        let events = Array(out.dropFirst())
        #expect(events.count == pool.count * 2)
        let re = try NSRegularExpression(pattern: #"\w{3}\s+\d{1,2}\s+\d{2}:\d{2}:\d{2}"#)
        let fmt = Strftime("%b %d %H:%M:%S")
        for (k, e) in events.enumerated() {
            let original = pool[k % pool.count] as NSString
            guard let m = re.firstMatch(in: original as String, range: NSRange(location: 0, length: original.length)) else {
                #expect(e.raw == original as String)
                continue
            }
            let expected = original.replacingCharacters(in: m.range, with: fmt.format(EventTime(seconds: times[k]), zone: .utc))
            #expect(e.raw == expected)
            #expect(e.string("index") == "main")
        }
    }

    @Test func tutorial3BusinessEventFields() throws {
        let pool = try TutorialTests.lines("sample.tutorial3")
        #expect(pool.count == 1)
        var input = [try TutorialTests.stanza("eventgen.conf.tutorial3", "sample.tutorial3")]
        let n = 500
        for k in 0..<n {
            input.append(Run.line([("_raw", .string(pool[0])), ("_time", .number("\(1_700_000_000 + k / 10).\(k % 10)")),
                                   ("sample", .string("sample.tutorial3"))]))
        }
        let events = Array(try TutorialTests.run(input).dropFirst())
        #expect(events.count == n)
        let orderTypes = Set(try TutorialTests.lines("orderType.sample"))
        let users = Set(try TutorialTests.lines("userName.sample"))
        let markets = Set(try TutorialTests.lines("markets.sample").map { $0.split(separator: ",", omittingEmptySubsequences: false).prefix(3).joined(separator: ",") })
        let re = try NSRegularExpression(pattern:
            #"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) transType=(.*) transID=(\d+) transGUID=(\S+) userName=(.*) city="(.*)" state=(.*) zip=(\d+) value=(\S+)$"#)
        var seenTypes = Set<String>(), seenUsers = Set<String>(), values: [Double] = []
        for (k, e) in events.enumerated() {
            let raw = try #require(e.raw)
            let m = try #require(re.firstMatch(in: raw, range: NSRange(location: 0, length: (raw as NSString).length)), "\(raw)")
            let g = (1...9).map { (raw as NSString).substring(with: m.range(at: $0)) }
            #expect(g[0] == Strftime("%Y-%m-%d %H:%M:%S").format(EventTime(seconds: Int64(1_700_000_000 + k / 10)), zone: .utc))
            #expect(orderTypes.contains(g[1]))
            #expect(g[2] == String(10000 + k))
            #expect(g[3].range(of: #"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"#, options: .regularExpression) != nil)
            #expect(users.contains(g[4]))
            #expect(markets.contains("\(g[7]),\(g[5]),\(g[6])"), "zip/city/state \(g[7]),\(g[5]),\(g[6]) not one row")
            #expect(g[8].range(of: #"^\d{1,2}\.\d{1,3}$"#, options: .regularExpression) != nil)
            values.append(Double(g[8]) ?? -1)
            seenTypes.insert(g[1]); seenUsers.insert(g[4])
        }
        #expect(seenTypes == orderTypes)
        #expect(seenUsers.count > 50)
        #expect(values.allSatisfy { $0 >= 0 && $0 <= 10 })
    }
}
