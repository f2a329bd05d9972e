import Core

/// `--preview` for an Eventum generator: its inputs run from the start of the week of `now` (in the
/// generator's zone), counted per hour over the day of `now` and per day over the week, with the
/// untargeted volume anomalies applied. At most `cap` timestamps are counted.
enum GeneratorPreview {
    static let cap = 20_000_000

    static func render(_ s: RateCommand.PreparedSample, eventum: JSONValue, now: EventTime) throws -> String {
        let plan = s.plan
        let zone = plan.zone
        let day = RelativeTime(kind: .relative([.snap(.day)])).resolve(now: now, zone: zone)
        let week = RelativeTime(kind: .relative([.snapWeekday(0)])).resolve(now: now, zone: zone)
        let weekEnd = RelativeTime(kind: .relative([.offset(7, .day)])).resolve(now: week, zone: zone)
        let inputs = try GeneratorInputs(eventum: eventum, name: plan.name, now: week, zone: zone, seed: plan.seed)
        var hours = [Double](repeating: 0, count: 24), days = [Double](repeating: 0, count: 7)
        var n = 0
        while n < cap, let (t, _) = inputs.next(), t < weekEnd.micros {
            n += 1
            guard t >= week.micros else { continue }
            var w = 1.0
            for m in plan.modifiers { w *= m.multiplier(at: EventTime(micros: t)) }
            let c = zone.civil(EventTime(micros: t))
            days[c.weekday] += w
            if t >= day.micros && t < day.micros + 86_400_000_000 { hours[c.hour] += w }
        }
        let label = Strftime("%a %Y-%m-%d")
        var out = "generator \(plan.name)\(n >= cap ? " (first \(cap) timestamps of the week)" : "")\n"
        out += "events per hour on \(label.format(day, zone: zone))\n"
        let hm = hours.max() ?? 0
        for (h, v) in hours.enumerated() { out += "  \(h < 10 ? "0" : "")\(h)h |\(Preview.bar(v, max: hm))|\(Preview.number(v))\n" }
        out += "  total \(Int(hours.reduce(0, +).rounded())) events that day\n"
        out += "events per day in the week from \(label.format(week, zone: zone))\n"
        let dm = days.max() ?? 0
        let names = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        for (d, v) in days.enumerated() { out += "  \(names[d]) |\(Preview.bar(v, max: dm))|\(Preview.number(v))\n" }
        out += "  total \(Int(days.reduce(0, +).rounded())) events that week\n"
        return out
    }
}
