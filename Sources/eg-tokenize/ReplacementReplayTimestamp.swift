import Core
import Foundation

/// `replaytimestamp`, with the founding README's meaning: the replacement is one strptime/strftime
/// format or a JSON list of them; each match's original time is parsed with the first format that
/// reads the whole match; all matches of an event, or of a bundle, move by one offset (the event's
/// `_time` minus the first match's original time) so their spacing is kept; within a bundle, each
/// gap between consecutive events' times shrinks by a random 0-50% (a jitter that never makes the
/// transaction longer); each match is printed in the format it was read with.
final class ReplayTimestamp {
    let formats: [Strptime]
    let printers: [Strftime]
    let hasYear: [Bool]
    let zone: TimeZoneSetting

    // State of the current unit (one event, or one bundle).
    private var started = false
    private var offset: Int64 = 0
    private var lastOriginal: Int64 = 0
    private var lastShifted: Int64 = 0
    private var bundled = false
    /// The instant year-less matches are placed near (a dated match of the bundle, else the event time).
    private(set) var reference = EventTime(micros: 0)

    /// Probe instants the line compiler prints each match with, and their texts per format (cached).
    static let probeInstants: [Int64] = [0, 1_000_000_000_123_456, 1_234_567_890_999_999, 4_102_444_800_000_000]
    private var probeCache: [Int: [String]] = [:]

    /// The probe instants printed in format `format` (computed once per format).
    func probeTexts(format: Int) -> [String] {
        if let c = probeCache[format] { return c }
        let t = ReplayTimestamp.probeInstants.map { printers[format].format(EventTime(micros: $0), zone: zone) }
        probeCache[format] = t
        return t
    }

    init(spec: String, zone: TimeZoneSetting, location: String) throws {
        let list = try TokenTypes.replayFormats(spec, at: location)
        formats = list.map { Strptime($0) }
        printers = list.map { Strftime($0) }
        hasYear = list.map(ReplayTimestamp.formatHasYear)
        self.zone = zone
    }

    /// Whether a format states the year (otherwise the year is inferred from the reference).
    static func formatHasYear(_ f: String) -> Bool {
        let b = Array(f.utf8)
        var k = 0
        while k + 1 < b.count {
            if b[k] == 37 {
                var j = k + 1
                if j < b.count, "-_0^#".utf8.contains(b[j]) { j += 1 }
                if j < b.count, "YyGscDxF".utf8.contains(b[j]) { return true }
                k = j + 1
            } else { k += 1 }
        }
        return false
    }

    /// Reads a match's original time: the first format that parses all of it, or nil.
    func parse(_ text: String) -> ReplayOriginal? {
        for (k, f) in formats.enumerated() {
            if hasYear[k] {
                if let t = f.parse(text, zone: zone, defaultYear: 1900) { return ReplayOriginal(format: k, fixed: t, text: text) }
            } else if f.parse(text, zone: zone, defaultYear: 2000) != nil {
                return ReplayOriginal(format: k, fixed: nil, text: text)
            }
        }
        return nil
    }

    /// The instant of `o`, placing a year-less reading in the year nearest the reference.
    func instant(_ o: ReplayOriginal) -> EventTime {
        if let t = o.fixed { return t }
        let y = zone.civil(reference).year
        var best: EventTime?
        for year in [y - 1, y, y + 1] {
            let t: EventTime
            if let c = o.cache[year] { t = c } else {
                guard let p = formats[o.format].parse(o.text, zone: zone, defaultYear: year) else { continue }
                o.cache[year] = p
                t = p
            }
            if best == nil || abs(t.micros - reference.micros) < abs(best!.micros - reference.micros) { best = t }
        }
        return best ?? reference
    }

    /// Starts a new unit: a single event (`bundled` false) or a bundle; `reference` places year-less times.
    func beginUnit(reference: EventTime, bundled: Bool) {
        started = false
        self.reference = reference
        self.bundled = bundled
    }

    /// The offset for one event whose matches have original times from `first` (the first match)
    /// to `last` (the latest); `eventTime` is the event's `_time`.
    func offset(first: EventTime, last: EventTime, eventTime: EventTime, rng: inout SeededRandom) -> Int64 {
        if !started || !bundled {
            offset = eventTime.micros - first.micros
            started = true
        } else {
            let gap = first.micros - lastOriginal
            if gap > 0 {
                let jitter = Int64(rng.below(UInt64(gap / 2) + 1))
                offset = lastShifted + gap - jitter - first.micros
            }
        }
        lastOriginal = max(last.micros, first.micros)
        lastShifted = lastOriginal + offset
        return offset
    }
}

/// One match's original time, as read at compile time (kept in a line plan) or per event.
final class ReplayOriginal {
    /// Which format read it (and prints it).
    let format: Int
    /// The instant when the format has a year.
    let fixed: EventTime?
    let text: String
    /// Instants of a year-less reading by year.
    var cache: [Int: EventTime] = [:]

    init(format: Int, fixed: EventTime?, text: String) {
        self.format = format
        self.fixed = fixed
        self.text = text
    }
}
