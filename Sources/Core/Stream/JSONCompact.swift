/// Checks that text is exactly one strict JSON value (RFC 8259: no raw control characters in
/// strings, no trailing commas, no NaN) and writes it on one line without the whitespace between
/// tokens. Strings, numbers and member order are copied as written, so nothing but layout changes.
/// This is Eventum's `json` formatter (which rejects what does not parse) at byte level.
///
/// The scan reads and writes through raw pointers (runs of spaces and string bytes eight at a
/// time). `appendQuoted` writes the compact text already as one JSON string, so a host that puts
/// the event in a record's member checks, compacts and escapes it in one pass.
public enum JSONCompact {
    /// Appends the compact form of `b` to `out`; a `JSONParser.SyntaxError` (with the byte offset)
    /// when `b` is not one JSON value. On error `out` is unchanged.
    public static func append(_ b: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) throws {
        let d = UnsafeMutablePointer<UInt8>.allocate(capacity: max(b.count, 1))
        defer { d.deallocate() }
        let n = try write(b, quoted: false, into: d)
        out.append(contentsOf: UnsafeBufferPointer(start: d, count: n))
    }

    /// The room `write` needs for `count` input bytes.
    @inline(__always)
    public static func bound(_ count: Int, quoted: Bool) -> Int { quoted ? count &* 2 &+ 2 : count }

    /// Writes the compact form of `b` at `d` (which has room for `bound(b.count, quoted:)` bytes)
    /// and returns its length. With `quoted` the text is written as a JSON string: in quotes, with
    /// `"` and `\` escaped (the bytes `JSONWriter.appendString(bytes:)` makes of the compact form).
    public static func write(_ b: UnsafeBufferPointer<UInt8>, quoted: Bool, into d: UnsafeMutablePointer<UInt8>) throws -> Int {
        guard let src = b.baseAddress, b.count > 0 else { throw JSONParser.SyntaxError(offset: 0, message: "expected a JSON value, found the end") }
        var s = Scanner(p: src, n: b.count, d: d, quoted: quoted)
        if quoted { s.put(0x22) }
        s.space()
        try s.value(depth: 0)
        s.space()
        if s.i < s.n { throw s.fail("expected the end of the event after the JSON value, found \(s.here())") }
        if quoted { s.put(0x22) }
        return s.j
    }

    struct Scanner {
        let p: UnsafePointer<UInt8>
        let n: Int
        let d: UnsafeMutablePointer<UInt8>
        let quoted: Bool
        var i = 0, j = 0

        init(p: UnsafePointer<UInt8>, n: Int, d: UnsafeMutablePointer<UInt8>, quoted: Bool) {
            self.p = p; self.n = n; self.d = d; self.quoted = quoted
        }

        func fail(_ m: String) -> JSONParser.SyntaxError { JSONParser.SyntaxError(offset: i, message: m) }

        func here() -> String {
            guard i < n else { return "the end" }
            let c = p[i]
            return c >= 0x20 && c < 0x7F ? "'\(Character(Unicode.Scalar(c)))'" : "byte 0x\(String(c, radix: 16))"
        }

        @inline(__always) mutating func put(_ c: UInt8) { d[j] = c; j &+= 1 }

        /// Copies `count` input bytes from `from` as they stand.
        @inline(__always) mutating func copy(from: Int, count: Int) {
            (d + j).update(from: p + from, count: count)
            j &+= count
        }

        /// A `"` or `\` of the text itself: escaped when writing a JSON string.
        @inline(__always) mutating func putQuotable(_ c: UInt8) {
            if quoted { d[j] = 0x5C; j &+= 1 }
            d[j] = c
            j &+= 1
        }

        mutating func space() {
            let raw = UnsafeRawPointer(p)
            while i < n {
                // Indentation eight spaces at a time.
                if i &+ 8 <= n, raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) == 0x2020_2020_2020_2020 { i &+= 8; continue }
                let c = p[i]
                guard c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 else { return }
                i &+= 1
            }
        }

        mutating func value(depth: Int) throws {
            guard depth < 512 else { throw fail("JSON nested more than 512 levels deep") }
            guard i < n else { throw fail("expected a JSON value, found the end") }
            switch p[i] {
            case 0x7B: try container(close: 0x7D, depth: depth)
            case 0x5B: try container(close: 0x5D, depth: depth)
            case 0x22: try string()
            case 0x74: try word("true")
            case 0x66: try word("false")
            case 0x6E: try word("null")
            case 0x2D, 0x30...0x39: try number()
            default: throw fail("expected a JSON value, found \(here())")
            }
        }

        mutating func container(close: UInt8, depth: Int) throws {
            put(p[i])
            i &+= 1
            space()
            if i < n, p[i] == close { put(close); i &+= 1; return }
            while true {
                if close == 0x7D {
                    guard i < n, p[i] == 0x22 else { throw fail("expected a member name in quotes, found \(here())") }
                    try string()
                    space()
                    guard i < n, p[i] == 0x3A else { throw fail("expected ':' after the member name, found \(here())") }
                    put(0x3A)
                    i &+= 1
                    space()
                }
                try value(depth: depth &+ 1)
                space()
                guard i < n else { throw fail("expected ',' or '\(Character(Unicode.Scalar(close)))', found the end") }
                if p[i] == close { put(close); i &+= 1; return }
                guard p[i] == 0x2C else { throw fail("expected ',' or '\(Character(Unicode.Scalar(close)))', found \(here())") }
                put(0x2C)
                i &+= 1
                space()
            }
        }

        mutating func word(_ w: StaticString) throws {
            let k = w.utf8CodeUnitCount
            guard i &+ k <= n else { throw fail("expected \(w), found \(here())") }
            for m in 0..<k where p[i &+ m] != w.utf8Start[m] { throw fail("expected \(w), found \(here())") }
            copy(from: i, count: k)
            i &+= k
        }

        mutating func digits() -> Int {
            let s = i
            while i < n, p[i] >= 0x30, p[i] <= 0x39 { i &+= 1 }
            return i &- s
        }

        mutating func number() throws {
            let start = i
            if p[i] == 0x2D { i &+= 1 }
            guard i < n, p[i] >= 0x30, p[i] <= 0x39 else { throw fail("expected a digit after '-', found \(here())") }
            if p[i] == 0x30 {
                i &+= 1
                if i < n, p[i] >= 0x30, p[i] <= 0x39 { throw fail("a number cannot have a leading zero") }
            } else { _ = digits() }
            if i < n, p[i] == 0x2E {
                i &+= 1
                guard digits() > 0 else { throw fail("expected a digit after the decimal point, found \(here())") }
            }
            if i < n, p[i] == 0x65 || p[i] == 0x45 {
                i &+= 1
                if i < n, p[i] == 0x2B || p[i] == 0x2D { i &+= 1 }
                guard digits() > 0 else { throw fail("expected a digit in the exponent, found \(here())") }
            }
            copy(from: start, count: i &- start)
        }

        mutating func string() throws {
            let start = i
            putQuotable(0x22)
            i &+= 1
            let all = UnsafeBufferPointer(start: p, count: n)
            while true {
                // The clean run up to the next quote, backslash or control byte, in one copy.
                let k = JSONWriter.firstEscapable(in: all, from: i)
                copy(from: i, count: k &- i)
                i = k
                guard i < n else { i = start; throw fail("a string that starts here is not closed") }
                let c = p[i]
                if c == 0x22 { putQuotable(0x22); i &+= 1; return }
                if c < 0x20 { throw fail("a raw control character (byte 0x\(String(c, radix: 16))) inside a string: write it as an escape") }
                // A backslash: the escape sequence is checked and copied (its backslash escaped).
                i &+= 1
                guard i < n else { throw fail("a string ends in a backslash") }
                switch p[i] {
                case 0x22, 0x5C:
                    putQuotable(0x5C); putQuotable(p[i]); i &+= 1
                case 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74:
                    putQuotable(0x5C); put(p[i]); i &+= 1
                case 0x75:
                    guard i &+ 4 < n, (1...4).allSatisfy({ k in
                        let h = p[i &+ k]
                        return (h >= 0x30 && h <= 0x39) || (h >= 0x41 && h <= 0x46) || (h >= 0x61 && h <= 0x66)
                    }) else { throw fail("\\u must be followed by four hex digits") }
                    putQuotable(0x5C)
                    copy(from: i, count: 5)
                    i &+= 5
                default: throw fail("unknown escape '\\\(here())' in a string")
                }
            }
        }
    }
}
