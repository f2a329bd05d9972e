/// A per-second cache of a `Strftime` output for one zone: the hot-path helper.
///
/// Events generated in the same second share the text; formats with `%f` bypass the cache.
public struct StrftimeCache: Sendable {
    /// The compiled format.
    public let strftime: Strftime
    /// The zone the output is written in.
    public let zone: TimeZoneSetting
    var lastSecond: Int64 = .min
    var bytes: [UInt8] = []

    /// A cache for `strftime` output in `zone`.
    public init(_ strftime: Strftime, zone: TimeZoneSetting) {
        self.strftime = strftime
        self.zone = zone
    }

    /// Appends the text of `t` to `out`, reusing the previous output when the second is the same.
    public mutating func append(_ t: EventTime, to out: inout [UInt8]) {
        if strftime.usesSubsecond { strftime.append(t, zone: zone, to: &out); return }
        let s = t.seconds
        if s != lastSecond {
            bytes.removeAll(keepingCapacity: true)
            strftime.append(t, zone: zone, to: &bytes)
            lastSecond = s
        }
        out.append(contentsOf: bytes)
    }

    /// The text of `t` as a String (through the cache).
    public mutating func format(_ t: EventTime) -> String {
        var out: [UInt8] = []
        append(t, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
