import Core

/// The byte-level batch of a `Delivery` whose output writes `_raw` lines (stdout, file, devnull
/// with `--format raw`): each event is its decoded `_raw` line (trailing newlines removed, one
/// `\n` added) in one byte buffer, plus its original NDJSON record and line number, kept only
/// to report (and dead-letter) the events an output could not deliver. No `Record`, no String.
final class LineBatch {
    /// The lines, back to back.
    var bytes: [UInt8] = []
    /// End offset in `bytes` of each line.
    var ends: [Int] = []
    /// The records as read, back to back, with their end offsets and input line numbers.
    var records: [UInt8] = []
    var recordEnds: [Int] = []
    var lineNumbers: [Int] = []
    /// The input the records came from (a batch never spans two inputs).
    var input = ""

    var count: Int { ends.count }
    var isEmpty: Bool { ends.isEmpty }

    /// Adds an event: `raw` is the escaped content of its `_raw` string, `record` its line.
    @inline(__always)
    func add(view: RecordView, rawIndex: Int, record: UnsafeBufferPointer<UInt8>, lineNumber: Int) {
        let start = bytes.count
        view.appendUnescaped(rawIndex, to: &bytes)
        var n = bytes.count
        while n > start, bytes[n - 1] == 0x0A || bytes[n - 1] == 0x0D { n -= 1 }
        if n < bytes.count { bytes.removeSubrange(n...) }
        bytes.append(0x0A)
        ends.append(bytes.count)
        records.append(contentsOf: record)
        recordEnds.append(records.count)
        lineNumbers.append(lineNumber)
    }

    /// Line `k` (newline included).
    func line(_ k: Int) -> ArraySlice<UInt8> { bytes[(k == 0 ? 0 : ends[k - 1])..<ends[k]] }

    /// Events `from...` as `Undelivered` (parsed back from their records; the failure path only).
    func undelivered(from: Int, reason: String) -> [Undelivered] {
        (from..<count).compactMap { k in
            let rec = records[(k == 0 ? 0 : recordEnds[k - 1])..<recordEnds[k]]
            guard let fields = try? rec.withUnsafeBufferPointer({ try JSONParser.parseObject($0) }) else { return nil }
            let r = Record(fields: fields)
            let rawLine = line(k).dropLast()
            return Undelivered(event: ShipEvent(record: r, raw: String(decoding: rawLine, as: UTF8.self), time: r.time,
                                                index: r.string("index") ?? "", host: r.string("host") ?? "",
                                                source: r.string("source") ?? "", sourcetype: r.string("sourcetype") ?? "",
                                                sample: r.sample ?? "", location: "\(input):\(lineNumbers[k])"),
                               reason: reason)
        }
    }

    func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        records.removeAll(keepingCapacity: true)
        recordEnds.removeAll(keepingCapacity: true)
        lineNumbers.removeAll(keepingCapacity: true)
    }
}

/// An output that can take a `LineBatch` as it is (`_raw` lines): returns the index of the first
/// line it could not deliver (`batch.count` when all went out) and the reason.
protocol LineBatchOutput: Output {
    func writeLines(_ batch: LineBatch) -> (delivered: Int, reason: String?)
}

extension StdoutOutput: LineBatchOutput {
    func writeLines(_ batch: LineBatch) -> (delivered: Int, reason: String?) {
        do {
            try writeBytes(batch.bytes)
            return (batch.count, nil)
        } catch {
            return (0, describe(error))
        }
    }
}

extension DevNullOutput: LineBatchOutput {
    func writeLines(_ batch: LineBatch) -> (delivered: Int, reason: String?) {
        stats.bytes += batch.bytes.count
        return (batch.count, nil)
    }
}

extension FileOutput: LineBatchOutput {
    func writeLines(_ batch: LineBatch) -> (delivered: Int, reason: String?) {
        var start = 0
        for k in 0..<batch.count {
            let end = batch.ends[k]
            do {
                try appendLine(batch.bytes.withUnsafeBufferPointer { UnsafeBufferPointer(rebasing: $0[start..<end]) })
            } catch {
                discardBuffer()
                return (k, describe(error))
            }
            start = end
        }
        do { try flush() } catch { return (0, describe(error)) }
        return (batch.count, nil)
    }
}

extension Delivery {
    /// Whether events can go out as `_raw` lines without a `ShipEvent` (see `LineBatch`).
    var takesLines: Bool { rawLines != nil }
}

/// The delivery of the last sample seen on the line path, keyed by the `sample` member's JSON
/// text, so consecutive events of one sample cost a byte compare instead of a route lookup.
struct LineRouteCache {
    private var key: [UInt8] = []
    private var cached: Delivery?

    /// Forgets the cached delivery (a stanza record may change routes).
    mutating func reset() { cached = nil }

    mutating func delivery(for view: RecordView, router: Router) throws -> Delivery {
        let k = view.sampleIndex
        let bytes = k >= 0 ? view.valueBytes(k) : UnsafeBufferPointer(start: nil, count: 0)
        if let d = cached, bytes.count == key.count,
           bytes.count == 0 || key.withUnsafeBufferPointer({ memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 }) {
            return d
        }
        let d = try router.route(k >= 0 ? view.text(k) : nil).delivery
        key = Array(bytes)
        cached = d
        return d
    }
}

#if canImport(Glibc)
import Glibc
#endif
