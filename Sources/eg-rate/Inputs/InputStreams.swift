import Core

/// One input plugin's timestamps (microseconds), in non-decreasing order.
class TimestampInput {
    /// The next timestamp, or nil when the input has ended.
    func next() -> Int64? { nil }
    /// Whether the input ends by itself.
    var finite: Bool { true }
}

/// `cron`: `count` equal timestamps at every fire from `start` (inclusive) to `end` (inclusive).
final class CronInput: TimestampInput {
    let cron: CronExpression
    let count: Int
    let end: EventTime?
    let zone: TimeZoneSetting
    var fire: EventTime?
    var left = 0

    init(cron: CronExpression, count: Int, start: EventTime, end: EventTime?, zone: TimeZoneSetting) {
        self.cron = cron
        self.count = count
        self.end = end
        self.zone = zone
        fire = cron.next(atOrAfter: start, zone: zone)
        if let f = fire, let end, f > end { fire = nil }
        left = count
    }

    override func next() -> Int64? {
        guard let f = fire else { return nil }
        if left > 0 { left -= 1; return f.micros }
        fire = cron.next(atOrAfter: f + 1, zone: zone)
        if let n = fire, let end, n > end { fire = nil }
        left = count
        return next()
    }

    override var finite: Bool { end != nil }
}

/// `timer`: `count` timestamps every `seconds`, the first tick at start + seconds, `repeat` ticks
/// (forever when nil).
final class TimerInput: TimestampInput {
    let start: Int64, step: Int64, count: Int, ticks: Int?
    var tick = 1, left: Int

    init(start: EventTime, seconds: Double, count: Int, repeat ticks: Int?) {
        self.start = start.micros
        step = Int64((seconds * 1_000_000).rounded())
        self.count = count
        self.ticks = ticks
        left = count
    }

    override func next() -> Int64? {
        if left == 0 { tick += 1; left = count }
        if let ticks, tick > ticks { return nil }
        left -= 1
        return start + Int64(tick) * step
    }

    override var finite: Bool { ticks != nil }
}

/// A fixed list of timestamps: `linspace`, `static` and `timestamps`.
final class ListInput: TimestampInput {
    let times: [Int64]
    var i = 0
    init(_ times: [Int64]) { self.times = times }
    override func next() -> Int64? {
        guard i < times.count else { return nil }
        i += 1
        return times[i - 1]
    }

    /// numpy.linspace: `count` evenly spaced from start to end, end included when `endpoint`.
    static func linspace(start: EventTime, end: EventTime, count: Int, endpoint: Bool) -> ListInput {
        let span = Double(end.micros - start.micros)
        let div = Double(endpoint ? max(count - 1, 1) : count)
        return ListInput((0..<count).map { start.micros + Int64((span * Double($0) / div).rounded()) })
    }
}
