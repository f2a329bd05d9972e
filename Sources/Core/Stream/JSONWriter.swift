/// Appends JSON text to a byte buffer: the writing half of the stream codec.
///
/// Strings are escaped exactly: `"` and `\`, and every control character below U+0020
/// (`\n`, `\r`, `\t`, `\b`, `\f`, else `\u00XX`). Other text, non-ASCII included, is written as UTF-8.
public enum JSONWriter {
    /// Appends `value` as compact JSON.
    public static func append(_ value: JSONValue, to out: inout [UInt8]) {
        switch value {
        case .string(let s): appendString(s, to: &out)
        case .number(let n): out.append(contentsOf: n.utf8)
        case .bool(let b): out.append(contentsOf: b ? "true".utf8 : "false".utf8)
        case .null: out.append(contentsOf: "null".utf8)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (k, item) in items.enumerated() {
                if k > 0 { out.append(UInt8(ascii: ",")) }
                append(item, to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let fields): appendObject(fields, to: &out)
        }
    }

    /// Appends an object with its members in order.
    public static func appendObject(_ fields: [JSONField], to out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        for (k, f) in fields.enumerated() {
            if k > 0 { out.append(UInt8(ascii: ",")) }
            appendString(f.key, to: &out)
            out.append(UInt8(ascii: ":"))
            append(f.value, to: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    /// Appends `s` as a quoted, escaped JSON string.
    @inline(__always)
    public static func appendString(_ s: String, to out: inout [UInt8]) {
        var s = s
        s.withUTF8 { appendString(bytes: $0, to: &out) }
    }

    /// Appends UTF-8 `bytes` as a quoted, escaped JSON string.
    public static func appendString(bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        appendEscaped(bytes: bytes, to: &out)
        out.append(UInt8(ascii: "\""))
    }

    /// The index of the first byte at or after `start` that a JSON string must escape (`"`, `\` or a
    /// control byte; with `stopAtNonASCII`, also any byte >= 0x80), or `bytes.count`. Clean runs are
    /// skipped eight bytes at a time. Every escaper in eg shares this scan.
    @inlinable @inline(__always)
    public static func firstEscapable(in bytes: UnsafeBufferPointer<UInt8>, from start: Int,
                                      stopAtNonASCII: Bool = false) -> Int {
        let n = bytes.count
        guard let base = bytes.baseAddress else { return n }
        let raw = UnsafeRawPointer(base)
        let high: UInt64 = stopAtNonASCII ? 0x8080_8080_8080_8080 : 0
        var k = start
        while k &+ 8 <= n {
            let w = raw.loadUnaligned(fromByteOffset: k, as: UInt64.self)
            let q = w ^ 0x2222_2222_2222_2222, s = w ^ 0x5C5C_5C5C_5C5C_5C5C
            let hit = ((w &- 0x2020_2020_2020_2020) & ~w) | ((q &- 0x0101_0101_0101_0101) & ~q)
                | ((s &- 0x0101_0101_0101_0101) & ~s)
            // The lowest flagged byte is exact (a borrow only flags bytes above a true hit).
            let m = (hit & 0x8080_8080_8080_8080) | (w & high)
            if m != 0 { return k &+ (m.trailingZeroBitCount &>> 3) }
            k &+= 8
        }
        while k < n {
            let b = bytes[k]
            if b < 0x20 || b == 0x22 || b == 0x5C || (stopAtNonASCII && b >= 0x80) { return k }
            k &+= 1
        }
        return n
    }

    /// Appends the JSON escape sequence of one byte that `firstEscapable` stopped at: `\"`, `\\`,
    /// `\n`, `\r`, `\t`, `\b`, `\f`, else `\u00XX` for a control byte.
    @inlinable @inline(__always)
    public static func appendEscapeSequence(_ b: UInt8, to out: inout [UInt8]) {
        out.append(0x5C)
        switch b {
        case 0x22: out.append(0x22)
        case 0x5C: out.append(0x5C)
        case 0x0A: out.append(UInt8(ascii: "n"))
        case 0x0D: out.append(UInt8(ascii: "r"))
        case 0x09: out.append(UInt8(ascii: "t"))
        case 0x08: out.append(UInt8(ascii: "b"))
        case 0x0C: out.append(UInt8(ascii: "f"))
        default:
            let hex: (UInt8) -> UInt8 = { $0 < 10 ? 0x30 + $0 : 0x61 + $0 - 10 }
            out.append(UInt8(ascii: "u")); out.append(0x30); out.append(0x30)
            out.append(hex(b >> 4)); out.append(hex(b & 0xF))
        }
    }

    /// Appends UTF-8 `bytes` escaped for use inside a JSON string, without quotes.
    public static func appendEscaped(bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        var runStart = 0
        var k = 0
        let n = bytes.count
        while k < n {
            k = firstEscapable(in: bytes, from: k)
            guard k < n else { break }
            let b = bytes[k]
            if k > runStart { appendRun(bytes, runStart, k, to: &out) }
            appendEscapeSequence(b, to: &out)
            k += 1
            runStart = k
        }
        if n > runStart { appendRun(bytes, runStart, n, to: &out) }
    }

    /// Appends `bytes[from..<to]`: short runs (the text between two escapes in a JSON document is
    /// a few bytes) byte by byte, which is cheaper than `append(contentsOf:)`'s call and copy.
    @inlinable @inline(__always)
    public static func appendRun(_ bytes: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int, to out: inout [UInt8]) {
        if to &- from <= 16 {
            var i = from
            while i < to { out.append(bytes[i]); i &+= 1 }
        } else {
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[from..<to]))
        }
    }


    /// The compact JSON text of `value`.
    public static func string(_ value: JSONValue) -> String {
        var out: [UInt8] = []
        append(value, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
