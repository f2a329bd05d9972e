import Core
import EgTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// examples/scale (issue 16): the Kubernetes Indexed Jobs are valid Jobs of the shape sharding needs,
/// their own command line run as every index gives the unsharded events, and the GNU parallel script
/// does the same on this host. Shard 0 alone writes the labels, identical to the unsharded run's.
@Suite struct ScaleExamplesTests {
    static let scale = Run.root.appendingPathComponent("examples/scale")
    static let app = scale.appendingPathComponent("app").path
    static let manifests = ["eg-hec.yaml", "eg-elasticsearch.yaml", "eg-kafka.yaml"]
    static let window = "--now 2026-12-01T00:00:00Z --backfill -3m --end 2026-12-01T00:00:00Z"

    /// The unsharded run of the example app over the test window, sorted, and its labels.
    static func unsharded() throws -> (sorted: [Substring], labels: String) {
        let dir = try Scratch()
        let labels = dir.path("labels.jsonl")
        let r = try Run.sh("eg-sample '\(app)' | eg-rate --seed 7 \(window) --labels '\(labels)' | eg-tokenize --seed 7 | eg-ship -o stdout")
        #expect(r.status == 0, "\(r.stderr)")
        return (r.text.split(separator: "\n").sorted(), try String(contentsOfFile: labels, encoding: .utf8))
    }

    /// nil when the sorted lines agree; else the counts and the first line that differs (never the whole runs).
    static func difference(_ shards: [Substring], _ whole: [Substring]) -> String? {
        if shards == whole { return nil }
        let i = (0..<min(shards.count, whole.count)).first { shards[$0] != whole[$0] } ?? min(shards.count, whole.count)
        return "\(shards.count) lines against \(whole.count); first difference at sorted line \(i): "
            + "\(i < shards.count ? String(shards[i]) : "(none)") against \(i < whole.count ? String(whole[i]) : "(none)")"
    }

    static func manifest(_ name: String) throws -> YAMLNode {
        let path = scale.appendingPathComponent("k8s/\(name)").path
        return try YAML.parse(try String(contentsOfFile: path, encoding: .utf8), file: path)
    }

    @Test(arguments: manifests)
    func manifestIsAnIndexedJob(_ name: String) throws {
        let job = try Self.manifest(name)
        #expect(job["apiVersion"]?.string == "batch/v1")
        #expect(job["kind"]?.string == "Job")
        let spec = try #require(job["spec"], "\(name): no spec")
        #expect(spec["completionMode"]?.string == "Indexed")
        let completions = try #require(spec["completions"]?.scalarText.flatMap { Int($0) }, "\(name): completions")
        #expect(completions >= 2)
        #expect(spec["parallelism"]?.scalarText == String(completions))
        let pod = try #require(spec["template"]?["spec"], "\(name): no template.spec")
        #expect(["Never", "OnFailure"].contains(pod["restartPolicy"]?.string ?? ""))
        let container = try #require(pod["containers"]?.items?.first, "\(name): no container")
        #expect((container["image"]?.string ?? "").isEmpty == false, "\(name): no image")
        #expect(container["command"]?.items?.isEmpty == false)
        let env = Dictionary((container["env"]?.items ?? []).compactMap { e in e["name"]?.string.map { ($0, e) } },
                             uniquingKeysWith: { a, _ in a })
        #expect(env["EG_SHARDS"]?["value"]?.scalarText == String(completions), "\(name): EG_SHARDS must equal completions")
        // Every secret the command names comes from a Secret, never a literal value.
        let args = container["args"]?.items?.compactMap(\.string).joined(separator: " ") ?? ""
        for secret in args.matches(of: /\$\{secrets\.([a-z_]+)\}/).map({ String($0.1) }) {
            let v = env["EG_SECRET_" + secret.uppercased()]
            #expect(v?["valueFrom"]?["secretKeyRef"]?["name"]?.string != nil, "\(name): ${secrets.\(secret)} has no secretKeyRef")
        }
        // The ConfigMap items put the conf and samples where eg-sample looks for them.
        let volume = try #require(pod["volumes"]?.items?.first { $0["configMap"] != nil }, "\(name): no ConfigMap volume")
        let paths = Set(volume["configMap"]?["items"]?.items?.compactMap { $0["path"]?.string } ?? [])
        let onDisk = try FileManager.default.subpathsOfDirectory(atPath: Self.app).filter { $0.contains("/") }
        #expect(paths == Set(onDisk), "\(name): ConfigMap items \(paths.sorted()) against \(onDisk.sorted())")
    }

    /// Each manifest's own pipeline, run once per completion index with JOB_COMPLETION_INDEX set as
    /// Kubernetes sets it (eg-ship's destination replaced by stdout, the ConfigMap by the folder).
    @Test(arguments: manifests)
    func everyIndexTogetherGivesTheUnshardedRun(_ name: String) throws {
        let job = try Self.manifest(name)
        let container = try #require(job["spec"]?["template"]?["spec"]?["containers"]?.items?.first)
        let script = try #require(container["args"]?.items?.first?.string)
        var env: [String: String] = [:]
        for e in container["env"]?.items ?? [] {
            if let n = e["name"]?.string, let v = e["value"]?.scalarText { env[n] = v }
        }
        env["EG_BACKFILL"] = "-3m"
        let shards = try #require(Int(env["EG_SHARDS"] ?? ""))
        let dir = try Scratch()
        let bin = dir.path("bin")
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        // eg-ship's real destination is a server; here the same eg-ship writes stdout.
        let shim = "#!/bin/sh\nexec '\(ToolProcess.binary("eg-ship").path)' -o stdout\n"
        try shim.write(toFile: bin + "/eg-ship", atomically: true, encoding: .utf8)
        chmod(bin + "/eg-ship", 0o755)
        let local = script.replacingOccurrences(of: "/etc/eg/app", with: Self.app)
        var union: [Substring] = []
        var labels: [String] = []
        for i in 0..<shards {
            let state = dir.path("state\(i)")
            try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
            var e = env
            e["JOB_COMPLETION_INDEX"] = String(i)
            e["PATH"] = bin + ":" + ToolProcess.binDir.path + ":/usr/bin:/bin"
            let r = try ToolProcess.run(URL(fileURLWithPath: "/bin/bash"),
                                        ["-o", "pipefail", "-c", local.replacingOccurrences(of: "/var/lib/eg", with: state)],
                                        environment: e, directory: Run.root)
            #expect(r.status == 0, "\(name) index \(i): \(String(decoding: r.stderr, as: UTF8.self))")
            union += String(decoding: r.stdout, as: UTF8.self).split(separator: "\n")
            if let l = try? String(contentsOfFile: state + "/labels.jsonl", encoding: .utf8) { labels.append(l) }
        }
        let whole = try Self.unsharded()
        #expect(Self.difference(union.sorted(), whole.sorted) == nil, "\(name): \(shards) shards against the unsharded run")
        #expect(labels == [whole.labels], "\(name): labels must come from shard 0 alone, as the unsharded run writes them")
    }

    /// run-shards.sh under GNU parallel (installed by `.ci/deps --test`) and, with a `parallel` on PATH
    /// that is not GNU's, as background jobs.
    @Test(arguments: [(2, true), (3, true), (3, false)])
    func parallelScriptGivesTheUnshardedRun(_ shards: Int, gnuParallel: Bool) throws {
        let dir = try Scratch()
        let out = dir.path("events.log"), labels = dir.path("labels.jsonl")
        let script = Self.scale.appendingPathComponent("run-shards.sh").path
        let syntax = try Run.sh("bash -n '\(script)'")
        #expect(syntax.status == 0, "\(syntax.stderr)")
        var env: [String: String] = [:]
        if gnuParallel {
            let gnu = try Run.sh("parallel --version")
            try #require(gnu.text.contains("GNU parallel"), "GNU parallel is not installed (.ci/deps --test installs it)")
        } else {
            let bin = dir.path("bin")
            try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
            try "#!/bin/sh\necho 'parallel from moreutils'\nexit 1\n".write(toFile: bin + "/parallel", atomically: true, encoding: .utf8)
            chmod(bin + "/parallel", 0o755)
            env["PATH"] = bin + ":" + ToolProcess.binDir.path + ":/usr/bin:/bin"
        }
        let r = try Run.sh("'\(script)' -n \(shards) -o '\(out)' -l '\(labels)' '\(Self.app)' \(Self.window)", environment: env)
        #expect(r.status == 0, "\(r.stderr)")
        let union = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").sorted()
        let whole = try Self.unsharded()
        #expect(Self.difference(union, whole.sorted) == nil, "\(shards) shards through run-shards.sh against the unsharded run")
        #expect(try String(contentsOfFile: labels, encoding: .utf8) == whole.labels)
    }

    @Test func parallelScriptRefusesABadShardCount() throws {
        let script = Self.scale.appendingPathComponent("run-shards.sh").path
        for bad in ["0", "x", "5000", "-1"] {
            let r = try Run.sh("'\(script)' -n \(bad) '\(Self.app)'")
            #expect(r.status == 2, "-n \(bad): \(r.status)")
            #expect(r.stderr.contains("run-shards.sh: -n"), "-n \(bad): \(r.stderr)")
        }
    }

    @Test func parallelScriptPrintsItsUsage() throws {
        let script = Self.scale.appendingPathComponent("run-shards.sh").path
        let help = try Run.sh("'\(script)' -h")
        #expect(help.status == 0)
        #expect(help.text.hasPrefix("\n  run-shards.sh [-n SHARDS]"), "\(help.text)")
        #expect(help.text.hasSuffix("background jobs on this host.\n"), "\(help.text)")
        let bare = try Run.sh("'\(script)'")
        #expect(bare.status == 2)
        #expect(bare.stderr == help.text)
    }
}

/// A temporary folder for one test, removed when the value is dropped.
private final class Scratch {
    let root: String
    init() throws {
        root = NSTemporaryDirectory() + "eg-scale-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: root) }
    func path(_ name: String) -> String { root + "/" + name }
}
