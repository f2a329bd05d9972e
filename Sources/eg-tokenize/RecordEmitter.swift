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
            switch f.key {
            case "_raw":
                out.append(UInt8(ascii: "\""))
                out.append(contentsOf: rawEscaped)
                out.append(UInt8(ascii: "\""))
            case "_time" where time != nil:
                EpochText.append(time!, to: &out)
                wroteTime = true
            case "host" where host != nil:
                JSONWriter.appendString(host!, to: &out)
            default:
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
