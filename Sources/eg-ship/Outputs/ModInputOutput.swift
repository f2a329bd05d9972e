import Core

/// `modinput`: the Splunk modular-input XML stream on standard output, so eg can run as a
/// scripted or modular input inside a Splunk app:
/// `<stream><event><time>..</time><index>..</index><host>..</host><source>..</source>
/// <sourcetype>..</sourcetype><data>..</data></event>...</stream>`.
///
/// Text is XML-escaped (`& < > " '`); characters XML 1.0 cannot carry (control characters other
/// than tab, newline and carriage return) become U+FFFD so the stream stays well-formed.
final class ModInputOutput: Output {
    let name = "modinput"
    let stats = OutputStats()
    private let out: OutputBuffer
    private var opened = false

    init(out: OutputBuffer) { self.out = out }

    func write(_ batch: [ShipEvent]) -> [Undelivered] {
        all(batch) {
            let before = out.bytes.count
            if !opened {
                out.bytes.append(contentsOf: "<stream>\n".utf8)
                opened = true
            }
            for e in batch { Self.append(e, to: &out.bytes) }
            stats.bytes += out.bytes.count - before
            try out.flush()
        }
    }

    /// Appends one `<event>` element.
    static func append(_ e: ShipEvent, to o: inout [UInt8]) {
        o.append(contentsOf: "<event><time>".utf8)
        EpochText.append(e.time ?? EventTime.now(), to: &o)
        o.append(contentsOf: "</time><index>".utf8)
        escape(e.index, to: &o)
        o.append(contentsOf: "</index><host>".utf8)
        escape(e.host, to: &o)
        o.append(contentsOf: "</host><source>".utf8)
        escape(e.source, to: &o)
        o.append(contentsOf: "</source><sourcetype>".utf8)
        escape(e.sourcetype, to: &o)
        o.append(contentsOf: "</sourcetype><data>".utf8)
        escape(e.raw, to: &o)
        o.append(contentsOf: "</data></event>\n".utf8)
    }

    /// XML-escapes `s` into `o`.
    static func escape(_ s: String, to o: inout [UInt8]) {
        var s = s
        s.withUTF8 { b in
            for c in b {
                switch c {
                case UInt8(ascii: "&"): o.append(contentsOf: "&amp;".utf8)
                case UInt8(ascii: "<"): o.append(contentsOf: "&lt;".utf8)
                case UInt8(ascii: ">"): o.append(contentsOf: "&gt;".utf8)
                case UInt8(ascii: "\""): o.append(contentsOf: "&quot;".utf8)
                case UInt8(ascii: "'"): o.append(contentsOf: "&apos;".utf8)
                case 0x09, 0x0A, 0x0D: o.append(c)
                case 0..<0x20: o.append(contentsOf: [0xEF, 0xBF, 0xBD])
                default: o.append(c)
                }
            }
        }
    }

    func flush() throws { try out.flush() }

    func close() throws {
        if opened { out.bytes.append(contentsOf: "</stream>\n".utf8) }
        try out.flush()
    }
}
