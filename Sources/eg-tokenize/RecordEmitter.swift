import Core

/// Writes an event record with its substituted `_raw` (already escaped), and `_time` / `host`
/// when they changed, keeping every other member in place, byte for byte as `JSONWriter` would.
enum RecordEmitter {
    static func emit(_ record: Record, rawEscaped: [UInt8], time: EventTime?, host: String?, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        var wroteTime = false
        for (k, f) in record.fields.enumerated() {
            if k > 0 { out.append(UInt8(ascii: ",")) }
            JSONWriter.appendString(f.key, to: &out)
            out.append(UInt8(ascii: ":"))
            // Only keys starting with `_` or `h` can need a change: skip the string compares otherwise.
            let first = f.key.utf8.first
            if first == UInt8(ascii: "_"), f.key == "_raw" {
                out.append(UInt8(ascii: "\""))
                out.append(contentsOf: rawEscaped)
                out.append(UInt8(ascii: "\""))
            } else if let time, first == UInt8(ascii: "_"), f.key == "_time" {
                EpochText.append(time, to: &out)
                wroteTime = true
            } else if let host, first == UInt8(ascii: "h"), f.key == "host" {
                JSONWriter.appendString(host, to: &out)
            } else {
                JSONWriter.append(f.value, to: &out)
            }
        }
        if let time, !wroteTime {
            if !record.fields.isEmpty { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: "\"_time\":".utf8)
            EpochText.append(time, to: &out)
        }
        out.append(UInt8(ascii: "}"))
        out.append(0x0A)
    }
}
