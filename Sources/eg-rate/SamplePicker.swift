import Core

/// Chooses which pool events an interval emits: in file order from line 0 each interval (wrapping
/// round), uniformly at random with replacement (`randomizeEvents`), or whole bundles.
public struct SamplePicker: Sendable {
    public let poolCount: Int
    public let randomize: Bool
    public let bundle: Bool

    public init(poolCount: Int, randomize: Bool, bundle: Bool) {
        self.poolCount = poolCount
        self.randomize = randomize
        self.bundle = bundle
    }

    /// The `k`-th pick of an interval: a pool index, or -1 for a whole bundle. (perDayVolume keeps
    /// its own cursor so file order continues across intervals.)
    @inline(__always)
    public func pick(_ k: Int, rng: inout SeededRandom) -> Int32 {
        if bundle { return -1 }
        if randomize { return Int32(rng.index(poolCount)) }
        return Int32(k % poolCount)
    }
}
