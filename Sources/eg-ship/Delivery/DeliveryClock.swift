#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Time as delivery sees it: the monotonic clock in eg-ship, a virtual clock in tests (so back-off,
/// cool-downs and the shutdown bound can be tested without waiting).
protocol DeliveryClock: Sendable {
    /// Seconds on a monotonic scale.
    func now() -> Double
    /// Waits `seconds` (short waits: `Shutdown.sleep` slices long ones).
    func sleep(_ seconds: Double)
}

/// The monotonic system clock.
struct SystemClock: DeliveryClock {
    func now() -> Double { monotonicSeconds() }

    func sleep(_ seconds: Double) {
        guard seconds > 0 else { return }
        var ts = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - Double(Int(seconds))) * 1e9))
        var left = timespec()
        while nanosleep(&ts, &left) != 0 && errno == EINTR { ts = left }
    }
}

/// Monotonic seconds, for batch timers and elapsed times.
func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// The shutdown bound of one run: unbounded until shutdown begins (SIGTERM or SIGINT, or the end of
/// the input), then delivery may go on for at most the shutdown timeout. Every wait of the delivery
/// code (back-off, socket I/O, libcurl transfers, draining a TCP send queue) ends at the deadline;
/// what is not delivered by then is dead-lettered. Safe to use from any thread.
final class Shutdown: Sendable {
    let clock: any DeliveryClock
    /// The deadline's bit pattern (`Double.infinity` until shutdown begins).
    private let deadlineBits = Atomic<UInt64>(Double.infinity.bitPattern)

    init(clock: any DeliveryClock = SystemClock()) { self.clock = clock }

    /// A bound that never begins (for connections made outside a run, e.g. by tests).
    static let never = Shutdown()

    /// Begins the shutdown: delivery ends `timeout` seconds from now (an earlier deadline stays).
    func begin(timeout: Double) {
        let d = clock.now() + max(0, timeout)
        var old = deadlineBits.load(ordering: .acquiring)
        while d < Double(bitPattern: old) {
            let (exchanged, current) = deadlineBits.compareExchange(expected: old, desired: d.bitPattern,
                                                                    ordering: .acquiringAndReleasing)
            if exchanged { break }
            old = current
        }
    }

    /// When delivery must end (`infinity` before shutdown begins).
    var deadline: Double { Double(bitPattern: deadlineBits.load(ordering: .acquiring)) }

    /// True when the deadline has passed.
    var expired: Bool { clock.now() >= deadline }

    /// The end of an operation that may take `timeout` seconds, cut to the deadline.
    func limit(_ timeout: Double) -> Double { min(clock.now() + timeout, deadline) }

    /// Waits `seconds` in short slices; returns false (early) when the deadline passes first.
    func sleep(_ seconds: Double) -> Bool {
        let end = clock.now() + seconds
        while true {
            let now = clock.now()
            if now >= deadline { return false }
            if now >= end { return true }
            clock.sleep(min(end, deadline) - now < 0.05 ? min(end, deadline) - now : 0.05)
        }
    }
}
