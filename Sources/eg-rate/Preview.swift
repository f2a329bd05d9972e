import Core

/// `--preview`: a terminal chart of the expected events per hour over the day of `now`, and per
/// day over the week (Sunday to Saturday) containing it, for each sample, from its count (or
/// byte budget), interval and rate tables. randomizeCount averages out and is left out.
public enum Preview {
    static let width = 40

    /// Expected events of one interval at `tick` for a sample-mode plan.
    static func expected(_ plan: SamplePlan, pool: EncodedPool, tick: EventTime) -> Double {
        var f = plan.rater.expectedFactor(at: tick)
        for m in plan.modifiers { f *= m.multiplier(at: tick) }
        let perUnit = plan.bundle ? Double(pool.count) : 1
        if let v = plan.perDayVolume {
            let bytes = v * 1_073_741_824 / (86_400 / (Double(plan.intervalMicros) / 1_000_000)) * f
            let unitSize = plan.bundle ? Double(pool.totalSize) : Double(pool.totalSize) / Double(max(pool.count, 1))
            return unitSize > 0 ? bytes / unitSize * perUnit : 0
        }
        let base = plan.count < 0 ? (plan.bundle ? 1 : pool.count) : plan.count
        return Double(Rater.count(base, factor: f)) * perUnit
    }

    /// Sums expected events over `[from, to)` in buckets of `bucket` wall-clock units.
    static func buckets(_ plan: SamplePlan, pool: EncodedPool, timeline: ReplayTimeline?,
                        from: EventTime, count: Int, step: (EventTime) -> EventTime) -> [Double] {
        var edges = [from]
        for _ in 0..<count { edges.append(step(edges.last!)) }
        var out = [Double](repeating: 0, count: count)
        for b in 0..<count {
            let lo = edges[b], hi = edges[b + 1]
            if let timeline {
                let period = Double(max(timeline.duration + Int64(plan.intervalSeconds) * 1_000_000, 1_000_000))
                out[b] = Double(timeline.items.count) * Double(hi.micros - lo.micros) / period
                continue
            }
            var t = lo
            var sum = 0.0
            while t < hi {
                sum += expected(plan, pool: pool, tick: t)
                t = t + plan.intervalMicros
            }
            out[b] = sum
        }
        return out
    }

    static func bar(_ v: Double, max m: Double) -> String {
        let n = m > 0 ? Int((v / m * Double(width)).rounded()) : 0
        return String(repeating: "#", count: n) + String(repeating: " ", count: width - n)
    }

    static func number(_ v: Double) -> String {
        let s = String(Int(v.rounded()))
        return String(repeating: " ", count: max(0, 10 - s.count)) + s
    }

    /// The chart for one sample.
    public static func render(_ plan: SamplePlan, pool: EncodedPool, timeline: ReplayTimeline?, now: EventTime) -> String {
        let zone = plan.zone
        let day = RelativeTime(kind: .relative([.snap(.day)])).resolve(now: now, zone: zone)
        let week = RelativeTime(kind: .relative([.snapWeekday(0)])).resolve(now: now, zone: zone)
        let label = Strftime("%a %Y-%m-%d")
        let hours = buckets(plan, pool: pool, timeline: timeline, from: day, count: 24) {
            RelativeTime(kind: .relative([.offset(1, .hour)])).resolve(now: $0, zone: zone)
        }
        let days = buckets(plan, pool: pool, timeline: timeline, from: week, count: 7) {
            RelativeTime(kind: .relative([.offset(1, .day)])).resolve(now: $0, zone: zone)
        }
        var out = "sample \(plan.name)"
        if plan.mode == .replay { out += " (replay: spread evenly over each pass)" }
        if plan.disabled { out += " (disabled)" }
        out += "\nevents per hour on \(label.format(day, zone: zone))\n"
        let hm = hours.max() ?? 0
        for (h, v) in hours.enumerated() {
            out += "  \(h < 10 ? "0" : "")\(h)h |\(bar(v, max: hm))|\(number(v))\n"
        }
        out += "  total \(Int(hours.reduce(0, +).rounded())) events that day\n"
        out += "events per day in the week from \(label.format(week, zone: zone))\n"
        let dm = days.max() ?? 0
        let names = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        for (d, v) in days.enumerated() {
            out += "  \(names[d]) |\(bar(v, max: dm))|\(number(v))\n"
        }
        out += "  total \(Int(days.reduce(0, +).rounded())) events that week\n"
        return out
    }
}
