import Core

/// The compiled fast path for one distinct pool line: literal byte segments and token slots, so
/// an event costs only its values and a few copies (no regex). Built by `LinePlanCompiler`.
final class LinePlan {
    /// One piece of the output: literal bytes, a token's value, or one replaytimestamp match.
    struct Segment {
        enum Kind: UInt8 { case literal, slot, replay }
        var kind: Kind
        /// Token index (slot) or replay slot index (replay).
        var index: Int
        var rawStart = 0, rawEnd = 0, escStart = 0, escEnd = 0
    }

    /// One replaytimestamp match of the line: its token and original time.
    struct ReplaySlot {
        var token: Int
        var original: ReplayOriginal
    }

    /// Literal bytes as they are, and escaped for a JSON string in the stream.
    let raw: [UInt8]
    let escaped: [UInt8]
    let segments: [Segment]
    /// Tokens that have slots (dynamic or replay), in token order: their values are generated per event.
    let used: [Int]
    let replaySlots: [ReplaySlot]
    /// Per token: whether its values are JSON-escaped on this line.
    let escapes: [Bool]
    /// The first replay original that states its year (the bundle's reference for year-less ones).
    let firstDated: EventTime?

    init(raw: [UInt8], segments: [Segment], used: [Int], replaySlots: [ReplaySlot], escapes: [Bool]) {
        self.raw = raw
        var esc: [UInt8] = []
        var segs = segments
        raw.withUnsafeBufferPointer { r in
            for k in segs.indices where segs[k].kind == .literal {
                segs[k].escStart = esc.count
                JSONWriter.appendEscaped(bytes: UnsafeBufferPointer(rebasing: r[segs[k].rawStart..<segs[k].rawEnd]), to: &esc)
                segs[k].escEnd = esc.count
            }
        }
        self.escaped = esc
        self.segments = segs
        self.used = used
        self.replaySlots = replaySlots
        self.escapes = escapes
        self.firstDated = replaySlots.lazy.compactMap { $0.original.fixed }.first
    }

    /// Whether the plan is just the line itself (no token touches it).
    var isLiteral: Bool { used.isEmpty }

    /// Generates this event's values (token order, as the sequential path draws them); returns
    /// the first replaced replaytimestamp time, if any.
    func run(_ set: TokenSet, ctx: inout EventContext) -> EventTime? {
        var firstReplay: EventTime?
        if !replaySlots.isEmpty {
            set.replayBuffer.removeAll(keepingCapacity: true)
            if set.replayStart.count < replaySlots.count {
                set.replayStart = [Int](repeating: 0, count: replaySlots.count)
                set.replayEnd = set.replayStart
                set.replayInstant = [EventTime](repeating: EventTime(micros: 0), count: replaySlots.count)
            }
        }
        for ti in used {
            // `set` holds its tokens for the whole call: no retain of each (unowned(unsafe)).
            unowned(unsafe) let t = set.tokens[ti]
            if let rt = t.replay {
                var first: EventTime?
                var last = EventTime(micros: .min)
                for k in replaySlots.indices where replaySlots[k].token == ti {
                    let i = rt.instant(replaySlots[k].original)
                    set.replayInstant[k] = i
                    if first == nil { first = i }
                    if i > last { last = i }
                }
                guard let f = first else { continue }
                t.seed(for: ctx)
                let off = rt.offset(first: f, last: last, eventTime: ctx.time, rng: &t.rng)
                for k in replaySlots.indices where replaySlots[k].token == ti {
                    let start = set.replayBuffer.count
                    let printer = rt.printers[replaySlots[k].original.format]
                    if escapes[ti] {
                        set.scratch.removeAll(keepingCapacity: true)
                        printer.append(set.replayInstant[k] + off, zone: rt.zone, to: &set.scratch)
                        set.scratch.withUnsafeBufferPointer { JSONWriter.appendEscaped(bytes: $0, to: &set.replayBuffer) }
                    } else {
                        printer.append(set.replayInstant[k] + off, zone: rt.zone, to: &set.replayBuffer)
                    }
                    set.replayStart[k] = start
                    set.replayEnd[k] = set.replayBuffer.count
                }
                if firstReplay == nil { firstReplay = f + off }
            } else {
                // Values stay unescaped here: `appendEscaped` escapes them twice in one pass.
                t.generate(&ctx, escape: false, hook: set.valueHook)
            }
        }
        return firstReplay
    }

    /// The room `writeEscaped` needs after `run`: the literals, each slot's value escaped twice
    /// at worst, each replay match escaped, and the word stores' slack.
    func escapedBound(_ set: TokenSet) -> Int {
        var n = escaped.count &+ 8
        for s in segments {
            switch s.kind {
            case .literal: break
            case .slot: n &+= JSONSafe.boundTwice(set.tokens[s.index].valueCount)
            case .replay: n &+= LinePlan.replayBound(set, s.index)
            }
        }
        return n
    }

    /// Writes the line (after `run`) escaped for the stream's `_raw` JSON string at `d`, which has
    /// room for `escapedBound` bytes; returns the end of what was written.
    func writeEscaped(_ set: TokenSet, to d: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        var o = d
        escaped.withUnsafeBufferPointer { esc in
            for s in segments {
                switch s.kind {
                case .literal:
                    let n = s.escEnd &- s.escStart
                    if n > 0 { o.update(from: esc.baseAddress! + s.escStart, count: n) }
                    o += n
                case .slot:
                    let twice = escapes[s.index]
                    set.tokens[s.index].withValue {
                        o += twice ? JSONSafe.writeEscapedTwice($0, to: o) : JSONEscaper.write(escaping: $0, to: o)
                    }
                case .replay:
                    o += LinePlan.writeReplayEscaped(set, s.index, to: o)
                }
            }
        }
        return o
    }

    /// Appends what `writeEscaped` writes (the Record path).
    func appendEscaped(_ set: TokenSet, to out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: escapedBound(set)) { b in
            let d = b.baseAddress!
            out.append(contentsOf: UnsafeBufferPointer(start: d, count: writeEscaped(set, to: d) - d))
        }
    }

    /// Out of line so the replay buffers are only touched (and access-checked) on replay lines.
    @inline(never)
    static func replayBound(_ set: TokenSet, _ k: Int) -> Int {
        JSONEscaper.bound(set.replayEnd[k] &- set.replayStart[k])
    }

    @inline(never)
    static func writeReplayEscaped(_ set: TokenSet, _ k: Int, to d: UnsafeMutablePointer<UInt8>) -> Int {
        set.replayBuffer.withUnsafeBufferPointer {
            JSONEscaper.write(escaping: UnsafeBufferPointer(rebasing: $0[set.replayStart[k]..<set.replayEnd[k]]), to: d)
        }
    }

    /// Appends the line (after `run`) as plain bytes (what `_raw` holds).
    func appendRaw(_ set: TokenSet, to out: inout [UInt8]) {
        for s in segments {
            switch s.kind {
            case .literal: out.append(contentsOf: raw[s.rawStart..<s.rawEnd])
            case .slot:
                let t = set.tokens[s.index]
                t.withValue {
                    if escapes[s.index] { JSONWriter.appendEscaped(bytes: $0, to: &out) } else { out.append(contentsOf: $0) }
                }
            case .replay: out.append(contentsOf: set.replayBuffer[set.replayStart[s.index]..<set.replayEnd[s.index]])
            }
        }
    }
}
