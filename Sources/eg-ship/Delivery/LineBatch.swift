import Core

/// A growable buffer of trivial values in manually managed memory: appends are a capacity check
/// and a copy, with no uniqueness or exclusivity checks (the per-event path of eg-ship).
struct RawVec<T> {
    private(set) var base: UnsafeMutablePointer<T>
    private(set) var count = 0
    private(set) var capacity: Int

    init(capacity: Int) {
        self.capacity = max(16, capacity)
        base = UnsafeMutablePointer<T>.allocate(capacity: self.capacity)
    }

    func deallocate() { base.deallocate() }

    @inline(__always)
    mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(count + extra) }
    }

    @inline(never)
    private mutating func grow(_ needed: Int) {
        var c = capacity * 2
        while c < needed { c *= 2 }
        let b = UnsafeMutablePointer<T>.allocate(capacity: c)
        b.moveInitialize(from: base, count: count)
        base.deallocate()
        base = b
        capacity = c
    }

    @inline(__always)
    mutating func append(_ v: T) {
        reserve(1)
        (base + count).initialize(to: v)
        count += 1
    }

    @inline(__always)
    mutating func append(_ p: UnsafeBufferPointer<T>) {
        guard let src = p.baseAddress, p.count > 0 else { return }
        reserve(p.count)
        (base + count).initialize(from: src, count: p.count)
        count += p.count
    }

    /// Room for `extra` more values: where they go. Write them, then `didAppend` how many.
    @inline(__always)
    mutating func reserveTail(_ extra: Int) -> UnsafeMutablePointer<T> {
        reserve(extra)
        return base + count
    }

    /// Counts `n` values written at `reserveTail`'s pointer (trivial types only).
    @inline(__always)
    mutating func didAppend(_ n: Int) { count += n }

    /// Drops the last `n` values.
    @inline(__always)
    mutating func removeLast(_ n: Int) { count -= n }

    mutating func removeAll() { count = 0 }

    @inline(__always)
    subscript(k: Int) -> T { base[k] }

    var buffer: UnsafeBufferPointer<T> { UnsafeBufferPointer(start: base, count: count) }
}

/// What a `LineBatch` writes of each event's `_raw`: the bytes its output (with its Eventum
/// formatter, if any) would write for the event.
enum LineShape {
    /// Trailing newlines removed and one `\n` added (`LineFormat.raw`).
    case line
    /// Exactly as it is, then these bytes (`LineFormat.separated`: an Eventum output's separator).
    case separated([UInt8])
    /// Laid out by an Eventum `json` formatter, then the separator.
    case json(JSONLayout, separator: [UInt8])

    /// The shape of what an output of `format` writes after `formatter`; nil when the output
    /// needs each event's `Record` (`--format json`, templates, json-batch).
    init?(format: LineFormat, formatter: EventumFormatter.Kind = .plain) {
        let separator: [UInt8]?
        switch format {
        case .raw: separator = nil
        case .separated(let s): separator = s
        case .json: return nil
        }
        switch formatter {
        case .plain: self = separator.map { .separated($0) } ?? .line
        // A laid-out text never ends in a newline: `.raw` adds just one.
        case .json(let indent): self = .json(JSONLayout(indent: indent), separator: separator ?? [0x0A])
        case .jsonBatch, .template: return nil
        }
    }
}

/// The byte-level batch of a `Delivery` whose output writes each event's `_raw` as bytes of its
/// own (stdout, file, devnull; plain or with an Eventum `json` formatter): each event is the
/// bytes its `LineShape` makes of the `_raw` string (decoded, or laid out, straight from the
/// record's escaped bytes) in one byte buffer, plus its original NDJSON record and line number,
/// kept only to report (and dead-letter) the events an output could not deliver. No `Record`, no
/// String. The buffers live behind one stable pointer (no exclusivity checks per event).
final class LineBatch {
    private struct Storage {
        /// The lines, back to back, and the end offset of each.
        var bytes = RawVec<UInt8>(capacity: 1 << 16)
        var ends = RawVec<Int>(capacity: 1 << 10)
        /// The records as read, back to back, with their end offsets and input line numbers.
        var records = RawVec<UInt8>(capacity: 1 << 16)
        var recordEnds = RawVec<Int>(capacity: 1 << 10)
        var lineNumbers = RawVec<Int>(capacity: 1 << 10)
        /// What follows each event (`.separated`, `.json`).
        var separator = RawVec<UInt8>(capacity: 16)
    }
    private let s: UnsafeMutablePointer<Storage>
    /// `.line`: trailing newlines trimmed and a newline added.
    private let trims: Bool
    /// `.json`: the layout.
    private let layout: JSONLayout?
    /// The input the records came from (a batch never spans two inputs; compared per event,
    /// so `@exclusivity(unchecked)`).
    @exclusivity(unchecked) var input = ""

    init(shape: LineShape = .line) {
        s = .allocate(capacity: 1)
        s.initialize(to: Storage())
        switch shape {
        case .line:
            trims = true
            layout = nil
        case .separated(let sep):
            trims = false
            layout = nil
            sep.withUnsafeBufferPointer { s.pointee.separator.append($0) }
        case .json(let l, let sep):
            trims = false
            layout = l
            sep.withUnsafeBufferPointer { s.pointee.separator.append($0) }
        }
    }

    deinit {
        s.pointee.bytes.deallocate()
        s.pointee.ends.deallocate()
        s.pointee.records.deallocate()
        s.pointee.recordEnds.deallocate()
        s.pointee.lineNumbers.deallocate()
        s.pointee.separator.deallocate()
        s.deinitialize(count: 1)
        s.deallocate()
    }

    /// Whether `add` reads the decoded `_raw` (false: a `json` layout reads the escaped bytes).
    var takesDecoded: Bool { layout == nil }
    var count: Int { s.pointee.ends.count }
    var isEmpty: Bool { s.pointee.ends.count == 0 }
    /// The lines, back to back (valid until the batch changes).
    var bytes: UnsafeBufferPointer<UInt8> { s.pointee.bytes.buffer }
    /// Bytes of the lines without their newlines or separators.
    var textBytes: Int { s.pointee.bytes.count - s.pointee.ends.count * (trims ? 1 : s.pointee.separator.count) }
    /// End offset in `bytes` of line `k`.
    func end(_ k: Int) -> Int { s.pointee.ends[k] }

    /// Adds an event: member `rawIndex` of `view` is its `_raw` string, `decoded` that string's
    /// decoded bytes (`RecordView.scan(_:decodingRawTo:)`), `record` its line. False (nothing
    /// added) when the `json` layout refuses the text: the `Record` path reports why.
    @inline(__always)
    func add(view: RecordView, rawIndex: Int, decoded: UnsafeBufferPointer<UInt8>, record: UnsafeBufferPointer<UInt8>,
             lineNumber: Int) -> Bool {
        let start = s.pointee.bytes.count
        if let layout {
            // The escaped content, quotes excluded.
            let raw = view.valueBytes(rawIndex)
            let content = UnsafeBufferPointer(rebasing: raw[(raw.startIndex + 1)..<(raw.endIndex - 1)])
            guard layout.append(escaped: content, to: &s.pointee.bytes) else { return false }
        } else {
            s.pointee.bytes.append(decoded)
        }
        if trims {
            let b = s.pointee.bytes.base
            var n = s.pointee.bytes.count
            while n > start, b[n - 1] == 0x0A || b[n - 1] == 0x0D { n -= 1 }
            s.pointee.bytes.removeLast(s.pointee.bytes.count - n)
            s.pointee.bytes.append(0x0A)
        } else {
            s.pointee.bytes.append(s.pointee.separator.buffer)
        }
        s.pointee.ends.append(s.pointee.bytes.count)
        s.pointee.records.append(record)
        s.pointee.recordEnds.append(s.pointee.records.count)
        s.pointee.lineNumbers.append(lineNumber)
        return true
    }

    /// Line `k` (newline included).
    func line(_ k: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: bytes[(k == 0 ? 0 : end(k - 1))..<end(k)])
    }

    /// Events `from...` as `Undelivered` (parsed back from their records; the failure path only).
    func undelivered(from: Int, reason: String) -> [Undelivered] {
        let records = s.pointee.records.buffer
        return (from..<count).compactMap { k in
            let rec = UnsafeBufferPointer(rebasing: records[(k == 0 ? 0 : s.pointee.recordEnds[k - 1])..<s.pointee.recordEnds[k]])
            guard let fields = try? JSONParser.parseObject(rec) else { return nil }
            let r = Record(fields: fields)
            return Undelivered(event: ShipEvent(record: r, raw: r.string("_raw") ?? "", time: r.time,
                                                index: r.string("index") ?? "", host: r.string("host") ?? "",
                                                source: r.string("source") ?? "", sourcetype: r.string("sourcetype") ?? "",
                                                sample: r.sample ?? "", location: "\(input):\(s.pointee.lineNumbers[k])"),
                               reason: reason)
        }
    }

    func removeAll() {
        s.pointee.bytes.removeAll()
        s.pointee.ends.removeAll()
        s.pointee.records.removeAll()
        s.pointee.recordEnds.removeAll()
        s.pointee.lineNumbers.removeAll()
    }
}

/// An output that can take a `LineBatch` as it is (`_raw` lines): returns the index of the first
/// line it could not deliver (`batch.count` when all went out) and the reason.
protocol LineBatchOutput: Output {
    func writeLines(_ batch: LineBatch) -> (delivered: Int, reason: String?)
}

extension StdoutOutput: LineBatchOutput {
    func writeLines(_ batch: LineBatch) -> (delivered: Int, reason: String?) {
        do {
            try writeBytes(batch.bytes)
            return (batch.count, nil)
        } catch {
            return (0, describe(error))
        }
    }
}

extension DevNullOutput: LineBatchOutput {
    func writeLines(_ batch: LineBatch) -> (delivered: Int, reason: String?) {
        stats.bytes += batch.bytes.count
        return (batch.count, nil)
    }
}

extension FileOutput: LineBatchOutput {
    func writeLines(_ batch: LineBatch) -> (delivered: Int, reason: String?) {
        let (n, reason) = append(batch.bytes, count: batch.count, end: batch.end)
        return (n, reason)
    }
}

extension Delivery {
    /// Whether events can go out as `_raw` lines without a `ShipEvent` (see `LineBatch`).
    var takesLines: Bool { rawLines != nil }

    /// Whether the output writes locally (stdout, a file): it writes what it holds when the input goes quiet.
    var isLocal: Bool {
        let o = (output as? FormattedOutput)?.inner ?? output
        return o is StdoutOutput || o is FileOutput
    }

    /// The output that takes `output`'s events as a `LineBatch` (the one behind an Eventum
    /// `json` or `plain` formatter) and its batches' shape; nil for the others.
    static func lineOutput(_ output: Output) -> (LineBatchOutput, LineShape)? {
        let formatter = (output as? FormattedOutput)?.formatter.kind ?? .plain
        switch (output as? FormattedOutput)?.inner ?? output {
        case let o as StdoutOutput: return LineShape(format: o.format, formatter: formatter).map { (o, $0) }
        case let o as FileOutput: return LineShape(format: o.format, formatter: formatter).map { (o, $0) }
        case let o as DevNullOutput: return formatter == .plain ? (o, .line) : nil
        default: return nil
        }
    }
}

/// The delivery of the last sample seen on the line path, keyed by the `sample` member's JSON
/// text, so consecutive events of one sample cost a byte compare instead of a route lookup.
struct LineRouteCache {
    private var key: [UInt8] = []
    private var cached: Delivery?
    /// Whether the cached delivery's batch takes `_raw` decoded (true when there is none yet).
    private(set) var decodesRaw = true

    /// Forgets the cached delivery (a stanza record may change routes).
    mutating func reset() { cached = nil }

    /// The delivery of the event `view` holds; nil when its sample's events go to several outputs.
    @inline(__always)
    mutating func delivery(for view: RecordView, router: Router) throws -> Delivery? {
        let k = view.sampleIndex
        let bytes = k >= 0 ? view.valueBytes(k) : UnsafeBufferPointer(start: nil, count: 0)
        if let d = cached, bytes.count == key.count,
           bytes.count == 0 || key.withUnsafeBufferPointer({ memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 }) {
            return d
        }
        return try route(view, sample: k, bytes: bytes, router: router)
    }

    /// The route of a sample other than the cached one's (then cached).
    @inline(never)
    private mutating func route(_ view: RecordView, sample k: Int, bytes: UnsafeBufferPointer<UInt8>, router: Router) throws -> Delivery? {
        let route = try router.route(k >= 0 ? view.text(k) : nil)
        guard route.others.isEmpty else { return nil }
        let d = route.delivery
        key = Array(bytes)
        cached = d
        decodesRaw = d.linesTakeDecoded || !d.takesLines
        return d
    }
}

#if canImport(Glibc)
import Glibc
#endif
