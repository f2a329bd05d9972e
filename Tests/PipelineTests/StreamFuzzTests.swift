import EgTestSupport
import Foundation
import Testing

/// Each tool's record-stream reader fuzzed through the real binaries: a few hundred mutated
/// streams (stanza record plus events) per tool, and the saved inputs of `Tests/Regressions` that
/// once crashed a tool. Every run must end with status 0 or 2 (1 only for eg-ship's runtime
/// failures), within the time bound, with only `<tool>: ...` lines on stderr: never a trap, a
/// stack trace or a hang. `EG_FUZZ_ITERATIONS=N` runs N streams per tool locally.
@Suite struct StreamFuzzTests {
    static let regressions = Run.root.appendingPathComponent("Tests/Regressions")

    static let seeds = [
        #"{"_kind":"stanza","sample":"s","stanza":"s","settings":{"count":"3","interval":"60","earliest":"-1m","token.0.token":"T","token.0.replacementType":"timestamp","token.0.replacement":"%Y-%m-%d %H:%M:%S","token.1.token":"N","token.1.replacementType":"random","token.1.replacement":"integer[1:9]"}}"#
            + "\n" + #"{"_raw":"at T n=N","sample":"s","index":"main","host":"h1"}"# + "\n" + #"{"_raw":"second \"q\" T","sample":"s","_time":1700000000.5}"# + "\n",
        #"{"_kind":"stanza","sample":"r","stanza":"r","settings":{"mode":"replay","end":"1","token.0.token":"\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}","token.0.replacementType":"replaytimestamp","token.0.replacement":"%Y-%m-%d %H:%M:%S"}}"#
            + "\n" + #"{"_raw":"2024-01-15 10:00:00 one","sample":"r"}"# + "\n" + #"{"_raw":"2024-01-15 10:00:02 two","sample":"r","_bundle":1}"# + "\n",
        #"{"_raw":"bare event","_time":1700000000}"# + "\n" + #"{"_raw":"bare \u00e9 \\ two","_time":"1700000001","host":"x"}"# + "\n",
    ]
    static let alphabet: [UInt8] = Array("{}[]:,\"\\ 0123456789.-e_Ttrs\n".utf8)
    static let tokens: [[UInt8]] = ["17000000000000", "-9300000000000", "1e300", "\\ud800", "\"_time\":", "\"_bundle\":",
                                   "\"_kind\":\"stanza\",", "\n{}\n", "\"count\":\"-5\",", "\u{FF}"].map { Array($0.utf8) }

    /// How each tool is run: its flags; eg-rate's output is cut at 1 MB so a mutated count cannot
    /// make a test run long.
    static let tools: [(name: String, command: String)] = [
        ("eg-rate", "{ timeout 20 eg-rate --now 2026-03-06T19:30:00Z --end 1 --seed 1 < \"$1\"; echo $? > \"$1.status\"; } | head -c 1000000 > /dev/null"),
        ("eg-tokenize", "{ timeout 20 eg-tokenize --seed 1 < \"$1\"; echo $? > \"$1.status\"; } | head -c 1000000 > /dev/null"),
        ("eg-ship", "timeout 20 eg-ship --output stdout < \"$1\" > /dev/null; echo $? > \"$1.status\""),
        ("eg-ship", "timeout 20 eg-ship --output modinput < \"$1\" > /dev/null; echo $? > \"$1.status\""),
        // --jobs with tiny chunks: the dispatcher looks into stanza and bundle lines itself.
        ("eg-tokenize", "{ EG_JOBS_CHUNK_BYTES=40 timeout 20 eg-tokenize --jobs 3 --seed 1 < \"$1\"; echo $? > \"$1.status\"; } | head -c 1000000 > /dev/null"),
    ]

    /// Runs `command` on `input`; returns the tool's status and stderr.
    func run(_ command: String, input: [UInt8], in dir: URL) throws -> (status: Int32, stderr: String) {
        let file = dir.appendingPathComponent("in.ndjson")
        try Data(input).write(to: file)
        let r = try Run.sh("set -- '\(file.path)'; \(command)")
        let status = Int32((try? String(contentsOf: URL(fileURLWithPath: file.path + ".status"), encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? -1
        return (status, r.stderr)
    }

    func check(_ tool: String, _ status: Int32, _ stderr: String, _ input: [UInt8]) {
        let shown = String(decoding: input.prefix(400), as: UTF8.self)
        #expect(status == 0 || status == 2 || (tool == "eg-ship" && status == 1), "\(tool) exit \(status) on \(shown.debugDescription)\n\(stderr)")
        for line in stderr.split(separator: "\n") {
            #expect(line.hasPrefix("\(tool): "), "\(tool) printed \(line.debugDescription) on \(shown.debugDescription)")
        }
    }

    @Test(arguments: 0..<5)
    func mutatedStreamsGiveEventsOrAClearError(tool index: Int) throws {
        let (tool, command) = Self.tools[index]
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("eg-fuzz-\(getpid())-\(index)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var rng = Fuzz.Generator(seed: 1200 + UInt64(index))
        var errors = 0
        let n = Fuzz.iterations(index >= 2 ? 60 : 120)
        for i in 0..<n {
            let input = Fuzz.mutate(Array(Self.seeds[i % Self.seeds.count].utf8), &rng, alphabet: Self.alphabet, tokens: Self.tokens)
            let (status, stderr) = try run(command, input: input, in: dir)
            check(tool, status, stderr, input)
            if status == 2 { errors += 1 }
        }
        #expect(errors > 0 && errors < n, "\(tool): \(errors) of \(n) inputs refused")
    }

    /// The saved inputs that once crashed a tool (`Tests/Regressions/*.ndjson`): each is the usual
    /// `stdin:N:` error, exit 2, and eg-ship has delivered the event before it.
    @Test func savedCrashInputsAreClearErrors() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.regressions.path).filter { $0.hasSuffix(".ndjson") }.sorted()
        #expect(names.count >= 4)
        for name in names {
            let path = Self.regressions.appendingPathComponent(name).path
            let tokenize = try Run.sh("eg-tokenize --seed 1 < '\(path)'")
            #expect(tokenize.status == 2, "\(name): \(tokenize.stderr)")
            #expect(tokenize.stderr.hasPrefix("eg-tokenize: stdin:3: _time = "), "\(name): \(tokenize.stderr)")
            for output in ["stdout", "modinput", "syslogout"] {
                let ship = try Run.sh("eg-ship --output \(output) < '\(path)'")
                #expect(ship.status == 2, "\(name) \(output): \(ship.stderr)")
                #expect(ship.stderr.contains("eg-ship: stdin:3: _time = "), "\(name) \(output): \(ship.stderr)")
                #expect(ship.stderr.contains(" events=1 "), "\(name) \(output): the first event must be delivered: \(ship.stderr)")
                #expect(!ship.stderr.contains("Fatal error") && !ship.stderr.contains("Backtrace"))
            }
        }
    }
}
