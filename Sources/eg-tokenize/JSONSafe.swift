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

    /// The room `writeEscapedTwice` needs for `n` bytes: a control byte becomes `\\u00XX` (seven
    /// bytes), and eight bytes of slack for the word stores.
    @inline(__always)
    static func boundTwice(_ n: Int) -> Int { n &* 7 &+ 8 }

    /// Writes `bytes` escaped for JSON twice (JSON-safe for `_raw`, then for the stream's string)
    /// at `d`, which has room for `boundTwice(bytes.count)` bytes; returns how many were written:
    /// the bytes of `JSONWriter.appendEscaped` applied to `escape(bytes)`, in one pass. Clean runs
    /// (no quote, backslash or control byte) are stored eight bytes at a time.
    static func writeEscapedTwice(_ bytes: UnsafeBufferPointer<UInt8>, to d: UnsafeMutablePointer<UInt8>) -> Int {
        let n = bytes.count
        guard let src = bytes.baseAddress else { return 0 }
        let raw = UnsafeRawPointer(src)
        var j = 0
        var k = 0
        while k &+ 8 <= n {
            let w = raw.loadUnaligned(fromByteOffset: k, as: UInt64.self)
            let hit = JSONEscaper.escapeMask(w)
            // Stored whole; only the bytes before the first one to escape count (it is exact).
            UnsafeMutableRawPointer(d + j).storeBytes(of: w, as: UInt64.self)
            if hit == 0 { j &+= 8; k &+= 8; continue }
            let z = hit.trailingZeroBitCount &>> 3
            j &+= z
            k &+= z
            j = escapeTwice(src[k], d, j)
            k &+= 1
        }
        // The last one to seven bytes as one word: stored whole when none is to be escaped.
        if k < n {
            let w = JSONEscaper.partialWord(src + k, n &- k)
            if JSONEscaper.escapeMask(w) & JSONEscaper.lowBytes(n &- k) == 0 {
                UnsafeMutableRawPointer(d + j).storeBytes(of: w, as: UInt64.self)
                return j &+ n &- k
            }
        }
        while k < n {
            let b = src[k]
            k &+= 1
            if b >= 0x20 && b != 0x22 && b != 0x5C { d[j] = b; j &+= 1 } else { j = escapeTwice(b, d, j) }
        }
        return j
    }

    /// Writes byte `b` escaped twice at `d + j`: the first escape is `\` then a letter, `"`, `\` or
    /// `u00XX`; the second doubles its backslash and escapes the quote. Returns the index after it.
    @inline(__always)
    private static func escapeTwice(_ b: UInt8, _ d: UnsafeMutablePointer<UInt8>, _ j: Int) -> Int {
        d[j] = 0x5C
        d[j &+ 1] = 0x5C
        switch b {
        case 0x22: d[j &+ 2] = 0x5C; d[j &+ 3] = 0x22; return j &+ 4
        case 0x5C: d[j &+ 2] = 0x5C; d[j &+ 3] = 0x5C; return j &+ 4
        case 0x0A: d[j &+ 2] = UInt8(ascii: "n")
        case 0x0D: d[j &+ 2] = UInt8(ascii: "r")
        case 0x09: d[j &+ 2] = UInt8(ascii: "t")
        case 0x08: d[j &+ 2] = UInt8(ascii: "b")
        case 0x0C: d[j &+ 2] = UInt8(ascii: "f")
        default:
            d[j &+ 2] = UInt8(ascii: "u"); d[j &+ 3] = 0x30; d[j &+ 4] = 0x30
            d[j &+ 5] = hex(b >> 4); d[j &+ 6] = hex(b & 0xF)
            return j &+ 7
        }
        return j &+ 3
    }

    @inline(__always) private static func hex(_ v: UInt8) -> UInt8 { v < 10 ? 0x30 + v : 0x61 + v - 10 }

    static func escape(_ s: String) -> String {
        var out: [UInt8] = []
        escape(Array(s.utf8), into: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
