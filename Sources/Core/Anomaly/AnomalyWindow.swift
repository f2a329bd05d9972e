import Foundation

/// An anomaly placed in time: its window `[start, end)` in microseconds, drawn (for `random`)
/// from the seed, and the envelope of its strength over the window.
public struct AnomalyWindow: Sendable, Equatable {
    public var start: Int64
    public var end: Int64

    public init(start: Int64, end: Int64) {
        self.start = start
        self.end = end
    }

    @inline(__always)
    public func contains(_ t: Int64) -> Bool { t >= start && t < end }

    /// Position of `t` in the window, 0 at the start, towards 1 at the end.
    @inline(__always)
    public func position(_ t: Int64) -> Double {
        end > start ? Double(t - start) / Double(end - start) : 0
    }

    /// Resolves `spec` over the generated span `[spanStart, spanEnd)`. `random` draws the start
    /// uniformly (at whole seconds) in `[spanStart + warmup × span, spanEnd − duration]` from
    /// `rng`; `end-<dur>` / `start+<dur>` count from the span's ends; anything else is a relative
    /// or absolute time read against `now`. A level shift lasts to the span's end.
    public static func place(_ spec: AnomalySpec, spanStart: Int64, spanEnd: Int64?, now: EventTime,
                             zone: TimeZoneSetting, rng: inout SeededRandom) throws -> AnomalyWindow {
        let loc = "anomaly \(spec.id)"
        let s = spec.start.trimmingCharacters(in: .whitespaces)
        let dur = spec.durationMicros
        var start: Int64
        if s == "random" {
            guard let spanEnd else {
                throw EgError.config(at: loc, "start = random needs a finite span: give end (or --end) so the anomaly can be placed")
            }
            let lo = spanStart + Int64((Double(spanEnd - spanStart) * spec.warmup).rounded(.up))
            let hi = spanEnd - (dur ?? 0)
            guard hi >= lo else {
                throw EgError.config(at: loc, "no room for a \(dur.map { "\($0 / 1_000_000)s" } ?? "") anomaly after the warm-up (\(spec.warmup) of the span): lengthen the span or shorten the duration")
            }
            // Whole seconds keep labels readable and the draw independent of sub-second noise.
            let loS = (lo + 999_999) / 1_000_000, hiS = hi / 1_000_000
            start = (hiS >= loS ? loS + Int64(rng.below(UInt64(hiS - loS) + 1)) : loS) * 1_000_000
        } else if s.hasPrefix("end-") || s.hasPrefix("start+") {
            let isEnd = s.hasPrefix("end-")
            guard let d = AnomalySpec.parseDuration(String(s.dropFirst(isEnd ? 4 : 6))) else {
                throw EgError.config(at: loc, "start: expected random, a time, end-<duration> or start+<duration>, found '\(s)'")
            }
            if isEnd {
                guard let spanEnd else { throw EgError.config(at: loc, "start = \(s) needs a finite span (end or --end)") }
                start = spanEnd - d
            } else {
                start = spanStart + d
            }
        } else {
            start = try RelativeTime.parse(s, at: loc + " start").resolve(now: now, zone: zone).micros
        }
        var end: Int64
        if spec.type == .levelShift {
            end = spanEnd ?? (dur.map { start + $0 } ?? Int64.max)
        } else {
            end = start + (dur ?? 30 * 60_000_000)
        }
        if let spanEnd, end > spanEnd { end = max(start, spanEnd) }
        return AnomalyWindow(start: start, end: end)
    }
}

/// Small helpers shared by the anomaly code of eg-rate and eg-tokenize.
public enum AnomalyText {
    /// RFC 3339 UTC with the microseconds when there are any: `2024-05-01T12:00:00Z`.
    public static func rfc3339(_ micros: Int64) -> String {
        let t = EventTime(micros: micros)
        let base = Strftime("%Y-%m-%dT%H:%M:%S").format(t, zone: .utc)
        let us = t.microsecond
        if us == 0 { return base + "Z" }
        var frac = String(us)
        frac = String(repeating: "0", count: 6 - frac.count) + frac
        return base + "." + frac + "Z"
    }

    /// FNV-1a 64 as 16 hex digits.
    public static func fnv1a(_ s: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// The never-seen value of a `new_value` anomaly without `values`: a TEST-NET-3 address
    /// (203.0.113.1-254) for IPv4 tokens, else `anomalous-<8 hex digits>`, from the seed and id.
    public static func newValue(ipv4: Bool, seed: UInt64, id: String) -> String {
        var rng = SeededRandom(seed: seed, stream: "anomaly/" + id + "/new")
        if ipv4 { return "203.0.113.\(1 + rng.below(254))" }
        let hex = String(rng.next() & 0xFFFF_FFFF, radix: 16)
        return "anomalous-" + String(repeating: "0", count: 8 - hex.count) + hex
    }

    /// Whether a token looks like it produces IPv4 addresses (replacement `ipv4`, or a regex
    /// or value shaped like a dotted quad).
    public static func looksIPv4(pattern: String?, replacement: String?) -> Bool {
        if replacement == "ipv4" { return true }
        if let p = pattern, p.contains("\\d{1,3}\\.") || p.contains("\\d+\\.\\d+\\.\\d+") { return true }
        return false
    }

    /// Whether `s` is a dotted quad.
    public static func isIPv4(_ s: String) -> Bool {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { p in !p.isEmpty && p.count <= 3 && p.allSatisfy { $0.isASCII && $0.isNumber } }
    }
}
