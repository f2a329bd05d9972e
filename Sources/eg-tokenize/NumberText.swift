import Core

/// Allocation-free number printing for token values, matching Python's `str()`.
enum NumberText {
    /// The lower-case hex digit of `d` (0...15): arithmetic, not a table (a global array costs a
    /// `swift_once` check per use).
    @inline(__always)
    static func hexLower(_ d: Int) -> UInt8 { UInt8(truncatingIfNeeded: d < 10 ? 0x30 &+ d : 0x57 &+ d) }
    /// The upper-case hex digit of `d` (0...15).
    @inline(__always)
    static func hexUpper(_ d: Int) -> UInt8 { UInt8(truncatingIfNeeded: d < 10 ? 0x30 &+ d : 0x37 &+ d) }
    static let pow10: [Double] = (0...22).map { p in (0..<p).reduce(1.0) { a, _ in a * 10 } }

    /// Appends a signed integer in decimal.
    @inline(__always)
    static func appendInt(_ v: Int64, to out: inout [UInt8]) {
        if v < 0 {
            out.append(UInt8(ascii: "-"))
            EpochText.appendDecimal(v == .min ? UInt64(1) << 63 : UInt64(-v), to: &out)
        } else {
            EpochText.appendDecimal(UInt64(v), to: &out)
        }
    }

    /// Python's `round(x)` to an integer: half to even.
    @inline(__always)
    static func roundHalfEven(_ x: Double) -> Double { x.rounded(.toNearestOrEven) }

    /// Appends `str(round(x, p))` as Python prints it: at most `p` decimals, trailing zeros
    /// dropped but at least one decimal (`1.5`, `2.0`, `-0.25`).
    static func appendPythonFloat(_ x: Double, decimals p: Int, to out: inout [UInt8]) {
        let pp = max(0, min(p, 15))
        let scaledD = roundHalfEven(x * pow10[pp])
        guard x.isFinite, abs(scaledD) < 9e15, abs(x) < 1e15 else {
            out.append(contentsOf: Double(scaledD / pow10[pp]).description.utf8)
            return
        }
        var m = Int64(scaledD)
        let value = scaledD / pow10[pp]
        if m != 0 && abs(value) < 1e-4 {
            out.append(contentsOf: value.description.utf8)
            return
        }
        if m < 0 || (m == 0 && (x < 0 || (x == 0 && x.sign == .minus))) { out.append(UInt8(ascii: "-")) }
        m = abs(m)
        let scale = Int64(pow10[pp])
        EpochText.appendDecimal(UInt64(m / scale), to: &out)
        out.append(UInt8(ascii: "."))
        var frac = m % scale
        var width = pp
        if frac == 0 || pp == 0 { out.append(UInt8(ascii: "0")); return }
        while frac % 10 == 0 { frac /= 10; width -= 1 }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (48, 48, 48, 48, 48, 48, 48, 48, 48, 48, 48, 48, 48, 48, 48, 48)
        withUnsafeMutableBytes(of: &digits) { d in
            var k = width - 1
            while frac > 0 { d[k] = 48 + UInt8(frac % 10); frac /= 10; k -= 1 }
            out.append(contentsOf: UnsafeBufferPointer(start: d.baseAddress!.assumingMemoryBound(to: UInt8.self), count: width))
        }
    }
}
