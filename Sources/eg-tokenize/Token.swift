import Core
import Foundation

/// One compiled token of a sample: its regex, what it is replaced with, and its random key (the
/// draws of each unit come from `key.generator(event: unit)`, seeded on the unit's first draw).
final class CompiledToken {
    let number: Int
    let pattern: String
    let regex: NSRegularExpression
    /// Group 1 is replaced when the regex has a group, else the whole match.
    let hasGroup: Bool
    /// The value generator (nil for `replaytimestamp`).
    let generator: ValueGenerator?
    /// The replaytimestamp logic (nil for every other type).
    let replay: ReplayTimestamp?
    /// `token.N.jsonSafe`: true/false forces JSON escaping of values on or off; nil = automatic.
    let jsonSafe: Bool?
    /// Where errors about this token point: `token 3 of [stanza]`.
    let location: String
    /// The call site's key: `<sample>/token.<n>` under the run's seed.
    let key: RandomKey
    /// The current unit's draws, this event's value (raw: the bytes of `value` from `valueStart`
    /// on, see `generate`), and the value JSON-escaped when the line needs it. Per-event state lives behind stable pointers (`State`) so the hot path pays
    /// no dynamic exclusivity check (`swift_beginAccess`) per access, as class `var`s would.
    var rng: SeededRandom {
        unsafeAddress { UnsafePointer(state.rng) }
        unsafeMutableAddress { state.rng }
    }
    var value: [UInt8] {
        unsafeAddress { UnsafePointer(state.value) }
        unsafeMutableAddress { state.value }
    }
    var escapedValue: [UInt8] {
        unsafeAddress { UnsafePointer(state.escapedValue) }
        unsafeMutableAddress { state.escapedValue }
    }
    private let state: State

    init(number: Int, pattern: String, regex: NSRegularExpression, generator: ValueGenerator?,
         replay: ReplayTimestamp?, jsonSafe: Bool?, location: String, key: RandomKey) {
        self.number = number
        self.pattern = pattern
        self.regex = regex
        self.hasGroup = regex.numberOfCaptureGroups > 0
        self.generator = generator
        self.replay = replay
        self.jsonSafe = jsonSafe
        self.location = location
        self.key = key
        self.state = State(rng: key.generator(event: 0))
        value.reserveCapacity(64)
    }

    /// Heap cells for the token's mutable per-event state, owned by the token.
    struct State {
        let rng: UnsafeMutablePointer<SeededRandom>
        let value: UnsafeMutablePointer<[UInt8]>
        let escapedValue: UnsafeMutablePointer<[UInt8]>
        /// The unit stamp `rng` was seeded for (0: none yet).
        let stamp: UnsafeMutablePointer<UInt64>
        /// Where this event's value begins in `value`.
        let start: UnsafeMutablePointer<Int>

        init(rng r: SeededRandom) {
            rng = .allocate(capacity: 1); rng.initialize(to: r)
            stamp = .allocate(capacity: 1); stamp.initialize(to: 0)
            start = .allocate(capacity: 1); start.initialize(to: 0)
            value = .allocate(capacity: 1); value.initialize(to: [])
            escapedValue = .allocate(capacity: 1); escapedValue.initialize(to: [])
        }

        func free() {
            rng.deinitialize(count: 1); rng.deallocate()
            value.deinitialize(count: 1); value.deallocate()
            escapedValue.deinitialize(count: 1); escapedValue.deallocate()
            stamp.deallocate()
            start.deallocate()
        }
    }

    deinit { state.free() }

    /// Whether values of this token are JSON-escaped on a line whose automatic choice is `auto`.
    @inline(__always)
    func escapes(auto: Bool) -> Bool { jsonSafe ?? auto }

    /// Seeds `rng` for the context's unit unless it already is: the unit's first draw of this
    /// token starts from `key.generator(event: unit)`, later ones continue in order.
    @inline(__always)
    func seed(for ctx: EventContext) {
        if state.stamp.pointee != ctx.stamp {
            state.rng.pointee = key.generator(event: ctx.unit)
            state.stamp.pointee = ctx.stamp
        }
    }

    /// Generates this event's value, appended to `value` after the values before it: an array's
    /// `removeAll` per event costs more than a short value, so `value` starts afresh only once it
    /// holds `valueRoom` bytes, or when a hook (which rewrites the whole array) is set.
    @inline(__always)
    func generate(_ ctx: inout EventContext, escape: Bool, hook: ValueHook?) {
        seed(for: ctx)
        if hook != nil || value.count > CompiledToken.valueRoom { value.removeAll(keepingCapacity: true) }
        state.start.pointee = value.count
        // The token holds its generator: no retain around the call (unowned(unsafe)).
        unowned(unsafe) let g = generator!
        g.append(&ctx, &rng, to: &value)
        if let hook { hook.adjust(token: number, value: &value, context: &ctx) }
        if escape {
            escapedValue.removeAll(keepingCapacity: true)
            withValue { JSONWriter.appendEscaped(bytes: $0, to: &escapedValue) }
        }
    }

    static let valueRoom = 4096

    /// Runs `body` on the bytes `generate` made last (valid during the call).
    @inline(__always)
    func withValue<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let s = state.start.pointee
        return value.withUnsafeBufferPointer { body(UnsafeBufferPointer(rebasing: $0[s...])) }
    }

    /// How many bytes `generate` made last.
    @inline(__always)
    var valueCount: Int { value.count &- state.start.pointee }

    /// The bytes last generated, escaped or not.
    func current(escape: Bool) -> [UInt8] { escape ? escapedValue : withValue { Array($0) } }

    /// Whether the regex matches anywhere in `value` (a probe value of a slot), remembered per value:
    /// the line compiler asks this for the same probe values on every line.
    func matchesInside(_ value: String) -> Bool {
        if let m = probeMatches[value] { return m }
        let m = regex.firstMatch(in: value, range: NSRange(location: 0, length: (value as NSString).length)) != nil
        if probeMatches.count >= 4096 { probeMatches.removeAll() }
        probeMatches[value] = m
        return m
    }
    private var probeMatches: [String: Bool] = [:]

    /// The replaced ranges (UTF-16) of every match in `text`: group 1 when there is a group
    /// (matches where it did not take part are skipped), else the whole match.
    func replacedRanges(in text: String) -> [NSRange] {
        let ns = text as NSString
        return regex.matches(in: text, range: NSRange(location: 0, length: ns.length)).compactMap { m in
            let r = hasGroup ? m.range(at: 1) : m.range
            return r.location == NSNotFound ? nil : r
        }
    }
}

