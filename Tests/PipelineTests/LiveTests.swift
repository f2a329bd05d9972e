import EgTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The live pipeline as a user runs it in a terminal: events come out as they happen, and Ctrl-C
/// (SIGINT to the whole process group) drains it, losing nothing that eg-rate released.
@Suite struct LiveTests {
    /// An app directory with one sample of 20 events a second, each stamped with its time.
    static func app() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("eg-live-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("default"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("samples"), withIntermediateDirectories: true)
        try """
        [live.log]
        interval = 1
        count = 20
        earliest = -1s
        latest = now
        randomizeEvents = true
        token.0.token = ^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}
        token.0.replacementType = timestamp
        token.0.replacement = %Y-%m-%dT%H:%M:%S

        """.write(to: dir.appendingPathComponent("default/eventgen.conf"), atomically: true, encoding: .utf8)
        try (0..<10).map { "2020-01-01T00:00:00 host=web-\($0) action=login user=u\($0)" }.joined(separator: "\n")
            .write(to: dir.appendingPathComponent("samples/live.log"), atomically: true, encoding: .utf8)
        return dir
    }

    static func stages(_ app: URL, ship: [String]) -> [[String]] {
        [["eg-sample", app.path], ["eg-rate", "--stats", "--seed", "5"], ["eg-tokenize", "--seed", "5"], ["eg-ship"] + ship]
    }

    /// `events=N` of a summary line that starts with `prefix`.
    static func events(in text: String, prefix: String) -> Int? {
        guard let line = text.split(separator: "\n").last(where: { $0.hasPrefix(prefix) }),
              let field = line.split(separator: " ").first(where: { $0.hasPrefix("events=") }) else { return nil }
        return Int(field.dropFirst("events=".count))
    }

    @Test func sigintToTheGroupDrainsEveryReleasedEventIntoEgShip() throws {
        let app = try Self.app()
        defer { try? FileManager.default.removeItem(at: app) }
        let p = try ProcessGroupPipeline(Self.stages(app, ship: ["--output", "stdout"]))
        let until = Date().addingTimeInterval(20)
        while p.output.count < 30 && Date() < until { usleep(50_000) }
        usleep(300_000)
        p.signalGroup(SIGINT)
        let ends = p.wait()
        let lines = p.output.map(\.line)
        for (k, e) in ends.enumerated() { #expect(e.status == 0, "stage \(k): \(e.stderr)") }
        let released = try #require(Self.events(in: ends[1].stderr, prefix: "eg-rate: summary:"), "\(ends[1].stderr)")
        #expect(released >= 30)
        #expect(lines.count == released, "eg-rate released \(released), eg-ship wrote \(lines.count)")
        #expect(lines.allSatisfy { $0.contains(" action=login user=u") })
        // The summary is true: what it counts is what reached the output.
        #expect(Self.events(in: ends[3].stderr, prefix: "eg-ship: summary: stdout") == lines.count, "\(ends[3].stderr)")
        #expect(ends[3].stderr.contains("failed=0"))
    }

    @Test func eventsReachTheEndOfTheLivePipelineWithinAFractionOfASecondOfTheirTime() throws {
        let app = try Self.app()
        defer { try? FileManager.default.removeItem(at: app) }
        let start = Date()
        let p = try ProcessGroupPipeline(Self.stages(app, ship: ["--output", "stdout", "--format", "json"]))
        // Events released after the first second: each one's lateness at the end of the pipe.
        var late: [Double] = []
        let until = Date().addingTimeInterval(20)
        while late.count < 40 && Date() < until {
            usleep(50_000)
            late = p.output.compactMap { o -> Double? in
                guard let r = o.line.range(of: "\"_time\":"), let t = Double(o.line[r.upperBound...].prefix { $0 != "," && $0 != "}" }),
                      t > start.timeIntervalSince1970 + 1.5 else { return nil }
                return o.arrived.timeIntervalSince1970 - t
            }
        }
        p.signalGroup(SIGINT)
        let ends = p.wait()
        #expect(ends.allSatisfy { $0.status == 0 }, "\(ends.map(\.stderr))")
        try #require(late.count >= 40, "only \(late.count) live events arrived while the pipeline ran")
        // Each stage flushes within ~0.1 s of its input going quiet: well under a second in all
        // (generous for a loaded machine; without idle flushing nothing arrives before the end).
        let sorted = late.sorted()
        #expect(sorted[sorted.count / 2] < 0.5, "median lateness \(sorted[sorted.count / 2]) s")
        #expect(sorted[sorted.count * 9 / 10] < 1.5, "90th percentile lateness \(sorted[sorted.count * 9 / 10]) s")
    }
}
