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

    /// Reads epoch seconds from UTF-8 bytes.
    public static func read(bytes: UnsafeBufferPointer<UInt8>) -> Reading {
        var k = 0
        let n = bytes.count
        guard n > 0 else { return .invalid }
        var negative = false
        if bytes[0] == UInt8(ascii: "-") { negative = true; k = 1 }
        var whole: Int64 = 0
        var digits = 0
        while k < n, bytes[k] &- 0x30 < 10 {
            if digits > 15 { return fallback(bytes) }
            whole = whole * 10 + Int64(bytes[k] - 0x30)
            digits += 1
            k += 1
        }
        guard digits > 0 else { return .invalid }
        var frac: Int64 = 0
        var fracDigits = 0
        if k < n, bytes[k] == UInt8(ascii: ".") {
            k += 1
            let start = k
            while k < n, bytes[k] &- 0x30 < 10 {
                if fracDigits < 6 { frac = frac * 10 + Int64(bytes[k] - 0x30); fracDigits += 1 }
                k += 1
            }
            if k == start { return .invalid }
        }
        if k < n { return bytes[k] | 0x20 == UInt8(ascii: "e") ? fallback(bytes) : .invalid }
        guard whole < limitSeconds else { return .outOfRange }
        while fracDigits < 6 { frac *= 10; fracDigits += 1 }
        let micros = whole * 1_000_000 + frac
        return .time(EventTime(micros: negative ? -micros : micros))
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
    public static func append(_ t: EventTime, to out: inout [UInt8]) {
        var micros = t.micros
        if micros < 0 { out.append(UInt8(ascii: "-")); micros = -micros }
        let whole = micros / 1_000_000
        var frac = micros % 1_000_000
        appendDecimal(UInt64(whole), to: &out)
        guard frac != 0 else { return }
        out.append(UInt8(ascii: "."))
        var width = 6
        while frac % 10 == 0 { frac /= 10; width -= 1 }
        var digits = [UInt8](repeating: 0x30, count: width)
        var k = width - 1
        while frac > 0 { digits[k] = 0x30 + UInt8(frac % 10); frac /= 10; k -= 1 }
        out.append(contentsOf: digits)
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
            out.append(contentsOf: buf[(20 - len)...])
        }
    }
}
