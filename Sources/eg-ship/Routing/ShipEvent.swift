import Core

/// One event on its way out: the record as read (kept whole for `--format json` and the dead-letter
/// file) and the metadata every output may need, resolved against the stanza's defaults.
struct ShipEvent {
    /// The record as read from the stream (with `anomaly` removed unless `--keep-anomaly`).
    var record: Record
    /// `_raw`, the event text.
    var raw: String
    /// `_time`, when the record has one.
    var time: EventTime?
    var index: String
    var host: String
    var source: String
    var sourcetype: String
    /// The sample the event came from (empty for bare events).
    var sample: String
    /// `<input>:<line>` where the record was read, for messages.
    var location: String

    /// `_raw` without trailing newlines, plus one `\n`: the line file-like outputs write.
    func appendLine(to out: inout [UInt8]) {
        var r = raw
        r.withUTF8 { b in
            var n = b.count
            while n > 0, b[n - 1] == 0x0A || b[n - 1] == 0x0D { n -= 1 }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: b[0..<n]))
        }
        out.append(0x0A)
    }

    /// The record as one NDJSON line (newline included); `anomaly` is left out unless kept.
    func appendJSONLine(keepAnomaly: Bool, to out: inout [UInt8]) {
        if keepAnomaly || record["anomaly"] == nil {
            record.append(to: &out)
        } else {
            var r = record
            r["anomaly"] = nil
            r.append(to: &out)
        }
    }

    /// `_raw` without trailing whitespace, as eventgen's outputs send it (`_raw.rstrip()`).
    var trimmedRaw: Substring {
        var end = raw.endIndex
        while end > raw.startIndex {
            let p = raw.index(before: end)
            if raw[p].isWhitespace { end = p } else { break }
        }
        return raw[..<end]
    }
}

/// What file-like outputs write per event.
enum LineFormat: Equatable {
    /// `_raw` lines.
    case raw
    /// The whole record as NDJSON (with or without its `anomaly` field).
    case json(keepAnomaly: Bool)
    /// `_raw` exactly as it is, then these bytes (an Eventum output's `separator`).
    case separated([UInt8])

    func append(_ e: ShipEvent, to out: inout [UInt8]) {
        switch self {
        case .raw: e.appendLine(to: &out)
        case .json(let keep): e.appendJSONLine(keepAnomaly: keep, to: &out)
        case .separated(let s):
            out.append(contentsOf: e.raw.utf8)
            out.append(contentsOf: s)
        }
    }
}
