import Core

/// Runs the samples' batch sources and writes their events in time order.
///
/// A k-way merge: a heap of batch cursors keyed by the release time of their next unit. A unit is
/// written only once no source can still produce an earlier one (every source's `nextStart` is
/// later), so several samples, and overlapping windows of one sample, come out in time order while
/// memory stays bounded by the batches in flight. With a clock (live mode) the engine sleeps
/// until each batch's start and each unit's release, flushing its output first; without one
/// (batch mode) it never sleeps. A `StopRequest` (SIGINT, SIGTERM) ends the run before the next
/// unit: what was released is flushed, nothing more is.
public final class Engine {
    let sources: [BatchSource]
    let pools: [EncodedPool]
    let clock: Clock?
    let output: OutputBuffer
    /// Flush before sleeping (live mode on a real terminal or pipe); tests turn it off.
    public var flushes = true
    /// Called for every unit written (tests, labels).
    public var onUnit: ((Int, EventUnit) -> Void)?
    /// Called for every batch generated (tests, labels).
    public var onBatch: ((Batch) -> Void)?
    /// `--stats`: counts what is written and prints progress.
    public var stats: RateStats?
    /// Set when a stop request ended the run early.
    public private(set) var stopped = false

    /// A heap entry: plain values only (the batch lives in `slots`), so heap moves copy no references.
    struct Cursor {
        var release: Int64
        var time: Int64
        var sample: Int
        var order: Int
        var slot: Int
    }

    var heap: [Cursor] = []
    /// The batches in flight and the next position in each, by slot.
    var slots: [[EventUnit]] = []
    /// Each slot's batch window, unsharded unit count and first unit number, for pools that mark
    /// cycles (jinja): a cycle's place and count are those of the unsharded interval.
    var windows: [(lo: Int64, hi: Int64, count: Int, first: Int64)] = []
    var positions: [Int] = []
    var freeSlots: [Int] = []
    var batchCounter = 0

    /// `pools[i]` is the pool of the sample with index i; `clock` nil means batch mode.
    public init(sources: [BatchSource], pools: [EncodedPool], clock: Clock?, output: OutputBuffer) {
        self.sources = sources
        self.pools = pools
        self.clock = clock
        self.output = output
    }

    @inline(__always)
    static func less(_ a: Cursor, _ b: Cursor) -> Bool {
        if a.release != b.release { return a.release < b.release }
        if a.time != b.time { return a.time < b.time }
        if a.sample != b.sample { return a.sample < b.sample }
        return a.order < b.order
    }

    func push(_ c: Cursor) {
        heap.append(c)
        var k = heap.count - 1
        while k > 0 {
            let p = (k - 1) / 2
            if Engine.less(heap[k], heap[p]) { heap.swapAt(k, p); k = p } else { break }
        }
    }

    func siftDown(_ start: Int) {
        var k = start
        let n = heap.count
        while true {
            let l = 2 * k + 1, r = l + 1
            var m = k
            if l < n && Engine.less(heap[l], heap[m]) { m = l }
            if r < n && Engine.less(heap[r], heap[m]) { m = r }
            if m == k { return }
            heap.swapAt(k, m)
            k = m
        }
    }

    func popTop() {
        let last = heap.removeLast()
        if !heap.isEmpty { heap[0] = last; siftDown(0) }
    }

    /// Adds a generated batch to the merge.
    func add(_ batch: Batch) {
        guard let u = batch.units.first else { return }
        let slot: Int
        if let f = freeSlots.popLast() {
            slot = f
            slots[f] = batch.units
            windows[f] = (batch.lo, batch.hi, batch.cycleCount, batch.firstSeq)
            positions[f] = 0
        } else {
            slot = slots.count
            slots.append(batch.units)
            windows.append((batch.lo, batch.hi, batch.cycleCount, batch.firstSeq))
            positions.append(0)
        }
        push(Cursor(release: u.release, time: u.time, sample: batch.sample, order: batchCounter, slot: slot))
        batchCounter += 1
    }

    /// The release of the best cursor other than the top (its children), or `Int64.max`.
    @inline(__always)
    func secondRelease() -> Int64 {
        var best = Int64.max
        if heap.count > 1 { best = min(best, heap[1].release) }
        if heap.count > 2 { best = min(best, heap[2].release) }
        return best
    }

    /// Sleeps until `micros` (live mode), flushing first and waking for `--stats` lines; false
    /// (and `stopped` set) when a stop was requested.
    func waitUntil(_ micros: Int64) throws -> Bool {
        guard let clock else { return !checkStop() }
        while clock.now().micros < micros {
            if flushes { try output.flush() }
            var target = micros
            if let stats {
                let untilLine = stats.nextLineMicros - StopRequest.monotonicMicros()
                target = min(target, clock.now().micros + max(0, untilLine))
            }
            clock.sleep(until: EventTime(micros: target))
            stats?.tick()
            if checkStop() { return false }
        }
        return !checkStop()
    }

    @inline(__always)
    func checkStop() -> Bool {
        if StopRequest.isRequested { stopped = true }
        return stopped
    }

    /// Runs until every source has ended and every unit is written, or a stop is requested.
    public func run() throws {
        while !checkStop() {
            stats?.tick()
            var gs = -1
            var g = Int64.max
            for (i, s) in sources.enumerated() {
                if let t = s.nextStart, t.micros < g { g = t.micros; gs = i }
            }
            if !heap.isEmpty && heap[0].release <= g {
                let limit = min(g, secondRelease())
                try emitRun(limit: limit)
            } else if gs >= 0 {
                guard try waitUntil(g) else { break }
                let batch = sources[gs].nextBatch()
                onBatch?(batch)
                add(batch)
            } else {
                break
            }
        }
        if flushes { try output.flush() }
    }

    /// Writes units from the top cursor while their release is at most `limit` (ties beyond the
    /// first unit go back through the heap so the merge order stays exact).
    func emitRun(limit: Int64) throws {
        let c = heap[0]
        let pool = pools[c.sample]
        let live = clock != nil
        let window = pool.marksCycles ? windows[c.slot] : nil
        var pos = positions[c.slot]
        var written = 0
        var reached: Int64 = 0
        // Work on a local buffer (swapped in and out, no copy) to keep class accesses off the loop.
        var out: [UInt8] = []
        swap(&out, &output.bytes)
        defer { swap(&out, &output.bytes) }
        let end = try slots[c.slot].withUnsafeBufferPointer { units -> Int in
            var first = true
            while pos < units.count {
                let u = units[pos]
                if !first && u.release >= limit { break }
                first = false
                if live && u.release > (clock!.now().micros) {
                    swap(&out, &output.bytes)
                    stats?.add(written, reached: reached)
                    written = 0
                    let go = try waitUntil(u.release)
                    swap(&out, &output.bytes)
                    if !go { break }
                }
                if let w = window {
                    pool.append(Int(u.item), time: u.time, event: u.seq, bundle: nil, indexChoice: u.indexChoice, tag: u.tag,
                                cycle: (Int(min(max(u.seq - w.first, 0), Int64(max(w.count - 1, 0)))), w.count, w.lo, w.hi), to: &out)
                } else if u.item >= 0 {
                    pool.append(Int(u.item), time: u.time, event: u.seq, bundle: nil, indexChoice: u.indexChoice, tag: u.tag, to: &out)
                    written += 1
                } else {
                    // A bundle copy's events are numbered on from the copies before it.
                    let first = u.seq &* Int64(pool.count)
                    for k in 0..<pool.count {
                        pool.append(k, time: u.time, event: first &+ Int64(k), bundle: u.seq, indexChoice: u.indexChoice, tag: u.tag, to: &out)
                    }
                    written += pool.count
                }
                reached = u.time
                onUnit?(c.sample, u)
                pos += 1
                if out.count >= 1 << 18 {
                    swap(&out, &output.bytes)
                    try output.flushIfFull()
                    swap(&out, &output.bytes)
                    if checkStop() { break }
                }
            }
            return units.count
        }
        stats?.add(written, reached: reached)
        if pos < end {
            positions[c.slot] = pos
            let u = slots[c.slot][pos]
            heap[0].release = u.release
            heap[0].time = u.time
            siftDown(0)
        } else {
            slots[c.slot] = []
            freeSlots.append(c.slot)
            popTop()
        }
    }
}
