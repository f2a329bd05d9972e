import Foundation

/// Bounded fuzzing shared by the test suites: a seeded mutator of valid inputs and the number of
/// iterations. Each fuzz test runs a CI-sized count (a few seconds); `EG_FUZZ_ITERATIONS=N` runs
/// N per target instead, for a longer local search (see README, "Tests").
public enum Fuzz {
    /// `EG_FUZZ_ITERATIONS` when set, else `ci`.
    public static func iterations(_ ci: Int) -> Int {
        Int(ProcessInfo.processInfo.environment["EG_FUZZ_ITERATIONS"] ?? "").flatMap { $0 > 0 ? $0 : nil } ?? ci
    }

    /// A small seeded generator (SplitMix64): the same seed gives the same inputs on every run.
    public struct Generator {
        var state: UInt64
        public init(seed: UInt64) { state = seed }
        public mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        /// A number in `0..<n` (n > 0).
        public mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    /// Applies one to four edits to `input`: a byte replaced by one of `alphabet` or by any byte,
    /// a byte deleted, a byte of `alphabet` inserted, a span duplicated, or one of `tokens`
    /// (interesting fragments: extreme numbers, escapes, keywords) spliced in.
    public static func mutate(_ input: [UInt8], _ rng: inout Generator, alphabet: [UInt8], tokens: [[UInt8]] = []) -> [UInt8] {
        var b = input
        for _ in 0..<(1 + rng.below(4)) {
            if b.isEmpty { b.append(alphabet[rng.below(alphabet.count)]); continue }
            let at = rng.below(b.count)
            switch rng.below(tokens.isEmpty ? 5 : 7) {
            case 0: b[at] = alphabet[rng.below(alphabet.count)]
            case 1: b.remove(at: at)
            case 2: b.insert(alphabet[rng.below(alphabet.count)], at: at)
            case 3: b.insert(contentsOf: b[at..<min(b.count, at + 1 + rng.below(16))], at: at)
            case 4: b[at] = UInt8(truncatingIfNeeded: rng.next())
            default: b.insert(contentsOf: tokens[rng.below(tokens.count)], at: at)
            }
        }
        return b
    }
}
