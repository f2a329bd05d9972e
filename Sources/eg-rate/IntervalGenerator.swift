import Core

/// Sample mode: each tick, rate the count (or byte budget) at the tick's own time, pick pool
/// events, give each a pivot time in the interval's window, sort, number and shard them.
public final class IntervalGenerator: BatchSource {
    public let sample: Int
    let plan: SamplePlan
    let pool: EncodedPool
    let timing: RunTiming
    let shard: Shard
    var lattice: TickLattice
    var rng: SeededRandom
    let picker: SamplePicker
    var volume: PerDayVolume?
    /// perDayVolume keeps its place in file order across intervals.
    var cursor = 0
    var seq: Int64 = 0
    /// The number of the next unit an anomaly adds.
    var added = addedNumbers
    var picks: [Int32] = []
    var scratch: [EventUnit] = []
    var keys: [UInt64] = []
    var radixScratch: [UInt64] = []

    public init(plan: SamplePlan, pool: EncodedPool, timing: RunTiming, shard: Shard) {
        self.sample = plan.index
        self.plan = plan
        self.pool = pool
        self.timing = timing
        self.shard = shard
        lattice = TickLattice(plan: plan, timing: timing)
        rng = SeededRandom(seed: plan.seed, stream: plan.name + "/rate")
        picker = SamplePicker(poolCount: pool.count, randomize: plan.randomizeEvents, bundle: plan.bundle)
        if let v = plan.perDayVolume {
            // eventgen's perdayvolume rater counts interval 0 as a day: each run gets a day's volume.
            volume = PerDayVolume(gbPerDay: v, intervalSeconds: plan.intervalSeconds == 0 ? 86_400 : Double(plan.intervalMicros) / 1_000_000)
        }
    }

    public var nextStart: EventTime? {
        guard pool.count > 0, let t = lattice.peek else { return nil }
        if timing.burst && t >= timing.now { return t }
        let b = plan.window.bounds(tick: t, interval: plan.intervalMicros, history: t < timing.now)
        return EventTime(micros: min(b.lo, t.micros))
    }

    /// The rate factor at `tick`, modifiers included.
    func factor(at tick: EventTime) -> Double {
        var f = plan.rater.factor(at: tick, rng: &rng)
        for m in plan.modifiers { f *= m.multiplier(at: tick) }
        return f
    }

    /// How many units the interval at `tick` produces, filling `picks`.
    func pickUnits(at tick: EventTime) -> Int {
        let f = factor(at: tick)
        picks.removeAll(keepingCapacity: true)
        if var v = volume {
            let n = v.take(factor: f) { k in
                let item = picker.bundle ? -1 : (picker.randomize ? picker.pick(k, rng: &rng) : Int32((cursor + k) % pool.count))
                picks.append(item)
                return item < 0 ? pool.totalSize : pool.size(Int(item))
            }
            volume = v
            picks.removeLast(picks.count - n)
            if !picker.randomize && !picker.bundle { cursor = (cursor + n) % pool.count }
            return n
        }
        let base = plan.count < 0 ? (plan.bundle ? 1 : pool.count) : plan.count
        // `checkVolume` bounds the count; factors from `--anomaly` flags may still go beyond.
        let n = min(Rater.count(base, factor: f), SettingSchema.maxEventsPerInterval)
        // The loop works on local copies (moved out and back): a class `var` touched per event
        // pays a dynamic exclusivity check each time.
        var r = rng, p = picks
        picks = []
        p.reserveCapacity(n)
        let pick = picker
        for k in 0..<n { p.append(pick.pick(k, rng: &r)) }
        rng = r
        picks = p
        return n
    }

    public func nextBatch() -> Batch {
        guard let tick = lattice.peek else { return Batch(sample: sample, tick: timing.now, units: [], generated: 0) }
        lattice.advance()
        let history = tick < timing.now
        var n = pickUnits(at: tick)
        let (lo, hi) = plan.window.bounds(tick: tick, interval: plan.intervalMicros, history: history)
        let burst = timing.burst && !history
        let tag = plan.modifiers.lazy.compactMap { $0.tag(at: tick) }.first ?? -1
        let indexes = Int32(plan.extendIndexes.count)
        if plan.cyclesByVolume {
            // One cycle at the interval's time; eg-tokenize renders until the count is reached.
            guard n > 0 else { return Batch(sample: sample, tick: tick, units: [], generated: 0, lo: lo, hi: hi) }
            let u = EventUnit(time: tick.micros, release: tick.micros, item: picks[0],
                               indexChoice: indexes > 0 ? Int32(rng.below(UInt64(indexes))) : -1, tag: tag, seq: seq)
            seq += 1
            let units = shard.keeps(u.seq, sample: sample) ? [u] : []
            var batch = Batch(sample: sample, tick: tick, units: units, generated: 1, lo: lo, hi: hi, cycleCount: n)
            batch.firstSeq = u.seq
            return batch
        }
        // Local copies again (see pickUnits).
        var scratch = self.scratch, r = rng
        self.scratch = []
        scratch.removeAll(keepingCapacity: true)
        scratch.reserveCapacity(n)
        let window = plan.window
        picks.withUnsafeBufferPointer { picks in
            for k in 0..<n {
                let t = window.pivot(k, of: n, lo: lo, hi: hi, rng: &r)
                let ix: Int32 = indexes > 0 ? Int32(r.below(UInt64(indexes))) : -1
                // seq temporarily holds the draw order, so equal times keep it.
                scratch.append(EventUnit(time: t, release: burst ? tick.micros : t, item: picks[k], indexChoice: ix,
                                    tag: tag, seq: Int64(k)))
            }
        }
        rng = r
        defer { self.scratch = scratch }
        let baseline = n
        if let hook = plan.unitHook {
            // Each unit keeps the number it has without the hook: its rank by (time, draw order).
            let order = (0..<n).sorted { (scratch[$0].time, $0) < (scratch[$1].time, $1) }
            for (rank, k) in order.enumerated() { scratch[k].seq = seq + Int64(rank) }
            hook.adjust(tick: tick, lo: lo, hi: hi, units: &scratch)
            n = scratch.count
        }
        var order: [UInt64]? = nil
        if !plan.window.sequential && lo != hi && n > 1 {
            if UInt64(hi - lo) < (1 << 37) && n < (1 << 26) {
                // Sort packed (time offset, draw order) keys: plain integer compares, ties keep draw order.
                var keys = self.keys
                self.keys = []
                keys.removeAll(keepingCapacity: true)
                for k in 0..<n { keys.append(UInt64(scratch[k].time - lo) << 26 | UInt64(k)) }
                RadixSort.sort(&keys, scratch: &radixScratch)
                order = keys
                self.keys = keys
            } else {
                scratch.sort { ($0.time, $0.seq) < ($1.time, $1.seq) }
            }
        }
        var units: [EventUnit] = []
        let firstSeq = seq
        units.reserveCapacity(shard.count > 1 ? n / shard.count + 1 : n)
        let hooked = plan.unitHook != nil
        for j in 0..<n {
            var u = order.map { scratch[Int($0[j] & 0x3FF_FFFF)] } ?? scratch[j]
            if !hooked {
                u.seq = seq &+ Int64(j)
            } else if u.seq < 0 {
                u.seq = added
                added += 1
            }
            if shard.keeps(u.seq, sample: sample) { units.append(u) }
        }
        seq += Int64(baseline)
        var batch = Batch(sample: sample, tick: tick, units: units, generated: n, lo: lo, hi: hi)
        batch.firstSeq = firstSeq
        return batch
    }
}
