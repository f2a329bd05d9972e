#if canImport(Glibc)
import Glibc
#endif
import Core

/// How network outputs retry: `attempts` tries in all, waiting `baseDelay` x 2^k (at most
/// `maxDelay`) between them. A shutdown request (SIGINT/SIGTERM) cuts the waiting short.
struct RetryPolicy {
    var attempts = 5
    var baseDelay = 0.5
    var maxDelay = 10.0
    var timeout = 30.0
    /// Consecutive failures after which a server leaves rotation (`httpeventAllowFailureCount`).
    var allowFailureCount = 3
    /// Seconds a failing server stays out of rotation.
    var cooldown = 30.0

    /// Sleeps before retry number `k` (1-based); returns false when shutting down (stop retrying).
    func backoff(_ k: Int) -> Bool {
        let delay = min(maxDelay, baseDelay * Double(1 << min(k - 1, 20)))
        var left = delay
        while left > 0 {
            if Shutdown.requested { return false }
            let step = min(left, 0.05)
            usleep(UInt32(step * 1_000_000))
            left -= step
        }
        return !Shutdown.requested
    }
}

/// Process-wide shutdown flag, set by the signal thread so retry loops stop waiting.
enum Shutdown {
    nonisolated(unsafe) static var requested = false
}

/// Monotonic seconds, for cool-downs and flush timers.
func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
