import Synchronization

/// The counters `--stats` and the summary print: each output's `OutputStats` (in the order the
/// outputs were first used) and the number of undelivered events. Readable from any thread without
/// the engine's lock, so `--stats` keeps printing while a request hangs.
final class StatsBoard: Sendable {
    /// One output's name and counters.
    struct Entry: Sendable {
        let name: String
        let stats: OutputStats
    }

    private let entries = Mutex<[Entry]>([])
    private let undeliveredCount = Atomic<Int>(0)

    /// Adds an output.
    func add(name: String, stats: OutputStats) { entries.withLock { $0.append(Entry(name: name, stats: stats)) } }

    /// The outputs so far.
    var outputs: [Entry] { entries.withLock { $0 } }

    /// Events that could not be delivered, all outputs together.
    var undelivered: Int { undeliveredCount.load(ordering: .relaxed) }

    func addUndelivered(_ n: Int) { undeliveredCount.add(n, ordering: .relaxed) }

    /// Per-output counters, one line each, and a total line (for `--stats`, or for several outputs).
    func summary(final: Bool, elapsed: Double) -> String {
        let label = final ? "summary" : "stats"
        let list = outputs
        var out = ""
        if list.isEmpty { out += "eg-ship: \(label): no events\n" }
        for e in list { out += "eg-ship: \(label): \(e.name) \(e.stats.line)\n" }
        if !list.isEmpty && (list.count > 1 || !final) {
            let events = list.reduce(0) { $0 + $1.stats.events }
            let rate = elapsed > 0 ? Int(Double(events) / elapsed) : 0
            out += "eg-ship: \(label): total events=\(events) failed=\(undelivered) elapsed=\(String(format1: elapsed))s rate=\(rate)/s\n"
        }
        return out
    }
}

extension String {
    /// `x` with one decimal, e.g. `12.3` (no Foundation formatting).
    init(format1 x: Double) {
        let tenths = Int((x * 10).rounded())
        self = "\(tenths / 10).\(abs(tenths % 10))"
    }
}
