/// The byte scanner behind `RecordView.scan`: strict JSON grammar, canonical form only.
struct RecordScanner {
    let p: UnsafePointer<UInt8>
    let n: Int
    var i = 0
    var sawEscape = false
    /// The last number's integer digits and whether it had an exponent.
    var intDigits = 0
    var sawExponent = false

    init(p: UnsafePointer<UInt8>, n: Int) {
        self.p = p
        self.n = n
    }

    var peek: UInt8 { i < n ? p[i] : 0 }

    static func hexValue(_ b: UInt8) -> UInt8 { b <= 0x39 ? b &- 0x30 : b &- 0x61 &+ 10 }

    /// A string starting at the opening quote; leaves `i` after the closing quote. Inlined: it
    /// runs twice per member (key and value), so a call's overhead is a real share of the scan.
    @inline(__always)
    mutating func string() -> Bool {
        i += 1
        sawEscape = false
        words: while true {
            // Sixteen bytes at a time with an exact mask of their quotes, backslashes, control
            // and non-ASCII bytes: `\"` and `\\` (JSON inside JSON) are passed over in place,
            // the closing quote ends the string, anything else goes to the byte path below.
            if i &+ 16 <= n {
                var f = RecordScanner.flags16(UnsafeRawPointer(p + i).loadUnaligned(as: SIMD16<UInt8>.self))
                if f == 0 { i &+= 16; continue }
                while true {
                    let j = f.trailingZeroBitCount
                    let at = i &+ j
                    let b = p[at]
                    if b == 0x22 { i = at &+ 1; return true }
                    guard b == 0x5C, at &+ 1 < n else { i = at; break }
                    let e = p[at &+ 1]
                    guard e == 0x22 || e == 0x5C else { i = at; break }
                    sawEscape = true
                    if j == 15 { i = at &+ 2; continue words }   // the pair ends in the next sixteen
                    f &= ~(3 << UInt32(j))
                    if f == 0 { i &+= 16; continue words }
                }
            } else if i &+ 8 <= n {
                // The last eight to fifteen bytes, eight at a time, as above; the mask may have
                // false flags (a borrow above a quote or backslash), which are plain bytes.
                let w = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
                let lo: UInt64 = 0x0101_0101_0101_0101, hi: UInt64 = 0x8080_8080_8080_8080
                let q = w ^ 0x2222_2222_2222_2222, s = w ^ 0x5C5C_5C5C_5C5C_5C5C
                var special = (((q &- lo) & ~q) | ((s &- lo) & ~s) | (w &- 0x2020_2020_2020_2020) | w) & hi
                if special == 0 { i &+= 8; continue }
                let base = i
                while true {
                    // The lowest flagged byte is a true one, or a false flag (a borrow) just
                    // above a quote or backslash already passed: a plain byte, skipped.
                    let j = special.trailingZeroBitCount &>> 3
                    let at = base &+ j
                    let b = p[at]
                    if b == 0x22 { i = at &+ 1; return true }
                    if b == 0x5C {
                        guard at &+ 1 < n else { return false }
                        let e = p[at &+ 1]
                        guard e == 0x22 || e == 0x5C else { i = at; break }
                        sawEscape = true
                        if j == 7 { i = at &+ 2; continue words }   // the pair ends in the next word
                        special &= ~(0xFFFF << UInt64(j &<< 3))
                    } else if b >= 0x20 && b < 0x80 {
                        special &= ~(0xFF << UInt64(j &<< 3))
                    } else {
                        i = at; break
                    }
                    if special == 0 { i = base &+ 8; continue words }
                }
            } else if i >= n {
                return false
            }
            let b = p[i]
            if b == 0x22 { i += 1; return true }
            if b >= 0x20 && b < 0x80 && b != 0x5C { i += 1; continue }
            if b < 0x20 { return false } // raw control characters: JSONWriter escapes them
            if b == 0x5C {
                sawEscape = true
                guard let (_, length) = escape() else { return false }
                i &+= length
                continue
            }
            guard utf8Sequence() else { return false }
        }
    }

    /// `string()` that also writes the string's decoded content at `d`, which has room for the
    /// rest of the line and 8 bytes (words are stored whole): the bytes `RecordView.unescape`
    /// gives. Returns how many were written; nil where `string()` returns false.
    @inline(__always)
    mutating func string(decodingTo d: UnsafeMutablePointer<UInt8>) -> Int? {
        i += 1
        sawEscape = false
        var o = 0
        words: while true {
            // Sixteen bytes at a time, stored as they stand, with the mask of `string()`. Each
            // `\"` or `\\` in them drops its backslash in place: the bytes after it are stored
            // again one further down from the two halves in registers (no load, no restart), and
            // the output advances by sixteen less the backslashes dropped.
            if i &+ 16 <= n {
                let v = UnsafeRawPointer(p + i).loadUnaligned(as: SIMD16<UInt8>.self)
                UnsafeMutableRawPointer(d + o).storeBytes(of: v, as: SIMD16<UInt8>.self)
                var f = RecordScanner.flags16(v)
                if f == 0 { i &+= 16; o &+= 16; continue }
                let halves = unsafeBitCast(v, to: SIMD2<UInt64>.self)
                let w0 = halves[0], w1 = halves[1]
                var drop = 0
                while true {
                    let j = f.trailingZeroBitCount
                    let b = p[i &+ j]
                    if b == 0x22 { i &+= j &+ 1; return o &+ j &- drop }
                    guard b == 0x5C, i &+ j &+ 1 < n else { i &+= j; o &+= j &- drop; break }
                    let e = p[i &+ j &+ 1]
                    guard e == 0x22 || e == 0x5C else { i &+= j; o &+= j &- drop; break }
                    sawEscape = true
                    if j == 15 {
                        // The pair ends in the next sixteen: its second byte written here.
                        d[o &+ 15 &- drop] = e
                        i &+= 17
                        o &+= 16 &- drop
                        continue words
                    }
                    // Bytes j+1... go where byte j was: o + j - drop.
                    let to = UnsafeMutableRawPointer(d + (o &+ j &- drop))
                    if j < 7 {
                        to.storeBytes(of: w0 &>> UInt64((j &+ 1) &<< 3), as: UInt64.self)
                        (to + (7 &- j)).storeBytes(of: w1, as: UInt64.self)
                    } else {
                        to.storeBytes(of: w1 &>> UInt64((j &- 7) &<< 3), as: UInt64.self)
                    }
                    drop &+= 1
                    f &= ~(3 << UInt32(j))
                    if f == 0 { i &+= 16; o &+= 16 &- drop; continue words }
                }
            } else if i &+ 8 <= n {
                // The last eight to fifteen bytes, eight at a time: a word with a flagged byte
                // counts only the bytes before it (a false flag, a borrow above a plain byte, is
                // passed over), and `\"` or `\\` writes its second byte there and starts a word
                // after the pair.
                let w = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
                UnsafeMutableRawPointer(d + o).storeBytes(of: w, as: UInt64.self)
                let lo: UInt64 = 0x0101_0101_0101_0101, hi: UInt64 = 0x8080_8080_8080_8080
                let q = w ^ 0x2222_2222_2222_2222, s = w ^ 0x5C5C_5C5C_5C5C_5C5C
                var special = (((q &- lo) & ~q) | ((s &- lo) & ~s) | (w &- 0x2020_2020_2020_2020) | w) & hi
                if special == 0 { i &+= 8; o &+= 8; continue }
                while true {
                    let j = special.trailingZeroBitCount &>> 3
                    let b = p[i &+ j]
                    if b == 0x22 { i &+= j &+ 1; return o &+ j }
                    if b == 0x5C {
                        guard i &+ j &+ 1 < n else { return nil }
                        let e = p[i &+ j &+ 1]
                        guard e == 0x22 || e == 0x5C else { i &+= j; o &+= j; break }
                        sawEscape = true
                        d[o &+ j] = e
                        i &+= j &+ 2
                        o &+= j &+ 1
                        continue words
                    }
                    if b >= 0x20 && b < 0x80 {
                        special &= ~(0xFF << UInt64(j &<< 3))
                        if special == 0 { i &+= 8; o &+= 8; continue words }
                    } else {
                        i &+= j; o &+= j; break
                    }
                }
            } else if i >= n {
                return nil
            }
            let b = p[i]
            if b == 0x22 { i += 1; return o }
            if b >= 0x20 && b < 0x80 && b != 0x5C { d[o] = b; o &+= 1; i += 1; continue }
            if b < 0x20 { return nil }
            if b == 0x5C {
                sawEscape = true
                guard let (byte, length) = escape() else { return nil }
                d[o] = byte
                o &+= 1
                i &+= length
                continue
            }
            let from = i
            guard utf8Sequence() else { return nil }
            for k in from..<i { d[o] = p[k]; o &+= 1 }
        }
    }

    /// Bit k set when byte k of `v` is a quote, a backslash, a control byte or not ASCII
    /// (exact: compared as one vector, each half's bytes then gathered into 8 bits).
    @inline(__always)
    static func flags16(_ v: SIMD16<UInt8>) -> UInt32 {
        // The constants typed in full: `SIMD16(repeating:)` left to inference picks the generic
        // lane-by-lane operators (scalar code) instead of the vector ones.
        let quote = SIMD16<UInt8>(repeating: 0x22), backslash = SIMD16<UInt8>(repeating: 0x5C)
        let space = SIMD16<UInt8>(repeating: 0x20), span = SIMD16<UInt8>(repeating: 0x60)
        let m = (v .== quote) .| (v .== backslash) .| ((v &- space) .>= span)
        let w = unsafeBitCast(m, to: SIMD2<UInt64>.self)
        guard w[0] | w[1] != 0 else { return 0 }
        @inline(__always) func gather(_ x: UInt64) -> UInt32 {
            UInt32(truncatingIfNeeded: ((x & 0x0101_0101_0101_0101) &* 0x0102_0408_1020_4080) &>> 56)
        }
        return gather(w[0]) | gather(w[1]) &<< 8
    }

    /// The canonical escape at `i` (a backslash): the byte it stands for and its length; nil
    /// when it is not one `JSONWriter` writes (`\/`, `\u0041`, an invalid escape).
    @inline(__always)
    func escape() -> (byte: UInt8, length: Int)? {
        guard i &+ 1 < n else { return nil }
        switch p[i &+ 1] {
        case 0x22: return (0x22, 2)
        case 0x5C: return (0x5C, 2)
        case UInt8(ascii: "n"): return (0x0A, 2)
        case UInt8(ascii: "r"): return (0x0D, 2)
        case UInt8(ascii: "t"): return (0x09, 2)
        case UInt8(ascii: "b"): return (0x08, 2)
        case UInt8(ascii: "f"): return (0x0C, 2)
        case UInt8(ascii: "u"):
            // JSONWriter writes \u00XX (lower-case hex) only for the other control characters.
            guard i &+ 5 < n, p[i &+ 2] == 0x30, p[i &+ 3] == 0x30 else { return nil }
            let h = p[i &+ 4], l = p[i &+ 5]
            guard h == 0x30 || h == 0x31 else { return nil }
            guard (l >= 0x30 && l <= 0x39) || (l >= 0x61 && l <= 0x66) else { return nil }
            let v = RecordScanner.hexValue(h) << 4 | RecordScanner.hexValue(l)
            if v == 0x08 || v == 0x09 || v == 0x0A || v == 0x0C || v == 0x0D { return nil }
            return (v, 6)
        default: return nil // `\/` and anything else: not canonical (or invalid)
        }
    }

    /// One valid multi-byte UTF-8 sequence at `i` (no overlongs, no surrogates, <= U+10FFFF).
    mutating func utf8Sequence() -> Bool {
        let b0 = p[i]
        @inline(__always) func cont(_ k: Int, _ lo: UInt8 = 0x80, _ hi: UInt8 = 0xBF) -> Bool {
            i + k < n && p[i + k] >= lo && p[i + k] <= hi
        }
        switch b0 {
        case 0xC2...0xDF: guard cont(1) else { return false }; i += 2
        case 0xE0: guard cont(1, 0xA0), cont(2) else { return false }; i += 3
        case 0xE1...0xEC, 0xEE, 0xEF: guard cont(1), cont(2) else { return false }; i += 3
        case 0xED: guard cont(1, 0x80, 0x9F), cont(2) else { return false }; i += 3
        case 0xF0: guard cont(1, 0x90), cont(2), cont(3) else { return false }; i += 4
        case 0xF1...0xF3: guard cont(1), cont(2), cont(3) else { return false }; i += 4
        case 0xF4: guard cont(1, 0x80, 0x8F), cont(2), cont(3) else { return false }; i += 4
        default: return false
        }
        return true
    }

    @inline(__always) func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }

    /// A JSON number, as JSONParser's grammar has it; notes its integer digits and exponent.
    mutating func number() -> Bool {
        if peek == UInt8(ascii: "-") { i += 1 }
        guard i < n, isDigit(p[i]) else { return false }
        let intStart = i
        sawExponent = false
        if p[i] == 0x30 { i += 1 } else { digits() }
        intDigits = i &- intStart
        if i < n, p[i] == UInt8(ascii: ".") {
            i += 1
            guard i < n, isDigit(p[i]) else { return false }
            digits()
        }
        if i < n, p[i] | 0x20 == UInt8(ascii: "e") {
            sawExponent = true
            i += 1
            if i < n, p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-") { i += 1 }
            guard i < n, isDigit(p[i]) else { return false }
            while i < n, isDigit(p[i]) { i += 1 }
        }
        return true
    }

    /// Skips a run of digits, eight bytes at a time: a byte is not a digit when subtracting `0`
    /// wraps it or adding `0x46` (`0x7F - 9`) sets its top bit. Borrows and carries only run
    /// upwards from a non-digit, so the lowest flagged byte is the first non-digit.
    @inline(__always)
    mutating func digits() {
        while i &+ 8 <= n {
            let w = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
            let m = ((w &- 0x3030_3030_3030_3030) | (w &+ 0x4646_4646_4646_4646)) & 0x8080_8080_8080_8080
            if m != 0 { i &+= m.trailingZeroBitCount &>> 3; return }
            i &+= 8
        }
        while i < n, isDigit(p[i]) { i &+= 1 }
    }

    mutating func literal(_ w: StaticString) -> Bool {
        let k = w.utf8CodeUnitCount
        guard i + k <= n, memcmp(p + i, w.utf8Start, k) == 0 else { return false }
        i += k
        return true
    }

    /// Any value (compact form), nested objects and arrays included.
    mutating func value(depth: Int) -> Bool {
        guard i < n else { return false }
        switch p[i] {
        case 0x22: return string()
        case UInt8(ascii: "t"): return literal("true")
        case UInt8(ascii: "f"): return literal("false")
        case UInt8(ascii: "n"): return literal("null")
        case UInt8(ascii: "{"):
            guard depth < RecordView.maxDepth else { return false }
            i += 1
            if peek == UInt8(ascii: "}") { i += 1; return true }
            while true {
                guard peek == 0x22, string(), peek == UInt8(ascii: ":") else { return false }
                i += 1
                guard value(depth: depth + 1) else { return false }
                let c = peek
                i += 1
                if c == UInt8(ascii: ",") { continue }
                return c == UInt8(ascii: "}")
            }
        case UInt8(ascii: "["):
            guard depth < RecordView.maxDepth else { return false }
            i += 1
            if peek == UInt8(ascii: "]") { i += 1; return true }
            while true {
                guard value(depth: depth + 1) else { return false }
                let c = peek
                i += 1
                if c == UInt8(ascii: ",") { continue }
                return c == UInt8(ascii: "]")
            }
        default: return number()
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
