import Core
#if canImport(Glibc)
import Glibc
#endif

/// Compiled line plans found by the raw ESCAPED `_raw` bytes of the stream, so the per-event path
/// needs no String: an open-addressing hash table whose keys live in one byte arena. Storage is
/// manual (pointers fixed between growths), so lookups pay no exclusivity checks or retains of
/// the table's buffers.
final class BytePlanTable {
    private struct Slot {
        var hash: UInt64 = 0
        var keyStart = 0
        var keyCount = -1          // -1: empty
        var plan: LinePlan?
    }

    private var slots: UnsafeMutablePointer<Slot>
    private var capacity: Int
    private var keys: UnsafeMutablePointer<UInt8>
    private var keysCapacity: Int
    private var keysCount = 0
    private(set) var count = 0
    private let limit: Int

    /// A table holding at most `limit` lines (it starts afresh when full).
    init(limit: Int) {
        self.limit = limit
        capacity = 256
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: Slot(), count: capacity)
        keysCapacity = 1 << 14
        keys = .allocate(capacity: keysCapacity)
    }

    deinit {
        slots.deinitialize(count: capacity)
        slots.deallocate()
        keys.deallocate()
    }

    /// FxHash-style hash of `bytes`, 8 bytes at a time.
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let k: UInt64 = 0x517c_c1b7_2722_0a95
        var h = UInt64(truncatingIfNeeded: bytes.count) &* k
        guard let p = UnsafeRawPointer(bytes.baseAddress) else { return h }
        let n = bytes.count
        var i = 0
        while i &+ 8 <= n {
            let w = p.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = (((h << 5) | (h >> 59)) ^ w) &* k
            i &+= 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < n {
            tail |= UInt64(p.load(fromByteOffset: i, as: UInt8.self)) << shift
            shift &+= 8
            i &+= 1
        }
        h = (((h << 5) | (h >> 59)) ^ tail) &* k
        return h ^ (h >> 29)
    }

    /// Looks `key` up: `.some(plan)` when known (the plan may be nil: sequential path), nil when not.
    @inline(__always)
    func lookup(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64) -> LinePlan?? {
        let mask = capacity &- 1
        var i = Int(truncatingIfNeeded: hash) & mask
        while true {
            let slot = slots + i
            let c = slot.pointee.keyCount
            if c < 0 { return nil }
            if slot.pointee.hash == hash, c == key.count,
               c == 0 || memcmp(keys + slot.pointee.keyStart, key.baseAddress!, c) == 0 {
                return .some(slot.pointee.plan)
            }
            i = (i &+ 1) & mask
        }
    }

    /// Remembers the plan (or nil: sequential) of `key`.
    func insert(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64, plan: LinePlan?) {
        if count >= limit { removeAll() }
        if (count + 1) * 2 > capacity { rehash(capacity * 2) }
        if keysCount + key.count > keysCapacity {
            var c = keysCapacity * 2
            while keysCount + key.count > c { c *= 2 }
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: c)
            bigger.update(from: keys, count: keysCount)
            keys.deallocate()
            keys = bigger
            keysCapacity = c
        }
        if let b = key.baseAddress { (keys + keysCount).update(from: b, count: key.count) }
        place(Slot(hash: hash, keyStart: keysCount, keyCount: key.count, plan: plan))
        keysCount += key.count
        count += 1
    }

    private func place(_ slot: Slot) {
        let mask = capacity - 1
        var i = Int(truncatingIfNeeded: slot.hash) & mask
        while slots[i].keyCount >= 0 { i = (i + 1) & mask }
        slots[i] = slot
    }

    private func rehash(_ newCapacity: Int) {
        let old = slots, oldCapacity = capacity
        capacity = newCapacity
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: Slot(), count: capacity)
        for k in 0..<oldCapacity where old[k].keyCount >= 0 { place(old[k]) }
        old.deinitialize(count: oldCapacity)
        old.deallocate()
    }

    func removeAll() {
        slots.deinitialize(count: capacity)
        slots.deallocate()
        capacity = 256
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: Slot(), count: capacity)
        keysCount = 0
        count = 0
    }
}

extension TokenSet {
    /// Whether an event of this sample can take the byte-level path (no replaytimestamp, no host
    /// token: the only member that changes is `_raw`; no value hook, which wants the Record).
    var takesFastPath: Bool { !hasReplay && host == nil && valueHook == nil }

    /// Substitutes one event seen through `view` (member `rawIndex` is the `_raw` string) and
    /// appends the line with only `_raw`'s value replaced. The event is its own unit, numbered
    /// by its `_seq` (else the previous event's number plus one).
    func processFast(_ view: borrowing RecordView, rawIndex k: Int, to out: inout ByteBuffer) {
        let n = number(view.seqIndex >= 0 ? view.unsignedInteger(view.seqIndex) : nil)
        beginUnit(number: n)
        let esc = view.escapedString(k)!
        let h = BytePlanTable.hash(esc)
        var ctx = EventContext(time: view.time ?? EventTime.now(), event: n, set: self)
        var rawText: String?
        let found = compileLines
            ? plan(escaped: esc, hash: h, raw: { let r = rawString(view, k); rawText = r; return r }).plan : nil
        // The new `_raw` is written in place between the line's bytes before and after it.
        let room = view.line.count &+ 3
        if let p = found {
            compiledEvents += 1
            _ = p.run(self, ctx: &ctx)
            let d = out.reserve(room &+ p.escapedBound(self))
            out.didWrite(upTo: view.writeLine(replacing: k, to: d) { o in
                o.pointee = 0x22
                let end = p.writeEscaped(self, to: o + 1)
                end.pointee = 0x22
                return end + 1
            })
            return
        }
        sequentialEvents += 1
        var text = applySequential(rawText ?? rawString(view, k), ctx: &ctx).text
        text.withUTF8 { t in
            let d = out.reserve(room &+ JSONEscaper.bound(t.count))
            out.didWrite(upTo: view.writeLine(replacing: k, to: d) { o in
                o.pointee = 0x22
                let end = o + 1 + JSONEscaper.write(escaping: t, to: o + 1)
                end.pointee = 0x22
                return end + 1
            })
        }
    }

    private func rawString(_ view: borrowing RecordView, _ k: Int) -> String {
        scratch.removeAll(keepingCapacity: true)
        view.appendUnescaped(k, to: &scratch)
        return String(decoding: scratch, as: UTF8.self)
    }
}

/// The token set of the last sample seen on the byte-level path, keyed by the `sample` member's
/// JSON text, so consecutive events of one sample cost a byte compare instead of a String lookup.
struct FastSampleCache {
    private var key: [UInt8] = []
    private var valid = false
    private var cached: TokenSet?
    private let onlySample: String?

    init(onlySample: String? = nil) { self.onlySample = onlySample }

    /// Forgets the cached set (a stanza record may have changed the sets).
    mutating func reset() { valid = false }

    /// The set of the view's sample (`sample` text, else `--sample`, else `adhoc`), via `lookup` on a miss.
    mutating func set(for view: borrowing RecordView, lookup: (String) throws -> TokenSet?) rethrows -> TokenSet? {
        let k: Int? = view.sampleIndex >= 0 ? view.sampleIndex : nil
        let bytes = k.map { view.valueBytes($0) } ?? UnsafeBufferPointer(start: nil, count: 0)
        if valid, bytes.count == key.count,
           bytes.count == 0 || key.withUnsafeBufferPointer({ memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 }) {
            return cached
        }
        let name = k.flatMap { view.text($0) } ?? onlySample ?? "adhoc"
        cached = try lookup(name)
        key = Array(bytes)
        valid = true
        return cached
    }
}
