import Core

/// The seam for value anomalies (issue 8: `value_shift`, `new_value`, `metric_outlier`): when a
/// `TokenSet` has a hook, every generated token value passes through it before it is escaped and
/// written, on the compiled and the sequential path alike. Nothing implements it yet.
protocol ValueHook: AnyObject {
    /// May replace or change `value` (raw bytes) of token `token` for the current event.
    func adjust(token: Int, value: inout [UInt8], context: inout EventContext)
}
