import EgTestSupport
import Foundation
import Core
@testable import eg_rate

/// Runs the real eg-rate binary, and eg-rate's engine in process, for the tests.
enum Run {
    /// The package root.
    static let root = ToolProcess.root

    struct Result {
        var stdout: String
        var stderr: String
        var status: Int32
        var lines: [String] { stdout.split(separator: "\n").map(String.init) }
    }

    /// Runs eg-rate with `args`, feeding `input` on stdin.
    static func tool(_ args: [String], input: String) throws -> Result {
        let o = try ToolProcess.run(ToolProcess.binary("eg-rate"), args, input: Data(input.utf8))
        return Result(stdout: String(decoding: o.stdout, as: UTF8.self), stderr: String(decoding: o.stderr, as: UTF8.self),
                      status: o.status)
    }

    /// What an in-process run produced.
    struct Generated {
        var output: String
        var batches: [Batch]
        var units: [(sample: Int, unit: EventUnit, at: EventTime?)]
        var samples: [RateCommand.PreparedSample]
        var records: [Record] {
            output.split(separator: "\n").compactMap { Run.record(String($0)) }
        }
    }

    /// Runs eg-rate's engine in process on `input`, with a fake clock in live mode.
    static func engine(_ args: [String], input: String, clock: FakeClock? = nil) throws -> Generated {
        let path = NSTemporaryDirectory() + "eg-rate-test-\(UUID().uuidString).ndjson"
        try input.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let parsed = try RateCommand.spec.parse(args)
        let o = try RateCommand.options(parsed, wallNow: EventTime(seconds: 1_700_000_000))
        let stream = try StreamInput(inputs: RecordInputs(paths: [path]))
        var refused: [RefusedSample] = []
        let samples = try RateCommand.prepare(stream, o, runSeed: 99, refused: &refused, report: false)
        if let first = refused.first { throw first.error }
        let batch = clock == nil  // a fake clock means live mode
        let timing = RunTiming(now: o.now, start: o.start, batch: batch, burst: o.burst)
        let output = OutputBuffer(threshold: 1 << 26)
        let engine = Engine(sources: RateCommand.sources(samples, timing: timing, shard: o.shard, o),
                            pools: samples.map(\.pool), clock: batch ? nil : clock, output: output)
        engine.flushes = false
        var g = Generated(output: "", batches: [], units: [], samples: samples)
        engine.onBatch = { g.batches.append($0) }
        engine.onUnit = { s, u in g.units.append((s, u, clock?.now())) }
        try engine.run()
        g.output = String(decoding: output.bytes, as: UTF8.self)
        return g
    }

    /// One JSON line as a record (nil if malformed).
    static func record(_ line: String) -> Record? {
        let fields = Array(line.utf8).withUnsafeBufferPointer { try? JSONParser.parseObject($0) }
        return fields.map { Record(fields: $0) }
    }

    /// A stanza record line for `sample` with `settings`.
    static func stanza(_ sample: String, _ settings: [(String, String)]) -> String {
        let r = StanzaRecord(sample: sample, stanza: sample, settings: settings.map { (key: $0.0, value: $0.1) }).record
        return r.jsonText
    }

    /// Pool event lines for `sample`.
    static func pool(_ sample: String, _ raws: [String], extra: [(String, String)] = []) -> [String] {
        raws.map { raw in
            var r = Record(fields: [JSONField("_raw", .string(raw)), JSONField("sample", .string(sample)),
                                    JSONField("index", .string("main")), JSONField("host", .string("h1")),
                                    JSONField("source", .string(sample)), JSONField("sourcetype", .string("test"))])
            for (k, v) in extra { r[k] = .string(v) }
            return r.jsonText
        }
    }

    /// A stream: a stanza record and its pool.
    static func stream(_ sample: String, _ settings: [(String, String)], _ raws: [String]) -> String {
        ([stanza(sample, settings)] + pool(sample, raws)).joined(separator: "\n") + "\n"
    }
}
