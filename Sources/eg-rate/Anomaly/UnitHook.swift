import Core

/// A seam in interval generation: sees one interval's units (times drawn, not yet sorted) and
/// may add, drop or tag units. `lo...hi` is the interval's event-time window in microseconds.
/// Units it keeps keep their `seq` (their number without the hook); units it adds have `seq` -1
/// and are numbered from `addedNumbers` on, so an anomaly changes no other event's number.
/// The anomaly injector implements it (issue 8).
public protocol UnitHook: AnyObject {
    func adjust(tick: EventTime, lo: Int64, hi: Int64, units: inout [EventUnit])
}

/// The first number of the units an anomaly adds (2^40): far above any baseline number.
public let addedNumbers: Int64 = 1 << 40
