import Core

/// One sample's anomalies at work in eg-rate: for each interval, volume anomalies add units
/// (spike, level shift or trend above 1: extra copies drawn from the matching pool events and
/// tagged) or drop baseline units (drop, outage, factor below 1), and value anomalies tag the
/// baseline units their `fraction` draw picks, so eg-tokenize knows which events to change.
///
/// Everything is per unit: a baseline unit inside the window and matching the target has the
/// multiplier `m = 1 + (factor − 1) × envelope(position)`; m > 1 adds ⌊m−1⌋ units plus one more
/// with probability frac(m−1), m < 1 keeps it with probability m. Each anomaly draws from its own
/// random stream, so the baseline (and all output outside the windows) is exactly the output of
/// the same run without anomalies. A unit belongs to at most one anomaly (lowest number first).
public final class AnomalyInjector: UnitHook {
    /// One placed anomaly and its counters.
    public final class Active {
        public let spec: AnomalySpec
        public let window: AnomalyWindow
        public let tag: Int32
        /// Per pool item: whether it matches the target (nil: no target, everything matches).
        let matches: [Bool]?
        /// Pool items matching the target (extra units of a targeted spike come from these).
        let matching: [Int32]
        var rng: SeededRandom
        /// The value a `new_value` anomaly writes when `values`/`value` are not given.
        public var resolvedValue: String?
        public internal(set) var added = 0
        public internal(set) var removed = 0
        public internal(set) var changed = 0

        init(spec: AnomalySpec, window: AnomalyWindow, tag: Int32, pool: EncodedPool, seed: UInt64, sample: String) {
            self.spec = spec
            self.window = window
            self.tag = tag
            if let t = spec.target {
                let m = pool.records.map { t.matches($0) }
                matches = m
                matching = m.indices.filter { m[$0] }.map { Int32($0) }
            } else {
                matches = nil
                matching = []
            }
            rng = SeededRandom(seed: seed, stream: "\(sample)/anomaly.\(spec.number)")
        }

        @inline(__always)
        func matches(_ item: Int32) -> Bool {
            guard let m = matches else { return true }
            return item >= 0 && m[Int(item)]
        }
    }

    public let anomalies: [Active]
    let eventsPerBundle: Int
    var extra: [EventUnit] = []

    init(anomalies: [Active], pool: EncodedPool) {
        self.anomalies = anomalies
        eventsPerBundle = pool.count
    }

    @inline(__always)
    func events(_ u: EventUnit) -> Int { u.item < 0 ? eventsPerBundle : 1 }

    public func adjust(tick: EventTime, lo: Int64, hi: Int64, units: inout [EventUnit]) {
        for a in anomalies {
            let w = a.window
            if hi < w.start || lo >= w.end { continue }
            if a.spec.type.isVolume {
                volume(a, lo: lo, hi: hi, units: &units)
            } else {
                for k in units.indices {
                    let u = units[k]
                    guard u.tag < 0, w.contains(u.time), a.matches(u.item) else { continue }
                    if a.spec.fraction >= 1 || a.rng.unit() < a.spec.fraction {
                        units[k].tag = a.tag
                        a.changed += events(u)
                    }
                }
            }
        }
    }

    func volume(_ a: Active, lo: Int64, hi: Int64, units: inout [EventUnit]) {
        let w = a.window
        let f = a.spec.factor ?? 1
        let tlo = max(lo, w.start), thi = min(hi, w.end - 1)
        extra.removeAll(keepingCapacity: true)
        var kept = 0
        for k in units.indices {
            let u = units[k]
            if u.tag < 0, w.contains(u.time), a.matches(u.item) {
                let m = 1 + (f - 1) * a.spec.shape.envelope(w.position(u.time))
                if m < 1 {
                    if m <= 0 || a.rng.unit() >= m {
                        a.removed += events(u)
                        continue
                    }
                } else if m > 1 {
                    let x = m - 1
                    var n = Int(x.rounded(.down))
                    if x - Double(n) > 0 && a.rng.unit() < x - Double(n) { n += 1 }
                    for _ in 0..<n {
                        let t = thi > tlo ? tlo + Int64(bitPattern: a.rng.below(UInt64(thi - tlo) + 1)) : tlo
                        let item = a.spec.target != nil && !a.matching.isEmpty ? a.matching[a.rng.index(a.matching.count)] : u.item
                        extra.append(EventUnit(time: t, release: u.release == u.time ? t : u.release, item: item,
                                               indexChoice: u.indexChoice, tag: a.tag, seq: -1))
                        a.added += events(u)
                    }
                }
            }
            units[kept] = u
            kept += 1
        }
        units.removeLast(units.count - kept)
        units.append(contentsOf: extra)
    }
}

/// `--preview` for anomalies: the expected multiplier of the untargeted volume anomalies.
final class AnomalyPreviewModifier: RateModifier {
    let anomalies: [AnomalyInjector.Active]
    init(_ anomalies: [AnomalyInjector.Active]) { self.anomalies = anomalies.filter { $0.spec.type.isVolume && $0.spec.target == nil } }

    func multiplier(at time: EventTime) -> Double {
        var m = 1.0
        for a in anomalies where a.window.contains(time.micros) {
            m *= max(0, 1 + ((a.spec.factor ?? 1) - 1) * a.spec.shape.envelope(a.window.position(time.micros)))
        }
        return m
    }

    func tag(at time: EventTime) -> Int32? { nil }
}
