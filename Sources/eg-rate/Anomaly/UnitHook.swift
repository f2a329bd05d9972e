import Core

/// A seam in interval generation: sees one interval's units (times drawn, not yet sorted) and
/// may add, drop or tag units. `lo...hi` is the interval's event-time window in microseconds.
/// The anomaly injector implements it (issue 8).
public protocol UnitHook: AnyObject {
    func adjust(tick: EventTime, lo: Int64, hi: Int64, units: inout [EventUnit])
}
