import Core

/// Where undeliverable events go: reported on stderr (one line per batch and reason), counted for
/// the exit status, and with `--dead-letter FILE` written there as their NDJSON records.
final class FailureSink {
    private let deadLetter: OutputBuffer?
    private let deadLetterPath: String?
    /// Events that could not be delivered, all outputs together.
    private(set) var undeliveredCount = 0
    /// Problems that did not lose events (e.g. a failed close), still reported.
    private(set) var problems = 0

    /// Where the count is published for `--stats` and the summary.
    private let board: StatsBoard

    init(deadLetterPath: String?, board: StatsBoard) throws {
        self.deadLetterPath = deadLetterPath
        self.board = board
        if let p = deadLetterPath {
            let fd = try FileDescriptor.openForWriting(p, append: true)
            deadLetter = OutputBuffer(fd: fd, name: p)
        } else {
            deadLetter = nil
        }
    }

    func undelivered(output: String, _ failed: [Undelivered]) {
        undeliveredCount += failed.count
        board.addUndelivered(failed.count)
        var k = 0
        while k < failed.count {
            var j = k + 1
            while j < failed.count, failed[j].reason == failed[k].reason { j += 1 }
            let n = j - k
            let first = failed[k].event.location
            Diagnostics.write("eg-ship: \(output): \(n) event\(n == 1 ? "" : "s") (first from \(first)) not delivered: \(failed[k].reason)\n")
            k = j
        }
        guard let dl = deadLetter else { return }
        for f in failed { f.event.record.append(to: &dl.bytes) }
        do { try dl.flush() } catch {
            Diagnostics.write("eg-ship: \(deadLetterPath ?? "dead-letter"): \(describe(error))\n")
        }
    }

    func report(output: String, message: String) {
        problems += 1
        Diagnostics.write("eg-ship: \(output): \(message)\n")
    }

    func close() {
        try? deadLetter?.flush()
    }
}
