/// A fast, seedable random generator (xoshiro256**) with independent named substreams.
///
/// `SeededRandom(seed: s, stream: "cisco.log/token.3")` always yields the same sequence for the same
/// seed and name, whatever else the program draws, so adding a token to one sample does not change
/// another sample's values, and one `--seed` makes a whole pipeline byte-identical.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var s0, s1, s2, s3: UInt64

    /// A generator for `seed`.
    public init(seed: UInt64) {
        var sm = SplitMix64(state: seed)
        s0 = sm.next(); s1 = sm.next(); s2 = sm.next(); s3 = sm.next()
        if s0 | s1 | s2 | s3 == 0 { s0 = 1 }
    }

    /// The substream `stream` of `seed`: stable across runs and platforms.
    public init(seed: UInt64, stream: String) {
        self.init(seed: seed ^ SeededRandom.hash(stream))
    }

    /// FNV-1a over the UTF-8 of `s`, finished with a SplitMix64 step.
    public static func hash(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        var sm = SplitMix64(state: h)
        return sm.next()
    }

    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    @inline(__always) private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// A uniform integer in `0..<bound` (Lemire's unbiased method); `bound` must be > 0.
    @inline(__always)
    public mutating func below(_ bound: UInt64) -> UInt64 {
        var m = next().multipliedFullWidth(by: bound)
        if m.low < bound {
            let t = (0 &- bound) % bound
            while m.low < t { m = next().multipliedFullWidth(by: bound) }
        }
        return m.high
    }

    /// A uniform integer in `range`, both ends included.
    @inline(__always)
    public mutating func int(in range: ClosedRange<Int64>) -> Int64 {
        let span = UInt64(bitPattern: range.upperBound &- range.lowerBound) &+ 1
        if span == 0 { return Int64(bitPattern: next()) }
        return range.lowerBound &+ Int64(bitPattern: below(span))
    }

    /// A uniform index into a collection of `count` elements.
    @inline(__always)
    public mutating func index(_ count: Int) -> Int { Int(below(UInt64(count))) }

    /// A uniform double in [0, 1).
    @inline(__always)
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// A uniform double in [a, b].
    public mutating func double(in a: Double, _ b: Double) -> Double { a + (b - a) * unit() }
}

/// SplitMix64: expands one 64-bit seed into well-mixed state words.
public struct SplitMix64: Sendable {
    public var state: UInt64
    public init(state: UInt64) { self.state = state }
    public mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

/// Where a run's seed comes from: `--seed`, else the stanza's `seed`, else fresh entropy.
public enum RandomSeed {
    /// Parses a seed: any integer (negative values are taken as their 64-bit pattern).
    public static func parse(_ text: String) -> UInt64? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let u = UInt64(t) { return u }
        if let i = Int64(t) { return UInt64(bitPattern: i) }
        return nil
    }

    /// A seed from the operating system's entropy (used when no seed is given).
    public static func fresh() -> UInt64 {
        if let fd = try? FileDescriptor.openForReading("/dev/urandom") {
            defer { fd.close() }
            var value: UInt64 = 0
            if (try? withUnsafeMutableBytes(of: &value) { try fd.read(into: $0.baseAddress!, count: 8) }) == 8 {
                return value
            }
        }
        return UInt64(bitPattern: EventTime.now().micros) ^ UInt64(getpid())
    }
}

import Foundation
