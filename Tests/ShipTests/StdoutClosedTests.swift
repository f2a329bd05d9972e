import EgTestSupport
import Foundation
import Testing

/// A reader that goes away (`eg-ship | head -1`) must not leave events counted as delivered that
/// never reached it: every batch eg-ship read is either written whole before it counts, or failed
/// and dead-lettered.
@Suite struct StdoutClosedTests {
    @Test func closedStdoutLeavesNoEventCountedThatWasNotWritten() throws {
        let dir = Run.tempDir()
        let input = dir + "/in.ndjson"
        let dead = dir + "/dead.ndjson"
        var text = ""
        for i in 1...200_000 { text += "{\"_raw\":\"line \(i) padded so that batches pass the pipe buffer\"}\n" }
        try text.write(toFile: input, atomically: true, encoding: .utf8)
        let o = try ToolProcess.shell("eg-ship --output stdout --dead-letter '\(dead)' < '\(input)' | head -1 > /dev/null")
        let stderr = String(decoding: o.stderr, as: UTF8.self)
        let summary = try #require(stderr.split(separator: "\n").first { $0.contains("summary: stdout") }, "\(stderr)")
        func field(_ name: String) -> Int? {
            summary.split(separator: " ").first { $0.hasPrefix(name + "=") }.flatMap { Int($0.dropFirst(name.count + 1)) }
        }
        let delivered = try #require(field("events"))
        let failed = try #require(field("failed"))
        let deadLines = (try? String(contentsOfFile: dead, encoding: .utf8))?
            .split(separator: "\n").filter { $0.contains("\"_raw\"") }.count ?? 0
        let bytes = try #require(field("bytes"))
        // head took one line of the first batch and left: nothing can have been delivered whole
        // beyond what the pipe held (eg-ship grows it to 1 MiB) and what head read before it went,
        // and what failed is exactly what the dead letter holds.
        #expect(failed > 0, "\(stderr)")
        #expect(deadLines == failed, "\(stderr)")
        #expect(bytes <= (1 << 20) + (1 << 17), "more bytes counted delivered than the pipe and head can hold: \(stderr)")
    }
}
