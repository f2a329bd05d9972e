import Core
import Foundation

/// The reference path: the tokens applied one after the other with their regexes, exactly as
/// eventgen does. Used for lines that cannot be compiled (interacting tokens) and by the tests
/// that prove compiled plans give the same bytes.
extension TokenSet {
    /// Applies every token to `raw` for one event; returns the new text and the event's first
    /// replaced replaytimestamp time, if any.
    func applySequential(_ raw: String, ctx: inout EventContext) -> (text: String, firstReplay: EventTime?) {
        let auto = JSONSafe.isJSONObject(raw)
        var text = raw
        var firstReplay: EventTime?
        for t in tokens {
            let ranges = t.replacedRanges(in: text)
            if ranges.isEmpty { continue }
            let escape = t.escapes(auto: auto)
            let ns = NSMutableString(string: text)
            if let rt = t.replay {
                let originals = ranges.map { rt.parse(ns.substring(with: $0)) }
                let instants = originals.map { $0.map(rt.instant) }
                let parsed = instants.compactMap { $0 }
                guard let first = parsed.first, let last = parsed.max() else { continue }
                t.seed(for: ctx)
                let off = rt.offset(first: first, last: last, eventTime: ctx.time, rng: &t.rng)
                for k in stride(from: ranges.count - 1, through: 0, by: -1) {
                    guard let o = originals[k], let i = instants[k] else { continue }
                    let s = rt.printers[o.format].format(i + off, zone: rt.zone)
                    ns.replaceCharacters(in: ranges[k], with: escape ? JSONSafe.escape(s) : s)
                }
                if firstReplay == nil { firstReplay = first + off }
            } else {
                t.generate(&ctx, escape: escape, hook: valueHook)
                let v = String(decoding: t.current(escape: escape), as: UTF8.self)
                for r in ranges.reversed() { ns.replaceCharacters(in: r, with: v) }
            }
            text = ns as String
        }
        return (text, firstReplay)
    }
}
