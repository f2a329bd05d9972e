import Core
import Foundation

/// `host.token` / `host.replacement`: a regex on the event's `host` field (group 1 when it has a
/// group) replaced by a random line (or column) of a file, drawn fresh for every event (from the
/// unit's generator of `key`, in event order within a bundle).
/// Match positions are computed once per distinct host value.
final class HostToken {
    let regex: NSRegularExpression
    let values: [[UInt8]]
    let key: RandomKey
    private var rng: SeededRandom
    private var stamp: UInt64 = 0
    private var ranges: [String: [NSRange]] = [:]

    init(regex: NSRegularExpression, values: [[UInt8]], key: RandomKey) {
        self.regex = regex
        self.values = values
        self.key = key
        rng = key.generator(event: 0)
    }

    /// The new host, or nil when the regex does not match `host`.
    func apply(_ host: String, _ ctx: EventContext) -> String? {
        let rs: [NSRange]
        if let r = ranges[host] { rs = r } else {
            let hasGroup = regex.numberOfCaptureGroups > 0
            rs = regex.matches(in: host, range: NSRange(location: 0, length: (host as NSString).length)).compactMap {
                let r = hasGroup ? $0.range(at: 1) : $0.range
                return r.location == NSNotFound ? nil : r
            }
            if ranges.count > 10_000 { ranges.removeAll() }
            ranges[host] = rs
        }
        guard !rs.isEmpty else { return nil }
        if stamp != ctx.stamp { rng = key.generator(event: ctx.unit); stamp = ctx.stamp }
        let value = String(decoding: values[rng.index(values.count)], as: UTF8.self)
        let ns = NSMutableString(string: host)
        for r in rs.reversed() { ns.replaceCharacters(in: r, with: value) }
        return ns as String
    }
}
