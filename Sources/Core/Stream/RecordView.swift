/// A zero-copy view of one NDJSON record line for per-event hot paths.
///
/// `scan` walks the line once and records, for every TOP-LEVEL member, where its key and its value
/// lie in the line and what kind of value it is; nothing is decoded and nothing is allocated
/// (the member table is reused from line to line). Accessors then find members by comparing key
/// bytes, hand out a string's raw escaped bytes, and unescape into a caller's buffer only when
/// asked. `writeLine(replacing:...)` and the edit list write the line back with a few members'
/// values replaced or added, copying every other byte verbatim.
///
/// `scan` accepts only lines that are valid JSON objects AND already in the exact form
/// `JSONWriter` writes (compact, canonical escapes, valid UTF-8). For such a line, splicing gives
/// byte for byte what `Record` + `JSONWriter` would give. Any other line (malformed, or valid but
/// written differently) makes `scan` return false: the caller then takes the `Record` path
/// (`RecordReader.record(from:)`), which either normalises the line or throws the usual
/// `<input>:<line>: <what was expected>` error. Valid lines are never rejected silently.
///
/// Consecutive lines of a stream mostly repeat the members of the line before them (`sample`,
/// `index`, `host`, `source`, ..., and on eg-tokenize's input often `_raw` itself), so `scan`
/// keeps a copy of the last line it accepted and that line's member table: a member whose bytes
/// (key, value and the delimiter after it) are those of the previous line's member at the same
/// index is taken over with one compare instead of being scanned again, and a member whose key
/// alone matches has only its value scanned. The same bytes at the same place in the object
/// validate the same way, so the outcome is exactly that of a full scan.
public struct RecordView {
    /// The kind of a member's value.
    public enum Kind: UInt8 { case string, number, object, array, bool, null }

    /// The keys `scan` notes the index of (see `rawIndex` ...).
    enum KnownKey: UInt8 { case other, raw, seq, time, kind, bundle, sample, host }

    /// One top-level member: byte offsets into the line (end exclusive).
    public struct Member {
        /// The key's bytes inside its quotes (escaped form).
        public var keyStart: Int
        public var keyEnd: Int
        /// The whole value's bytes (quotes included for strings).
        public var valueStart: Int
        public var valueEnd: Int
        public var kind: Kind
        /// For strings: whether the content holds a backslash escape.
        public var hasEscape: Bool
        /// Which well-known key it has (noted again when the member is taken over from the previous line).
        var known: KnownKey = .other
        /// For numbers: at most 12 integer digits and no exponent (see `timeInRange`).
        var plainNumber = false
    }

    /// The top-level members of the last line scanned, in order (valid until the next `scan`).
    public struct Members: RandomAccessCollection {
        let base: UnsafeMutablePointer<Member>
        public let count: Int
        public var startIndex: Int { 0 }
        public var endIndex: Int { count }
        @inline(__always)
        public subscript(k: Int) -> Member {
            precondition(k >= 0 && k < count, "RecordView member index out of range")
            return base[k]
        }
    }

    /// The memory of the two member tables (the line's and the previous accepted line's) and of
    /// the copy of the previous accepted line, owned by a class so that copies of a view share it
    /// until one of them scans again (`scan` takes storage of its own when it is shared).
    private final class Storage {
        let members: UnsafeMutablePointer<Member>
        let capacity: Int
        let bytes: UnsafeMutablePointer<UInt8>
        let bytesCapacity: Int
        init(capacity: Int, bytesCapacity: Int) {
            self.capacity = capacity
            self.bytesCapacity = bytesCapacity
            members = .allocate(capacity: 2 * capacity)
            bytes = .allocate(capacity: bytesCapacity)
        }
        deinit {
            members.deallocate()
            bytes.deallocate()
        }
    }

    /// The line last scanned (valid until the caller's buffer changes).
    public private(set) var line = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    private var storage = Storage(capacity: 16, bytesCapacity: 1 << 10)
    /// The storage's pointers and the members in it, kept in the struct so the scan's stores need
    /// no class access (no exclusivity checks, no uniqueness checks per member). `base` and
    /// `previous` are the two halves of `storage.members`, changing places at each accepted line.
    private var base: UnsafeMutablePointer<Member>
    private var capacity = 16
    private var count = 0
    /// The previous accepted line: its members and its bytes (`previousCount` 0: none).
    private var previous: UnsafeMutablePointer<Member>
    private var previousCount = 0
    private var previousBytes: UnsafeMutablePointer<UInt8>
    private var previousBytesCapacity = 1 << 10
    private var previousLength = 0
    /// Whether `base` holds the members of the line `previousBytes` holds (the last scan accepted
    /// it): the next scan takes them as its previous line.
    private var remembered = false
    /// The top-level members of the line, in order.
    public var members: Members { Members(base: base, count: count) }
    /// Indices of the first `_raw`, `_time`, `_kind`, `_bundle`, `_seq`, `sample` and `host`
    /// members (-1: absent), found during `scan` so hot paths need no key compares.
    public private(set) var rawIndex = -1
    public private(set) var seqIndex = -1
    public private(set) var timeIndex = -1
    public private(set) var kindIndex = -1
    public private(set) var bundleIndex = -1
    public private(set) var sampleIndex = -1
    public private(set) var hostIndex = -1
    /// Whether `_raw` occurs more than once.
    public private(set) var duplicateRaw = false
    /// After `scan(_:decodingRawTo:)`: how many bytes the decoded `_raw` string has (-1: none).
    public private(set) var decodedRaw = -1
    /// Where `scan(_:decodingRawTo:)` writes the decoded `_raw` (nil: `scan` does not decode).
    private var decodeTarget: UnsafeMutablePointer<UInt8>?
    /// Whether `_time` is a number with at most 12 integer digits and no exponent (so within
    /// `EpochText.limitSeconds`), noted by the scan.
    private var timePlain = false
    private var edits: [Edit] = []
    private var editBytes: [UInt8] = []

    /// One pending change made with `setValue` / `addMember`.
    private struct Edit {
        var member: Int          // -1: a new member appended at the end
        var keyStart: Int, keyEnd: Int
        var valueStart: Int, valueEnd: Int
    }

    static let maxDepth = 512
    /// Lines longer than this are not kept as the previous line (their members are scanned).
    static let rememberedLimit = 1 << 20

    public init() {
        base = storage.members
        previous = base + capacity
        previousBytes = storage.bytes
    }

    /// Adds a member to the table, growing it when full.
    @inline(__always)
    private mutating func addMember(_ m: Member) {
        if count == capacity { reallocate(capacity: capacity * 2, bytesCapacity: previousBytesCapacity) }
        (base + count).initialize(to: m)
        count &+= 1
    }

    /// Moves the members, the previous line's members and its bytes into storage of the given sizes.
    @inline(never)
    private mutating func reallocate(capacity c: Int, bytesCapacity: Int) {
        let t = Storage(capacity: c, bytesCapacity: bytesCapacity)
        t.members.initialize(from: base, count: count)
        (t.members + c).initialize(from: previous, count: previousCount)
        t.bytes.initialize(from: previousBytes, count: min(previousLength, bytesCapacity))
        storage = t
        base = t.members
        previous = t.members + c
        previousBytes = t.bytes
        capacity = c
        previousBytesCapacity = bytesCapacity
    }

    /// Scans `line` (without its newline). Returns false when the line is not a canonical JSON
    /// object (see the type's documentation): use the `Record` path for it.
    public mutating func scan(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        self.line = line
        if !isKnownUniquelyReferenced(&storage) {
            storage = Storage(capacity: capacity, bytesCapacity: previousBytesCapacity)
            base = storage.members
            previous = base + capacity
            previousBytes = storage.bytes
            previousCount = 0
            remembered = false
        }
        if remembered {
            swap(&base, &previous)
            previousCount = count
            remembered = false
        }
        count = 0
        if !edits.isEmpty {
            edits.removeAll(keepingCapacity: true)
            editBytes.removeAll(keepingCapacity: true)
        }
        rawIndex = -1; timeIndex = -1; kindIndex = -1; bundleIndex = -1; sampleIndex = -1; hostIndex = -1; seqIndex = -1
        duplicateRaw = false
        decodedRaw = -1
        timePlain = false
        guard scanMembers(line) else { return false }
        if line.count <= RecordView.rememberedLimit {
            if line.count > previousBytesCapacity {
                reallocate(capacity: capacity, bytesCapacity: max(line.count, 2 * previousBytesCapacity))
            }
            if let b = line.baseAddress { previousBytes.update(from: b, count: line.count) }
            previousLength = line.count
            remembered = true
        }
        return true
    }

    /// `scan`, also writing the decoded content of the first `_raw` member, when it is a string,
    /// at `d`, which has room for `line.count + 8` bytes (`decodedRaw` then tells how many): the
    /// string is validated and decoded in one pass, instead of a scan and then `unescape`.
    public mutating func scan(_ line: UnsafeBufferPointer<UInt8>, decodingRawTo d: UnsafeMutablePointer<UInt8>) -> Bool {
        decodeTarget = d
        let ok = scan(line)
        decodeTarget = nil
        if ok, rawIndex >= 0, decodedRaw < 0, base[rawIndex].kind == .string {
            // Taken over from the previous line (the same bytes): decoded apart.
            decodedRaw = RecordView.decode(escapedString(rawIndex)!, to: d)
        }
        return ok
    }

    /// The scan proper: the members of `line` into the table, each taken over from the previous
    /// line when its bytes are the same (see the type's documentation).
    private mutating func scanMembers(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let start = line.baseAddress, line.count >= 2 else { return false }
        var s = RecordScanner(p: start, n: line.count)
        guard s.p[0] == UInt8(ascii: "{") else { return false }
        s.i = 1
        if s.peek == UInt8(ascii: "}") { return line.count == 2 }
        while true {
            var keyStart = 0, keyEnd = 0
            var known = KnownKey.other
            var keyTaken = false
            if count < previousCount {
                // The bytes from here on that are those of the previous line from its member
                // `count` on: every member inside them, delimiter included, is taken over.
                let first = count
                let from = previous[first].keyStart &- 1
                let shift = s.i &- from
                let same = from &+ RecordView.commonPrefix(s.p + s.i, previousBytes + from,
                                                           min(s.n &- s.i, previousLength &- from))
                while count < previousCount, previous[count].valueEnd < same {
                    var m = previous[count]
                    note(m.known, count)
                    if count == timeIndex && m.kind == .number { timePlain = m.plainNumber }
                    m.keyStart &+= shift; m.keyEnd &+= shift; m.valueStart &+= shift; m.valueEnd &+= shift
                    addMember(m)
                }
                if count > first {
                    let end = previous[count &- 1].valueEnd
                    s.i = end &+ 1 &+ shift
                    if previousBytes[end] != UInt8(ascii: ",") { return s.i == s.n && timeInRange }
                }
                // The next member's key, its quotes and the colon are the same: only its value is scanned.
                if count < previousCount, previous[count].valueStart <= same {
                    let pm = previous[count]
                    keyStart = pm.keyStart &+ shift
                    keyEnd = pm.keyEnd &+ shift
                    known = pm.known
                    s.i = pm.valueStart &+ shift
                    keyTaken = true
                }
            }
            let index = count
            if !keyTaken {
                guard s.peek == UInt8(ascii: "\"") else { return false }
                keyStart = s.i + 1
                guard s.string() else { return false }
                keyEnd = s.i - 1
                known = RecordView.knownKey(s.p + keyStart, keyEnd - keyStart)
                guard s.peek == UInt8(ascii: ":") else { return false }
                s.i += 1
            }
            note(known, index)
            let valueStart = s.i
            guard s.i < s.n else { return false }
            let kind: Kind
            var hasEscape = false
            var plainNumber = false
            switch s.p[s.i] {
            case UInt8(ascii: "\""):
                kind = .string
                if known == .raw, index == rawIndex, let d = decodeTarget {
                    guard let n = s.string(decodingTo: d) else { return false }
                    decodedRaw = n
                } else {
                    guard s.string() else { return false }
                }
                hasEscape = s.sawEscape
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                kind = s.p[s.i] == UInt8(ascii: "{") ? .object : .array
                guard s.value(depth: 0) else { return false }
            case UInt8(ascii: "t"), UInt8(ascii: "f"):
                kind = .bool
                guard s.value(depth: 0) else { return false }
            case UInt8(ascii: "n"):
                kind = .null
                guard s.value(depth: 0) else { return false }
            default:
                kind = .number
                guard s.number() else { return false }
                plainNumber = s.intDigits <= 12 && !s.sawExponent
                if index == timeIndex { timePlain = plainNumber }
            }
            addMember(Member(keyStart: keyStart, keyEnd: keyEnd, valueStart: valueStart, valueEnd: s.i,
                             kind: kind, hasEscape: hasEscape, known: known, plainNumber: plainNumber))
            guard s.i < s.n else { return false }
            let c = s.p[s.i]
            s.i += 1
            if c == UInt8(ascii: ",") { continue }
            if c == UInt8(ascii: "}") { return s.i == s.n && timeInRange }
            return false
        }
    }

    /// How many of the first `limit` bytes at `a` and `b` are the same: 32 bytes a step while
    /// they agree, then a word and a byte at a time.
    @inline(__always)
    private static func commonPrefix(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ limit: Int) -> Int {
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        @inline(__always) func diff(_ k: Int) -> UInt64 {
            ra.loadUnaligned(fromByteOffset: k, as: UInt64.self) ^ rb.loadUnaligned(fromByteOffset: k, as: UInt64.self)
        }
        var k = 0
        while k &+ 32 <= limit, diff(k) | diff(k &+ 8) | diff(k &+ 16) | diff(k &+ 24) == 0 { k &+= 32 }
        while k &+ 8 <= limit {
            let x = diff(k)
            if x != 0 { return k &+ (x.trailingZeroBitCount &>> 3) }
            k &+= 8
        }
        while k < limit, a[k] == b[k] { k &+= 1 }
        return k
    }

    /// False when `_time` holds a number beyond `EpochText.limitSeconds`: such a line takes the
    /// `Record` path, where `RecordReader` reports it (only long values and exponents need the check).
    private var timeInRange: Bool {
        let k = timeIndex
        guard k >= 0 else { return true }
        let m = base[k]
        if m.kind == .number && timePlain { return true }
        guard m.kind == .number || (m.kind == .string && !m.hasEscape) else { return true }
        let q = m.kind == .string ? 1 : 0
        let p = line.baseAddress! + m.valueStart + q
        let n = m.valueEnd - q - m.valueStart - q
        var i = n > 0 && p[0] == UInt8(ascii: "-") ? 1 : 0
        let digitsStart = i
        while i < n, p[i] &- 0x30 < 10 { i &+= 1 }
        var exponent = false
        var j = i
        while j < n { if p[j] | 0x20 == UInt8(ascii: "e") { exponent = true }; j &+= 1 }
        // No exponent and at most 12 integer digits (limitSeconds has 13), or short: in range.
        guard exponent || (n > 13 && i - digitsStart > 12) else { return true }
        return EpochText.read(bytes: UnsafeBufferPointer(start: p, count: n)) != .outOfRange
    }

    /// Which well-known key the `n` key bytes at `k` are (compared as one or two unaligned integer loads).
    @inline(__always)
    private static func knownKey(_ k: UnsafePointer<UInt8>, _ n: Int) -> KnownKey {
        @inline(__always) func u32(_ o: Int) -> UInt32 { UnsafeRawPointer(k + o).loadUnaligned(as: UInt32.self) }
        @inline(__always) func w(_ s: StaticString, _ o: Int) -> UInt32 {
            UnsafeRawPointer(s.utf8Start + o).loadUnaligned(as: UInt32.self)
        }
        switch n {
        case 4:
            let a = u32(0)
            if a == w("_raw", 0) { return .raw }
            if a == w("_seq", 0) { return .seq }
            if a == w("host", 0) { return .host }
        case 5:
            // Bytes 0-3 and 1-4.
            let a = u32(0), b = u32(1)
            if a == w("_time", 0), b == w("_time", 1) { return .time }
            if a == w("_kind", 0), b == w("_kind", 1) { return .kind }
        case 6: if u32(0) == w("sample", 0), u32(2) == w("sample", 2) { return .sample }
        case 7: if u32(0) == w("_bundle", 0), u32(3) == w("_bundle", 3) { return .bundle }
        default: break
        }
        return .other
    }

    /// Records the index of the first member with each well-known key.
    @inline(__always)
    private mutating func note(_ key: KnownKey, _ index: Int) {
        switch key {
        case .other: break
        case .raw: if rawIndex < 0 { rawIndex = index } else { duplicateRaw = true }
        case .seq: if seqIndex < 0 { seqIndex = index }
        case .time: if timeIndex < 0 { timeIndex = index }
        case .kind: if kindIndex < 0 { kindIndex = index }
        case .bundle: if bundleIndex < 0 { bundleIndex = index }
        case .sample: if sampleIndex < 0 { sampleIndex = index }
        case .host: if hostIndex < 0 { hostIndex = index }
        }
    }

    // MARK: - Lookup

    /// The index of the first member whose key is `key` (a key that needs no JSON escaping).
    @inline(__always)
    public func find(_ key: StaticString) -> Int? {
        find(UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
    }

    /// The index of the first member after member `after` whose key is `key` (duplicates check).
    @inline(__always)
    public func find(_ key: StaticString, after: Int) -> Int? {
        find(UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount), from: after + 1)
    }

    /// The index of the first member from `from` on whose key bytes (escaped form) equal `key`.
    public func find(_ key: UnsafeBufferPointer<UInt8>, from: Int = 0) -> Int? {
        let n = key.count
        guard let lp = line.baseAddress, from < count else { return nil }
        for k in from..<count {
            let m = base[k]
            if m.keyEnd - m.keyStart == n, n == 0 || memcmp(lp + m.keyStart, key.baseAddress!, n) == 0 { return k }
        }
        return nil
    }

    /// Member `k` as a non-negative integer written in plain digits (`_seq`), else nil.
    public func unsignedInteger(_ k: Int) -> UInt64? {
        guard members[k].kind == .number else { return nil }
        let b = valueBytes(k)
        guard !b.isEmpty, b.count <= 19 else { return nil }
        var v: UInt64 = 0
        for c in b {
            guard c >= 0x30, c <= 0x39 else { return nil }
            v = v * 10 + UInt64(c - 0x30)
        }
        return v
    }

    /// A member's key bytes (escaped form, without quotes).
    public func keyBytes(_ k: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: line[members[k].keyStart..<members[k].keyEnd])
    }

    /// A member's whole value as JSON text (quotes included for strings).
    public func valueBytes(_ k: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: line[members[k].valueStart..<members[k].valueEnd])
    }

    /// A string member's content, still escaped (without quotes); nil when not a string.
    public func escapedString(_ k: Int) -> UnsafeBufferPointer<UInt8>? {
        let m = members[k]
        guard m.kind == .string else { return nil }
        return UnsafeBufferPointer(rebasing: line[(m.valueStart + 1)..<(m.valueEnd - 1)])
    }

    /// Whether string member `k` equals the plain (escape-free) text `text`.
    public func stringEquals(_ k: Int, _ text: StaticString) -> Bool {
        guard let s = escapedString(k), !members[k].hasEscape, s.count == text.utf8CodeUnitCount else { return false }
        return s.count == 0 || memcmp(s.baseAddress!, text.utf8Start, s.count) == 0
    }

    /// Appends string member `k`'s decoded bytes (what `Record` would hold) to `out`; false when
    /// the member is not a string.
    @discardableResult
    public func appendUnescaped(_ k: Int, to out: inout [UInt8]) -> Bool {
        guard let s = escapedString(k) else { return false }
        if !members[k].hasEscape { out.append(contentsOf: s); return true }
        RecordView.unescape(s, to: &out)
        return true
    }

    /// A member as text, as `Record.string(_:)` gives it: a string, a number's literal text, or
    /// `true`/`false`; nil for other kinds. Allocates a String: not for per-event use.
    public func text(_ k: Int) -> String? {
        switch members[k].kind {
        case .string:
            var b: [UInt8] = []
            appendUnescaped(k, to: &b)
            return String(decoding: b, as: UTF8.self)
        case .number, .bool:
            return String(decoding: valueBytes(k), as: UTF8.self)
        default: return nil
        }
    }

    /// `_time` as an exact instant (a number, or a string holding one), as `Record.time` reads it.
    public var time: EventTime? {
        let k = timeIndex
        guard k >= 0 else { return nil }
        switch members[k].kind {
        case .number: return EpochText.parse(bytes: valueBytes(k))
        case .string:
            if !members[k].hasEscape { return EpochText.parse(bytes: escapedString(k)!) }
            var b: [UInt8] = []
            appendUnescaped(k, to: &b)
            return b.withUnsafeBufferPointer { EpochText.parse(bytes: $0) }
        default: return nil
        }
    }

    /// True for stanza records (`"_kind": "stanza"`).
    public var isStanza: Bool {
        let k = kindIndex
        guard k >= 0 else { return false }
        if stringEquals(k, "stanza") { return true }
        return members[k].hasEscape && text(k) == "stanza"
    }

    /// Decodes the content of a canonical JSON string (escapes as `JSONWriter` writes them).
    static func unescape(_ s: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        var k = 0
        var run = 0
        let n = s.count
        while k < n {
            if s[k] != 0x5C { k += 1; continue }
            if k > run { out.append(contentsOf: UnsafeBufferPointer(rebasing: s[run..<k])) }
            let e = s[k + 1]
            switch e {
            case UInt8(ascii: "n"): out.append(0x0A); k += 2
            case UInt8(ascii: "r"): out.append(0x0D); k += 2
            case UInt8(ascii: "t"): out.append(0x09); k += 2
            case UInt8(ascii: "b"): out.append(0x08); k += 2
            case UInt8(ascii: "f"): out.append(0x0C); k += 2
            case UInt8(ascii: "u"):
                // Canonical: \u00XX with XX < 0x20.
                out.append(RecordScanner.hexValue(s[k + 4]) << 4 | RecordScanner.hexValue(s[k + 5]))
                k += 6
            default: out.append(e); k += 2 // \" and \\
            }
            run = k
        }
        if n > run { out.append(contentsOf: UnsafeBufferPointer(rebasing: s[run..<n])) }
    }

    /// Decodes a canonical JSON string body (as `scan` accepts it) at `d`, which has room for
    /// `s.count + 8` bytes; returns how many bytes. One pass, eight bytes at a time: each word is
    /// stored whole and the output advances by the bytes before the first backslash in it (all
    /// eight when there is none), so clean text costs a load, a store and a mask per eight bytes.
    public static func decode(_ s: UnsafeBufferPointer<UInt8>, to d: UnsafeMutablePointer<UInt8>) -> Int {
        let n = s.count
        guard let src = s.baseAddress, n > 0 else { return 0 }
        var o = d
        var k = 0
        let lo: UInt64 = 0x0101_0101_0101_0101, hi: UInt64 = 0x8080_8080_8080_8080
        while k < n {
            if k &+ 8 <= n {
                let w = UnsafeRawPointer(src + k).loadUnaligned(as: UInt64.self)
                UnsafeMutableRawPointer(o).storeBytes(of: w, as: UInt64.self)
                let x = w ^ 0x5C5C_5C5C_5C5C_5C5C
                let m = (x &- lo) & ~x & hi
                if m == 0 { k &+= 8; o += 8; continue }
                let c = m.trailingZeroBitCount &>> 3
                k &+= c; o += c
            } else if src[k] != 0x5C {
                o.pointee = src[k]; o += 1; k &+= 1
                continue
            }
            // A backslash at k (canonical: a complete escape follows).
            let e = src[k &+ 1]
            switch e {
            case UInt8(ascii: "n"): o.pointee = 0x0A; k &+= 2
            case UInt8(ascii: "r"): o.pointee = 0x0D; k &+= 2
            case UInt8(ascii: "t"): o.pointee = 0x09; k &+= 2
            case UInt8(ascii: "b"): o.pointee = 0x08; k &+= 2
            case UInt8(ascii: "f"): o.pointee = 0x0C; k &+= 2
            case UInt8(ascii: "u"):
                o.pointee = RecordScanner.hexValue(src[k &+ 4]) << 4 | RecordScanner.hexValue(src[k &+ 5])
                k &+= 6
            default: o.pointee = e; k &+= 2 // \" and \\
            }
            o += 1
        }
        return o - d
    }

    // MARK: - Writing

    /// Writes the line at `d` with member `k`'s value replaced by what `value` writes at the
    /// pointer it is given (JSON text, quotes included for strings; it returns the end of it), then
    /// a newline; returns the end. `d` must have room for the line without the old value, the new
    /// value and the newline. Every other byte is copied as it is.
    @inline(__always)
    public func writeLine(replacing k: Int, to d: UnsafeMutablePointer<UInt8>,
                          value: (UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        let m = members[k]
        let lp = line.baseAddress!
        d.update(from: lp, count: m.valueStart)
        let v = value(d + m.valueStart)
        let rest = line.count &- m.valueEnd
        v.update(from: lp + m.valueEnd, count: rest)
        v[rest] = 0x0A
        return v + (rest &+ 1)
    }

    /// Replaces member `k`'s value in the next `appendEdited` by the JSON text `value` appends.
    public mutating func setValue(_ k: Int, _ value: (inout [UInt8]) -> Void) {
        let start = editBytes.count
        value(&editBytes)
        edits.append(Edit(member: k, keyStart: 0, keyEnd: 0, valueStart: start, valueEnd: editBytes.count))
    }

    /// Sets member `key` (a key that needs no escaping): replaces the first member of that name,
    /// or appends a new member at the end, as `Record`'s subscript does.
    public mutating func set(_ key: StaticString, _ value: (inout [UInt8]) -> Void) {
        if let k = find(key) { setValue(k, value); return }
        let ks = editBytes.count
        editBytes.append(contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
        let ke = editBytes.count
        value(&editBytes)
        edits.append(Edit(member: -1, keyStart: ks, keyEnd: ke, valueStart: ke, valueEnd: editBytes.count))
    }

    /// Appends the line with the pending edits applied, then a newline; clears the edits.
    public mutating func appendEdited(to out: inout [UInt8]) {
        // Few edits: insertion-sort the replacements by member, appended members keep their order.
        var order = edits.indices.filter { edits[$0].member >= 0 }
        for a in 1..<max(order.count, 1) {
            var b = a
            while b > 0, edits[order[b - 1]].member > edits[order[b]].member { order.swapAt(b - 1, b); b -= 1 }
        }
        var pos = 0
        var last = -1
        editBytes.withUnsafeBufferPointer { eb in
            for e in order.map({ edits[$0] }) where e.member != last {
                last = e.member
                let m = members[e.member]
                out.append(contentsOf: UnsafeBufferPointer(rebasing: line[pos..<m.valueStart]))
                out.append(contentsOf: UnsafeBufferPointer(rebasing: eb[e.valueStart..<e.valueEnd]))
                pos = m.valueEnd
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: line[pos..<(line.count - 1)]))
            var added = count
            for e in edits where e.member < 0 {
                if added > 0 { out.append(UInt8(ascii: ",")) }
                out.append(UInt8(ascii: "\""))
                out.append(contentsOf: UnsafeBufferPointer(rebasing: eb[e.keyStart..<e.keyEnd]))
                out.append(contentsOf: "\":".utf8)
                out.append(contentsOf: UnsafeBufferPointer(rebasing: eb[e.valueStart..<e.valueEnd]))
                added += 1
            }
        }
        out.append(UInt8(ascii: "}"))
        out.append(0x0A)
        edits.removeAll(keepingCapacity: true)
        editBytes.removeAll(keepingCapacity: true)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
