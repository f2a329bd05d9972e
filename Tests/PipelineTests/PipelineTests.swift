import Foundation
import Testing

/// End-to-end behaviour that every tool shares, and the whole pipeline.
@Suite struct PipelineTests {
    static let tools = ["eg-sample", "eg-rate", "eg-tokenize", "eg-ship"]

    @Test(arguments: ["eg-rate", "eg-tokenize", "eg-ship"])
    func malformedRecordNamesStdinAndLine(tool: String) throws {
        let input = "{\"_raw\":\"a\",\"_time\":1700000000}\n{\"_raw\":\"b\",\"_time\":1700000001}\n{\"_raw\": \"x\"\n"
        let extra = tool == "eg-ship" ? " --output devnull" : ""
        let r = try Run.sh("\(tool) --seed 1\(extra) 2>&1 >/dev/null; echo \"status=$?\"", input: input)
        // eg-ship first delivers the good events and prints its summary; the error line must be there.
        #expect(r.text.split(separator: "\n").contains { $0.hasPrefix("\(tool): stdin:3: expected ',' or '}'") }, "\(r.text)")
        #expect(r.text.contains("status=2"), "\(r.text)")
    }

    @Test(arguments: tools)
    func unknownFlagIsAUsageError(tool: String) throws {
        let r = try Run.sh("\(tool) --no-such-flag </dev/null")
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("\(tool): unknown option '--no-such-flag'\nusage: \(tool) "), "\(r.stderr)")
    }

    @Test(arguments: tools)
    func manPageHoldsTheHelpSynopsisAndOptions(tool: String) throws {
        let sections = try Run.sh("\(tool) --man-sections")
        #expect(sections.status == 0)
        let page = try String(contentsOf: Run.root.appendingPathComponent("man/\(tool).1"), encoding: .utf8)
        #expect(page.contains(sections.text), "man/\(tool).1 must contain `\(tool) --man-sections` verbatim")
        let help = try Run.sh("\(tool) --help")
        #expect(help.status == 0)
        #expect(help.text.hasPrefix("usage: \(tool) "))
        let version = try Run.sh("\(tool) --version")
        #expect(version.text.hasPrefix("\(tool) (eg) "))
    }

    @Test func demoPipelinePrintsTutorialEventsWithCurrentTimestamps() throws {
        let r = try Run.sh("eg-sample examples/cisco | eg-rate --end 1 | eg-tokenize | eg-ship --output stdout")
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.text.split(separator: "\n")
        // count 20, hourOfDayRate 0.4...1.0, dayOfWeekRate 0.5...1.0, randomizeCount 0.2
        #expect(lines.count >= 3 && lines.count <= 22, "\(lines.count) events")
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = "MMM dd"
        let today = f.string(from: Date())
        let yesterday = f.string(from: Date().addingTimeInterval(-86400))
        for line in lines {
            #expect(line.hasPrefix(today) || line.hasPrefix(yesterday), "\(line)")
            #expect(line.contains(": %"), "\(line)")
        }
    }

    @Test func seededPipelineIsByteIdenticalAndSeedsDiffer() throws {
        let pipe = "eg-sample examples/cisco | eg-rate --now 2026-03-02T10:00:00Z --end 40 --seed %d | eg-tokenize --seed %d | eg-ship --output stdout"
        let a = try Run.sh(String(format: pipe, 7, 7))
        let b = try Run.sh(String(format: pipe, 7, 7))
        let c = try Run.sh(String(format: pipe, 8, 8))
        #expect(a.status == 0, "\(a.stderr)")
        #expect(a.stdout.count > 1000)
        #expect(a.stdout == b.stdout)
        #expect(a.stdout != c.stdout)
    }

    @Test func fileOutputFollowsTheStanza() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("eg-pipe-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let conf = try String(contentsOf: Run.root.appendingPathComponent("examples/cisco/default/eventgen.conf"), encoding: .utf8)
            .replacingOccurrences(of: "/tmp/ciscosample.log", with: dir.appendingPathComponent("out.log").path)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("default"), withIntermediateDirectories: true)
        try conf.write(to: dir.appendingPathComponent("default/eventgen.conf"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(at: dir.appendingPathComponent("samples"),
                                                   withDestinationURL: Run.root.appendingPathComponent("examples/cisco/samples"))
        let r = try Run.sh("eg-sample \(dir.path) | eg-rate --now 2026-03-06T01:00:00Z --end 4 --seed 3 | eg-tokenize --seed 3 | eg-ship",
                           environment: ["TZ": "UTC"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        let written = try String(contentsOf: dir.appendingPathComponent("out.log"), encoding: .utf8)
        let lines = written.split(separator: "\n")
        // Friday 01:00 UTC: hourOfDayRate 1.0 x dayOfWeekRate 1.0 -> 20 x [0.9, 1.1] per interval, 4 intervals
        #expect(lines.count >= 72 && lines.count <= 88, "\(lines.count)")
        #expect(lines.allSatisfy { $0.hasPrefix("Mar 06 0") || $0.hasPrefix("Mar 05 2") })
    }
}
