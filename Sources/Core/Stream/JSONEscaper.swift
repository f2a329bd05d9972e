/// Escapes long strings (a rendered event of a few kilobytes) into JSON string text through a
/// reusable scratch area: the escape loop stores bytes through a raw pointer (clean runs eight at
/// a time), and the result goes to the output in one copy. `JSONWriter.appendString(bytes:)` writes
/// the same bytes; this is for callers that own one escaper and call it per event.
///
/// Not thread-safe: one escaper per renderer.
public final class JSONEscaper {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int

    public init(capacity: Int = 1 << 14) {
        self.capacity = max(capacity, 64)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// Appends `bytes` as a quoted, escaped JSON string (byte-identical to
    /// `JSONWriter.appendString(bytes:to:)`).
    public func appendString(bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        reserve(JSONEscaper.bound(bytes.count) &+ 2)
        base[0] = 0x22
        let j = 1 &+ JSONEscaper.write(escaping: bytes, to: base + 1)
        base[j] = 0x22
        out.append(contentsOf: UnsafeBufferPointer(start: base, count: j &+ 1))
    }

    /// The room `write(escaping:to:)` needs for `n` bytes: every byte a control byte written as
    /// `\u00XX`, and eight bytes of slack for the word stores.
    @inline(__always)
    public static func bound(_ n: Int) -> Int { n &* 6 &+ 8 }

    /// Writes `bytes` escaped for use inside a JSON string (no quotes; the bytes of
    /// `JSONWriter.appendEscaped`) at `d`, which has room for `bound(bytes.count)` bytes; returns
    /// how many were written.
    public static func write(escaping bytes: UnsafeBufferPointer<UInt8>, to d: UnsafeMutablePointer<UInt8>) -> Int {
        let n = bytes.count
        guard let src = bytes.baseAddress else { return 0 }
        let raw = UnsafeRawPointer(src)
        var j = 0
        var k = 0
        // Eight bytes at a time: the word is stored as it stands; when it holds a byte to escape,
        // only the bytes before the first such byte count (the lowest flagged byte of the SWAR
        // test is exact), the escape overwrites the rest, and the scan goes on after it.
        while k &+ 8 <= n {
            let w = raw.loadUnaligned(fromByteOffset: k, as: UInt64.self)
            let hit = escapeMask(w)
            UnsafeMutableRawPointer(d + j).storeBytes(of: w, as: UInt64.self)
            if hit == 0 { j &+= 8; k &+= 8; continue }
            let z = hit.trailingZeroBitCount &>> 3
            j &+= z
            k &+= z
            j = escape(src[k], d, j)
            k &+= 1
        }
        // The last one to seven bytes as one word: stored whole when none is to be escaped.
        if k < n {
            let w = partialWord(src + k, n &- k)
            if escapeMask(w) & lowBytes(n &- k) == 0 {
                UnsafeMutableRawPointer(d + j).storeBytes(of: w, as: UInt64.self)
                return j &+ n &- k
            }
        }
        while k < n {
            let b = src[k]
            k &+= 1
            if b >= 0x20 && b != 0x22 && b != 0x5C { d[j] = b; j &+= 1 } else { j = escape(b, d, j) }
        }
        return j
    }

    /// The top bit of every byte of `w` that a JSON string must escape (`"`, `\\`, a control
    /// byte): exact for the lowest such byte; above it, a borrow may flag a plain byte too.
    @inlinable @inline(__always)
    public static func escapeMask(_ w: UInt64) -> UInt64 {
        let q = w ^ 0x2222_2222_2222_2222, s = w ^ 0x5C5C_5C5C_5C5C_5C5C
        return (((w &- 0x2020_2020_2020_2020) & ~w) | ((q &- 0x0101_0101_0101_0101) & ~q)
            | ((s &- 0x0101_0101_0101_0101) & ~s)) & 0x8080_8080_8080_8080
    }

    /// The `r` (1...7) bytes at `p` as the low bytes of a word, loaded in pieces of 4, 2 and 1
    /// (never past the last byte); the high bytes are zero.
    @inlinable @inline(__always)
    public static func partialWord(_ p: UnsafePointer<UInt8>, _ r: Int) -> UInt64 {
        let raw = UnsafeRawPointer(p)
        var v: UInt64 = 0
        var o = 0
        if r & 4 != 0 { v = UInt64(raw.loadUnaligned(as: UInt32.self)); o = 4 }
        if r & 2 != 0 { v |= UInt64(raw.loadUnaligned(fromByteOffset: o, as: UInt16.self)) << UInt64(o &<< 3); o &+= 2 }
        if r & 1 != 0 { v |= UInt64(raw.load(fromByteOffset: o, as: UInt8.self)) << UInt64(o &<< 3) }
        return v
    }

    /// The top bits of the low `r` (0...7) bytes of a word.
    @inlinable @inline(__always)
    public static func lowBytes(_ r: Int) -> UInt64 { ((1 as UInt64) << UInt64(r &<< 3)) &- 1 }

    /// Appends `bytes`, which must be one JSON value, in its compact form (`JSONCompact`) as a
    /// JSON string: the bytes of `JSONCompact.append` then `appendString(bytes:)`, in one pass.
    /// Throws the `JSONParser.SyntaxError` of text that is not one JSON value; `out` is then unchanged.
    public func appendCompactJSON(bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) throws {
        reserve(JSONCompact.bound(bytes.count, quoted: true))
        let n = try JSONCompact.write(bytes, quoted: true, into: base)
        out.append(contentsOf: UnsafeBufferPointer(start: base, count: n))
    }

    private func reserve(_ need: Int) {
        guard need > capacity else { return }
        base.deallocate()
        capacity = max(need, capacity &* 2)
        base = .allocate(capacity: capacity)
    }

    /// Writes the escape sequence of byte `b` at `d + j`; returns the index after it.
    @inline(__always)
    static func escape(_ b: UInt8, _ d: UnsafeMutablePointer<UInt8>, _ j: Int) -> Int {
        d[j] = 0x5C
        switch b {
        case 0x22: d[j &+ 1] = 0x22
        case 0x5C: d[j &+ 1] = 0x5C
        case 0x0A: d[j &+ 1] = UInt8(ascii: "n")
        case 0x0D: d[j &+ 1] = UInt8(ascii: "r")
        case 0x09: d[j &+ 1] = UInt8(ascii: "t")
        case 0x08: d[j &+ 1] = UInt8(ascii: "b")
        case 0x0C: d[j &+ 1] = UInt8(ascii: "f")
        default:
            let hi = b >> 4, lo = b & 0xF
            d[j &+ 1] = UInt8(ascii: "u"); d[j &+ 2] = 0x30; d[j &+ 3] = 0x30
            d[j &+ 4] = hi < 10 ? 0x30 &+ hi : 0x57 &+ hi
            d[j &+ 5] = lo < 10 ? 0x30 &+ lo : 0x57 &+ lo
            return j &+ 6
        }
        return j &+ 2
    }
}
