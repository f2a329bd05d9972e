import Foundation

/// A Python int outside `Int`'s range (a literal, an overflowing `+ - * ** //`, `int()` of a
/// long string or a large float): sign and magnitude in 32-bit limbs, least significant first.
/// A value that fits an `Int` is always `.int`, so the common path never meets this type; the
/// magnitude is limited to `maxBits`, beyond which an operation is a template error.
public final class BigInt {
    public let negative: Bool
    /// The magnitude, least significant limb first, with no zero limb at the top.
    public let limbs: [UInt32]
    public static let maxBits = 16384
    /// Python's limit on decimal digits converted to or from text (`sys.get_int_max_str_digits()`).
    static let maxDigits = 4300

    init(negative: Bool, limbs: [UInt32]) {
        self.negative = negative
        self.limbs = limbs
    }

    var bitLength: Int { BigInt.bits(limbs) }

    /// The value: `.int` when it fits, else a BigInt; an error beyond `maxBits`.
    static func value(negative: Bool, _ mag: [UInt32], _ pos: SourcePosition) throws -> Value {
        var m = mag
        while m.last == 0 { m.removeLast() }
        if m.count <= 2 {
            let u = UInt64(m.first ?? 0) | (m.count > 1 ? UInt64(m[1]) << 32 : 0)
            if !negative && u <= UInt64(Int.max) { return .int(Int(u)) }
            if negative && u <= UInt64(Int.max) + 1 { return .int(Int(truncatingIfNeeded: 0 &- u)) }
        }
        let big = BigInt(negative: negative, limbs: m)
        guard big.bitLength <= maxBits else { throw tooLarge(pos) }
        return .bigint(big)
    }

    static func tooLarge(_ pos: SourcePosition) -> TemplateError {
        TemplateError(pos, "integer too large (the limit is \(maxBits) bits)")
    }

    /// Sign and magnitude of an int-like value (an int, a bool or a BigInt), else nil.
    static func parts(_ v: Value) -> (Bool, [UInt32])? {
        switch v {
        case .int(let i): return (i < 0, magnitude(UInt64(i.magnitude)))
        case .bool(let b): return (false, b ? [1] : [])
        case .bigint(let b): return (b.negative, b.limbs)
        default: return nil
        }
    }

    static func magnitude(_ u: UInt64) -> [UInt32] {
        if u == 0 { return [] }
        let lo = UInt32(truncatingIfNeeded: u), hi = UInt32(truncatingIfNeeded: u >> 32)
        return hi == 0 ? [lo] : [lo, hi]
    }

    // MARK: Arithmetic, as Python's int does it

    /// `a op b` for two int-like values (at least one a BigInt, or an Int operation that overflowed).
    static func binary(_ op: BinaryOp, _ a: Value, _ b: Value, _ pos: SourcePosition) throws -> Value? {
        guard let (an, am) = parts(a), let (bn, bm) = parts(b) else { return nil }
        switch op {
        case .add: return try add(an, am, bn, bm, pos)
        case .sub: return try add(an, am, !bn, bm, pos)
        case .mul: return try value(negative: an != bn && !am.isEmpty && !bm.isEmpty, mul(am, bm), pos)
        case .div:
            guard !bm.isEmpty else { throw TemplateError(pos, "division by zero") }
            return .float(try trueDivide(an, am, bn, bm, pos))
        case .floordiv, .mod:
            guard !bm.isEmpty else { throw TemplateError(pos, "integer division or modulo by zero") }
            var (q, r) = divMod(am, bm)
            var qn = an != bn, rn = an
            if !r.isEmpty && an != bn {
                // Floor: one more in the quotient's magnitude, the remainder takes the divisor's sign.
                q = addMag(q, [1])
                r = subMag(bm, r)
                rn = bn
            }
            if q.isEmpty { qn = false }
            return op == .floordiv ? try value(negative: qn, q, pos) : try value(negative: rn && !r.isEmpty, r, pos)
        case .pow:
            if bn {
                guard let x = toDouble(an, am), let y = toDouble(bn, bm) else { throw TemplateError(pos, "int too large to convert to float") }
                if x == 0 { throw TemplateError(pos, "0.0 cannot be raised to a negative power") }
                return .float(Foundation.pow(x, y))
            }
            return try power(an, am, bm, pos)
        case .concat: return nil
        }
    }

    private static func add(_ an: Bool, _ am: [UInt32], _ bn: Bool, _ bm: [UInt32], _ pos: SourcePosition) throws -> Value {
        if an == bn { return try value(negative: an, addMag(am, bm), pos) }
        let c = compareMag(am, bm)
        if c == 0 { return .int(0) }
        return c > 0 ? try value(negative: an, subMag(am, bm), pos) : try value(negative: bn, subMag(bm, am), pos)
    }

    private static func power(_ negative: Bool, _ base: [UInt32], _ exp: [UInt32], _ pos: SourcePosition) throws -> Value {
        if exp.isEmpty { return .int(1) }
        if base.isEmpty { return .int(0) }
        let odd = exp[0] & 1 == 1
        if base == [1] { return .int(negative && odd ? -1 : 1) }
        // |base| >= 2: the result has at least exp + 1 bits.
        guard exp.count == 1, Int(exp[0]) < maxBits else { throw tooLarge(pos) }
        var e = Int(exp[0])
        var result: [UInt32] = [1], b = base
        while e > 0 {
            if e & 1 == 1 {
                result = mul(result, b)
                guard bits(result) <= maxBits else { throw tooLarge(pos) }
            }
            e >>= 1
            if e > 0 {
                b = mul(b, b)
                guard bits(b) <= maxBits else { throw tooLarge(pos) }
            }
        }
        return try value(negative: negative && odd, result, pos)
    }

    /// Python's `a / b` of ints, correctly rounded (subnormal results too).
    private static func trueDivide(_ an: Bool, _ am: [UInt32], _ bn: Bool, _ bm: [UInt32], _ pos: SourcePosition) throws -> Double {
        // Scale the dividend so that the quotient has 66 bits or more, but not below 2**-1074.
        let shift = Swift.min(66 - (bits(am) - bits(bm)), 1074)
        var (q, r) = shift >= 0 ? divMod(shiftLeft(am, shift), bm) : divMod(am, shiftLeft(bm, -shift))
        var d: Double
        if bits(q) > 53 {
            // A normal result: Double() rounds once when the lowest bit carries the remainder.
            if !r.isEmpty { q[0] |= 1 }
            d = toDouble(false, q) ?? .infinity
        } else {
            // A subnormal result: round the count of 2**-1074 units to even.
            let c = compareMag(shiftLeft(r, 1), bm)
            if c > 0 || (c == 0 && (q.first ?? 0) & 1 == 1) { q = addMag(q, [1]) }
            d = toDouble(false, q) ?? .infinity
        }
        let result = scalbn(d, -shift)
        guard result.isFinite else { throw TemplateError(pos, "integer division result too large for a float") }
        return an != bn ? -result : result
    }

    // MARK: Magnitudes

    static func bits(_ m: [UInt32]) -> Int { m.isEmpty ? 0 : (m.count - 1) * 32 + (32 - m[m.count - 1].leadingZeroBitCount) }

    static func compareMag(_ a: [UInt32], _ b: [UInt32]) -> Int {
        if a.count != b.count { return a.count < b.count ? -1 : 1 }
        var i = a.count - 1
        while i >= 0 {
            if a[i] != b[i] { return a[i] < b[i] ? -1 : 1 }
            i -= 1
        }
        return 0
    }

    static func addMag(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
        var out = [UInt32](repeating: 0, count: Swift.max(a.count, b.count) + 1)
        var carry: UInt64 = 0
        for i in 0..<(out.count - 1) {
            let s = UInt64(i < a.count ? a[i] : 0) + UInt64(i < b.count ? b[i] : 0) + carry
            out[i] = UInt32(truncatingIfNeeded: s)
            carry = s >> 32
        }
        out[out.count - 1] = UInt32(carry)
        while out.last == 0 { out.removeLast() }
        return out
    }

    /// `a - b` for `a >= b`.
    static func subMag(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
        var out = a
        var borrow: Int64 = 0
        for i in 0..<a.count {
            var d = Int64(a[i]) - Int64(i < b.count ? b[i] : 0) - borrow
            borrow = d < 0 ? 1 : 0
            if d < 0 { d += 1 << 32 }
            out[i] = UInt32(d)
        }
        while out.last == 0 { out.removeLast() }
        return out
    }

    static func mul(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
        if a.isEmpty || b.isEmpty { return [] }
        var out = [UInt32](repeating: 0, count: a.count + b.count)
        for i in 0..<a.count {
            var carry: UInt64 = 0
            let x = UInt64(a[i])
            for j in 0..<b.count {
                let t = x * UInt64(b[j]) + UInt64(out[i + j]) + carry
                out[i + j] = UInt32(truncatingIfNeeded: t)
                carry = t >> 32
            }
            out[i + b.count] = UInt32(carry)
        }
        while out.last == 0 { out.removeLast() }
        return out
    }

    static func shiftLeft(_ a: [UInt32], _ n: Int) -> [UInt32] {
        if a.isEmpty { return a }
        let words = n / 32, s = UInt32(n % 32)
        var out = [UInt32](repeating: 0, count: words) + a + [0]
        if s > 0 {
            var i = out.count - 1
            while i > words {
                out[i] = (out[i] << s) | (out[i - 1] >> (32 - s))
                i -= 1
            }
            out[words] <<= s
        }
        while out.last == 0 { out.removeLast() }
        return out
    }

    /// Quotient and remainder of a one-limb division.
    static func divSmall(_ a: [UInt32], _ d: UInt32) -> ([UInt32], UInt32) {
        var q = [UInt32](repeating: 0, count: a.count)
        var r: UInt64 = 0
        var i = a.count - 1
        while i >= 0 {
            let cur = (r << 32) | UInt64(a[i])
            q[i] = UInt32(cur / UInt64(d))
            r = cur % UInt64(d)
            i -= 1
        }
        while q.last == 0 { q.removeLast() }
        return (q, UInt32(r))
    }

    /// Truncated quotient and remainder of magnitudes (Knuth's algorithm D), `b` not zero.
    static func divMod(_ a: [UInt32], _ b: [UInt32]) -> ([UInt32], [UInt32]) {
        if compareMag(a, b) < 0 { return ([], a) }
        if b.count == 1 {
            let (q, r) = divSmall(a, b[0])
            return (q, r == 0 ? [] : [r])
        }
        let s = b[b.count - 1].leadingZeroBitCount
        let v = shiftLeft(b, s)
        var u = shiftLeft(a, s)
        while u.count < a.count + 1 { u.append(0) }
        let n = v.count, m = u.count - n
        var q = [UInt32](repeating: 0, count: m)
        let vTop = UInt64(v[n - 1]), vNext = UInt64(v[n - 2])
        var j = m - 1
        while j >= 0 {
            let num = (UInt64(u[j + n]) << 32) | UInt64(u[j + n - 1])
            var qhat = num / vTop
            var rhat = num % vTop
            while qhat > 0xFFFF_FFFF || qhat * vNext > ((rhat << 32) | UInt64(u[j + n - 2])) {
                qhat -= 1
                rhat += vTop
                if rhat > 0xFFFF_FFFF { break }
            }
            // u[j...j+n] -= qhat * v
            var borrow: Int64 = 0, carry: UInt64 = 0
            for i in 0..<n {
                let p = qhat * UInt64(v[i]) + carry
                carry = p >> 32
                let t = Int64(u[i + j]) - Int64(p & 0xFFFF_FFFF) - borrow
                u[i + j] = UInt32(truncatingIfNeeded: t)
                borrow = t < 0 ? 1 : 0
            }
            let t = Int64(u[j + n]) - Int64(carry) - borrow
            u[j + n] = UInt32(truncatingIfNeeded: t)
            if t < 0 {
                // qhat was one too large: add v back.
                qhat -= 1
                var c: UInt64 = 0
                for i in 0..<n {
                    let s2 = UInt64(u[i + j]) + UInt64(v[i]) + c
                    u[i + j] = UInt32(truncatingIfNeeded: s2)
                    c = s2 >> 32
                }
                u[j + n] = UInt32(truncatingIfNeeded: UInt64(u[j + n]) + c)
            }
            q[j] = UInt32(qhat)
            j -= 1
        }
        while q.last == 0 { q.removeLast() }
        // The remainder is u's low n limbs shifted back.
        var r = Array(u[0..<n])
        if s > 0 {
            for i in 0..<n {
                r[i] = (r[i] >> UInt32(s)) | (i + 1 < n ? r[i + 1] << UInt32(32 - s) : 0)
            }
        }
        while r.last == 0 { r.removeLast() }
        return (q, r)
    }

    // MARK: Conversions

    /// Python's `float(int)`, correctly rounded; nil when it overflows.
    static func toDouble(_ negative: Bool, _ m: [UInt32]) -> Double? {
        let n = bits(m)
        var d: Double
        if n <= 64 {
            d = Double(UInt64(m.first ?? 0) | (m.count > 1 ? UInt64(m[1]) << 32 : 0))
        } else {
            // The top 64 bits, the lowest set if any bit below them is: Double() then rounds
            // once, as Python does, ties included.
            let shift = n - 64
            var top: UInt64 = 0
            for k in 0..<64 {
                let bit = shift + k
                if m[bit / 32] >> UInt32(bit % 32) & 1 == 1 { top |= 1 << UInt64(k) }
            }
            for bit in 0..<shift where m[bit / 32] >> UInt32(bit % 32) & 1 == 1 { top |= 1; break }
            d = scalbn(Double(top), shift)
        }
        guard d.isFinite else { return nil }
        return negative ? -d : d
    }

    /// The exact integer value of an integral, finite Double.
    static func fromDouble(_ d: Double, _ pos: SourcePosition) throws -> Value {
        if Swift.abs(d) < 9.2e18 { return .int(Int(d)) }
        let e = Int(d.exponent)
        let significand = (UInt64(1) << 52) | d.significandBitPattern
        return try value(negative: d < 0, shiftLeft(magnitude(significand), e - 52), pos)
    }

    /// Python's `int(text, base)` for digits (an optional sign, `_` between digits), or nil.
    static func parse(_ text: Substring, radix: Int, _ pos: SourcePosition) throws -> Value? {
        var s = text[...]
        var negative = false
        if let c = s.first, c == "-" || c == "+" { negative = c == "-"; s = s.dropFirst() }
        guard !s.isEmpty, s.first != "_", s.last != "_", !s.contains("__") else { return nil }
        let digits = s.filter { $0 != "_" }
        // Python refuses more decimal digits than this (sys.get_int_max_str_digits()).
        if radix == 10 && digits.count > maxDigits { return nil }
        var m: [UInt32] = []
        for c in digits {
            guard let d = c.hexDigitValue ?? (c.isASCII && c.isLetter ? Int(c.asciiValue! | 0x20) - 87 : nil), d < radix else { return nil }
            m = addMag(mulSmall(m, UInt32(radix)), magnitude(UInt64(d)))
            if bits(m) > maxBits { throw tooLarge(pos) }
        }
        return try value(negative: negative, m, pos)
    }

    static func mulSmall(_ a: [UInt32], _ k: UInt32) -> [UInt32] {
        var out: [UInt32] = []
        out.reserveCapacity(a.count + 1)
        var carry: UInt64 = 0
        for x in a {
            let t = UInt64(x) * UInt64(k) + carry
            out.append(UInt32(truncatingIfNeeded: t))
            carry = t >> 32
        }
        if carry > 0 { out.append(UInt32(carry)) }
        return out
    }

    /// The digits of the magnitude in `radix` (2...36).
    static func digits(_ m: [UInt32], radix: Int, uppercase: Bool = false) -> String {
        if m.isEmpty { return "0" }
        // Divide by the largest power of the radix that fits a limb, a chunk of digits at a time.
        var chunk: UInt32 = UInt32(radix), width = 1
        while UInt64(chunk) * UInt64(radix) <= UInt64(UInt32.max) { chunk *= UInt32(radix); width += 1 }
        var chunks: [UInt32] = []
        var rest = m
        while !rest.isEmpty {
            let (q, r) = divSmall(rest, chunk)
            chunks.append(r)
            rest = q
        }
        var s = String(chunks.last ?? 0, radix: radix, uppercase: uppercase)
        for c in chunks.dropLast().reversed() {
            let t = String(c, radix: radix, uppercase: uppercase)
            s += String(repeating: "0", count: width - t.count) + t
        }
        return s
    }

    /// Sign and digits of an int-like value in `radix`, or nil.
    static func digits(_ v: Value, radix: Int, uppercase: Bool = false) -> (negative: Bool, digits: String)? {
        guard let (negative, m) = parts(v) else { return nil }
        return (negative && !m.isEmpty, digits(m, radix: radix, uppercase: uppercase))
    }

    /// The decimal text, with a `-` when negative.
    var decimal: String { (negative ? "-" : "") + BigInt.digits(limbs, radix: 10) }

    /// Python's `float(v)` of this int; an error when it is too large.
    func double(_ pos: SourcePosition) throws -> Double {
        guard let d = BigInt.toDouble(negative, limbs) else { throw TemplateError(pos, "int too large to convert to float") }
        return d
    }

    // MARK: Comparisons

    /// `a <=> b` for int-like values (-1, 0, 1).
    static func compare(_ a: (Bool, [UInt32]), _ b: (Bool, [UInt32])) -> Int {
        let (an, am) = a, (bn, bm) = b
        let aZero = am.isEmpty, bZero = bm.isEmpty
        if aZero && bZero { return 0 }
        if an != bn { return an ? -1 : 1 }
        let c = compareMag(am, bm)
        return an ? -c : c
    }

    /// `a <=> x` for an int-like value and a float, exactly as Python compares them; nil for NaN.
    static func compare(_ a: (Bool, [UInt32]), _ x: Double) -> Int? {
        if x.isNaN { return nil }
        if x.isInfinite { return x > 0 ? -1 : 1 }
        let f = x.rounded(.down)
        guard let fv = try? fromDouble(f, SourcePosition()), let fp = parts(fv) else { return nil }
        let c = compare(a, fp)
        if c != 0 { return c }
        return f < x ? -1 : 0
    }
}
