import EgTestSupport
import Foundation
import Testing

/// The file output on write errors and rotation: what the summary counts is what the file holds,
/// the rest is in the dead letter, no torn line is left, and rotation's deletions are counted.
@Suite struct ShipFileFaultTests {
    /// `n` events `ev-00000 xxxx...` of varying length (so a byte limit tears a line).
    static func events(_ n: Int, sample: String? = nil) -> (input: String, raws: [String]) {
        var input = "", raws: [String] = []
        for k in 0..<n {
            let raw = String(format: "ev-%05d ", k) + String(repeating: "x", count: 10 + (k * 7) % 53)
            raws.append(raw)
            input += Stream.event(raw, sample: sample)
        }
        return (input, raws)
    }

    /// The `_raw` of every record in an NDJSON text (the dead letter), stanza records left out.
    static func deadRaws(_ text: String) throws -> [String] {
        try text.split(separator: "\n").compactMap { line in
            let o = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return o["_kind"] == nil ? o["_raw"] as? String : nil
        }
    }

    /// The `events=N` and `failed=N` of the summary line of `output`.
    static func counts(_ stderr: String, _ output: String) throws -> (events: Int, failed: Int) {
        let line = try #require(stderr.split(separator: "\n").first { $0.hasPrefix("eg-ship: summary: \(output) ") })
        func value(_ key: String) -> Int? {
            line.split(separator: " ").first { $0.hasPrefix(key + "=") }.flatMap { Int($0.dropFirst(key.count + 1)) }
        }
        return (try #require(value("events")), try #require(value("failed")))
    }

    @Test func devFullCountsNothingDeliveredAndDeadLettersEverything() throws {
        let dir = Run.tempDir()
        let dl = dir + "/dead.ndjson"
        let (input, raws) = Self.events(14_000)
        for format in ["raw", "json"] {
            try? FileManager.default.removeItem(atPath: dl)
            let r = try Run.ship(["--file", "/dev/full", "--format", format, "--dead-letter", dl], input: input)
            #expect(r.status == 1)
            let c = try Self.counts(r.stderr, "file:/dev/full")
            #expect(c.events == 0)
            #expect(c.failed == 14_000)
            #expect(r.stderr.contains("No space left on device"))
            #expect(try Self.deadRaws(String(contentsOfFile: dl, encoding: .utf8)) == raws)
        }
    }

    /// RLIMIT_FSIZE in the child (SIGXFSZ ignored) makes writes fail with EFBIG part-way through a
    /// batch and part-way through a line; the dead letter goes to a pipe, which the limit spares.
    @Test func fileSizeLimitMidRunAccountsForEveryEvent() throws {
        let dir = Run.tempDir()
        let (input, raws) = Self.events(3000)
        try input.write(toFile: dir + "/in.ndjson", atomically: true, encoding: .utf8)
        for format in ["raw", "json"] {
            let out = dir + "/out-\(format).log"
            // ulimit -f counts 512-byte blocks (dash; 1 KiB in bash): 50 or 100 KiB of 135 or 250.
            let r = try ToolProcess.shell("ulimit -f 100; trap '' XFSZ; exec eg-ship --file \(out) --format \(format) "
                + "--batch-size 37 --dead-letter /dev/stdout \(dir)/in.ndjson")
            let stderr = String(decoding: r.stderr, as: UTF8.self)
            #expect(r.status == 1, "\(stderr)")
            #expect(stderr.contains("File too large"))
            let file = try String(contentsOfFile: out, encoding: .utf8)
            #expect(file.hasSuffix("\n"), "a torn line is left")
            let written: [String] = try file.split(separator: "\n").map { line in
                guard format == "json" else { return String(line) }
                let o = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                return try #require(o["_raw"] as? String)
            }
            let dead = try Self.deadRaws(String(decoding: r.stdout, as: UTF8.self))
            let c = try Self.counts(stderr, "file:\(out)")
            #expect(c.events == written.count)
            #expect(c.failed == dead.count)
            #expect(written.count > 500 && dead.count > 500)
            #expect(Set(written).isDisjoint(with: dead))
            #expect(Set(written).union(dead) == Set(raws))
            #expect(written.count + dead.count == raws.count)
        }
    }

    @Test func fileFlagMeansOneFileWithoutRotation() throws {
        let dir = Run.tempDir()
        let path = dir + "/week.log"
        // The stanza asks for rotation at 35 bytes; --file alone overrides it: one file, nothing deleted.
        var input = Stream.stanza("a.log", ["outputMode": "file", "fileName": dir + "/other.log", "fileMaxBytes": "35", "fileBackupFiles": "2"])
        for k in 0..<10 { input += Stream.event(String(format: "event-%03d", k), sample: "a.log") }
        let r = try Run.ship(["--file", path, "--batch-size", "4"], input: input)
        #expect(r.status == 0)
        #expect(r.stderr.contains("eg-ship: summary: file:\(path) events=10 bytes=100 batches=3 retries=0 failed=0\n"))
        #expect(try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").count == 10)
        #expect(!FileManager.default.fileExists(atPath: path + ".1"))
    }

    @Test func rotationAskedOnTheCommandLineCountsWhatItDeletes() throws {
        let dir = Run.tempDir()
        let path = dir + "/out.log"
        var input = ""
        for k in 0..<10 { input += Stream.event(String(format: "event-%03d", k)) }
        for flags in [["--file-max-bytes", "35", "--file-backups", "2"], ["--set", "fileMaxBytes=35", "--set", "fileBackupFiles=2"]] {
            for f in [path, path + ".1", path + ".2"] { try? FileManager.default.removeItem(atPath: f) }
            let r = try Run.ship(["--file", path, "--batch-size", "4"] + flags, input: input)
            #expect(r.status == 0)
            #expect(r.stderr.contains("eg-ship: summary: file:\(path) events=10 bytes=100 batches=3 retries=0 failed=0 deleted=3\n"))
            #expect(r.stderr.contains("eg-ship: file:\(path): rotation deleted 3 of the 10 events written with the oldest backup (fileBackupFiles = 2, fileMaxBytes = 35)"))
            let kept = try [path, path + ".1", path + ".2"].map { try String(contentsOfFile: $0, encoding: .utf8) }
            #expect(kept == ["event-009\n", "event-006\nevent-007\nevent-008\n", "event-003\nevent-004\nevent-005\n"])
            #expect(kept.joined().split(separator: "\n").count == 10 - 3)
        }
    }

    @Test func rotationOfFilesFromBeforeTheRunSaysSo() throws {
        let dir = Run.tempDir()
        let path = dir + "/out.log"
        try "old-1\n".write(toFile: path + ".1", atomically: true, encoding: .utf8)
        try "old-0\n".write(toFile: path, atomically: true, encoding: .utf8)
        var input = Stream.stanza("a.log", ["outputMode": "file", "fileName": path, "fileMaxBytes": "25", "fileBackupFiles": "1"])
        for k in 0..<4 { input += Stream.event(String(format: "event-%03d", k), sample: "a.log") }
        let r = try Run.ship([], input: input)
        #expect(r.status == 0)
        // out.log: old-0 + event-000 (16 bytes), then 001-002, then 003: .1 from before and the first file go.
        #expect(r.stderr.contains("events=4 bytes=40 batches=1 retries=0 failed=0 deleted=1\n"))
        #expect(r.stderr.contains("rotation deleted 1 of the 4 events written (and 12 bytes from before this run)"))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "event-003\n")
        #expect(try String(contentsOfFile: path + ".1", encoding: .utf8) == "event-001\nevent-002\n")
    }

    @Test func zeroBackupsTruncatesAndCountsIt() throws {
        let dir = Run.tempDir()
        let path = dir + "/out.log"
        var input = ""
        for k in 0..<5 { input += Stream.event(String(format: "event-%03d", k)) }
        let r = try Run.ship(["--file", path, "--file-max-bytes", "20", "--file-backups", "0"], input: input)
        #expect(r.status == 0)
        #expect(r.stderr.contains("events=5 bytes=50 batches=1 retries=0 failed=0 deleted=4\n"))
        #expect(r.stderr.contains("rotation deleted 4 of the 5 events written with the oldest file (fileBackupFiles = 0"))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "event-004\n")
    }

    @Test func rotationSettingsAreRangeChecked() throws {
        let neg = try Run.ship(["--file", "/dev/null", "--file-backups", "-1"], input: Stream.event("a"))
        #expect(neg.status == 2)
        #expect(neg.stderr.contains("--file-backups expects 0 or more, got -1"))
        let input = Stream.stanza("a.log", ["outputMode": "file", "fileName": "/dev/null", "fileMaxBytes": "-5"]) + Stream.event("a", sample: "a.log")
        let r = try Run.ship([], input: input)
        #expect(r.status == 2)
        #expect(r.stderr.contains("[a.log] fileMaxBytes: expected a size in bytes, 0 or more (0: never rotate), found '-5'"))
    }
}
