import Foundation
import Testing

/// Issue 16's exactness: every token type, a replay sample, bundled lines, an anomaly scenario,
/// a jinja generator (`fixtures/shard/conf/shard.conf`) and a stateless Eventum generator
/// (`fixtures/shard/eventum`) run unsharded and as 2, 3 and 7 shards; the sorted union of the
/// shards' events is byte-identical to the sorted unsharded events. Generators with state are
/// refused; the shard may come from EG_SHARD or JOB_COMPLETION_INDEX with EG_SHARDS.
@Suite struct ShardExactTests {
    static let fixtures = Run.root.appendingPathComponent("Tests/PipelineTests/fixtures/shard").path
    static let window = "--now 2024-05-01T00:00:00Z --start 2024-04-30T23:50:00Z --end 2024-05-01T00:00:00Z --seed 7"
    static let anomaly = "--anomaly type=spike,start=2024-04-30T23:55:00Z,duration=2m,factor=4,sample=tokens.log"

    struct Input: CustomTestStringConvertible, Sendable {
        var name: String
        var input: String
        var rate: String
        var testDescription: String { name }
    }

    static let inputs = [
        Input(name: "eventgen conf", input: "conf/shard.conf", rate: window + " " + anomaly),
        Input(name: "eventum generator", input: "eventum", rate: window),
    ]

    /// The event lines (stanza records left out: sharded ones name their shard) of one pipeline.
    static func events(_ input: Input, shard: String?, environment: [String: String] = [:]) throws -> [String] {
        let flag = shard.map { "--shard \($0)" } ?? ""
        let r = try Run.sh("cd '\(fixtures)' && eg-sample \(input.input) | eg-rate \(input.rate) \(flag) | eg-tokenize --seed 3",
                           environment: ["TZ": "UTC"].merging(environment) { $1 })
        #expect(r.status == 0, "\(r.stderr)")
        return r.text.split(separator: "\n").map(String.init).filter { !$0.contains("\"_kind\":\"stanza\"") }
    }

    @Test(arguments: inputs, [2, 3, 7])
    func shardsTogetherAreTheUnshardedRun(_ input: Input, _ n: Int) throws {
        let whole = try Self.events(input, shard: nil)
        var union: [String] = []
        var sizes: [Int] = []
        for i in 0..<n {
            let part = try Self.events(input, shard: "\(i)/\(n)")
            sizes.append(part.count)
            union += part
        }
        #expect(whole.count >= 30)
        #expect(sizes.allSatisfy { $0 > 0 }, "\(sizes)")
        #expect(Data(union.sorted().joined(separator: "\n").utf8) == Data(whole.sorted().joined(separator: "\n").utf8))
    }

    @Test func theConfCoversWhatTheTestClaims() throws {
        // Every token type of the registry is in the conf; the run has replay, bundle, anomaly and jinja events.
        let conf = try String(contentsOfFile: Self.fixtures + "/conf/shard.conf", encoding: .utf8)
        for type in ["static", "timestamp", "replaytimestamp", "random", "rated", "file", "mvfile", "seqfile", "integerid"] {
            #expect(conf.contains("replacementType = \(type)\n"), "\(type)")
        }
        let e = try Self.events(Self.inputs[0], shard: nil)
        #expect(e.filter { $0.contains("\"sample\":\"replay.log\"") }.count >= 10)
        #expect(e.filter { $0.contains("\"_bundle\"") || $0.contains("\"sample\":\"bundle.log\"") }.count >= 10)
        #expect(e.filter { $0.contains("\"anomaly\"") }.count >= 10)
        #expect(e.filter { $0.contains("\"sample\":\"cycles\"") }.count == 30)
        // integerid ids are the unsharded run's: 1000 up, each once.
        let ids = e.compactMap { line -> Int? in
            guard line.contains("\"sample\":\"tokens.log\""), let r = line.range(of: #"seq=\d+"#, options: .regularExpression) else { return nil }
            return Int(line[r].dropFirst(4))
        }
        #expect(ids.count >= 50 && Set(ids).count == ids.count && ids.allSatisfy { $0 >= 1000 }, "\(ids)")
    }

    @Test func theShardComesFromTheEnvironment() throws {
        let input = Self.inputs[0]
        let flag = try Self.events(input, shard: "1/3")
        #expect(try Self.events(input, shard: nil, environment: ["EG_SHARD": "1/3"]) == flag)
        #expect(try Self.events(input, shard: nil, environment: ["EG_SHARDS": "3", "JOB_COMPLETION_INDEX": "1"]) == flag)
        // The flag wins over the environment; JOB_COMPLETION_INDEX alone does not shard.
        #expect(try Self.events(input, shard: "1/3", environment: ["EG_SHARD": "0/2"]) == flag)
        #expect(try Self.events(input, shard: nil, environment: ["JOB_COMPLETION_INDEX": "1"]) == Self.events(input, shard: nil))
    }

    @Test(arguments: [
        (["EG_SHARD": "3/2"], "EG_SHARD expects I/N with 0 <= I < N"),
        (["EG_SHARD": "x"], "EG_SHARD expects I/N"),
        (["EG_SHARD": "0/0"], "EG_SHARD expects I/N"),
        (["EG_SHARDS": "0"], "EG_SHARDS expects a shard count from 1 to 1000000, got '0'"),
        (["EG_SHARDS": "2000000", "JOB_COMPLETION_INDEX": "0"], "EG_SHARDS expects a shard count"),
        (["EG_SHARDS": "3"], "EG_SHARDS=3 needs the shard's index in JOB_COMPLETION_INDEX"),
        (["EG_SHARDS": "3", "JOB_COMPLETION_INDEX": "3"], "JOB_COMPLETION_INDEX=3 is not a shard of EG_SHARDS=3: expected 0 to 2"),
        (["EG_SHARDS": "3", "JOB_COMPLETION_INDEX": "one"], "JOB_COMPLETION_INDEX=one is not a shard"),
    ])
    func badShardVariablesAreUsageErrors(_ environment: [String: String], _ message: String) throws {
        let r = try Run.sh("eg-rate --now 2024-05-01T00:00:00Z --end 1", input: "", environment: environment)
        #expect(r.status == 2)
        #expect(r.stderr.contains("eg-rate: " + message), "\(r.stderr)")
    }

    @Test func aGeneratorWithStateIsRefusedWhenSharded() throws {
        let rate = "--now 2024-05-01T00:00:00Z --start 2024-04-30T23:58:00Z --end 2024-05-01T00:00:00Z"
        let r = try Run.sh("cd '\(Self.fixtures)' && eg-sample stateful | eg-rate \(rate) --shard 0/2 | eg-tokenize")
        #expect(r.status == 2)
        #expect(r.stderr.contains("generator stateful: it keeps state from one timestamp to the next (shared), which eg-rate --shard 0/2 cannot split"), "\(r.stderr)")
        #expect(!r.text.contains("n="))
        // Unsharded it runs, counting on from timestamp to timestamp.
        let whole = try Run.sh("cd '\(Self.fixtures)' && eg-sample stateful | eg-rate \(rate) | eg-tokenize")
        #expect(whole.status == 0, "\(whole.stderr)")
        #expect(whole.text.contains("n=1") && whole.text.contains("n=4"))
    }
}

extension ShardExactTests {
    @Test func stateIsRefusedForIntegerIDsOfAShardedRun() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("eg-shard-state-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try Run.sh("cd '\(Self.fixtures)' && eg-sample conf/shard.conf | eg-rate \(Self.window) --shard 1/3 | eg-tokenize --state '\(dir)'")
        #expect(r.status == 2)
        #expect(r.stderr.contains("eg-tokenize: stanza [tokens.log]: --state cannot resume an integerid token of a run split by eg-rate --shard 1/3"), "\(r.stderr)")
        // The stanza's events are not written; the other samples' are.
        let events = r.text.split(separator: "\n").filter { !$0.contains("\"_kind\":\"stanza\"") }
        #expect(!events.isEmpty && !events.contains { $0.contains("\"sample\":\"tokens.log\"") })
    }
}
