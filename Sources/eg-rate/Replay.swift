import Foundation
import Core

/// Reads an event's original time with the stanza's `timestamp`/`replaytimestamp` tokens: the
/// first token whose regex matches (group 1 if it has one) and whose format parses wins.
/// `replaytimestamp` may hold a JSON list of formats; `%s` is epoch; a missing year is `defaultYear`.
public struct ReplayTimeParser {
    struct Token {
        let regex: NSRegularExpression
        let formats: [Strptime]
    }
    let tokens: [Token]
    let zone: TimeZoneSetting
    let defaultYear: Int

    public init(settings: Settings, zone: TimeZoneSetting, defaultYear: Int) throws {
        var tokens: [Token] = []
        for t in try settings.tokens() where t.type == "timestamp" || t.type == "replaytimestamp" {
            let context = "token \(t.number) of [\(settings.stanza)]"
            let regex = try PythonRegex.compile(t.pattern, context: context)
            tokens.append(Token(regex: regex, formats: try ReplayTimeParser.formats(t.replacement, context: context).map(Strptime.init)))
        }
        self.tokens = tokens
        self.zone = zone
        self.defaultYear = defaultYear
    }

    /// One format, or a JSON list of formats.
    static func formats(_ replacement: String, context: String) throws -> [String] {
        let r = replacement.trimmingCharacters(in: .whitespaces)
        guard r.hasPrefix("[") else { return [replacement] }
        guard case .array(let items)? = try? JSONParser.parse(r) else {
            throw EgError.config(at: context, "replacement '\(replacement)' starts with '[' but is not a JSON list of formats")
        }
        return try items.map {
            guard let s = $0.stringValue else {
                throw EgError.config(at: context, "replacement '\(replacement)': every format in the list must be a string")
            }
            return s
        }
    }

    /// Whether any timestamp token is configured.
    public var isEmpty: Bool { tokens.isEmpty }

    /// The time in `text`, or nil.
    public func parse(_ text: String) -> EventTime? {
        let ns = text as NSString
        for token in tokens {
            guard let m = token.regex.firstMatch(in: text, range: NSRange(location: 0, length: ns.length)) else { continue }
            var range = m.range
            if m.numberOfRanges > 1, m.range(at: 1).location != NSNotFound { range = m.range(at: 1) }
            let found = ns.substring(with: range)
            for f in token.formats {
                if let t = f.parse(found, zone: zone, defaultYear: defaultYear) { return t }
                // eventgen strips a trailing +hhmm the format does not read.
                if let t = ReplayTimeParser.stripOffset(found).flatMap({ f.parse($0, zone: zone, defaultYear: defaultYear) }) {
                    return t
                }
            }
        }
        return nil
    }

    static func stripOffset(_ s: String) -> String? {
        let b = Array(s.utf8)
        guard b.count > 5 else { return nil }
        let tail = b[(b.count - 5)...]
        guard tail.first == UInt8(ascii: "+") || tail.first == UInt8(ascii: "-"),
              tail.dropFirst().allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        var head = b[..<(b.count - 5)]
        while head.last == 32 { head = head.dropLast() }
        return String(decoding: head, as: UTF8.self)
    }
}

/// One replay pass: the events with a parsable time, in order, at their offsets from the pass start
/// (each gap to the previous event × `timeMultiple`).
public struct ReplayTimeline: Sendable {
    /// Pool indices of the replayed events.
    public var items: [Int32] = []
    /// Offset of each event from the pass start, in microseconds.
    public var offsets: [Int64] = []
    /// Events without a parsable time (reported, not replayed).
    public var unparsed = 0
    /// The first such event: its location and text.
    public var firstUnparsed: String?
    /// Events earlier than the one before them (their gap counts as 0).
    public var negativeGaps = 0

    /// The offset of the last event: a pass's length.
    public var duration: Int64 { offsets.last ?? 0 }

    public init() {}

    /// Parses every pool event's time from `timeField` and builds the pass.
    public init(pool: EncodedPool, timeField: String, parser: ReplayTimeParser, timeMultiple: Double) {
        var previous: EventTime?
        var offset: Int64 = 0
        for (k, r) in pool.records.enumerated() {
            guard let text = r.string(timeField), let t = parser.parse(text) else {
                unparsed += 1
                if firstUnparsed == nil {
                    let shown = r.string(timeField).map { $0.count > 80 ? String($0.prefix(80)) + "..." : $0 } ?? "(no \(timeField) field)"
                    firstUnparsed = "\(pool.locations[k]): \(shown)"
                }
                continue
            }
            if let p = previous {
                let gap = t.micros - p.micros
                if gap < 0 { negativeGaps += 1 } else { offset += Int64((Double(gap) * timeMultiple).rounded()) }
            }
            previous = t
            items.append(Int32(k))
            offsets.append(offset)
        }
    }
}

/// Replay mode: passes over the timeline, pass k starting at `anchor + k × (duration + interval)`;
/// backfill replays earlier passes back to the backfill start; `end = N` is N passes, `end = TIME`
/// stops at TIME. Each event is released at its own time, so each waits its own gap.
public final class ReplaySource: BatchSource {
    public let sample: Int
    let plan: SamplePlan
    let timeline: ReplayTimeline
    let shard: Shard
    let anchor: EventTime
    let period: Int64
    let historyStart: EventTime?
    var pass: Int64
    var seq: Int64 = 0

    public init(plan: SamplePlan, timeline: ReplayTimeline, timing: RunTiming, shard: Shard) {
        sample = plan.index
        self.plan = plan
        self.timeline = timeline
        self.shard = shard
        let pause = Int64(plan.intervalSeconds) * 1_000_000
        period = max(timeline.duration + pause, 1_000_000)
        if let start = timing.start {
            anchor = start
            historyStart = nil
            pass = 0
        } else {
            anchor = timing.now + plan.delayMicros
            if let b = plan.backfill?.resolve(now: timing.now, zone: plan.zone), b < anchor {
                historyStart = b
                pass = -((anchor.micros - b.micros + period - 1) / period)
            } else {
                historyStart = nil
                pass = 0
            }
        }
    }

    func passStart(_ k: Int64) -> EventTime { anchor + k * period }

    public var nextStart: EventTime? {
        guard !timeline.items.isEmpty else { return nil }
        let s = passStart(pass)
        switch plan.end {
        case .forever: break
        case .intervals(let n): if n == 0 || pass >= Int64(n) { return nil }
        case .time(let e): if s >= e { return nil }
        }
        if pass < 0, let h = historyStart, s < h { return h }
        return s
    }

    public func nextBatch() -> Batch {
        let s = passStart(pass)
        pass += 1
        var units: [EventUnit] = []
        var generated = 0
        for (k, item) in timeline.items.enumerated() {
            let t = s + timeline.offsets[k]
            if let h = historyStart, t < h { continue }
            if pass <= 0, t >= anchor { continue }  // a history pass stops where the run starts
            if case .time(let e) = plan.end, t >= e { break }
            generated += 1
            let u = EventUnit(time: t.micros, release: t.micros, item: item, seq: seq)
            seq += 1
            if shard.keeps(u.seq, sample: sample) { units.append(u) }
        }
        return Batch(sample: sample, tick: s, units: units, generated: generated)
    }
}
