import Foundation
import Testing

/// `eg-tokenize --jobs N` (issue 16): N tokenizers over one input write exactly what one writes,
/// stanzas and bundles included, whatever the chunk size (`EG_JOBS_CHUNK_BYTES` makes chunks
/// small enough to cut bundles, stanzas and generators many times); what cannot be split (a
/// generator with state, a bundle over the carry limit) still gives the same bytes; errors,
/// notes, `--state` and a closed output behave as with one tokenizer.
@Suite struct JobsTests {
    static let fixtures = ShardExactTests.fixtures
    static let window = ShardExactTests.window

    /// A temporary directory holding the recorded eg-rate streams of the shard fixtures.
    final class Streams: Sendable {
        let dir: String
        init() throws {
            dir = NSTemporaryDirectory() + "eg-jobs-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let f = JobsTests.fixtures
            for (name, input, rate) in [("conf", "conf/shard.conf", JobsTests.window + " " + ShardExactTests.anomaly),
                                        ("eventum", "eventum", JobsTests.window),
                                        ("stateful", "stateful", JobsTests.window)] {
                let r = try Run.sh("cd '\(f)' && eg-sample \(input) | eg-rate \(rate) > '\(dir)/\(name).ndjson'", environment: ["TZ": "UTC"])
                guard r.status == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: r.stderr]) }
            }
        }
        deinit { try? FileManager.default.removeItem(atPath: dir) }
        func path(_ name: String) -> String { dir + "/" + name + ".ndjson" }
    }
    static let streams = Result { try Streams() }

    static func tokenize(_ input: String, jobs: Int, chunk: Int? = nil, extra: String = "", cwd: String? = nil) throws -> Run.Result {
        var env = ["TZ": "UTC"]
        if let chunk { env["EG_JOBS_CHUNK_BYTES"] = String(chunk) }
        return try Run.sh("cd '\(cwd ?? fixtures)' && eg-tokenize --seed 3 --jobs \(jobs) \(extra) \(input)", environment: env)
    }

    @Test(arguments: ["conf", "eventum", "stateful"], [2, 3, 7])
    func jobsWriteWhatOneTokenizerWrites(_ stream: String, _ jobs: Int) throws {
        let input = try Self.streams.get().path(stream)
        let one = try Self.tokenize(input, jobs: 1)
        #expect(one.status == 0, "\(one.stderr)")
        #expect(one.stdout.count > 2_000)
        // Default chunks (the whole stream in one), one line per chunk, and chunks that cut
        // bundles and stanza runs; with 1-byte chunks every bundle is over the carry limit.
        for chunk in [nil, 1, 300, 2_000] as [Int?] {
            let many = try Self.tokenize(input, jobs: jobs, chunk: chunk)
            #expect(many.status == 0, "\(many.stderr)")
            #expect(many.stdout == one.stdout, "\(stream), --jobs \(jobs), chunk \(chunk.map(String.init) ?? "default"): \(many.stdout.count) bytes against \(one.stdout.count)")
            #expect(many.stderr == one.stderr)
        }
    }

    /// Several inputs (the same file twice): a bundle ending one input is not joined to the
    /// next input's lines unless one tokenizer would join them, and lines keep their own input's numbers.
    @Test func severalInputsAreDealtAsOneStream() throws {
        let input = try Self.streams.get().path("conf")
        let one = try Self.tokenize("'\(input)' '\(input)'", jobs: 1)
        #expect(one.status == 0, "\(one.stderr)")
        for chunk in [300, 2_000] {
            let many = try Self.tokenize("'\(input)' '\(input)'", jobs: 3, chunk: chunk)
            #expect(many.status == 0, "\(many.stderr)")
            #expect(many.stdout == one.stdout, "chunk \(chunk)")
        }
    }

    @Test func theStreamsHaveWhatTheTestNeeds() throws {
        let conf = try String(contentsOfFile: Self.streams.get().path("conf"), encoding: .utf8)
        let lines = conf.split(separator: "\n")
        #expect(lines.filter { $0.contains("\"_kind\":\"stanza\"") }.count >= 4)
        // Bundles of several events each, so 300-byte chunks end inside them.
        let bundled = lines.filter { $0.contains("\"_bundle\":") }
        #expect(bundled.count >= 10)
        #expect(Set(bundled.map { $0.components(separatedBy: "\"_bundle\":")[1].prefix(while: \.isNumber) }).count < bundled.count)
    }

    @Test func eventsWithoutSeqAreAnInputError() throws {
        let dir = try Self.streams.get().dir
        let input = dir + "/noseq.ndjson"
        try #"""
        {"_raw":"a 2024-01-01 00:00:00","_time":1704067200,"_seq":0}
        {"_raw":"b 2024-01-01 00:00:00","_time":1704067201}

        """#.write(toFile: input, atomically: true, encoding: .utf8)
        let token = "-t '\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}' --type timestamp -r '%Y'"
        let r = try Self.tokenize(input, jobs: 2, extra: token)
        #expect(r.status == 2)
        #expect(r.stderr.contains("\(input):2: --jobs needs every event numbered by its \"_seq\" member"), "\(r.stderr)")
        #expect(r.text == "{\"_raw\":\"a 2024\",\"_time\":1704067200,\"_seq\":0}\n")
        // Events no token touches pass through without a number.
        let plain = try Self.tokenize(input, jobs: 2)
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(plain.text.split(separator: "\n").count == 2)
    }

    /// A stanza or bundle key written with escapes (`"\u005fkind"`) is still the same record;
    /// where the dispatcher could not see it, the run stops with an input error instead of
    /// writing other bytes than one tokenizer.
    @Test(arguments: [("\"_kind\":\"stanza\"", "stanza record's \"_kind\""), ("\"_bundle\":", "event's \"_bundle\"")])
    func escapedKeysGiveTheSameBytesOrAnInputError(_ key: String, _ what: String) throws {
        let dir = try Self.streams.get().dir
        let lines = try String(contentsOfFile: Self.streams.get().path("conf"), encoding: .utf8).split(separator: "\n")
        let at = try #require(lines.firstIndex { $0.contains(key) && !$0.hasPrefix("{\"_kind\":\"stanza\",\"sample\":\"tokens.log\"") })
        var changed = lines.map(String.init)
        changed[at] = changed[at].replacingOccurrences(of: key, with: key.replacingOccurrences(of: "\"_", with: "\"\\u005f"))
        let input = dir + "/escaped-\(at).ndjson"
        try (changed.joined(separator: "\n") + "\n").write(toFile: input, atomically: true, encoding: .utf8)
        let one = try Self.tokenize(input, jobs: 1)
        #expect(one.status == 0, "\(one.stderr)")
        let whole = try Self.tokenize(input, jobs: 3)
        #expect(whole.status == 0 && whole.stdout == one.stdout, "\(whole.stderr)")
        let tiny = try Self.tokenize(input, jobs: 3, chunk: 1)
        #expect(tiny.status == 2)
        #expect(tiny.stderr.contains("escaped-\(at).ndjson:\(at + 1): this \(what) is written with escapes, so --jobs could not deal the stream by it"), "\(tiny.stderr)")
    }

    @Test func aBadLineStopsTheOutputWhereOneTokenizerStops() throws {
        let dir = try Self.streams.get().dir
        let good = try String(contentsOfFile: Self.streams.get().path("conf"), encoding: .utf8).split(separator: "\n")
        let bad = dir + "/bad.ndjson"
        let at = good.count - 20
        try (good[..<at].joined(separator: "\n") + "\n{\"_raw\": oops}\n" + good[at...].joined(separator: "\n") + "\n")
            .write(toFile: bad, atomically: true, encoding: .utf8)
        let one = try Self.tokenize(bad, jobs: 1)
        let many = try Self.tokenize(bad, jobs: 3, chunk: 500)
        #expect(one.status == 2 && many.status == 2)
        #expect(many.stderr == one.stderr)
        #expect(many.stderr.contains("bad.ndjson:\(at + 1): "), "\(many.stderr)")
        #expect(many.stdout == one.stdout)
        #expect(many.text.split(separator: "\n").count >= at - 10)
    }

    @Test func refusedSamplesAndTemplateErrorsAreReportedOnceWithAllCounts() throws {
        let dir = try Self.streams.get().dir
        let conf = dir + "/refusing.conf"
        try """
        [broken.log]
        sampleDir = \(dir)
        count = 5
        token.0.token = seq=(\\d+)
        token.0.replacementType = random
        token.0.replacement = integer[9:1]

        [tokens.log]
        sampleDir = \(dir)
        count = 5
        """.write(toFile: conf, atomically: true, encoding: .utf8)
        let input = dir + "/refusing.ndjson"
        let rate = try Run.sh("cp '\(Self.fixtures)/samples/tokens.log' '\(dir)/broken.log' && cp '\(Self.fixtures)/samples/tokens.log' '\(dir)/' && eg-sample '\(conf)' | eg-rate \(Self.window) > '\(input)'",
                              environment: ["TZ": "UTC"])
        #expect(rate.status == 0, "\(rate.stderr)")
        let one = try Self.tokenize(input, jobs: 1)
        let many = try Self.tokenize(input, jobs: 4, chunk: 400)
        #expect(one.status == 2, "\(one.stderr)")
        #expect(many.status == one.status)
        #expect(many.stderr == one.stderr)
        #expect(one.stderr.contains("broken.log: 50 events dropped"), "\(one.stderr)")
        #expect(many.stdout == one.stdout)
        // A template that fails on every third event: one line per failing template, all counted.
        let template = dir + "/third.j2"
        try "{{ _seq // (_seq % 3) }} {{ 1 / (_seq % 2) if _seq > 40 else '' }}".write(toFile: template, atomically: true, encoding: .utf8)
        let conf1 = try Self.tokenize(Self.streams.get().path("conf"), jobs: 1, extra: "--template '\(template)'")
        let confN = try Self.tokenize(Self.streams.get().path("conf"), jobs: 3, chunk: 300, extra: "--template '\(template)'")
        #expect(conf1.status == 1, "\(conf1.stderr)")
        #expect(conf1.stderr.contains("third.j2)"), "\(conf1.stderr)")
        #expect(confN.status == 1)
        #expect(confN.stderr == conf1.stderr)
        #expect(confN.stdout == conf1.stdout)
    }

    @Test func stateIsSavedAsOneTokenizerSavesIt() throws {
        let input = try Self.streams.get().path("conf")
        let base = try Self.streams.get().dir
        var saved: [String] = []
        for (n, jobs) in [1, 3].enumerated() {
            let state = base + "/state\(n)"
            let r = try Self.tokenize(input, jobs: jobs, chunk: 700, extra: "--state '\(state)'")
            #expect(r.status == 0, "\(r.stderr)")
            let files = try FileManager.default.contentsOfDirectory(atPath: state).sorted()
            #expect(!files.isEmpty)
            saved.append(try files.map { try String(contentsOfFile: state + "/" + $0, encoding: .utf8) }.joined(separator: "|"))
        }
        #expect(saved[0] == saved[1])
    }

    @Test func aReaderThatGoesAwayEndsTheRunQuietly() throws {
        let input = try Self.streams.get().path("conf")
        let r = try Run.sh("cd '\(Self.fixtures)' && (eg-tokenize --jobs 3 '\(input)'; echo \"rc=$?\" >&2) | head -2", environment: ["TZ": "UTC", "EG_JOBS_CHUNK_BYTES": "200"])
        #expect(r.text.split(separator: "\n").count == 2)
        #expect(r.stderr.contains("rc=0"), "\(r.stderr)")
    }

    @Test(arguments: [("--jobs 0", "--jobs expects a number of tokenizers from 1 to 256, got 0"),
                      ("--jobs 257", "--jobs expects a number of tokenizers from 1 to 256, got 257"),
                      ("--jobs x", "--jobs expects an integer, got 'x'")])
    func badJobCountsAreUsageErrors(_ flag: String, _ message: String) throws {
        let r = try Run.sh("eg-tokenize \(flag) < /dev/null")
        #expect(r.status == 2)
        #expect(r.stderr.contains(message), "\(r.stderr)")
    }

    @Test func aBadChunkSizeIsAUsageError() throws {
        let r = try Run.sh("eg-tokenize --jobs 2 < /dev/null", environment: ["EG_JOBS_CHUNK_BYTES": "0"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("EG_JOBS_CHUNK_BYTES expects a number of bytes from 1 to 1073741824, got '0'"), "\(r.stderr)")
    }

    @Test func liveLinesComeOutWithoutWaitingForMore() throws {
        // One event written into a pipe that stays open 5 s comes out well before the pipe ends.
        let r = try Run.sh("""
            start=$(date +%s%N)
            (echo '{"_raw":"x 2024-01-01 00:00:00","_time":1704067200,"_seq":0}'; sleep 5) \\
              | eg-tokenize --jobs 2 -t '\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}' --type timestamp -r '%Y' \\
              | { read -r line; echo "$line"; echo "ms=$(( ($(date +%s%N) - start) / 1000000 ))" >&2; }
            """)
        #expect(r.text == "{\"_raw\":\"x 2024\",\"_time\":1704067200,\"_seq\":0}\n", "\(r.stderr)")
        let ms = r.stderr.components(separatedBy: "ms=").last.flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        #expect(ms.map { $0 < 4_000 } == true, "\(r.stderr)")
    }
}
