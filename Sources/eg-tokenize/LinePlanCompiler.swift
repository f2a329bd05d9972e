import Core
import Foundation

/// Compiles a pool line into a `LinePlan` by running the tokens one by one on it with marker
/// bookkeeping: the line is kept as literal pieces and slots; each token's regex runs over the
/// line with the slots rendered, and its matches become new slots (static values are inlined as
/// literal text, since they are the same for every event).
///
/// A later token could match text an earlier token produced, or a match could overlap a slot.
/// The compiler gives up (nil: use the sequential path for this line) when, conservatively:
/// - a match touches or overlaps a slot, or
/// - the token's regex matches inside any value a present slot can take (probe values), or
/// - rendering the slots with different probe values changes where the token matches.
enum LinePlanCompiler {
    private enum Piece {
        case literal(String)
        case slot(Int)
        case replay(Int)
        var isLiteral: Bool { if case .literal = self { return true }; return false }
    }

    /// A match located in literal-piece coordinates (UTF-16 offsets inside the piece).
    private struct Located: Equatable {
        var piece: Int
        var wholeStart: Int, wholeEnd: Int
        var repStart: Int, repEnd: Int   // repStart == -1: group 1 did not take part
    }

    static let maxRenderings = 24

    static func compile(_ line: String, set: TokenSet) -> LinePlan? {
        let auto = JSONSafe.isJSONObject(line)
        let escapes = set.tokens.map { $0.escapes(auto: auto) }
        var pieces: [Piece] = [.literal(line)]
        var replay: [LinePlan.ReplaySlot] = []
        var probes: [[String]?] = Array(repeating: nil, count: set.tokens.count)
        var replayProbes: [[String]] = []

        func slotProbes(_ ti: Int) -> [String] {
            if let p = probes[ti] { return p }
            var p = set.tokens[ti].generator?.probes() ?? []
            if p.isEmpty { p = [""] }
            if escapes[ti] { p = p.map(JSONSafe.escape) }
            probes[ti] = p
            return p
        }

        for (ti, t) in set.tokens.enumerated() {
            let hasSlots = pieces.contains { !$0.isLiteral }
            var renderings = 1
            if hasSlots {
                // The regex must not match inside any value a slot can take.
                for piece in pieces {
                    let values: [String]
                    switch piece {
                    case .literal: continue
                    case .slot(let k): values = slotProbes(k)
                    case .replay(let r): values = replayProbes[r]
                    }
                    for v in values where t.matchesInside(v) {
                        return nil
                    }
                    renderings = max(renderings, min(values.count, maxRenderings))
                }
            }
            var baseline: [Located] = []
            for p in 0..<renderings {
                var text = ""
                var bounds: [(start: Int, end: Int)] = []
                var pos = 0
                for piece in pieces {
                    let s: String
                    switch piece {
                    case .literal(let l): s = l
                    case .slot(let k): let v = slotProbes(k); s = v[p % v.count]
                    case .replay(let r): let v = replayProbes[r]; s = v[p % v.count]
                    }
                    let n = s.utf16.count
                    bounds.append((pos, pos + n))
                    pos += n
                    text += s
                }
                var found: [Located] = []
                for m in t.regex.matches(in: text, range: NSRange(location: 0, length: pos)) {
                    let w = m.range
                    guard let k = bounds.indices.first(where: {
                        pieces[$0].isLiteral && bounds[$0].start <= w.location && w.location + w.length <= bounds[$0].end
                    }) else { return nil }
                    if k > 0, w.location == bounds[k].start { return nil }
                    if k + 1 < pieces.count, w.location + w.length == bounds[k].end { return nil }
                    let r = t.hasGroup ? m.range(at: 1) : w
                    let base = bounds[k].start
                    found.append(Located(piece: k, wholeStart: w.location - base, wholeEnd: w.location + w.length - base,
                                         repStart: r.location == NSNotFound ? -1 : r.location - base,
                                         repEnd: r.location == NSNotFound ? -1 : r.location + r.length - base))
                }
                if p == 0 { baseline = found } else if found != baseline { return nil }
            }
            let replacing = baseline.filter { $0.repStart >= 0 }
            if replacing.isEmpty { continue }

            // Apply: split the literal pieces at the replaced ranges.
            let staticValue: String? = t.generator?.isStatic == true
                ? String(decoding: { () -> [UInt8] in
                    var ctx = EventContext(time: EventTime(micros: 0), zone: .utc, rows: set.rows)
                    var out: [UInt8] = []
                    t.generator!.append(&ctx, &t.rng, to: &out)
                    if escapes[ti] { var e: [UInt8] = []; JSONSafe.escape(out, into: &e); return e }
                    return out
                }(), as: UTF8.self) : nil
            var next: [Piece] = []
            for (k, piece) in pieces.enumerated() {
                let ms = replacing.filter { $0.piece == k }
                guard case .literal(let l) = piece, !ms.isEmpty else { next.append(piece); continue }
                let ns = l as NSString
                var cursor = 0
                for m in ms {
                    next.append(.literal(ns.substring(with: NSRange(location: cursor, length: m.repStart - cursor))))
                    let original = ns.substring(with: NSRange(location: m.repStart, length: m.repEnd - m.repStart))
                    if let sv = staticValue {
                        next.append(.literal(sv))
                    } else if let rt = t.replay {
                        if let o = rt.parse(original) {
                            replay.append(LinePlan.ReplaySlot(token: ti, original: o))
                            var pr = [escapes[ti] ? JSONSafe.escape(original) : original]
                            for s in rt.probeTexts(format: o.format) {
                                pr.append(escapes[ti] ? JSONSafe.escape(s) : s)
                            }
                            replayProbes.append(pr)
                            next.append(.replay(replay.count - 1))
                        } else {
                            next.append(.literal(original))
                        }
                    } else {
                        next.append(.slot(ti))
                    }
                    cursor = m.repEnd
                }
                next.append(.literal(ns.substring(from: cursor)))
            }
            // Merge neighbouring literals so later matches see whole literal runs.
            pieces = []
            for piece in next {
                if case .literal(let b) = piece, case .literal(let a)? = pieces.last {
                    pieces[pieces.count - 1] = .literal(a + b)
                } else if case .literal(let s) = piece, s.isEmpty {
                    continue
                } else {
                    pieces.append(piece)
                }
            }
        }

        var raw: [UInt8] = []
        var segments: [LinePlan.Segment] = []
        var used = Set<Int>()
        for piece in pieces {
            switch piece {
            case .literal(let l):
                let start = raw.count
                raw.append(contentsOf: l.utf8)
                segments.append(LinePlan.Segment(kind: .literal, index: 0, rawStart: start, rawEnd: raw.count))
            case .slot(let k):
                used.insert(k)
                segments.append(LinePlan.Segment(kind: .slot, index: k))
            case .replay(let r):
                used.insert(replay[r].token)
                segments.append(LinePlan.Segment(kind: .replay, index: r))
            }
        }
        return LinePlan(raw: raw, segments: segments, used: used.sorted(), replaySlots: replay, escapes: escapes)
    }
}
