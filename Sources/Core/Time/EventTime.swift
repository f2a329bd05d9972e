/// An instant as whole microseconds since the Unix epoch (UTC).
///
/// Every tool carries times in this form so that `_time` survives the pipeline exactly:
/// no floating-point rounding, and microseconds are kept (eventgen truncates to seconds).
public struct EventTime: Hashable, Comparable, Sendable {
    /// Microseconds since 1970-01-01T00:00:00Z; negative before the epoch.
    public var micros: Int64

    public init(micros: Int64) { self.micros = micros }

    /// The last microsecond of the year 9999 UTC: the latest time eg generates.
    public static let lastMicros: Int64 = 253_402_300_799_999_999

    public init(seconds: Int64, microsecond: Int64 = 0) {
        self.micros = seconds * 1_000_000 + microsecond
    }

    /// Whole seconds since the epoch, rounded towards negative infinity.
    public var seconds: Int64 {
        micros >= 0 ? micros / 1_000_000 : -((-micros + 999_999) / 1_000_000)
    }

    /// The microsecond within the second, 0...999_999.
    public var microsecond: Int64 { micros - seconds * 1_000_000 }

    /// Seconds as a Double (for arithmetic that tolerates rounding, never for output).
    public var secondsDouble: Double { Double(micros) / 1_000_000 }

    public static func < (a: EventTime, b: EventTime) -> Bool { a.micros < b.micros }

    public static func + (t: EventTime, micros: Int64) -> EventTime { EventTime(micros: t.micros + micros) }
    public static func - (t: EventTime, micros: Int64) -> EventTime { EventTime(micros: t.micros - micros) }

    /// The current wall-clock time.
    public static func now() -> EventTime {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return EventTime(micros: Int64(ts.tv_sec) * 1_000_000 + Int64(ts.tv_nsec) / 1000)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
