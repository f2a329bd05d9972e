/// A zero-copy view of one NDJSON record line for per-event hot paths.
///
/// `scan` walks the line once and records, for every TOP-LEVEL member, where its key and its value
/// lie in the line and what kind of value it is; nothing is decoded and nothing is allocated
/// (the member table is reused from line to line). Accessors then find members by comparing key
/// bytes, hand out a string's raw escaped bytes, and unescape into a caller's buffer only when
/// asked. `appendLine(replacing:...)` and the edit list write the line back with a few members'
/// values replaced or added, copying every other byte verbatim.
///
/// `scan` accepts only lines that are valid JSON objects AND already in the exact form
/// `JSONWriter` writes (compact, canonical escapes, valid UTF-8). For such a line, splicing gives
/// byte for byte what `Record` + `JSONWriter` would give. Any other line (malformed, or valid but
/// written differently) makes `scan` return false: the caller then takes the `Record` path
/// (`RecordReader.record(from:)`), which either normalises the line or throws the usual
/// `<input>:<line>: <what was expected>` error. Valid lines are never rejected silently.
public struct RecordView {
    /// The kind of a member's value.
    public enum Kind: UInt8 { case string, number, object, array, bool, null }

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

    /// The memory of the member table, owned by a class so that copies of a view share it until
    /// one of them scans again (`scan` takes a table of its own when the table is shared).
    private final class MemberTable {
        let base: UnsafeMutablePointer<Member>
        let capacity: Int
        init(capacity: Int) {
            self.capacity = capacity
            base = .allocate(capacity: capacity)
        }
        deinit { base.deallocate() }
    }

    /// The line last scanned (valid until the caller's buffer changes).
    public private(set) var line = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    private var table = MemberTable(capacity: 16)
    /// `table.base` and the members in it, kept in the struct so the scan's stores need no
    /// class access (no exclusivity checks, no uniqueness checks per member).
    private var base: UnsafeMutablePointer<Member>
    private var capacity = 16
    private var count = 0
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

    public init() {
        base = table.base
    }

    /// Adds a member to the table, growing it (a copy into a table twice the size) when full.
    @inline(__always)
    private mutating func addMember(_ m: Member) {
        if count == capacity { grow() }
        (base + count).initialize(to: m)
        count &+= 1
    }

    @inline(never)
    private mutating func grow() {
        let t = MemberTable(capacity: capacity * 2)
        t.base.initialize(from: base, count: count)
        table = t
        base = t.base
        capacity = t.capacity
    }

    /// Scans `line` (without its newline). Returns false when the line is not a canonical JSON
    /// object (see the type's documentation): use the `Record` path for it.
    public mutating func scan(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        self.line = line
        if !isKnownUniquelyReferenced(&table) {
            table = MemberTable(capacity: capacity)
            base = table.base
        }
        count = 0
        if !edits.isEmpty {
            edits.removeAll(keepingCapacity: true)
            editBytes.removeAll(keepingCapacity: true)
        }
        rawIndex = -1; timeIndex = -1; kindIndex = -1; bundleIndex = -1; sampleIndex = -1; hostIndex = -1; seqIndex = -1
        duplicateRaw = false
        timePlain = false
        guard let start = line.baseAddress, line.count >= 2 else { return false }
        var s = Scanner(p: start, n: line.count)
        guard s.p[0] == UInt8(ascii: "{") else { return false }
        s.i = 1
        if s.peek == UInt8(ascii: "}") { return line.count == 2 }
        while true {
            guard s.peek == UInt8(ascii: "\"") else { return false }
            let keyStart = s.i + 1
            guard s.string() else { return false }
            let keyEnd = s.i - 1
            noteKey(s.p + keyStart, keyEnd - keyStart, count)
            guard s.peek == UInt8(ascii: ":") else { return false }
            s.i += 1
            let valueStart = s.i
            guard s.i < s.n else { return false }
            let kind: Kind
            var hasEscape = false
            switch s.p[s.i] {
            case UInt8(ascii: "\""):
                kind = .string
                guard s.string() else { return false }
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
                if count == timeIndex { timePlain = s.intDigits <= 12 && !s.sawExponent }
            }
            addMember(Member(keyStart: keyStart, keyEnd: keyEnd, valueStart: valueStart, valueEnd: s.i,
                             kind: kind, hasEscape: hasEscape))
            guard s.i < s.n else { return false }
            let c = s.p[s.i]
            s.i += 1
            if c == UInt8(ascii: ",") { continue }
            if c == UInt8(ascii: "}") { return s.i == s.n && timeInRange }
            return false
        }
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

    /// Records the index of a well-known key (compared as one or two unaligned integer loads).
    @inline(__always)
    private mutating func noteKey(_ k: UnsafePointer<UInt8>, _ n: Int, _ index: Int) {
        @inline(__always) func u32(_ o: Int) -> UInt32 { UnsafeRawPointer(k + o).loadUnaligned(as: UInt32.self) }
        @inline(__always) func w(_ s: StaticString, _ o: Int) -> UInt32 {
            UnsafeRawPointer(s.utf8Start + o).loadUnaligned(as: UInt32.self)
        }
        switch n {
        case 4:
            let a = u32(0)
            if a == w("_raw", 0) { if rawIndex < 0 { rawIndex = index } else { duplicateRaw = true } }
            else if seqIndex < 0, a == w("_seq", 0) { seqIndex = index }
            else if hostIndex < 0, a == w("host", 0) { hostIndex = index }
        case 5:
            // Bytes 0-3 and 1-4.
            let a = u32(0), b = u32(1)
            if timeIndex < 0, a == w("_time", 0), b == w("_time", 1) { timeIndex = index }
            else if kindIndex < 0, a == w("_kind", 0), b == w("_kind", 1) { kindIndex = index }
        case 6: if sampleIndex < 0, u32(0) == w("sample", 0), u32(2) == w("sample", 2) { sampleIndex = index }
        case 7: if bundleIndex < 0, u32(0) == w("_bundle", 0), u32(3) == w("_bundle", 3) { bundleIndex = index }
        default: break
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
                out.append(Scanner.hexValue(s[k + 4]) << 4 | Scanner.hexValue(s[k + 5]))
                k += 6
            default: out.append(e); k += 2 // \" and \\
            }
            run = k
        }
        if n > run { out.append(contentsOf: UnsafeBufferPointer(rebasing: s[run..<n])) }
    }

    // MARK: - Writing

    /// Appends the line with member `k`'s value replaced by what `value` appends (JSON text:
    /// quotes included for strings), then a newline. Every other byte is copied as it is.
    @inline(__always)
    public func appendLine(replacing k: Int, to out: inout [UInt8], value: (inout [UInt8]) -> Void) {
        let m = members[k]
        out.append(contentsOf: UnsafeBufferPointer(rebasing: line[0..<m.valueStart]))
        value(&out)
        out.append(contentsOf: UnsafeBufferPointer(rebasing: line[m.valueEnd..<line.count]))
        out.append(0x0A)
    }

    /// Appends the line unchanged, then a newline.
    @inline(__always)
    public func appendLine(to out: inout [UInt8]) {
        out.append(contentsOf: line)
        out.append(0x0A)
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

/// The byte scanner behind `RecordView.scan`: strict JSON grammar, canonical form only.
private struct Scanner {
    let p: UnsafePointer<UInt8>
    let n: Int
    var i = 0
    var sawEscape = false
    /// The last number's integer digits and whether it had an exponent.
    var intDigits = 0
    var sawExponent = false

    init(p: UnsafePointer<UInt8>, n: Int) {
        self.p = p
        self.n = n
    }

    var peek: UInt8 { i < n ? p[i] : 0 }

    static func hexValue(_ b: UInt8) -> UInt8 { b <= 0x39 ? b &- 0x30 : b &- 0x61 &+ 10 }

    /// A string starting at the opening quote; leaves `i` after the closing quote. Inlined: it
    /// runs twice per member (key and value), so a call's overhead is a real share of the scan.
    @inline(__always)
    mutating func string() -> Bool {
        i += 1
        sawEscape = false
        words: while true {
            // Eight bytes at a time: skip plain ASCII (no quote, backslash, control or non-ASCII
            // byte); in a word that has some, walk its flagged bytes without leaving it: `\"` and
            // `\\` (JSON inside JSON) are skipped in place, the closing quote ends the string,
            // and anything else goes to the byte path below.
            if i &+ 8 <= n {
                let w = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
                let lo: UInt64 = 0x0101_0101_0101_0101, hi: UInt64 = 0x8080_8080_8080_8080
                let q = w ^ 0x2222_2222_2222_2222, s = w ^ 0x5C5C_5C5C_5C5C_5C5C
                var special = (((q &- lo) & ~q) | ((s &- lo) & ~s) | (w &- 0x2020_2020_2020_2020) | w) & hi
                if special == 0 { i &+= 8; continue }
                let base = i
                while true {
                    // The lowest flagged byte is a true one, or a false flag (a borrow) just
                    // above a quote or backslash already passed: a plain byte, skipped.
                    let j = special.trailingZeroBitCount &>> 3
                    let at = base &+ j
                    let b = p[at]
                    if b == 0x22 { i = at &+ 1; return true }
                    if b == 0x5C {
                        guard at &+ 1 < n else { return false }
                        let e = p[at &+ 1]
                        guard e == 0x22 || e == 0x5C else { i = at; break }
                        sawEscape = true
                        if j == 7 { i = at &+ 2; continue words }   // the pair ends in the next word
                        special &= ~(0xFFFF << UInt64(j &<< 3))
                    } else if b >= 0x20 && b < 0x80 {
                        special &= ~(0xFF << UInt64(j &<< 3))
                    } else {
                        i = at; break
                    }
                    if special == 0 { i = base &+ 8; continue words }
                }
            } else if i >= n {
                return false
            }
            let b = p[i]
            if b == 0x22 { i += 1; return true }
            if b >= 0x20 && b < 0x80 && b != 0x5C { i += 1; continue }
            if b < 0x20 { return false } // raw control characters: JSONWriter escapes them
            if b == 0x5C {
                sawEscape = true
                guard i + 1 < n else { return false }
                // `\"` (JSON inside JSON) and `\\`: the common escapes, straight back to the word loop.
                let e = p[i + 1]
                if e == 0x22 || e == 0x5C { i &+= 2; continue }
                switch p[i + 1] {
                case 0x22, 0x5C, UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"), UInt8(ascii: "b"), UInt8(ascii: "f"):
                    i += 2
                case UInt8(ascii: "u"):
                    // JSONWriter writes \u00XX (lower-case hex) only for the other control characters.
                    guard i + 5 < n, p[i + 2] == 0x30, p[i + 3] == 0x30 else { return false }
                    let h = p[i + 4], l = p[i + 5]
                    guard h == 0x30 || h == 0x31 else { return false }
                    guard (l >= 0x30 && l <= 0x39) || (l >= 0x61 && l <= 0x66) else { return false }
                    let v = Scanner.hexValue(h) << 4 | Scanner.hexValue(l)
                    if v == 0x08 || v == 0x09 || v == 0x0A || v == 0x0C || v == 0x0D { return false }
                    i += 6
                default: return false // `\/` and anything else: not canonical (or invalid)
                }
                continue
            }
            guard utf8Sequence() else { return false }
        }
    }

    /// One valid multi-byte UTF-8 sequence at `i` (no overlongs, no surrogates, <= U+10FFFF).
    mutating func utf8Sequence() -> Bool {
        let b0 = p[i]
        @inline(__always) func cont(_ k: Int, _ lo: UInt8 = 0x80, _ hi: UInt8 = 0xBF) -> Bool {
            i + k < n && p[i + k] >= lo && p[i + k] <= hi
        }
        switch b0 {
        case 0xC2...0xDF: guard cont(1) else { return false }; i += 2
        case 0xE0: guard cont(1, 0xA0), cont(2) else { return false }; i += 3
        case 0xE1...0xEC, 0xEE, 0xEF: guard cont(1), cont(2) else { return false }; i += 3
        case 0xED: guard cont(1, 0x80, 0x9F), cont(2) else { return false }; i += 3
        case 0xF0: guard cont(1, 0x90), cont(2), cont(3) else { return false }; i += 4
        case 0xF1...0xF3: guard cont(1), cont(2), cont(3) else { return false }; i += 4
        case 0xF4: guard cont(1, 0x80, 0x8F), cont(2), cont(3) else { return false }; i += 4
        default: return false
        }
        return true
    }

    @inline(__always) func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }

    /// A JSON number, as JSONParser's grammar has it; notes its integer digits and exponent.
    mutating func number() -> Bool {
        if peek == UInt8(ascii: "-") { i += 1 }
        guard i < n, isDigit(p[i]) else { return false }
        let intStart = i
        sawExponent = false
        if p[i] == 0x30 { i += 1 } else { while i < n, isDigit(p[i]) { i += 1 } }
        intDigits = i &- intStart
        if i < n, p[i] == UInt8(ascii: ".") {
            i += 1
            guard i < n, isDigit(p[i]) else { return false }
            while i < n, isDigit(p[i]) { i += 1 }
        }
        if i < n, p[i] | 0x20 == UInt8(ascii: "e") {
            sawExponent = true
            i += 1
            if i < n, p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-") { i += 1 }
            guard i < n, isDigit(p[i]) else { return false }
            while i < n, isDigit(p[i]) { i += 1 }
        }
        return true
    }

    mutating func literal(_ w: StaticString) -> Bool {
        let k = w.utf8CodeUnitCount
        guard i + k <= n, memcmp(p + i, w.utf8Start, k) == 0 else { return false }
        i += k
        return true
    }

    /// Any value (compact form), nested objects and arrays included.
    mutating func value(depth: Int) -> Bool {
        guard i < n else { return false }
        switch p[i] {
        case 0x22: return string()
        case UInt8(ascii: "t"): return literal("true")
        case UInt8(ascii: "f"): return literal("false")
        case UInt8(ascii: "n"): return literal("null")
        case UInt8(ascii: "{"):
            guard depth < RecordView.maxDepth else { return false }
            i += 1
            if peek == UInt8(ascii: "}") { i += 1; return true }
            while true {
                guard peek == 0x22, string(), peek == UInt8(ascii: ":") else { return false }
                i += 1
                guard value(depth: depth + 1) else { return false }
                let c = peek
                i += 1
                if c == UInt8(ascii: ",") { continue }
                return c == UInt8(ascii: "}")
            }
        case UInt8(ascii: "["):
            guard depth < RecordView.maxDepth else { return false }
            i += 1
            if peek == UInt8(ascii: "]") { i += 1; return true }
            while true {
                guard value(depth: depth + 1) else { return false }
                let c = peek
                i += 1
                if c == UInt8(ascii: ",") { continue }
                return c == UInt8(ascii: "]")
            }
        default: return number()
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
