#if canImport(Glibc)
import Glibc
#endif
import Core

/// The clock eg-rate paces live output by: what time it is, and waiting until a time.
///
/// The real clock can be pinned (`--now`) so that it starts at a chosen instant and runs at real
/// speed from there; the fake clock jumps instead of sleeping, so tests measure pacing exactly.
public protocol Clock: AnyObject {
    /// The current time.
    func now() -> EventTime
    /// Returns once `now() >= t` (at once when `t` is not in the future), or early when a stop
    /// is requested.
    func sleep(until t: EventTime)
}

/// The system clock, optionally shifted so that it reads `start` at creation.
public final class SystemClock: Clock {
    private let base: EventTime
    private let mono0: Int64

    /// A clock reading the wall time, or `start` at creation and advancing in real time.
    public init(start: EventTime? = nil) {
        mono0 = SystemClock.monotonicMicros()
        base = start ?? EventTime.now()
    }

    static func monotonicMicros() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1_000_000 + Int64(ts.tv_nsec) / 1000
    }

    public func now() -> EventTime { base + (SystemClock.monotonicMicros() - mono0) }

    /// Sleeps until `t`, or until a `StopRequest` (SIGINT, SIGTERM) cuts the wait short.
    public func sleep(until t: EventTime) {
        while !StopRequest.isRequested {
            let delta = t.micros - now().micros
            if delta <= 0 { return }
            StopRequest.sleep(micros: delta)
        }
    }
}

/// A clock that never waits: `sleep(until:)` moves it forward and records the wake-up time.
public final class FakeClock: Clock {
    /// The time the clock reads.
    public private(set) var current: EventTime
    /// Every instant the clock was asked to sleep until (and moved to), in order.
    public private(set) var wakeUps: [EventTime] = []

    public init(start: EventTime) { current = start }

    public func now() -> EventTime { current }

    public func sleep(until t: EventTime) {
        guard t > current else { return }
        current = t
        wakeUps.append(t)
    }

    /// Moves the clock forward by `micros`.
    public func advance(_ micros: Int64) { current = current + micros }
}
