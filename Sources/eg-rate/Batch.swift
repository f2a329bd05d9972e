import Core

/// One unit of output: a pool event, or (for bundles) one copy of the whole pool.
public struct EventUnit: Sendable, Equatable {
    /// The event time in microseconds (bundles: the shared pivot of the copy).
    public var time: Int64
    /// When live mode releases it (its own time, or the tick with `--burst`).
    public var release: Int64
    /// The pool index, or -1 for a whole bundle copy.
    public var item: Int32
    /// The `extendIndexes` choice, or -1.
    public var indexChoice: Int32
    /// An anomaly tag (issue 8), or -1.
    public var tag: Int32
    /// The sample-wide unit number in output order: `_bundle` for bundles, and the shard key.
    public var seq: Int64

    public init(time: Int64, release: Int64, item: Int32, indexChoice: Int32 = -1, tag: Int32 = -1, seq: Int64 = 0) {
        self.time = time
        self.release = release
        self.item = item
        self.indexChoice = indexChoice
        self.tag = tag
        self.seq = seq
    }
}

/// The units of one interval (or replay pass) of one sample, sorted by release then time.
public struct Batch: Sendable {
    public var sample: Int
    /// The interval's time (replay: the pass start).
    public var tick: EventTime
    public var units: [EventUnit]
    /// How many units the interval produced before sharding (for counts and tests).
    public var generated: Int
    /// The interval's window in microseconds (jinja stanzas pass it to their templates).
    public var lo: Int64
    public var hi: Int64
    /// The `seq` of the interval's first unit before sharding (a jinja cycle's place is its
    /// `seq` minus this, the same in every shard).
    public var firstSeq: Int64 = 0
    /// The count a jinja cycle event passes on (`_cycle`'s n): the number of cycles, or for
    /// `jinja_count_type = perDayVolume` the interval's rated count carried by its one cycle.
    public var cycleCount: Int

    public init(sample: Int, tick: EventTime, units: [EventUnit], generated: Int, lo: Int64 = 0, hi: Int64 = 0, cycleCount: Int? = nil) {
        self.sample = sample
        self.tick = tick
        self.units = units
        self.generated = generated
        self.lo = lo
        self.hi = hi
        self.cycleCount = cycleCount ?? generated
    }
}

/// Something that produces a sample's batches in order: the interval generator or replay.
public protocol BatchSource: AnyObject {
    /// The sample's index.
    var sample: Int { get }
    /// No unit of any later batch is released before this; nil when the source has ended.
    var nextStart: EventTime? { get }
    /// Produces the next batch (units sorted by release, then time).
    func nextBatch() -> Batch
}
