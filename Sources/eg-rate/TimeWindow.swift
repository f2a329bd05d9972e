import Core

/// Where an interval's events fall in time: `earliest`/`latest` evaluated relative to the interval's
/// time (full relative-time grammar), or the whole interval for backfill slices with the default
/// window; a uniform pivot per event at microsecond resolution, or `sequentialTimestamp`.
public struct TimeWindow: Sendable {
    public var earliest: RelativeTime
    public var latest: RelativeTime
    public var zone: TimeZoneSetting
    public var sequential: Bool

    public init(earliest: RelativeTime, latest: RelativeTime, zone: TimeZoneSetting, sequential: Bool) {
        self.earliest = earliest
        self.latest = latest
        self.zone = zone
        self.sequential = sequential
    }

    /// Whether the window is eventgen's default (`earliest = latest = now`).
    public var isDefault: Bool { earliest.isNow && latest.isNow }

    /// The inclusive bounds, in microseconds, for the interval at `tick`. A history slice (before
    /// the run's `now`) with the default window covers its whole interval `[tick, tick + interval)`,
    /// as eventgen's backfill slices do, so history spreads over time instead of piling on ticks.
    @inline(__always)
    public func bounds(tick: EventTime, interval: Int64, history: Bool) -> (lo: Int64, hi: Int64) {
        if isDefault {
            return history ? (tick.micros, tick.micros + interval - 1) : (tick.micros, tick.micros)
        }
        let lo = earliest.resolve(now: tick, zone: zone).micros
        let hi = latest.resolve(now: tick, zone: zone).micros
        return lo <= hi ? (lo, hi) : (hi, lo)
    }

    /// Event `i` of `n` in `[lo, hi]`: uniform at microsecond resolution, or sequential
    /// (`lo + (hi - lo) * i / n`).
    @inline(__always)
    public func pivot(_ i: Int, of n: Int, lo: Int64, hi: Int64, rng: inout SeededRandom) -> Int64 {
        if lo == hi { return lo }
        if sequential {
            return lo + Int64((Double(hi - lo) * Double(i) / Double(max(n, 1))).rounded(.down))
        }
        return lo + Int64(bitPattern: rng.below(UInt64(hi - lo) + 1))
    }
}
