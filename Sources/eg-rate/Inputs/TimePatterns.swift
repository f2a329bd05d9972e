import Core
import Foundation

/// A `time_patterns` pattern: the oscillator cuts [start, end) into periods; each period gets
/// `ratio` timestamps varied by the randomizer (one of `sampling` factors drawn once, uniform in
/// [1-d, 1] for decrease, [1, 1+d] for increase, [1-d, 1+d] for mixed; the count is rounded), placed
/// in the period by the spreader's distribution over [0, 1): uniform(low, high),
/// triangular(left, mode, right) or beta(a, b). Timestamps at or after `end` are dropped.
final class PatternInput: TimestampInput {
    enum Spread {
        case uniform(Double, Double)
        case triangular(Double, Double, Double)
        case beta(Double, Double)
    }

    let start: Int64, end: Int64, period: Int64, ratio: Int
    let factors: [Double]
    let spread: Spread
    var rng: SeededRandom
    var periodIndex: Int64 = 0
    var buffer: [Int64] = []
    var pos = 0
    /// The count of each period generated so far (tests check them against the deviation).
    var periodCounts: [Int] = []

    init(json p: JSONValue, now: EventTime, zone: TimeZoneSetting, rng: SeededRandom, at location: String) throws {
        let osc = p["oscillator"] ?? .null
        func time(_ v: JSONValue?, base: EventTime) throws -> EventTime? {
            guard let t = v?.text else { throw EgError.config(at: location, "oscillator needs start and end") }
            return try EventumTime.parse(t, at: location).resolve(now: now, base: base, zone: zone)
        }
        guard let s = try time(osc["start"], base: now) else { throw EgError.config(at: location, "oscillator start cannot be never") }
        guard let e = try time(osc["end"], base: s) else { throw EgError.config(at: location, "oscillator end cannot be never: a pattern needs a range") }
        guard s <= e else { throw EgError.config(at: location, "oscillator start is after its end") }
        start = s.micros
        end = e.micros
        let units: [String: Double] = ["weeks": 604_800e6, "days": 86_400e6, "hours": 3_600e6, "minutes": 60e6,
                                       "seconds": 1e6, "milliseconds": 1e3, "microseconds": 1]
        let unit = units[osc["unit"]?.stringValue ?? ""] ?? 1e6
        let len = (osc["period"]?.doubleValue ?? 1) * unit
        guard len >= 1, len < 1e17 else { throw EgError.config(at: location, "oscillator period is out of range") }
        period = Int64(len.rounded())
        ratio = Int(p["multiplier"]?["ratio"]?.doubleValue ?? 1)
        let rnd = p["randomizer"] ?? .null
        let d = rnd["deviation"]?.doubleValue ?? 0
        let (lo, hi): (Double, Double)
        switch rnd["direction"]?.stringValue {
        case "decrease": (lo, hi) = (1 - d, 1)
        case "increase": (lo, hi) = (1, 1 + d)
        default: (lo, hi) = (1 - d, 1 + d)
        }
        var r = rng
        let sampling = Int(rnd["sampling"]?.doubleValue ?? 1024)
        factors = (0..<max(sampling, 1)).map { _ in r.double(in: lo, hi) }
        let sp = p["spreader"]?["parameters"] ?? .null
        switch p["spreader"]?["distribution"]?.stringValue {
        case "triangular": spread = .triangular(sp["left"]?.doubleValue ?? 0, sp["mode"]?.doubleValue ?? 0.5, sp["right"]?.doubleValue ?? 1)
        case "beta": spread = .beta(sp["a"]?.doubleValue ?? 1, sp["b"]?.doubleValue ?? 1)
        default: spread = .uniform(sp["low"]?.doubleValue ?? 0, sp["high"]?.doubleValue ?? 1)
        }
        self.rng = r
    }

    override func next() -> Int64? {
        while pos >= buffer.count {
            let p0 = start + periodIndex * period
            guard p0 < end else { return nil }
            periodIndex += 1
            let n = Int((Double(ratio) * factors[rng.index(factors.count)]).rounded())
            periodCounts.append(n)
            buffer.removeAll(keepingCapacity: true)
            for _ in 0..<n {
                let t = p0 + Int64(position() * Double(period))
                if t < end { buffer.append(t) }
            }
            buffer.sort()
            pos = 0
        }
        pos += 1
        return buffer[pos - 1]
    }

    /// A point of [0, 1) from the spreader's distribution.
    func position() -> Double {
        switch spread {
        case .uniform(let a, let b): return rng.double(in: a, b)
        case .triangular(let a, let c, let b):
            let u = rng.unit()
            let f = (c - a) / (b - a)
            return u < f ? a + ((b - a) * (c - a) * u).squareRoot() : b - ((b - a) * (b - c) * (1 - u)).squareRoot()
        case .beta(let a, let b):
            let x = gamma(a), y = gamma(b)
            return min(x / (x + y), 0.999_999_999)
        }
    }

    /// Marsaglia and Tsang's gamma(shape, 1) sampler (shape < 1 boosted by U^(1/shape)).
    func gamma(_ shape: Double) -> Double {
        if shape < 1 { return gamma(shape + 1) * pow(max(rng.unit(), 1e-300), 1 / shape) }
        let d = shape - 1.0 / 3, c = 1 / (9 * d).squareRoot()
        while true {
            var x: Double, v: Double
            repeat {
                let u1 = max(rng.unit(), 1e-300), u2 = rng.unit()
                x = (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = rng.unit()
            if u < 1 - 0.0331 * x * x * x * x || log(max(u, 1e-300)) < 0.5 * x * x + d * (1 - v + log(v)) { return d * v }
        }
    }
}

/// Several patterns of one `time_patterns` input, merged in time order.
final class MergedInput: TimestampInput {
    let parts: [TimestampInput]
    var heads: [Int64?]
    init(_ parts: [TimestampInput]) {
        self.parts = parts
        heads = parts.map { $0.next() }
    }
    override func next() -> Int64? {
        var best = -1
        for (i, h) in heads.enumerated() { if let h, best < 0 || h < heads[best]! { best = i } }
        guard best >= 0 else { return nil }
        let t = heads[best]
        heads[best] = parts[best].next()
        return t
    }
    override var finite: Bool { parts.allSatisfy(\.finite) }
}
