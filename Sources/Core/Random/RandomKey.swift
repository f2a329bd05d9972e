/// The counter-based half of eg's randomness: a key names one call site of one sample (a token,
/// a template, the mvfile rows, ...), and `generator(event:)` gives the draws of one event.
///
/// The generator of event `n` is a pure function of (seed, call site, n): it is seeded from a
/// SplitMix64-style hash of the key and the event's number in the unsharded stream, never from
/// what came before, so a shard, a job of `eg-tokenize --jobs` or a rerun that sees only some of the events
/// gives each of them exactly the values the whole run gives it. Within an event, draws are taken
/// in order from that generator (the draw index is their position).
public struct RandomKey: Sendable, Equatable {
    public let value: UInt64

    /// The key of call site `stream` (e.g. `cisco.log/token.3`) under `seed`.
    public init(seed: UInt64, stream: String) { value = seed ^ SeededRandom.hash(stream) }

    public init(value: UInt64) { self.value = value }

    /// The draws of event (or bundle) number `event`.
    @inline(__always)
    public func generator(event: UInt64) -> SeededRandom {
        SeededRandom(seed: RandomKey.mix(value, event))
    }

    /// A well-mixed 64-bit value of (key, counter): two rounds of the SplitMix64 finalizer over
    /// the key and the counter spread by the golden ratio, so neighbouring counters are unrelated.
    @inline(__always)
    public static func mix(_ key: UInt64, _ counter: UInt64) -> UInt64 {
        var z = key &+ (counter &+ 1) &* 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        z ^= z >> 31
        z = (z ^ key.rotatedLeft(by: 23)) &* 0xd6e8_feb8_6659_fd93
        return z ^ (z >> 32)
    }
}

fileprivate extension UInt64 {
    @inline(__always) func rotatedLeft(by k: UInt64) -> UInt64 { (self << k) | (self >> (64 - k)) }
}
