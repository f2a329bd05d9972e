/// The backtracking matcher behind `Strptime`: tries each directive's candidate lengths in the
/// order Python's regular expression alternatives would, and captures the fields.
struct StrptimeMatcher {
    let elements: [Strptime.Element]
    let text: UnsafeBufferPointer<UInt8>

    static let days: [[UInt8]] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"].map { Array($0.utf8) }
    static let months: [[UInt8]] = ["january", "february", "march", "april", "may", "june", "july", "august",
                                    "september", "october", "november", "december"].map { Array($0.utf8) }

    @inline(__always) func lower(_ c: UInt8) -> UInt8 { c >= 65 && c <= 90 ? c | 0x20 : c }
    @inline(__always) func digit(_ p: Int) -> Int? {
        guard p < text.count, text[p] >= 48, text[p] <= 57 else { return nil }
        return Int(text[p] - 48)
    }

    /// Matches elements from `e` at text position `p`; returns the end position of the first match.
    mutating func match(_ e: Int, _ p: Int, _ f: inout StrptimeFields) -> Int? {
        guard e < elements.count else { return p }
        switch elements[e] {
        case .literal(let c):
            guard p < text.count, lower(text[p]) == lower(c) else { return nil }
            return match(e + 1, p + 1, &f)
        case .space:
            var q = p
            while q < text.count, Strptime.isSpace(text[q]) { q += 1 }
            guard q > p else { return nil }
            // \s+ is greedy: try the longest run first, then shorter ones.
            while q > p {
                if let r = match(e + 1, q, &f) { return r }
                q -= 1
            }
            return nil
        case .directive(let d):
            for (len, value) in candidates(d, p) {
                var g = f
                g.set(d, value, text: text, from: p, len: len)
                if let r = match(e + 1, p + len, &g) { f = g; return r }
            }
            return nil
        }
    }

    /// Numeric candidates of `minLen...maxLen` digits with a value in `range`, longest first.
    func numbers(_ p: Int, _ minLen: Int, _ maxLen: Int, _ range: ClosedRange<Int>) -> [(Int, Int)] {
        var out: [(Int, Int)] = []
        var v = 0, values: [Int] = []
        for k in 0..<maxLen {
            guard let d = digit(p + k) else { break }
            v = v * 10 + d
            values.append(v)
        }
        var len = values.count
        while len >= minLen && len > 0 {
            if range.contains(values[len - 1]) { out.append((len, values[len - 1])) }
            len -= 1
        }
        return out
    }

    /// Name candidates (index into `names`), longest first: whole names, or 3-letter abbreviations.
    func names(_ p: Int, _ names: [[UInt8]], full: Bool) -> [(Int, Int)] {
        var out: [(Int, Int)] = []
        for (i, n) in names.enumerated() {
            let len = full ? n.count : 3
            guard p + len <= text.count else { continue }
            var ok = true
            for k in 0..<len where lower(text[p + k]) != n[k] { ok = false; break }
            if ok { out.append((len, i)) }
        }
        return out.sorted { $0.0 > $1.0 }
    }

    /// The candidate (length, value) pairs of directive `d` at `p`, in Python's preference order.
    func candidates(_ d: UInt8, _ p: Int) -> [(Int, Int)] {
        switch d {
        case 100, 101:                                       // d e
            var c = numbers(p, 1, 2, 1...31)
            if p + 1 < text.count, text[p] == 32, let x = digit(p + 1), x > 0 { c.append((2, x)) }
            return c
        case 109: return numbers(p, 1, 2, 1...12)            // m
        case 121: return numbers(p, 2, 2, 0...99)            // y
        case 89, 71: return numbers(p, 4, 4, 0...9999)       // Y G
        case 72: return numbers(p, 1, 2, 0...23)             // H
        case 73: return numbers(p, 1, 2, 1...12)             // I
        case 77: return numbers(p, 1, 2, 0...59)             // M
        case 83: return numbers(p, 1, 2, 0...59)             // S
        case 106: return numbers(p, 1, 3, 1...366)           // j
        case 85, 87: return numbers(p, 1, 2, 0...53)         // U W
        case 86: return numbers(p, 1, 2, 1...53)             // V
        case 119: return numbers(p, 1, 1, 0...6)             // w
        case 117: return numbers(p, 1, 1, 1...7)             // u
        case 102:                                            // f: value is the digits right-padded
            return numbers(p, 1, 6, 0...999_999).map { (len, v) in
                var x = v
                for _ in len..<6 { x *= 10 }
                return (len, x)
            }
        case 97: return names(p, Self.days, full: false)                                        // a
        case 65: return names(p, Self.days, full: true)                                         // A
        case 98: return names(p, Self.months, full: false)                                      // b
        case 66: return names(p, Self.months, full: true)                                       // B
        case 112:                                                                               // p
            guard p + 1 < text.count, lower(text[p + 1]) == 109 else { return [] }
            let c = lower(text[p])
            return c == 97 ? [(2, 0)] : c == 112 ? [(2, 1)] : []
        case 122: return offsets(p)                                                             // z
        case 90:                                                                                // Z
            var n = 0
            while n < 6, p + n < text.count, (lower(text[p + n]) >= 97 && lower(text[p + n]) <= 122) { n += 1 }
            return n == 0 ? [] : (1...n).reversed().map { ($0, 0) }
        case 115:                                                                               // s: value unused
            var q = p
            if q < text.count, text[q] == 45 { q += 1 }
            var n = 0
            // At most 18 digits, so StrptimeFields.epoch never overflows (19 once trapped).
            while n < 18, digit(q + n) != nil { n += 1 }
            guard n > 0 else { return [] }
            var out: [(Int, Int)] = []
            if n <= 10, q + n < text.count, text[q + n] == 46 {
                var k = 0
                while k < 6, digit(q + n + 1 + k) != nil { k += 1 }
                for fl in stride(from: k, through: 1, by: -1) { out.append((q - p + n + 1 + fl, 0)) }
            }
            for len in stride(from: n, through: 1, by: -1) { out.append((q - p + len, 0)) }
            return out
        default: return []
        }
    }

    /// `%z` candidates: `Z`, `±hh[:]mm[[:]ss[.ffffff]]`, longest first; the value is seconds east.
    func offsets(_ p: Int) -> [(Int, Int)] {
        guard p < text.count else { return [] }
        if text[p] == 90 || text[p] == 122 { return [(1, 0)] }
        guard text[p] == 43 || text[p] == 45 else { return [] }
        let sign = text[p] == 45 ? -1 : 1
        guard let h1 = digit(p + 1), let h2 = digit(p + 2) else { return [] }
        var q = p + 3
        if q < text.count, text[q] == 58 { q += 1 }
        guard let m1 = digit(q), m1 <= 5, let m2 = digit(q + 1) else { return [] }
        q += 2
        let base = (h1 * 10 + h2) * 3600 + (m1 * 10 + m2) * 60
        var out = [(q - p, sign * base)]
        var r = q
        if r < text.count, text[r] == 58 { r += 1 }
        if let s1 = digit(r), s1 <= 5, let s2 = digit(r + 1) {
            out.insert((r + 2 - p, sign * (base + s1 * 10 + s2)), at: 0)
        }
        return out
    }
}
