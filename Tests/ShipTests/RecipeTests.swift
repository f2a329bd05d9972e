import EgTestSupport
import Foundation
import Testing
import Core

/// The README's "Recipes", run as written: each code block under its `###` heading, in a scratch
/// directory holding the repository's `examples/`, with the example servers replaced by local test
/// servers. What each recipe promises is checked on what it produced.
@Suite(.serialized) struct RecipeTests {
    /// The code blocks of the README's Recipes section, by heading (a heading may have several).
    static let blocks: [String: [String]] = {
        let readme = (try? String(contentsOfFile: Run.packageRoot + "/README.md", encoding: .utf8)) ?? ""
        guard let start = readme.range(of: "\n## Recipes\n") else { return [:] }
        let section = readme[start.upperBound...].components(separatedBy: "\n## ").first ?? ""
        var out: [String: [String]] = [:]
        var heading = "", block: [String]? = nil
        for line in section.components(separatedBy: "\n") {
            if line.hasPrefix("### ") { heading = String(line.dropFirst(4)); continue }
            if block == nil, line.hasPrefix("```"), line.count > 3 { block = []; continue }
            if block != nil, line == "```" { out[heading, default: []].append(block!.joined(separator: "\n") + "\n"); block = nil; continue }
            block?.append(line)
        }
        return out
    }()

    static func block(_ heading: String, _ k: Int = 0) throws -> String {
        let b = try #require(blocks[heading], "README Recipes has no \"### \(heading)\" with a code block")
        return try #require(k < b.count ? b[k] : nil)
    }

    /// A scratch directory with `examples` linked to the repository's.
    static func scratch() throws -> String {
        let d = Run.tempDir()
        try FileManager.default.createSymbolicLink(atPath: d + "/examples", withDestinationPath: Run.packageRoot + "/examples")
        return d
    }

    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `script` with bash in `dir`, the tools on PATH, in UTC.
    static func bash(_ script: String, in dir: String, environment: [String: String] = [:]) throws -> Outcome {
        let o = try ToolProcess.run(URL(fileURLWithPath: "/bin/bash"), ["-c", script],
                                    environment: environment.merging(["TZ": "UTC"]) { a, _ in a },
                                    directory: URL(fileURLWithPath: dir))
        return Outcome(status: o.status, stdout: String(decoding: o.stdout, as: UTF8.self), stderr: String(decoding: o.stderr, as: UTF8.self))
    }

    /// `Mon dd HH:MM:SS` at the start of a syslog line, as epoch seconds of the current year (UTC).
    static func syslogTime(_ line: Substring) -> Double? {
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let p = line.prefix(15).split(whereSeparator: { $0 == " " || $0 == ":" })
        guard p.count == 5, let m = months.firstIndex(of: String(p[0])), let d = Int(p[1]), let h = Int(p[2]),
              let mi = Int(p[3]), let s = Int(p[4]) else { return nil }
        var c = DateComponents(timeZone: TimeZone(identifier: "UTC"), year: Calendar(identifier: .gregorian).component(.year, from: Date()),
                               month: m + 1, day: d, hour: h, minute: mi, second: s)
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        guard let t = utc.date(from: c)?.timeIntervalSince1970 else { return nil }
        if t > Date().timeIntervalSince1970 + 86400 {   // a week back across new year
            c.year! -= 1
            return utc.date(from: c)?.timeIntervalSince1970
        }
        return t
    }

    @Test func recipesSectionHasEveryRecipe() {
        for h in ["A live demo", "A week of history into a file", "Into Elasticsearch", "Into Splunk HEC", "In a Makefile", "Shell completion"] {
            #expect(Self.blocks[h]?.isEmpty == false, "README Recipes lacks \(h)")
        }
    }

    @Test func liveDemoRecipesRunForOneInterval() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.1\" 200 12\n10.0.0.9 - - [10/Oct/2000:13:55:37 -0700] \"GET /x HTTP/1.1\" 404 0\n"
            .write(toFile: dir + "/access.log", atomically: true, encoding: .utf8)
        // Live runs until Ctrl-C; here each live eg-rate stops after its first interval.
        let cisco = try Self.block("A live demo", 0)
        #expect(cisco == "eg-sample examples/cisco | eg-rate | eg-tokenize | eg-ship --output stdout\n")
        let t0 = Date().timeIntervalSince1970.rounded(.down)
        let r = try Self.bash(cisco.replacingOccurrences(of: "| eg-rate |", with: "| eg-rate --end 1 |"), in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count >= 3 && lines.count <= 22, "\(lines.count)")
        for l in lines {
            let t = try #require(Self.syslogTime(l), "\(l)")
            #expect(t >= t0 - 16 && t <= Date().timeIntervalSince1970 + 1, "\(l)")
        }
        let logs = try Self.block("A live demo", 1).split(separator: "\n").map(String.init)
        #expect(logs.count == 2)
        let live = try Self.bash(logs[0].replacingOccurrences(of: "| eg-rate |", with: "| eg-rate --end 1 |"), in: dir)
        #expect(live.status == 0, "\(live.stderr)")
        let year = String(Calendar(identifier: .gregorian).component(.year, from: Date()))
        let liveLines = live.stdout.split(separator: "\n")
        #expect(liveLines.count == 2 && liveLines.allSatisfy { $0.contains("/\(year):") && !$0.contains("2000") }, "\(live.stdout)")
        let hour = try Self.bash(logs[1], in: dir)
        #expect(hour.status == 0, "\(hour.stderr)")
        #expect(hour.stdout.split(separator: "\n").count == 500)
    }

    @Test func weekOfHistoryIntoOneFile() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let recipe = try Self.block("A week of history into a file")
        let started = Date().timeIntervalSince1970.rounded(.down)
        let r = try Self.bash(recipe, in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["cisco-week.log", "examples"])
        let lines = try String(contentsOfFile: dir + "/cisco-week.log", encoding: .utf8).split(separator: "\n")
        // 7 days of 15 s intervals at up to 20 events, rated down by the hour and day tables.
        #expect(lines.count > 150_000 && lines.count < 7 * 5760 * 22, "\(lines.count)")
        #expect(r.stderr.contains("events=\(lines.count) "), "\(r.stderr)")
        // From a week before the run's start to its end (generous bounds for a loaded machine).
        let now = Date().timeIntervalSince1970
        let first = try #require(Self.syslogTime(lines.first!)), last = try #require(Self.syslogTime(lines.last!))
        #expect(first >= started - 7 * 86400 - 16 && first < started - 7 * 86400 + 600, "\(lines.first!)")   // earliest = -15s
        #expect(last <= now + 1 && last > started - 600, "\(lines.last!)")
        // In time order (every 97th line checked), and every day of the week is there.
        var previous = 0.0, days = Set<Substring>()
        for l in stride(from: 0, to: lines.count, by: 97).map({ lines[$0] }) {
            let t = Self.syslogTime(l) ?? 0
            #expect(t >= previous, "\(l)")
            previous = t
            days.insert(l.prefix(6))
        }
        #expect(days.count == 8, "\(days)")   // today and the 7 days before, partly
    }

    @Test func elasticsearchRecipe() throws {
        let server = TestHTTPServer { req, _ in
            guard let bulk = try? BulkRequest(req.body) else { return .respond(400, "{\"error\":\"bad bulk body\"}") }
            return .respond(200, bulkResponse(bulk.documents.map { _ in 201 }))
        }
        defer { server.stop() }
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let recipe = try Self.block("Into Elasticsearch")
        #expect(recipe.contains("https://es.example.com:9200"))
        let r = try Self.bash(recipe.replacingOccurrences(of: "https://es.example.com:9200", with: "http://127.0.0.1:\(server.port)"),
                              in: dir, environment: ["ES_API_KEY": "a2V5OnNlY3JldA=="])
        #expect(r.status == 0, "\(r.stderr)")
        var documents = 0
        var indices = Set<String>()
        for req in server.requests {
            #expect(req.method == "POST" && req.path.hasPrefix("/_bulk"), "\(req.method) \(req.path)")
            #expect(req.headers["authorization"] == "ApiKey a2V5OnNlY3JldA==")
            let bulk = try BulkRequest(req.body)
            documents += bulk.documents.count
            for a in bulk.actions {
                let name = try #require((try? JSONParser.parse(a))?["index"]?["_index"]?.stringValue, "\(a)")
                indices.insert(name)
            }
        }
        // About 14 000 events a day; one index per UTC day the span touches.
        #expect(documents > 5000, "\(documents)")
        #expect(r.stderr.contains("events=\(documents) "), "\(r.stderr)")
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = "'eg-web-'yyyy.MM.dd"
        // The span is the 24 hours before now: yesterday's and today's index (a day earlier if the
        // test ran across midnight).
        let days = Set((0...2).map { f.string(from: Date().addingTimeInterval(-Double($0) * 86400)) })
        #expect(indices.count == 2 && indices.isSubset(of: days), "\(indices)")
    }

    @Test func splunkHECRecipe() throws {
        let server = TestHTTPServer { _, _ in .respond(200, "{\"text\":\"Success\",\"code\":0}") }
        defer { server.stop() }
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let recipe = try Self.block("Into Splunk HEC")
        let remote = #""protocol":"https","address":"splunk.example.com","port":"8088""#
        #expect(recipe.contains(remote))
        let r = try Self.bash(recipe.replacingOccurrences(of: remote, with: #""protocol":"http","address":"127.0.0.1","port":"\#(server.port)""#),
                              in: dir, environment: ["HEC_TOKEN": "00000000-1111-2222-3333-444444444444"])
        #expect(r.status == 0, "\(r.stderr)")
        var events: [JSONValue] = []
        for req in server.requests {
            #expect(req.method == "POST" && req.path == "/services/collector", "\(req.path)")
            #expect(req.headers["authorization"] == "Splunk 00000000-1111-2222-3333-444444444444")
            events += try splitObjects(req.body)
        }
        // An hour of 15 s intervals at up to 20 events.
        #expect(events.count > 100 && events.count <= 240 * 22, "\(events.count)")
        #expect(r.stderr.contains("events=\(events.count) "), "\(r.stderr)")
        let now = Date().timeIntervalSince1970
        for e in events {
            #expect(e["index"]?.stringValue == "main" && e["sourcetype"]?.stringValue == "cisco:ios" && e["host"] != nil && e["source"] != nil, "\(e)")
            let t = try #require(e["time"]?.doubleValue, "\(e)")
            #expect(t >= now - 3600 - 60 && t <= now + 1)
            #expect(e["event"]?.stringValue?.isEmpty == false)
        }
    }

    @Test func makefileRuleFailsWhenAnyStageFails() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let makefile = try Self.block("In a Makefile")
        #expect(makefile.contains("SHELL = /bin/bash\n.SHELLFLAGS = -o pipefail -c\n"))
        try makefile.write(toFile: dir + "/Makefile", atomically: true, encoding: .utf8)
        let ok = try Self.bash("make", in: dir)
        #expect(ok.status == 0, "\(ok.stderr)")
        let lines = try String(contentsOfFile: dir + "/cisco-day.log", encoding: .utf8).split(separator: "\n")
        #expect(lines.count > 20_000, "\(lines.count)")
        try FileManager.default.removeItem(atPath: dir + "/cisco-day.log")
        // A broken first stage fails the rule and leaves no target.
        let broken = try Self.bash("make SAMPLES=no-such-app.conf", in: dir)
        #expect(broken.status != 0)
        #expect(broken.stderr.contains("eg-sample: "), "\(broken.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/cisco-day.log"))
        // Without pipefail the same failure would pass unnoticed: what the recipe's two lines prevent.
        try makefile.replacingOccurrences(of: ".SHELLFLAGS = -o pipefail -c\n", with: "").write(toFile: dir + "/Makefile", atomically: true, encoding: .utf8)
        let unnoticed = try Self.bash("make SAMPLES=no-such-app.conf", in: dir)
        #expect(unnoticed.status == 0, "\(unnoticed.stderr)")
    }

    @Test func completionRecipeLoadsInBash() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let recipe = try Self.block("Shell completion")
        let r = try Self.bash(recipe + "complete -p eg-rate\n", in: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "complete -o bashdefault -o filenames -F _eg_rate eg-rate\n", "\(r.stdout)")
    }
}
