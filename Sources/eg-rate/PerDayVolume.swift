import Core

/// `perDayVolume`: a byte budget per interval instead of a count.
///
/// Budget = perDayVolume × 1024³ / (86400 / interval) × rateFactor, plus whatever the previous
/// interval left unspent (carry-over), so the total over a day is within one event of the target.
/// The budget is measured on the generated `_raw` bytes, as eventgen measures it: each sample
/// event's size after token replacement (`GeneratedSize`). With `interval = 0` (or less) each run
/// is given a whole day's volume, as in eventgen.
public struct PerDayVolume: Sendable {
    /// Bytes per interval at rate factor 1.
    public let bytesPerInterval: Double
    /// Unspent budget carried to the next interval.
    public private(set) var carry: Double = 0

    public init(gbPerDay: Double, intervalSeconds: Double) {
        bytesPerInterval = gbPerDay * 1_073_741_824 / (86_400 / intervalSeconds)
    }

    /// Picks units for one interval: `size(k)` is the byte size of the k-th candidate; returns how
    /// many candidates fit in this interval's budget, and carries the rest over.
    public mutating func take(factor: Double, size: (Int) -> Int) -> Int {
        let budget = bytesPerInterval * factor + carry
        var used = 0.0
        var n = 0
        while true {
            let s = Double(size(n))
            if s <= 0 || used + s > budget { break }
            used += s
            n += 1
        }
        carry = budget - used
        return n
    }
}
