import Core

/// Produces one token's value for one event: the interface every replacement type implements
/// (except `replaytimestamp`, whose value depends on each match, see `ReplayTimestamp`).
protocol ValueGenerator: AnyObject {
    /// True when the value never changes (`static`): such tokens are inlined into compiled plans.
    var isStatic: Bool { get }
    /// Appends this event's value (raw, not yet JSON-escaped) to `out`.
    func append(_ ctx: inout EventContext, _ rng: inout SeededRandom, to out: inout [UInt8])
    /// A few values this generator can produce (edge values first), used to decide whether a
    /// later token's regex could interact with a slot (see `LinePlanCompiler`).
    func probes() -> [String]
}

/// What the generators may look at for the current event (or bundle).
struct EventContext {
    /// The event's `_time` (or the wall clock when it has none).
    var time: EventTime
    /// The event's number in its sample's unsharded stream (`_seq`): counters derive from it.
    var event: UInt64 = 0
    /// The number of the unit (event or bundle) the event belongs to: random draws are seeded
    /// from it (`RandomKey.generator(event:)`), and `stamp` tells units apart.
    var unit: UInt64 = 0
    var stamp: UInt64 = 0
    /// The zone timestamps and rates are read in.
    let zone: TimeZoneSetting
    /// The per-event (per-bundle) row cache shared by every mvfile / file:col token.
    let rows: SharedRows
    private var civilSecond: Int64 = .min
    private var civilCache: CivilTime?

    init(time: EventTime, zone: TimeZoneSetting, rows: SharedRows) {
        self.time = time
        self.zone = zone
        self.rows = rows
    }

    /// The context of an event of `set`'s current unit.
    init(time: EventTime, event: UInt64, set: TokenSet) {
        self.init(time: time, zone: set.zone, rows: set.rows)
        self.event = event
        unit = set.unitNumber
        stamp = set.unitStamp
    }

    /// The event time's wall-clock reading in the zone (computed once per second).
    mutating func civil() -> CivilTime {
        let s = time.seconds
        if s != civilSecond || civilCache == nil {
            civilCache = zone.civil(time)
            civilSecond = s
        }
        return civilCache!
    }
}

/// eventgen's `mvhash`: the row of each multi-column file chosen for the current event or bundle,
/// so every token naming the same file in one event (or bundle) gets the same row. The rows of
/// unit `n` are drawn from `key.generator(event: n)`, in the order the files are first used.
/// (Its state is `@exclusivity(unchecked)`: read per event, never accessed re-entrantly.)
final class SharedRows {
    @exclusivity(unchecked) private var generationOf: [Int] = []
    @exclusivity(unchecked) private var rowOf: [Int] = []
    @exclusivity(unchecked) private var generation = 1
    @exclusivity(unchecked) private var seeded = 0
    @exclusivity(unchecked) private var unit: UInt64 = 0
    private let key: RandomKey
    @exclusivity(unchecked) private var rng: SeededRandom

    init(key: RandomKey) {
        self.key = key
        rng = key.generator(event: 0)
    }

    /// Starts event or bundle number `unit`: every file gets a fresh row on its next use.
    func beginUnit(_ unit: UInt64) {
        generation &+= 1
        self.unit = unit
    }

    /// The row of file `id` (which has `count` rows) for the current unit.
    @inline(__always)
    func row(file id: Int, count: Int) -> Int {
        if id >= generationOf.count {
            generationOf.append(contentsOf: repeatElement(0, count: id + 1 - generationOf.count))
            rowOf.append(contentsOf: repeatElement(0, count: id + 1 - rowOf.count))
        }
        if generationOf[id] != generation {
            generationOf[id] = generation
            if seeded != generation { rng = key.generator(event: unit); seeded = generation }
            rowOf[id] = rng.index(count)
        }
        return rowOf[id]
    }
}
