import Foundation
import Core

/// `--stats`: a progress line on standard error every few seconds, and one at the end.
///
/// Live runs show the event time reached and the events per second; batch runs whose end is
/// known (`end = N` or `end = TIME` on every sample) also show the percentage of the span done
/// and an estimate of the time left:
/// `eg-rate: stats: time=2026-03-02T10:00:05Z events=1200 rate=240/s elapsed=5.0s done=42.0% left=6.9s`.
/// The line at the end says `summary` and counts every event written.
public final class RateStats {
    /// Seconds between lines.
    let every: Double
    /// The span of event time a batch run covers, when its end is known.
    let span: (start: Int64, end: Int64)?
    let started = StopRequest.monotonicMicros()
    private(set) var nextLine: Int64
    /// Events written so far.
    public internal(set) var events = 0
    /// The time of the last unit written (microseconds), or nil before the first.
    public internal(set) var reached: Int64?
    /// Where the lines go (standard error; tests collect them).
    var sink: (String) -> Void = { Diagnostics.write($0) }

    public init(every: Double, span: (start: Int64, end: Int64)?) {
        self.every = every
        self.span = span
        nextLine = started + Int64(every * 1_000_000)
    }

    /// Counts `n` events written, the last at `reached`.
    @inline(__always)
    func add(_ n: Int, reached t: Int64) {
        guard n > 0 else { return }
        events += n
        reached = t
    }

    /// The monotonic time of the next line.
    var nextLineMicros: Int64 { nextLine }

    /// Prints a line if one is due.
    @inline(__always)
    func tick() {
        let now = StopRequest.monotonicMicros()
        guard now >= nextLine else { return }
        sink(line(label: "stats", now: now))
        nextLine = now + Int64(every * 1_000_000)
    }

    /// Prints the closing line.
    func finish() { sink(line(label: "summary", now: StopRequest.monotonicMicros())) }

    /// One line: `eg-rate: <label>: time=... events=N rate=N/s elapsed=Ns [done=P% left=Ns]`.
    func line(label: String, now: Int64) -> String {
        let elapsed = Double(now - started) / 1_000_000
        var out = "eg-rate: \(label): time=\(reached.map(RateStats.format) ?? "-") events=\(events)"
        out += " rate=\(elapsed > 0 ? Int(Double(events) / elapsed) : 0)/s elapsed=\(String(format: "%.1f", elapsed))s"
        if label == "stats", let span, span.end > span.start, let reached {
            let p = min(1, max(0, Double(reached - span.start) / Double(span.end - span.start)))
            out += " done=\(String(format: "%.1f", p * 100))%"
            if p > 0 { out += " left=\(String(format: "%.1f", elapsed * (1 - p) / p))s" }
        }
        return out + "\n"
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`.
    static func format(_ micros: Int64) -> String {
        let c = TimeZoneSetting.utc.civil(EventTime(micros: micros))
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", c.year, c.month, c.day, c.hour, c.minute, c.second)
    }

    /// The span of a batch run: from the earliest first tick to the latest end, when every
    /// enabled sample has a known end (nil otherwise, and for live runs).
    static func span(_ samples: [RateCommand.PreparedSample], timing: RunTiming) -> (start: Int64, end: Int64)? {
        guard timing.batch else { return nil }
        var start = Int64.max, end = Int64.min
        for s in samples where !s.plan.disabled {
            guard s.plan.mode == .sample, s.generator == nil else { return nil }
            let lattice = TickLattice(plan: s.plan, timing: timing)
            start = min(start, lattice.first.micros)
            switch s.plan.end {
            case .forever: return nil
            case .intervals(let n): end = max(end, lattice.anchor.micros + Int64(n) * lattice.interval)
            case .time(let t): end = max(end, t.micros)
            }
        }
        return start < end ? (start, end) : nil
    }
}
