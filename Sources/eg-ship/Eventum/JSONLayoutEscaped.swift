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
        let ok = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: JSONLayout.maxDepth) { s.text(closes: $0.baseAddress!) }
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

    /// The whole text, one value and whitespace around it. A loop over the tokens, not a
    /// recursion: `closes` holds the closing byte of each open container (at most `maxDepth`),
    /// so a token costs a test or two and no call.
    mutating func text(closes: UnsafeMutablePointer<UInt8>) -> Bool {
        var depth = 0
        space()
        while true {
            // A value at i.
            guard i < n else { return false }
            let c = p[i]
            switch c {
            case 0x5C:
                guard at(i &+ 1) == 0x22, string() else { return false }
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                guard depth < JSONLayout.maxDepth else { return false }
                let close = c &+ 2 // `}`, `]`
                put(c)
                i &+= 1
                space()
                if i < n, p[i] == close {
                    put(close)
                    i &+= 1
                } else {
                    closes[depth] = close
                    depth &+= 1
                    if indent > 0 { newline(depth: depth) }
                    if close == UInt8(ascii: "}") { guard member() else { return false } }
                    continue
                }
            case UInt8(ascii: "t"): guard literal("true") else { return false }
            case UInt8(ascii: "f"): guard literal("false") else { return false }
            case UInt8(ascii: "n"): guard literal("null") else { return false }
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): guard number() else { return false }
            default: return false
            }
            // After a value: the end of the text, a comma before the next value, or closes.
            while true {
                space()
                guard depth > 0 else { return i == n }
                guard i < n else { return false }
                let e = p[i]
                let close = closes[depth &- 1]
                if e == UInt8(ascii: ",") {
                    put(e)
                    i &+= 1
                    space()
                    if indent > 0 { newline(depth: depth) } else if indent == 0 { put(0x20) }
                    if close == UInt8(ascii: "}") { guard member() else { return false } }
                    break
                }
                guard e == close else { return false }
                i &+= 1
                depth &-= 1
                if indent > 0 { newline(depth: depth) }
                put(e)
            }
        }
    }

    /// An object member's name and its colon, up to its value.
    @inline(__always)
    mutating func member() -> Bool {
        guard at(i) == 0x5C, at(i &+ 1) == 0x22, string() else { return false }
        space()
        guard at(i) == UInt8(ascii: ":") else { return false }
        i &+= 1
        if indent >= 0 { put(UInt8(ascii: ":"), 0x20) } else { put(UInt8(ascii: ":")) }
        space()
        return true
    }

    /// Skips the text's whitespace; most often there is none, which costs a test or two.
    @inline(__always)
    mutating func space() {
        guard i < n else { return }
        let c = p[i]
        if c == 0x20 || (c == 0x5C && JSONLayout.isSpaceEscape(at(i &+ 1))) { skipSpace() }
    }

    /// Skips the text's whitespace: spaces (eight at a time) and the escapes `\n`, `\r`, `\t`.
    @inline(never)
    mutating func skipSpace() {
        let raw = UnsafeRawPointer(p)
        while i < n {
            if i &+ 8 <= n, raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) == 0x2020_2020_2020_2020 { i &+= 8; continue }
            let c = p[i]
            if c == 0x20 { i &+= 1; continue }
            guard c == 0x5C, JSONLayout.isSpaceEscape(at(i &+ 1)) else { return }
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

    /// A string of the text, at its escaped opening quote `\"`.
    @inline(__always)
    mutating func string() -> Bool {
        put(0x22)
        i &+= 2
        let lo: UInt64 = 0x0101_0101_0101_0101, hi: UInt64 = 0x8080_8080_8080_8080
        let backslash = SIMD16<UInt8>(repeating: 0x5C) // typed in full: see `RecordScanner.flags16`
        while true {
            // Up to the next backslash sixteen bytes at a time (then eight): each block is stored
            // whole and the output advances by the bytes before the backslash (no other byte
            // needs a look).
            if i &+ 16 <= n {
                let v = UnsafeRawPointer(p + i).loadUnaligned(as: SIMD16<UInt8>.self)
                UnsafeMutableRawPointer(d + j).storeBytes(of: v, as: SIMD16<UInt8>.self)
                let m = unsafeBitCast(v .== backslash, to: SIMD2<UInt64>.self)
                if m[0] | m[1] == 0 { i &+= 16; j &+= 16; continue }
                let c = m[0] != 0 ? m[0].trailingZeroBitCount &>> 3 : 8 &+ m[1].trailingZeroBitCount &>> 3
                i &+= c; j &+= c
            } else if i &+ 8 <= n {
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
            let e = at(i &+ 1)
            if e == 0x22 { // the text's closing quote
                put(0x22)
                i &+= 2
                return true
            }
            // The text's own backslash (an escape of the text follows), or a control byte.
            guard e == 0x5C, textEscape() else { return false }
        }
    }

    /// An escape of the text's string, at the record's `\\` for its backslash: copied as the
    /// text has it. False when it is not a JSON escape.
    @inline(never)
    mutating func textEscape() -> Bool {
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
        return true
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

extension JSONLayout {
    /// Whether `\` and `e` in the record's escaping stand for the text's whitespace (`\n`, `\r`, `\t`).
    @inline(__always)
    static func isSpaceEscape(_ e: UInt8) -> Bool {
        e == UInt8(ascii: "n") || e == UInt8(ascii: "r") || e == UInt8(ascii: "t")
    }
}

#if canImport(Glibc)
import Glibc
#endif
