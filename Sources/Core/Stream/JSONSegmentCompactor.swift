#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `JSONCompact.write(_:quoted: true, into:)` for text made of template literals and the values
/// between them, with the work on the literals done once: the scan is a resumable state
/// machine, so the same bytes scanned from the same state give the same output and the same
/// state after them. The host names where its literals landed (`TextSpan`, as a renderer notes
/// them); a span is taken from a cache (keyed by the literal's address) when the cached scan
/// started in the current state from the same bytes as the text holds there (compared), else
/// scanned and cached. The bytes between spans are scanned, but for the two usual values of a
/// template: a string's text without escapes (copied a word at a time) and an integer after a
/// colon. The spans are hints only: a wrong one costs a scan, never a wrong byte.
///
/// It accepts exactly what `JSONCompact` accepts up to a nesting depth of 60 and reports nothing
/// else: `append` returns false for text it does not accept (not JSON, or nested deeper), and
/// the caller then uses `JSONCompact`, which gives the exact error (or the output, for a deep
/// document). Not thread-safe: one per renderer.
public final class JSONSegmentCompactor {
    /// A literal's place in the text: its offset in the text, where its bytes live (the
    /// template's own storage: stable for the template's life) and its length.
    public struct TextSpan {
        public var offset: Int
        public var text: UnsafePointer<UInt8>
        public var count: Int
        public init(offset: Int, text: UnsafePointer<UInt8>, count: Int) {
            self.offset = offset; self.text = text; self.count = count
        }
    }

    /// Where the scan is between two bytes.
    struct State: Equatable {
        /// The mode (bits 0-7), `sub` (bits 8-15) and the depth (bits 16-31) in one word: the
        /// cache's check of a state is two comparisons. All zero is `.value` at the top level.
        private var head: UInt32 = 0
        /// Bit k: the container at depth k + 1 is an object.
        var objects: UInt64 = 0

        var mode: Mode {
            // The byte holds the mode's own one-byte representation, so it is always a mode.
            @inline(__always) get { unsafeBitCast(UInt8(truncatingIfNeeded: head), to: Mode.self) }
            @inline(__always) set { head = head & ~0xFF | UInt32(unsafeBitCast(newValue, to: UInt8.self)) }
        }
        /// Within a string: 0, 1 after a backslash, 2...5 the hex digits of `\u` still to come
        /// plus one. Within a number: its `NumberPart`. Within a literal: its index in `literals`
        /// times 8 plus the bytes matched.
        var sub: UInt8 {
            @inline(__always) get { UInt8(truncatingIfNeeded: head &>> 8) }
            @inline(__always) set { head = head & ~0xFF00 | UInt32(newValue) &<< 8 }
        }
        /// The open containers (at most `maxDepth`).
        var depth: Int32 {
            @inline(__always) get { Int32(truncatingIfNeeded: head &>> 16) }
            @inline(__always) set { head = head & 0xFFFF | UInt32(truncatingIfNeeded: newValue) &<< 16 }
        }
    }

    enum Mode: UInt8 {
        case value, valueOrClose, key, keyOrClose, colon, after, keyString, valueString, number, literal
    }

    /// The parts of a number, as `JSONCompact`'s number scan reads them.
    enum NumberPart {
        static let sign: UInt8 = 1, zero: UInt8 = 2, integer: UInt8 = 3, point: UInt8 = 4, fraction: UInt8 = 5
        static let exponentMark: UInt8 = 6, exponentSign: UInt8 = 7, exponent: UInt8 = 8
        static func canEnd(_ p: UInt8) -> Bool { p == zero || p == integer || p == fraction || p == exponent }
    }

    static let literals: [[UInt8]] = [Array("true".utf8), Array("false".utf8), Array("null".utf8)]
    static let maxDepth: Int32 = 60

    /// A literal's scan: the literal (its address), the state before and after it, the bytes it
    /// was made from and its output (both in one allocation, input first).
    struct Entry {
        var key = 0
        var before = State()
        var after = State()
        var bytes: UnsafeMutablePointer<UInt8>? = nil
        var inputCount = 0
        var outputCount = 0
        /// The entry of the literal that came next the last time (a guess that saves the probe).
        var next: UnsafeMutablePointer<Entry>? = nil
    }

    /// The cache: open-addressed by the literal's address (linear probing; key 0 is a free
    /// slot), at most half full: past `limit` literals it starts again empty. A literal met in
    /// another scanner state than its entry's is scanned and its entry replaced. Each entry
    /// remembers the entry of the literal after it (`next`), tried before the probe.
    private let entries: UnsafeMutablePointer<Entry>
    private static let slotBits = 12
    private static let limit = 1 << (slotBits - 1)
    private var used = 0
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int

    public init() {
        capacity = 1 << 14
        base = .allocate(capacity: capacity)
        entries = .allocate(capacity: 1 << Self.slotBits)
        entries.initialize(repeating: Entry(), count: 1 << Self.slotBits)
    }

    deinit {
        base.deallocate()
        for k in 0..<(1 << Self.slotBits) { entries[k].bytes?.deallocate() }
        entries.deallocate()
    }

    /// Empties the cache.
    private func clear() {
        for k in 0..<(1 << Self.slotBits) {
            entries[k].bytes?.deallocate()
            entries[k] = Entry()
        }
        used = 0
    }

    @inline(__always)
    static func slot(_ key: Int) -> Int {
        Int(truncatingIfNeeded: (UInt64(bitPattern: Int64(key)) &* 0x9E37_79B9_7F4A_7C15) >> UInt64(64 - slotBits))
    }

    /// Appends the compact form of `bytes` as one JSON string (what
    /// `JSONEscaper.appendCompactJSON` appends) and returns true; returns false, with `out`
    /// unchanged, when the text is not one JSON value or is nested more than 60 levels deep.
    public func append(_ bytes: UnsafeBufferPointer<UInt8>, spans: [TextSpan], to out: inout [UInt8]) -> Bool {
        guard let p = bytes.baseAddress, bytes.count > 0 else { return false }
        let n = bytes.count
        let need = JSONCompact.bound(n, quoted: true)
        if need > capacity {
            base.deallocate()
            capacity = max(need, capacity &* 2)
            base = .allocate(capacity: capacity)
        }
        let d = base
        var j = 0
        d[j] = 0x22
        j &+= 1
        var state = State()
        var cursor = 0
        var previous: UnsafeMutablePointer<Entry>? = nil
        for span in spans {
            let end = span.offset &+ span.count
            guard span.offset >= cursor, end <= n, span.count > 0 else { continue }
            if span.offset > cursor {
                // A value inside a string (the usual `"{{ x }}"`) without quotes, backslashes or
                // control bytes is copied as it stands; anything else is scanned.
                let gap = span.offset &- cursor
                if state.mode == .valueString && state.sub == 0 && Self.stringRun(p + cursor, 0, gap, n &- cursor, d, j) == gap {
                    j &+= gap
                } else if state.mode == .value, let part = Self.integer(p + cursor, gap, d + j) {
                    // A whole integer (`"port": {{ n }}`): a number that may go on.
                    j &+= gap
                    state.mode = .number
                    state.sub = part
                } else {
                    guard Self.scan(p + cursor, gap, n &- cursor, &state, d, &j) else { return false }
                }
            }
            let key = Int(bitPattern: span.text)
            let here = p + span.offset
            var e: UnsafeMutablePointer<Entry>
            if let guess = previous?.pointee.next, guess.pointee.key == key {
                e = guess
            } else {
                e = entries + Self.slot(key)
                while e.pointee.key != key && e.pointee.key != 0 { e = entries + ((e - entries + 1) & ((1 << Self.slotBits) - 1)) }
                previous?.pointee.next = e
            }
            if e.pointee.key == key, e.pointee.before == state, e.pointee.inputCount == span.count,
               let cached = e.pointee.bytes, memcmp(here, cached, span.count) == 0 {
                UnsafeMutableRawPointer(d + j).copyMemory(from: cached + span.count, byteCount: e.pointee.outputCount)
                j &+= e.pointee.outputCount
                state = e.pointee.after
            } else {
                let before = state, start = j
                guard Self.scan(here, span.count, n &- span.offset, &state, d, &j) else { return false }
                let outputCount = j &- start
                if e.pointee.key == 0 {
                    if used == Self.limit { clear(); e = entries + Self.slot(key) }
                    used &+= 1
                }
                e.pointee.bytes?.deallocate()
                let b = UnsafeMutablePointer<UInt8>.allocate(capacity: span.count &+ outputCount)
                b.update(from: here, count: span.count)
                (b + span.count).update(from: d + start, count: outputCount)
                e.pointee = Entry(key: key, before: before, after: state, bytes: b, inputCount: span.count, outputCount: outputCount)
            }
            previous = e
            cursor = end
        }
        if cursor < n {
            guard Self.scan(p + cursor, n &- cursor, n &- cursor, &state, d, &j) else { return false }
        }
        // The end: a complete value at the top level.
        if state.mode == .number, NumberPart.canEnd(state.sub) { state.mode = .after }
        guard state.mode == .after, state.depth == 0 else { return false }
        d[j] = 0x22
        j &+= 1
        out.append(contentsOf: UnsafeBufferPointer(start: d, count: j))
        return true
    }

    /// The high bit of each byte of `w` that is a quote, a backslash or a control byte.
    @inline(__always)
    static func special(_ w: UInt64) -> UInt64 {
        let q = w ^ 0x2222_2222_2222_2222, b = w ^ 0x5C5C_5C5C_5C5C_5C5C
        return (((w &- 0x2020_2020_2020_2020) & ~w) | ((q &- 0x0101_0101_0101_0101) & ~q)
            | ((b &- 0x0101_0101_0101_0101) & ~b)) & 0x8080_8080_8080_8080
    }

    /// When the `count` bytes at `p` are an integer without a sign (digits, no leading zero):
    /// copies them to `d` and returns the number part they end in (`zero` or `integer`).
    @inline(__always)
    static func integer(_ p: UnsafePointer<UInt8>, _ count: Int, _ d: UnsafeMutablePointer<UInt8>) -> UInt8? {
        guard p[0] &- 0x30 < 10 else { return nil }
        if p[0] == 0x30 {
            guard count == 1 else { return nil }
            d[0] = 0x30
            return NumberPart.zero
        }
        for k in 0..<count {
            let c = p[k]
            guard c &- 0x30 < 10 else { return nil }
            d[k] = c
        }
        return NumberPart.integer
    }

    /// Within a string from byte `i` (of `count`; `avail` >= `count` may be read): copies the run
    /// up to the next quote, backslash or control byte to `d + j` and returns where it ends
    /// (`count` when it takes the rest). Eight bytes at a time while a word can be read, the
    /// bytes past `count` in the last one treated as special. The output so far is at most twice
    /// the input read, so a word written where a word can be read stays within the output's
    /// bound.
    @inline(__always)
    static func stringRun(_ p: UnsafePointer<UInt8>, _ i: Int, _ count: Int, _ avail: Int, _ d: UnsafeMutablePointer<UInt8>, _ j: Int) -> Int {
        let src = UnsafeRawPointer(p + i), dst = UnsafeMutableRawPointer(d + j)
        let n = count &- i
        var k = 0
        while k &+ 8 <= n {
            let w = src.loadUnaligned(fromByteOffset: k, as: UInt64.self)
            let hit = special(w)
            dst.storeBytes(of: w, toByteOffset: k, as: UInt64.self)
            if hit != 0 { return i &+ k &+ (hit.trailingZeroBitCount &>> 3) }
            k &+= 8
        }
        guard k < n else { return count }
        if i &+ k &+ 8 <= avail {
            // The last word: bytes past the run's end stop it as a special byte would.
            let w = src.loadUnaligned(fromByteOffset: k, as: UInt64.self)
            let hit = special(w) | (0x8080_8080_8080_8080 &<< UInt64((n &- k) &* 8))
            dst.storeBytes(of: w, toByteOffset: k, as: UInt64.self)
            return i &+ k &+ (hit.trailingZeroBitCount &>> 3)
        }
        // The last few bytes of the text one at a time.
        while k < n {
            let c = src.load(fromByteOffset: k, as: UInt8.self)
            if c == 0x22 || c == 0x5C || c < 0x20 { break }
            dst.storeBytes(of: c, toByteOffset: k, as: UInt8.self)
            k &+= 1
        }
        return i &+ k
    }

    /// Whether `c` is JSON whitespace.
    @inline(__always)
    static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 }

    @inline(__always)
    static func isHex(_ c: UInt8) -> Bool { (c >= 0x30 && c <= 0x39) || (c | 0x20 >= 0x61 && c | 0x20 <= 0x66) }

    /// Scans `count` bytes at `p` from `state`, writing the compact output at `d + j`; false when
    /// they cannot continue a JSON value from that state. `avail` (at least `count`) bytes at `p`
    /// may be read.
    static func scan(_ p: UnsafePointer<UInt8>, _ count: Int, _ avail: Int, _ state: inout State, _ d: UnsafeMutablePointer<UInt8>, _ j: inout Int) -> Bool {
        var s = state
        var i = 0
        let raw = UnsafeRawPointer(p)
        while i < count {
            let c = p[i]
            switch s.mode {
            case .keyString, .valueString:
                if s.sub == 0 {
                    // Runs of plain bytes and the escapes between them, to the string's end.
                    run: while true {
                        let end = stringRun(p, i, count, avail, d, j)
                        j &+= end &- i
                        i = end
                        guard i < count else { break run }
                        let c = p[i]
                        i &+= 1
                        if c == 0x22 {
                            d[j] = 0x5C; d[j &+ 1] = 0x22; j &+= 2
                            s.mode = s.mode == .keyString ? .colon : .after
                            break run
                        }
                        guard c == 0x5C else { return false }
                        d[j] = 0x5C; d[j &+ 1] = 0x5C; j &+= 2
                        guard i < count else { s.sub = 1; break run }
                        let e = p[i]
                        i &+= 1
                        switch e {
                        case 0x22, 0x5C:
                            d[j] = 0x5C; d[j &+ 1] = e; j &+= 2
                        case 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74:
                            d[j] = e; j &+= 1
                        case 0x75:
                            d[j] = e; j &+= 1
                            s.sub = 5
                            break run
                        default: return false
                        }
                    }
                } else if s.sub == 1 {
                    i &+= 1
                    switch c {
                    case 0x22, 0x5C:
                        d[j] = 0x5C; d[j &+ 1] = c; j &+= 2
                        s.sub = 0
                    case 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74:
                        d[j] = c; j &+= 1
                        s.sub = 0
                    case 0x75:
                        d[j] = c; j &+= 1
                        s.sub = 5
                    default: return false
                    }
                } else {
                    guard isHex(c) else { return false }
                    i &+= 1
                    d[j] = c; j &+= 1
                    s.sub = s.sub == 2 ? 0 : s.sub &- 1
                }
            case .number:
                let digit = c >= 0x30 && c <= 0x39
                switch s.sub {
                case NumberPart.sign:
                    guard digit else { return false }
                    s.sub = c == 0x30 ? NumberPart.zero : NumberPart.integer
                case NumberPart.zero, NumberPart.integer, NumberPart.fraction:
                    if digit {
                        if s.sub == NumberPart.zero { return false }
                    } else if c == 0x2E && s.sub != NumberPart.fraction {
                        s.sub = NumberPart.point
                    } else if c == 0x65 || c == 0x45 {
                        s.sub = NumberPart.exponentMark
                    } else {
                        // The number ended before this byte, which is read again after it.
                        s.mode = .after
                        continue
                    }
                case NumberPart.point:
                    guard digit else { return false }
                    s.sub = NumberPart.fraction
                case NumberPart.exponentMark:
                    if c == 0x2B || c == 0x2D { s.sub = NumberPart.exponentSign } else if digit { s.sub = NumberPart.exponent } else { return false }
                case NumberPart.exponentSign:
                    guard digit else { return false }
                    s.sub = NumberPart.exponent
                default:
                    if !digit { s.mode = .after; continue }
                }
                d[j] = c; j &+= 1
                i &+= 1
            case .literal:
                let word = literals[Int(s.sub >> 3)]
                let k = Int(s.sub & 7)
                guard c == word[k] else { return false }
                d[j] = c; j &+= 1
                i &+= 1
                if k &+ 1 == word.count { s.mode = .after } else { s.sub &+= 1 }
            default:
                // Between tokens: whitespace is dropped (indentation eight spaces at a time).
                if isSpace(c) {
                    if c == 0x20, i &+ 8 <= count, raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) == 0x2020_2020_2020_2020 { i &+= 8 } else { i &+= 1 }
                    continue
                }
                i &+= 1
                switch s.mode {
                case .value, .valueOrClose:
                    if c == 0x5D && s.mode == .valueOrClose { guard close(&s, object: false, d, &j) else { return false }; continue }
                    switch c {
                    case 0x7B, 0x5B:
                        guard s.depth < maxDepth else { return false }
                        let object = c == 0x7B
                        if object { s.objects |= 1 << UInt64(s.depth) } else { s.objects &= ~(1 << UInt64(s.depth)) }
                        s.depth &+= 1
                        s.mode = object ? .keyOrClose : .valueOrClose
                        d[j] = c; j &+= 1
                    case 0x22:
                        d[j] = 0x5C; d[j &+ 1] = 0x22; j &+= 2
                        s.mode = .valueString
                        s.sub = 0
                    case 0x2D:
                        d[j] = c; j &+= 1
                        s.mode = .number
                        s.sub = NumberPart.sign
                    case 0x30...0x39:
                        d[j] = c; j &+= 1
                        s.mode = .number
                        s.sub = c == 0x30 ? NumberPart.zero : NumberPart.integer
                    case 0x74, 0x66, 0x6E:
                        d[j] = c; j &+= 1
                        s.mode = .literal
                        s.sub = (c == 0x74 ? 0 : c == 0x66 ? 8 : 16) | 1
                    default: return false
                    }
                case .key, .keyOrClose:
                    if c == 0x7D && s.mode == .keyOrClose { guard close(&s, object: true, d, &j) else { return false }; continue }
                    guard c == 0x22 else { return false }
                    d[j] = 0x5C; d[j &+ 1] = 0x22; j &+= 2
                    s.mode = .keyString
                    s.sub = 0
                case .colon:
                    guard c == 0x3A else { return false }
                    d[j] = c; j &+= 1
                    s.mode = .value
                default:
                    // After a value: a comma or the close of its container.
                    guard s.depth > 0 else { return false }
                    let object = s.objects & (1 << UInt64(s.depth &- 1)) != 0
                    if c == 0x2C {
                        d[j] = c; j &+= 1
                        s.mode = object ? .key : .value
                    } else {
                        guard c == (object ? 0x7D : 0x5D), close(&s, object: object, d, &j) else { return false }
                    }
                }
            }
        }
        state = s
        return true
    }

    /// Closes the innermost container (an object when `object`), which must be of that kind.
    @inline(__always)
    static func close(_ s: inout State, object: Bool, _ d: UnsafeMutablePointer<UInt8>, _ j: inout Int) -> Bool {
        guard s.depth > 0, (s.objects & (1 << UInt64(s.depth &- 1)) != 0) == object else { return false }
        s.depth &-= 1
        s.mode = .after
        d[j] = object ? 0x7D : 0x5D
        j &+= 1
        return true
    }
}
