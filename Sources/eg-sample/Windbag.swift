import Core

/// eventgen's `windbag` generator, as the stream contract has eg-sample produce it: a pool of N
/// synthetic events `2014-01-01 00:00:00 -0700 WINDBAG Event <i> of <N>` (N = `count`, 60 when
/// `count` is -1 or unset), plus stanza settings that make eg-rate and eg-tokenize spread and
/// stamp them (`sequentialTimestamp = true` and a timestamp token), added only where not set.
enum Windbag {
    static let tokenPattern = "\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}"
    static let tokenFormat = "%Y-%m-%d %H:%M:%S"

    /// The number of events for a stanza's settings.
    static func eventCount(_ settings: Settings) throws -> Int {
        guard let count = try settings.int("count"), count != -1 else { return 60 }
        guard count >= 0 else { throw settings.invalid("count", settings["count"] ?? "", "-1 or a count >= 0") }
        return count
    }

    /// The pool text of event i (1-based) of n.
    static func eventText(_ i: Int, of n: Int) -> String {
        "2014-01-01 00:00:00 -0700 WINDBAG Event \(i) of \(n)"
    }

    /// Writes the pool of a windbag sample (its stanza record is already written) event by event,
    /// so a large `count` streams in bounded memory.
    static func write(_ sample: PlannedSample, to out: OutputBuffer) throws {
        guard let n = sample.windbagCount, n > 0 else { return }
        let prefix: [UInt8] = Array("{\"_raw\":\"".utf8)
        let rest = RawFileStream.suffix(sample)
        for i in 1...n {
            out.bytes.append(contentsOf: prefix)
            out.bytes.append(contentsOf: eventText(i, of: n).utf8)
            out.bytes.append(contentsOf: rest)
            try out.flushIfFull()
        }
    }

    /// Adds `sequentialTimestamp = true` (unless set) and, unless a token with the same regex
    /// exists, the timestamp token under the next token number (highest + 1, or 0).
    static func addSettings(_ settings: inout Settings) {
        settings.setIfAbsent("sequentialTimestamp", "true")
        let existing = (try? settings.tokens()) ?? []
        if existing.contains(where: { $0.pattern == tokenPattern }) { return }
        let n = (settings.highestTokenNumber ?? -1) + 1
        settings.set("token.\(n).token", tokenPattern)
        settings.set("token.\(n).replacementType", "timestamp")
        settings.set("token.\(n).replacement", tokenFormat)
    }
}
