import Core

/// The run-wide timing choices: the pinned or real `now`, `--start`, and whether the run is batch.
public struct RunTiming: Sendable {
    /// The run's `now` (`--now`, else the wall clock at start).
    public var now: EventTime
    /// `--start TIME`: an absolute beginning of history (overrides `backfill`).
    public var start: EventTime?
    /// Batch mode: generate the span as fast as possible, no sleeping.
    public var batch: Bool
    /// `--burst`: release each interval's events at its tick instead of at their own times.
    public var burst: Bool

    public init(now: EventTime, start: EventTime? = nil, batch: Bool, burst: Bool = false) {
        self.now = now
        self.start = start
        self.batch = batch
        self.burst = burst
    }
}

/// The ticks (interval times) of one sample: a lattice `T0 + j × interval`.
///
/// - The anchor is `--start` if given, else `now + delay`.
/// - With `backfill` (and no `--start`), the lattice extends back from the anchor to the first
///   tick at or after `now + backfill`: each backfill slice is one interval, rated by its own time.
/// - Ticks before `now` are history; `end = N` counts the ticks from the anchor on (so backfill
///   slices come on top), `end = TIME` stops before the first tick at or after TIME.
public struct TickLattice: Sendable {
    public let first: EventTime
    public let anchor: EventTime
    public let interval: Int64
    public let end: EndCondition
    public private(set) var next: Int64 = 0

    public init(plan: SamplePlan, timing: RunTiming) {
        interval = plan.intervalMicros
        end = plan.end
        if let start = timing.start {
            anchor = start
            first = start
        } else {
            anchor = timing.now + plan.delayMicros
            if let backfill = plan.backfill {
                let b = backfill.resolve(now: timing.now, zone: plan.zone)
                let m = b < anchor ? (anchor.micros - b.micros) / interval : 0
                first = anchor - m * interval
            } else {
                first = anchor
            }
        }
    }

    /// The next tick, or nil when the sample has ended; does not advance.
    public var peek: EventTime? {
        // Generation ends with the year 9999 (later times have no calendar reading).
        let (offset, over) = next.multipliedReportingOverflow(by: interval)
        guard !over, first.micros <= EventTime.lastMicros - offset else { return nil }
        let t = first + offset
        switch end {
        case .forever: return t
        case .intervals(let n):
            let fromAnchor = t.micros >= anchor.micros ? (t.micros - anchor.micros) / interval : -1
            return fromAnchor < Int64(n) ? t : nil
        case .time(let e): return t < e ? t : nil
        }
    }

    /// Moves to the following tick.
    public mutating func advance() { next += 1 }
}
