/// A per-second cache of a `Strftime` output for one zone: the hot-path helper.
///
/// Events generated in the same second share the text; a format with sub-second fields (`%f`,
/// `%3f`) keeps the whole second's text and writes only those digits per call. Formats with
/// `%3s` / `%6s` (whose width can change within a second) bypass the cache.
public struct StrftimeCache: Sendable {
    /// The compiled format.
    public let strftime: Strftime
    /// The zone the output is written in.
    public let zone: TimeZoneSetting
    var lastSecond: Int64 = .min
    /// The last second's text, sub-second fields included (the last call's digits).
    var bytes: [UInt8] = []
    /// Where the sub-second fields are in `bytes`.
    var fields: [Strftime.SubsecondField] = []
    /// False when the format cannot be cached (`%3s`, `%6s`).
    let cacheable: Bool

    /// A cache for `strftime` output in `zone`.
    public init(_ strftime: Strftime, zone: TimeZoneSetting) {
        self.strftime = strftime
        self.zone = zone
        var probe: [UInt8] = []
        cacheable = strftime.appendWholeSecond(EventTime(micros: 0), zone: zone, to: &probe) != nil
    }

    /// Appends the text of `t` to `out`, reusing the previous output when the second is the same.
    @inline(__always)
    public mutating func append(_ t: EventTime, to out: inout [UInt8]) {
        guard cacheable else { strftime.append(t, zone: zone, to: &out); return }
        let s = t.seconds
        if s != lastSecond {
            bytes.removeAll(keepingCapacity: true)
            fields = strftime.appendWholeSecond(t, zone: zone, to: &bytes) ?? []
            lastSecond = s
        }
        if !fields.isEmpty { fillSubsecond(Int(t.micros &- s &* 1_000_000)) }
        out.append(contentsOf: bytes)
    }

    /// Writes microsecond `us`'s digits into the sub-second fields of `bytes`.
    @inline(__always)
    mutating func fillSubsecond(_ us: Int) {
        fields.withUnsafeBufferPointer { fs in
            bytes.withUnsafeMutableBufferPointer { b in
                for f in fs {
                    var v = us
                    var k = 6
                    while k > f.digits { v /= 10; k &-= 1 }
                    var q = f.at &+ f.digits
                    while q > f.at { q &-= 1; b[q] = 0x30 &+ UInt8(truncatingIfNeeded: v % 10); v /= 10 }
                }
            }
        }
    }

    /// The text of `t` as a String (through the cache).
    public mutating func format(_ t: EventTime) -> String {
        var out: [UInt8] = []
        append(t, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
