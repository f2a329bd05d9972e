/// Exact conversion between `_time` JSON numbers (epoch seconds, fractional allowed) and `EventTime`.
///
/// Decimal text is parsed digit by digit, so `1700000000.123456` is exactly that many microseconds;
/// digits past the sixth decimal are truncated. Exponent forms fall back to Double arithmetic.
/// Times are limited to `±limitSeconds` (about 285,000 years either side of 1970), so microseconds
/// always fit in 64 bits; a number outside that range is `outOfRange`, never an overflow.
public enum EpochText {
    /// The largest magnitude of epoch seconds eg accepts.
    public static let limitSeconds: Int64 = 9_000_000_000_000

    /// What a `_time` text holds.
    public enum Reading: Equatable {
        case time(EventTime)
        /// A number, but beyond `±limitSeconds`.
        case outOfRange
        /// Not a number.
        case invalid
    }

    /// Parses epoch seconds text such as `1700000000`, `-5.25` or `1.7e9`.
    public static func parse(_ text: String) -> EventTime? {
        var t = text
        return t.withUTF8 { parse(bytes: $0) }
    }

    /// Reads epoch seconds text, telling an out-of-range number from text that is not a number.
    public static func read(_ text: String) -> Reading {
        var t = text
        return t.withUTF8 { read(bytes: $0) }
    }

    /// Parses epoch seconds from UTF-8 bytes (nil when not a number or out of range).
    public static func parse(bytes: UnsafeBufferPointer<UInt8>) -> EventTime? {
        if case .time(let t) = read(bytes: bytes) { return t }
        return nil
    }

    /// Reads epoch seconds from UTF-8 bytes (one pass over the bytes through a raw pointer).
    public static func read(bytes: UnsafeBufferPointer<UInt8>) -> Reading {
        let n = bytes.count
        guard n > 0, let p = bytes.baseAddress else { return .invalid }
        var k = 0
        var negative = false
        if p[0] == UInt8(ascii: "-") { negative = true; k = 1 }
        var whole: Int64 = 0
        let wholeStart = k
        // Eight digits at a time while they are there (at most 16 digits this way).
        while k &+ 8 <= n, k &- wholeStart <= 8 {
            let w = UnsafeRawPointer(p + k).loadUnaligned(as: UInt64.self)
            guard EpochText.isEightDigits(w) else { break }
            whole = whole &* 100_000_000 &+ Int64(EpochText.eightDigits(w))
            k &+= 8
        }
        while k < n {
            let d = p[k] &- 0x30
            if d >= 10 { break }
            if k - wholeStart == 16 { return fallback(bytes) }  // a 17th digit
            whole = whole &* 10 &+ Int64(d)
            k &+= 1
        }
        guard k > wholeStart else { return .invalid }
        var frac: Int64 = 0
        var fracDigits = 0
        if k < n, p[k] == UInt8(ascii: ".") {
            k &+= 1
            let start = k
            while k < n {
                let d = p[k] &- 0x30
                if d >= 10 { break }
                if fracDigits < 6 { frac = frac &* 10 &+ Int64(d); fracDigits &+= 1 }
                k &+= 1
            }
            if k == start { return .invalid }
        }
        if k < n { return p[k] | 0x20 == UInt8(ascii: "e") ? fallback(bytes) : .invalid }
        guard whole < limitSeconds else { return .outOfRange }
        while fracDigits < 6 { frac &*= 10; fracDigits &+= 1 }
        let micros = whole * 1_000_000 + frac
        return .time(EventTime(micros: negative ? -micros : micros))
    }

    /// Whether the little-endian word `w` holds eight ASCII digits.
    @inline(__always)
    static func isEightDigits(_ w: UInt64) -> Bool {
        (w & 0xF0F0_F0F0_F0F0_F0F0) | (((w &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0) >> 4) == 0x3333_3333_3333_3333
    }

    /// The value of eight ASCII digits in the little-endian word `w` (first digit lowest byte).
    @inline(__always)
    static func eightDigits(_ w: UInt64) -> UInt64 {
        var v = w &- 0x3030_3030_3030_3030
        v = (v &* 10) &+ (v >> 8)
        v = (((v & 0x0000_00FF_0000_00FF) &* (100 &+ (1_000_000 << 32)))
             &+ (((v >> 16) & 0x0000_00FF_0000_00FF) &* (1 &+ (10_000 << 32)))) >> 32
        return v
    }

    private static func fallback(_ bytes: UnsafeBufferPointer<UInt8>) -> Reading {
        guard let d = Double(String(decoding: bytes, as: UTF8.self)) else { return .invalid }
        guard d.isFinite, abs(d) < Double(limitSeconds) else { return d.isNaN ? .invalid : .outOfRange }
        return .time(EventTime(micros: Int64((d * 1_000_000).rounded())))
    }

    /// Formats `t` as epoch seconds: `1700000000`, or `1700000000.25` (trailing zeros trimmed).
    public static func format(_ t: EventTime) -> String {
        var out: [UInt8] = []
        append(t, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the epoch-seconds text of `t` to `out`.
    @inline(__always)
    public static func append(_ t: EventTime, to out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maxTextBytes) { buf in
            let n = write(micros: t.micros, to: buf.baseAddress!)
            out.append(contentsOf: UnsafeBufferPointer(start: buf.baseAddress!, count: n))
        }
    }

    /// The longest text `write(micros:to:)` makes (`-9223372036854.775808`).
    public static let maxTextBytes = 24

    /// Writes the epoch-seconds text of `micros` (`1700000000`, `1700000000.25`: trailing zeros
    /// trimmed) at `p`, at most `maxTextBytes` bytes; returns how many. Fixed point from the
    /// microsecond integer: the digits are written straight into place, no number formatting.
    @inline(__always)
    public static func write(micros: Int64, to p: UnsafeMutablePointer<UInt8>) -> Int {
        var n = 0
        var m = micros.magnitude
        if micros < 0 { p[0] = UInt8(ascii: "-"); n = 1 }
        var whole = m / 1_000_000
        var frac = m % 1_000_000
        m = whole
        var digits = 1
        while m >= 10 { m /= 10; digits &+= 1 }
        n &+= digits
        var q = n
        repeat { q &-= 1; p[q] = 0x30 &+ UInt8(truncatingIfNeeded: whole % 10); whole /= 10 } while whole > 0
        guard frac != 0 else { return n }
        p[n] = UInt8(ascii: ".")
        n &+= 1
        var width = 6
        while frac % 10 == 0 { frac /= 10; width &-= 1 }
        q = n &+ width
        while q > n { q &-= 1; p[q] = 0x30 &+ UInt8(truncatingIfNeeded: frac % 10); frac /= 10 }
        return n &+ width
    }

    /// Writes the decimal digits of `v` at `p` (at most 20 bytes); returns how many.
    @inline(__always)
    public static func writeDecimal(_ v: UInt64, to p: UnsafeMutablePointer<UInt8>) -> Int {
        var m = v, digits = 1
        while m >= 10 { m /= 10; digits &+= 1 }
        var q = digits, w = v
        repeat { q &-= 1; p[q] = 0x30 &+ UInt8(truncatingIfNeeded: w % 10); w /= 10 } while w > 0
        return digits
    }

    /// Appends the decimal digits of `v`.
    @inline(__always)
    public static func appendDecimal(_ v: UInt64, to out: inout [UInt8]) {
        if v < 10 { out.append(0x30 + UInt8(v)); return }
        var tmp: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                  UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var v = v
        var len = 0
        withUnsafeMutableBytes(of: &tmp) { buf in
            while v > 0 { buf[19 - len] = 0x30 + UInt8(v % 10); v /= 10; len += 1 }
            // As a typed buffer: `append(contentsOf:)` of a raw slice takes the generic path.
            let digits = buf.baseAddress!.assumingMemoryBound(to: UInt8.self) + (20 - len)
            out.append(contentsOf: UnsafeBufferPointer(start: digits, count: len))
        }
    }
}
