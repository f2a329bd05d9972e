import Core

/// `timestamp`: the event's `_time` formatted with a strftime format in the stanza's zone,
/// microseconds kept, `%s` exact. Output is cached per second when the format has no `%f`.
final class TimestampReplacement: ValueGenerator {
    /// The per-second cache, behind a stable pointer: no exclusivity check per event.
    private var cache: StrftimeCache {
        unsafeAddress { UnsafePointer(cell) }
        unsafeMutableAddress { cell }
    }
    private let cell: UnsafeMutablePointer<StrftimeCache>
    let strftime: Strftime

    init(format: String, zone: TimeZoneSetting) {
        strftime = Strftime(format)
        cell = .allocate(capacity: 1)
        cell.initialize(to: StrftimeCache(strftime, zone: zone))
    }

    deinit {
        cell.deinitialize(count: 1)
        cell.deallocate()
    }

    var isStatic: Bool { false }

    @inline(__always)
    func append(_ ctx: inout EventContext, _ rng: inout SeededRandom, to out: inout [UInt8]) {
        cache.append(ctx.time, to: &out)
    }

    func probes() -> [String] {
        let instants: [Int64] = [0, 1_000_000_000_123_456, 1_234_567_890_999_999, 1_700_000_000_000_001,
                                 1_704_067_199_999_999, 4_102_444_800_000_000, EventTime.now().micros]
        return instants.map { strftime.format(EventTime(micros: $0), zone: cache.zone) }
    }
}
