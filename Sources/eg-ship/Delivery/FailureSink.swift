import Core

/// Where undeliverable events go: reported on stderr (one line per batch and reason), counted for
/// the exit status, and with `--dead-letter FILE` written there (`DeadLetterFile`: their records
/// and the stanza records that send them to the same outputs again).
final class FailureSink {
    private let deadLetter: DeadLetterFile?
    /// Events that could not be delivered, all outputs together.
    private(set) var undeliveredCount = 0
    /// Problems that did not lose events (e.g. a failed close), still reported.
    private(set) var problems = 0

    /// Where the count is published for `--stats` and the summary.
    private let board: StatsBoard

    init(deadLetterPath: String?, board: StatsBoard) throws {
        self.board = board
        deadLetter = try deadLetterPath.map { try DeadLetterFile(path: $0) }
    }

    /// Records the output settings of `sample`'s events, for the dead letter (see `DeadLetterFile`).
    func remember(sample: String, stanza: String, settings: [(String, String)], eventum: JSONValue? = nil) {
        deadLetter?.remember(sample: sample, stanza: stanza, settings: settings, eventum: eventum)
    }

    /// Records the generator configuration that sends `sample`'s events to `output` alone.
    func remember(sample: String, output: String, eventum: JSONValue) {
        deadLetter?.remember(sample: sample, output: output, eventum: eventum)
    }

    /// Where the undelivered events went, for the closing message: `; written to FILE`, or how
    /// many the dead letter could not keep.
    var deadLetterNote: String {
        guard let dl = deadLetter else { return "" }
        if dl.lost == 0 { return "; written to \(dl.path)" }
        return "; \(dl.kept) written to \(dl.path), \(dl.lost) lost (the dead letter could not be written)"
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
        deadLetter?.write(failed, output: output)
    }

    func report(output: String, message: String) {
        problems += 1
        Diagnostics.write("eg-ship: \(output): \(message)\n")
    }

    func close() {
        deadLetter?.close()
    }
}
