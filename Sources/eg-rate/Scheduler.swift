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
/// - Ticks before `now` are history. `end = N` counts executions as eventgen's timer does: the
///   backfill (when set, even one that covers no time) is the first, so N - 1 ticks follow from
///   the anchor; without backfill N ticks. `end = 0` generates nothing, `end = TIME` stops before
///   the first tick at or after TIME.
public struct TickLattice: Sendable {
    public let first: EventTime
    public let anchor: EventTime
    public let interval: Int64
    public let end: EndCondition
    /// Ticks from the anchor on that `end = N` allows.
    let forwardTicks: Int64
    public private(set) var next: Int64 = 0

    public init(plan: SamplePlan, timing: RunTiming) {
        interval = plan.intervalMicros
        end = plan.end
        let backfillRun = timing.start == nil && plan.backfill != nil
        if case .intervals(let n) = plan.end { forwardTicks = Int64(backfillRun ? max(n - 1, 0) : n) } else { forwardTicks = 0 }
        if let start = timing.start {
            anchor = start
            first = start
        } else {
            anchor = timing.now + plan.delayMicros
            if case .intervals(0) = plan.end {
                first = anchor
            } else if let backfill = plan.backfill {
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
        let t = first + next * interval
        switch end {
        case .forever: return t
        case .intervals(let n):
            if n == 0 { return nil }
            let fromAnchor = t.micros >= anchor.micros ? (t.micros - anchor.micros) / interval : -1
            return fromAnchor < forwardTicks ? t : nil
        case .time(let e): return t < e ? t : nil
        }
    }

    /// Moves to the following tick.
    public mutating func advance() { next += 1 }
}
