import Core

/// A sample's pool, each event's JSON encoded once into bytes without its closing brace, so that
/// emitting an event is a copy plus number formatting: `<prefix>,"_time":<t>[,"_bundle":k]
/// [,"index":"..."][,"anomaly":"..."]}\n`.
///
/// Fields dropped from the pool record: `_time` (the csv string form is replaced by the number),
/// `_bundle`, and `index` when `extendIndexes` chooses one per event.
public final class EncodedPool {
    /// Every event's prefix, back to back.
    var bytes: [UInt8] = []
    /// Start of event k's prefix in `bytes`; `offsets[count]` is the end.
    var offsets: [Int] = [0]
    /// Whether event k's prefix has at least one field (a comma is needed before `_time`).
    var hasFields: [Bool] = []
    /// `_raw` bytes + 1 (the line end) of each event: what perDayVolume measures.
    var sizes: [Int] = []
    /// `,"index":"<name>"` for each extendIndexes choice.
    var indexFields: [[UInt8]] = []
    /// `,"anomaly":"<id>"` for each tag (issue 8).
    public var tagFields: [[UInt8]] = []
    /// The records, kept for replay's time parsing and the ad-hoc sample field.
    public let records: [Record]
    /// Where each record was read (`stdin:5`), for messages.
    public let locations: [String]
    /// The sum of `sizes`: one bundle's bytes.
    public private(set) var totalSize = 0

    public var count: Int { sizes.count }
    /// Whether each event is a cycle of a jinja stanza: events then carry
    /// `"_cycle":[k,n,earliest,latest]` (their number in the interval, the interval's count and window).
    public var marksCycles = false

    /// Encodes `records`; `extendIndexes` moves `index` to a per-event choice; `addSample` sets a
    /// missing `sample` field (ad-hoc samples named with `--sample`).
    public init(records: [Record], locations: [String], extendIndexes: [String] = [], addSample: String? = nil) {
        self.records = records
        self.locations = locations
        for name in extendIndexes {
            var f: [UInt8] = Array(",\"index\":".utf8)
            JSONWriter.appendString(name, to: &f)
            indexFields.append(f)
        }
        for var r in records {
            r["_time"] = nil
            r["_bundle"] = nil
            if !extendIndexes.isEmpty { r["index"] = nil }
            if let addSample, r["sample"] == nil { r["sample"] = .string(addSample) }
            var line: [UInt8] = []
            JSONWriter.appendObject(r.fields, to: &line)
            line.removeLast()  // the closing brace
            bytes.append(contentsOf: line)
            offsets.append(bytes.count)
            hasFields.append(!r.fields.isEmpty)
            let size = (r.raw?.utf8.count ?? 0) + 1
            sizes.append(size)
            totalSize += size
        }
    }

    @inline(__always)
    public func size(_ k: Int) -> Int { sizes[k] }

    /// Appends event `k` with `_time = micros` and the optional extras.
    @inline(__always)
    public func append(_ k: Int, time micros: Int64, bundle: Int64?, indexChoice: Int32, tag: Int32,
                       cycle: (Int, Int, Int64, Int64)? = nil, to out: inout [UInt8]) {
        bytes.withUnsafeBufferPointer { b in
            out.append(contentsOf: UnsafeBufferPointer(rebasing: b[offsets[k]..<offsets[k + 1]]))
        }
        if hasFields[k] { out.append(UInt8(ascii: ",")) }
        out.append(contentsOf: EncodedPool.timeKey)
        EncodedPool.appendMicros(micros, to: &out)
        if let bundle {
            out.append(contentsOf: EncodedPool.bundleKey)
            EpochText.appendDecimal(UInt64(bundle), to: &out)
        }
        if indexChoice >= 0 { out.append(contentsOf: indexFields[Int(indexChoice)]) }
        if tag >= 0 && Int(tag) < tagFields.count { out.append(contentsOf: tagFields[Int(tag)]) }
        if let (i, n, lo, hi) = cycle {
            out.append(contentsOf: EncodedPool.cycleKey)
            EpochText.appendDecimal(UInt64(i), to: &out); out.append(UInt8(ascii: ","))
            EpochText.appendDecimal(UInt64(n), to: &out); out.append(UInt8(ascii: ","))
            EncodedPool.appendMicros(lo, to: &out); out.append(UInt8(ascii: ","))
            EncodedPool.appendMicros(hi, to: &out); out.append(UInt8(ascii: "]"))
        }
        out.append(UInt8(ascii: "}"))
        out.append(0x0A)
    }

    static let timeKey: [UInt8] = Array("\"_time\":".utf8)
    static let bundleKey: [UInt8] = Array(",\"_bundle\":".utf8)
    static let cycleKey: [UInt8] = Array(",\"_cycle\":[".utf8)

    /// Epoch seconds with the microseconds kept and trailing zeros trimmed (`1700000000.25`).
    @inline(__always)
    static func appendMicros(_ micros: Int64, to out: inout [UInt8]) {
        var m = micros
        if m < 0 { out.append(UInt8(ascii: "-")); m = -m }
        EpochText.appendDecimal(UInt64(m / 1_000_000), to: &out)
        var frac = Int(m % 1_000_000)
        guard frac != 0 else { return }
        out.append(UInt8(ascii: "."))
        var width = 6
        while frac % 10 == 0 { frac /= 10; width -= 1 }
        var div = 1
        for _ in 1..<width { div *= 10 }
        while div > 0 { out.append(0x30 + UInt8(frac / div % 10)); div /= 10 }
    }
}
