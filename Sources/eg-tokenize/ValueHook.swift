import Core

/// The seam for value anomalies (issue 8: `value_shift`, `new_value`, `metric_outlier`): when a
/// `TokenSet` has a hook, every generated token value passes through it before it is escaped and
/// written, on the compiled and the sequential path alike (static tokens, inlined into compiled
/// plans, never reach it). `AnomalyValueHook` implements it.
protocol ValueHook: AnyObject {
    /// Called before each event is substituted; `number` is the event's number.
    func beginEvent(_ record: Record, number: UInt64)
    /// May replace or change `value` (raw bytes) of token `token` for the current event.
    func adjust(token: Int, value: inout [UInt8], context: inout EventContext)
}
