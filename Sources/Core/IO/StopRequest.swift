#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// SIGINT and SIGTERM as a request to stop cleanly, shared by every tool.
///
/// `install()` (called by `ToolMain`) catches both signals. The first one sets `isRequested` and
/// makes `wakeDescriptor` readable, so that a wait on input (`LineReader`) or on the clock
/// (`sleep(micros:)`) ends at once; a second one ends the process with the signal's default
/// action. What a tool does with the request: a source (eg-rate live, eg-sample) stops producing,
/// flushes what it holds and runs its cleanup; a filter reads on until its input ends or stays
/// quiet (`LineReader`), so that what its upstream flushed on the same signal is not lost.
public enum StopRequest {
    /// Whether a stop was requested (a signal arrived, or `request()` was called).
    public static var isRequested: Bool { requested.load(ordering: .acquiring) }

    /// Whether `install()` ran: only then do readers watch `wakeDescriptor`.
    public static var isInstalled: Bool { wakeRead.load(ordering: .acquiring) >= 0 }

    /// A descriptor that becomes readable once a stop is requested (never drained), or -1.
    public static var wakeDescriptor: Int32 { wakeRead.load(ordering: .acquiring) }

    /// Catches SIGINT and SIGTERM (without `SA_RESTART`, so blocking calls see `EINTR`).
    public static func install() {
        guard !isInstalled else { return }
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return }
        for fd in fds {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        }
        wakeWrite.store(fds[1], ordering: .releasing)
        wakeRead.store(fds[0], ordering: .releasing)
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { sig in
            if StopRequest.requested.exchange(true, ordering: .acquiringAndReleasing) {
                // The second signal: the default action (the process ends).
                signal(sig, SIG_DFL)
                raise(sig)
                return
            }
            StopRequest.wake()
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGINT, &action, nil)
        sigaction(SIGTERM, &action, nil)
    }

    /// Requests a stop from inside the process (a tool's own signal thread, tests).
    public static func request() {
        if !requested.exchange(true, ordering: .acquiringAndReleasing) { wake() }
    }

    /// Waits `micros` microseconds, or less when a stop is requested; false when it was.
    @discardableResult
    public static func sleep(micros: Int64) -> Bool {
        var left = micros
        let end = monotonicMicros() + micros
        while left > 0 {
            if isRequested { return false }
            let fd = wakeDescriptor
            if fd >= 0 && left >= 1000 {
                // Whole milliseconds on the wake descriptor; the rest below with nanosleep.
                var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                _ = poll(&p, 1, Int32(min(left / 1000, Int64(Int32.max))))
            } else {
                var ts = timespec(tv_sec: Int(left / 1_000_000), tv_nsec: Int(left % 1_000_000) * 1000)
                var rem = timespec()
                _ = nanosleep(&ts, &rem)
            }
            left = end - monotonicMicros()
        }
        return !isRequested
    }

    /// The monotonic clock in microseconds.
    public static func monotonicMicros() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1_000_000 + Int64(ts.tv_nsec) / 1000
    }

    private static func wake() {
        var byte: UInt8 = 1
        _ = Glibc.write(wakeWrite.load(ordering: .acquiring), &byte, 1)
    }

    private static let requested = Atomic<Bool>(false)
    private static let wakeRead = Atomic<Int32>(-1)
    private static let wakeWrite = Atomic<Int32>(-1)
}
