import Core

/// JSON-safe substitution: values escaped so they can sit inside a JSON string of `_raw`.
enum JSONSafe {
    /// Whether a pool line is a JSON object (its first non-blank byte is `{`).
    static func isJSONObject(_ raw: String) -> Bool {
        for b in raw.utf8 {
            if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D { continue }
            return b == UInt8(ascii: "{")
        }
        return false
    }

    /// `value` escaped for use inside a JSON string (`"`, `\` and control characters).
    @inline(__always)
    static func escape(_ value: [UInt8], into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        value.withUnsafeBufferPointer { JSONWriter.appendEscaped(bytes: $0, to: &out) }
    }

    /// Appends `bytes` escaped for JSON twice (JSON-safe for `_raw`, then for the stream's string) in
    /// one pass: the same bytes as `JSONWriter.appendEscaped` applied to `escape(bytes)`. Clean runs
    /// (no quote, backslash or control byte) are copied once, found eight bytes at a time.
    static func appendEscapedTwice(bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        let n = bytes.count
        var runStart = 0
        var k = 0
        while k < n {
            k = JSONWriter.firstEscapable(in: bytes, from: k)
            guard k < n else { break }
            let b = bytes[k]
            if k > runStart { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<k])) }
            // First escape: `\` then a letter, `"`, `\` or `u00XX`; the second doubles the backslashes
            // and escapes the quote.
            out.append(0x5C); out.append(0x5C)
            switch b {
            case 0x22: out.append(0x5C); out.append(0x22)
            case 0x5C: out.append(0x5C); out.append(0x5C)
            case 0x0A: out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(UInt8(ascii: "r"))
            case 0x09: out.append(UInt8(ascii: "t"))
            case 0x08: out.append(UInt8(ascii: "b"))
            case 0x0C: out.append(UInt8(ascii: "f"))
            default:
                out.append(UInt8(ascii: "u")); out.append(0x30); out.append(0x30)
                out.append(hex(b >> 4)); out.append(hex(b & 0xF))
            }
            k += 1
            runStart = k
        }
        if n > runStart { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<n])) }
    }

    @inline(__always) private static func hex(_ v: UInt8) -> UInt8 { v < 10 ? 0x30 + v : 0x61 + v - 10 }

    static func escape(_ s: String) -> String {
        var out: [UInt8] = []
        escape(Array(s.utf8), into: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
