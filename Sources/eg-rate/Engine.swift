import Core

/// Runs the samples' batch sources and writes their events in time order.
///
/// A k-way merge: a heap of batch cursors keyed by the release time of their next unit. A unit is
/// written only once no source can still produce an earlier one (every source's `nextStart` is
/// later), so several samples, and overlapping windows of one sample, come out in time order while
/// memory stays bounded by the batches in flight. With a clock (live mode) the engine sleeps
/// until each batch's start and each unit's release; without one (batch mode) it never sleeps.
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

    struct Cursor {
        var units: [EventUnit]
        var pos: Int
        var sample: Int
        var order: Int
        @inline(__always) var head: EventUnit { units[pos] }
    }

    var heap: [Cursor] = []
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
        let x = a.head, y = b.head
        if x.release != y.release { return x.release < y.release }
        if x.time != y.time { return x.time < y.time }
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

    /// The release of the best cursor other than the top (its children), or `Int64.max`.
    @inline(__always)
    func secondRelease() -> Int64 {
        var best = Int64.max
        if heap.count > 1 { best = min(best, heap[1].head.release) }
        if heap.count > 2 { best = min(best, heap[2].head.release) }
        return best
    }

    func waitUntil(_ micros: Int64) throws {
        guard let clock else { return }
        if clock.now().micros < micros {
            if flushes { try output.flush() }
            clock.sleep(until: EventTime(micros: micros))
        }
    }

    /// Runs until every source has ended and every unit is written.
    public func run() throws {
        while true {
            var gs = -1
            var g = Int64.max
            for (i, s) in sources.enumerated() {
                if let t = s.nextStart, t.micros < g { g = t.micros; gs = i }
            }
            if !heap.isEmpty && heap[0].head.release <= g {
                let limit = min(g, secondRelease())
                try emitRun(limit: limit)
            } else if gs >= 0 {
                try waitUntil(g)
                let batch = sources[gs].nextBatch()
                onBatch?(batch)
                if !batch.units.isEmpty {
                    push(Cursor(units: batch.units, pos: 0, sample: batch.sample, order: batchCounter))
                    batchCounter += 1
                }
            } else {
                break
            }
        }
        if flushes { try output.flush() }
    }

    /// Writes units from the top cursor while their release is at most `limit` (ties beyond the
    /// first unit go back through the heap so the merge order stays exact).
    func emitRun(limit: Int64) throws {
        var c = heap[0]
        heap[0].units = []  // keep the array uniquely referenced while we read it
        let pool = pools[c.sample]
        let live = clock != nil
        var first = true
        while c.pos < c.units.count {
            let u = c.units[c.pos]
            if !first && u.release >= limit { break }
            first = false
            if live && u.release > (clock!.now().micros) { try waitUntil(u.release) }
            if u.item >= 0 {
                pool.append(Int(u.item), time: u.time, bundle: nil, indexChoice: u.indexChoice, tag: u.tag, to: &output.bytes)
            } else {
                for k in 0..<pool.count {
                    pool.append(k, time: u.time, bundle: u.seq, indexChoice: u.indexChoice, tag: u.tag, to: &output.bytes)
                }
            }
            onUnit?(c.sample, u)
            c.pos += 1
            if output.bytes.count >= 1 << 18 { try output.flushIfFull() }
        }
        if c.pos < c.units.count {
            heap[0] = c
            siftDown(0)
        } else {
            popTop()
        }
    }
}
