extension EpochText {
    /// `write(micros:to:)` for a stream of times in order: the digits of the whole second are
    /// kept from the previous call (events of one second share them), so a time costs a 16-byte
    /// copy and its six fraction digits. Writes the same bytes as `write(micros:to:)`.
    public struct SecondCache {
        private var second: Int64 = -1
        private var count = 0
        private var digits: (UInt64, UInt64) = (0, 0)

        public init() {}

        /// Writes the epoch-seconds text of `micros` at `p` (room for `maxTextBytes`); returns how many bytes.
        @inline(__always)
        public mutating func write(micros: Int64, to p: UnsafeMutablePointer<UInt8>) -> Int {
            // Negative times and whole seconds past 16 digits take the general writer.
            guard micros >= 0, micros < 9_000_000_000_000_000_000 else { return EpochText.write(micros: micros, to: p) }
            let whole = micros / 1_000_000
            var frac = Int(truncatingIfNeeded: micros &- whole &* 1_000_000)
            if whole != second {
                withUnsafeMutableBytes(of: &digits) { d in
                    count = EpochText.writeDecimal(UInt64(whole), to: d.baseAddress!.assumingMemoryBound(to: UInt8.self))
                }
                second = whole
            }
            let raw = UnsafeMutableRawPointer(p)
            raw.storeBytes(of: digits.0, as: UInt64.self)
            raw.storeBytes(of: digits.1, toByteOffset: 8, as: UInt64.self)
            var n = count
            guard frac != 0 else { return n }
            p[n] = UInt8(ascii: ".")
            // Six digits in place, then the trailing zeros dropped.
            var q = n &+ 6
            for _ in 0..<6 { p[q] = 0x30 &+ UInt8(truncatingIfNeeded: frac % 10); frac /= 10; q &-= 1 }
            n &+= 6
            while p[n] == 0x30 { n &-= 1 }
            return n &+ 1
        }
    }
}
