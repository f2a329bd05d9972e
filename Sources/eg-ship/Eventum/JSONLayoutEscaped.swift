/// `JSONLayout` in one pass over an event's `_raw` as the record holds it: the JSON text inside a
/// JSON string, with the canonical escapes `RecordView` accepts (`\"`, `\\`, `\n`, `\r`, `\t`,
/// `\b`, `\f`, `\u00XX` for the other control bytes; no raw control byte; valid UTF-8). The text
/// is decoded, validated and laid out at once, straight into the batch: the text's strings are
/// `\"..\"` (their escapes `\\X`), its whitespace ` `, `\n`, `\r` and `\t`, every other byte of
/// it is itself. The bytes written are the ones `append` writes for the decoded text, and what
/// `append` refuses is refused here (without the reason: the caller asks `append` for it).
extension JSONLayout {
    /// Appends the laid-out form of the text whose escaped form is `escaped` to `out` (8 bytes of
    /// slack past the end may be overwritten); false, with `out` as it was, when the text is not
    /// one JSON value.
    func append(escaped: UnsafeBufferPointer<UInt8>, to out: inout RawVec<UInt8>) -> Bool {
        guard let p = escaped.baseAddress, escaped.count > 0 else { return false }
        let start = out.count
        // Without newlines the layout is at most twice the input (`,` -> `, `, `:` -> `: `).
        _ = out.reserveTail(escaped.count &* 2 &+ 16)
        var s = EscapedScanner(p: p, n: escaped.count, indent: indent, out: out)
        s.space()
        var ok = s.value(depth: 0)
        if ok {
            s.space()
            ok = s.i == s.n
        }
        out = s.out
        if ok { out.didAppend(s.j &- start) }
        return ok
    }
}

private struct EscapedScanner {
    let p: UnsafePointer<UInt8>
    let n: Int
    let indent: Int
    /// The batch's buffer, written from `out.count` up to `j` (its count is set at the end).
    var out: RawVec<UInt8>
    /// `out.base`, and the absolute index of the next byte written.
    var d: UnsafeMutablePointer<UInt8>
    var j: Int
    var i = 0

    init(p: UnsafePointer<UInt8>, n: Int, indent: Int, out: RawVec<UInt8>) {
        self.p = p; self.n = n; self.indent = indent; self.out = out
        d = out.base
        j = out.count
    }

    @inline(__always) mutating func put(_ c: UInt8) { d[j] = c; j &+= 1 }

    @inline(__always) mutating func put(_ a: UInt8, _ b: UInt8) { d[j] = a; d[j &+ 1] = b; j &+= 2 }

    /// The byte at `k`, 0 past the end.
    @inline(__always) func at(_ k: Int) -> UInt8 { k < n ? p[k] : 0 }

    /// Skips the text's whitespace: spaces (eight at a time) and the escapes `\n`, `\r`, `\t`.
    mutating func space() {
        let raw = UnsafeRawPointer(p)
        while i < n {
            if i &+ 8 <= n, raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) == 0x2020_2020_2020_2020 { i &+= 8; continue }
            let c = p[i]
            if c == 0x20 { i &+= 1; continue }
            guard c == 0x5C else { return }
            let e = at(i &+ 1)
            guard e == UInt8(ascii: "n") || e == UInt8(ascii: "r") || e == UInt8(ascii: "t") else { return }
            i &+= 2
        }
    }

    /// A newline and the indentation of `depth`, with room kept for the rest of the input.
    mutating func newline(depth: Int) {
        let need = 1 &+ indent &* depth &+ (n &- i) &* 2 &+ 16
        if j &+ need > out.capacity {
            // Growing keeps `count` bytes: the ones written past it are counted for the move.
            let written = j &- out.count
            out.didAppend(written)
            _ = out.reserveTail(need)
            out.removeLast(written)
            d = out.base
        }
        put(0x0A)
        (d + j).update(repeating: 0x20, count: indent &* depth)
        j &+= indent &* depth
    }

    mutating func value(depth: Int) -> Bool {
        guard i < n else { return false }
        switch p[i] {
        case UInt8(ascii: "{"): return container(depth: depth, close: UInt8(ascii: "}"))
        case UInt8(ascii: "["): return container(depth: depth, close: UInt8(ascii: "]"))
        case 0x5C: return at(i &+ 1) == 0x22 && string()
        case UInt8(ascii: "t"): return literal("true")
        case UInt8(ascii: "f"): return literal("false")
        case UInt8(ascii: "n"): return literal("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return number()
        default: return false
        }
    }

    mutating func container(depth: Int, close: UInt8) -> Bool {
        guard depth < JSONLayout.maxDepth else { return false }
        put(p[i])
        i &+= 1
        space()
        if i < n, p[i] == close { put(close); i &+= 1; return true }
        var first = true
        while true {
            if indent > 0 { newline(depth: depth &+ 1) } else if indent == 0, !first { put(0x20) }
            first = false
            if close == UInt8(ascii: "}") {
                guard at(i) == 0x5C, at(i &+ 1) == 0x22, string() else { return false }
                space()
                guard at(i) == UInt8(ascii: ":") else { return false }
                i &+= 1
                if indent >= 0 { put(UInt8(ascii: ":"), 0x20) } else { put(UInt8(ascii: ":")) }
                space()
            }
            guard value(depth: depth &+ 1) else { return false }
            space()
            guard i < n else { return false }
            if p[i] == UInt8(ascii: ",") {
                put(UInt8(ascii: ","))
                i &+= 1
                space()
                continue
            }
            guard p[i] == close else { return false }
            i &+= 1
            if indent > 0 { newline(depth: depth) }
            put(close)
            return true
        }
    }

    /// A string of the text, at its escaped opening quote `\"`.
    mutating func string() -> Bool {
        put(0x22)
        i &+= 2
        let lo: UInt64 = 0x0101_0101_0101_0101, hi: UInt64 = 0x8080_8080_8080_8080
        while true {
            // Up to the next backslash eight bytes at a time: each word is stored whole and the
            // output advances by the bytes before the backslash (no other byte needs a look).
            if i &+ 8 <= n {
                let w = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
                UnsafeMutableRawPointer(d + j).storeBytes(of: w, as: UInt64.self)
                let x = w ^ 0x5C5C_5C5C_5C5C_5C5C
                let m = (x &- lo) & ~x & hi
                if m == 0 { i &+= 8; j &+= 8; continue }
                let c = m.trailingZeroBitCount &>> 3
                i &+= c; j &+= c
            } else {
                guard i < n else { return false }
                if p[i] != 0x5C { put(p[i]); i &+= 1; continue }
            }
            // A backslash of the record's escaping at i.
            switch at(i &+ 1) {
            case 0x22: // the text's closing quote
                put(0x22)
                i &+= 2
                return true
            case 0x5C: // the text's own backslash: an escape of the text follows
                i &+= 2
                let e = at(i)
                switch e {
                case 0x5C:
                    // `\"` or `\\` of the text, each escaped again by the record.
                    let q = at(i &+ 1)
                    guard q == 0x22 || q == 0x5C else { return false }
                    put(0x5C, q)
                    i &+= 2
                case UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    put(0x5C, e)
                    i &+= 1
                case UInt8(ascii: "u"):
                    guard i &+ 4 < n, (1...4).allSatisfy({ JSONLayout.isHex(p[i &+ $0]) }) else { return false }
                    put(0x5C)
                    (d + j).update(from: p + i, count: 5)
                    j &+= 5
                    i &+= 5
                default:
                    return false
                }
            default:
                // `\n`, `\u00XX`, ...: a control byte in the text's string, which must be escaped.
                return false
            }
        }
    }

    mutating func literal(_ word: StaticString) -> Bool {
        let k = word.utf8CodeUnitCount
        guard i &+ k <= n, memcmp(p + i, word.utf8Start, k) == 0 else { return false }
        (d + j).update(from: p + i, count: k)
        j &+= k
        i &+= k
        return true
    }

    mutating func digits() -> Int {
        let s = i
        while i < n, p[i] &- 0x30 < 10 { i &+= 1 }
        return i &- s
    }

    /// A number as `JSONLayout` reads one (copied as written).
    mutating func number() -> Bool {
        let start = i
        if p[i] == UInt8(ascii: "-") { i &+= 1 }
        guard i < n, p[i] &- 0x30 < 10 else { return false }
        if p[i] == 0x30 { i &+= 1 } else { _ = digits() }
        if i < n, p[i] == UInt8(ascii: ".") {
            i &+= 1
            guard digits() > 0 else { return false }
        }
        if i < n, p[i] | 0x20 == UInt8(ascii: "e") {
            i &+= 1
            if i < n, p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-") { i &+= 1 }
            guard digits() > 0 else { return false }
        }
        (d + j).update(from: p + start, count: i &- start)
        j &+= i &- start
        return true
    }
}

#if canImport(Glibc)
import Glibc
#endif
