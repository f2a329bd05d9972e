/// A sample a tool refused (a bad setting, an unsupported feature, a missing replacement file):
/// the tool reports it at once and leaves it out, the other samples still run, and the run ends
/// with `RefusedSample.summary` (exit 2) naming the refused samples and those that ran.
public struct RefusedSample: Sendable {
    public var name: String
    public var error: EgError
    /// Events of the sample the tool dropped because of it (eg-tokenize), if any.
    public var droppedEvents = 0

    public init(name: String, error: EgError) {
        self.name = name
        self.error = error
    }

    /// The closing error: `1 of 3 samples not generated because of the errors above (b); generated: a, c`.
    public static func summary(_ refused: [RefusedSample], ran: [String], done: String = "generated") -> EgError {
        let names = refused.map { r in r.droppedEvents > 0 ? "\(r.name): \(r.droppedEvents) event\(r.droppedEvents == 1 ? "" : "s") dropped" : r.name }
        let total = refused.count + ran.count
        let rest = ran.isEmpty ? "no sample was \(done)" : "\(done): " + ran.joined(separator: ", ")
        return EgError.config("\(refused.count) of \(total) samples not \(done) because of the errors above (\(names.joined(separator: ", "))); \(rest)")
    }
}
