/// Checks that text is exactly one strict JSON value (RFC 8259: no raw control characters in
/// strings, no trailing commas, no NaN) and writes it on one line without the whitespace between
/// tokens. Strings, numbers and member order are copied as written, so nothing but layout changes.
/// This is Eventum's `json` formatter (which rejects what does not parse) at byte level.
public enum JSONCompact {
    /// Appends the compact form of `b` to `out`; a `JSONParser.SyntaxError` (with the byte offset)
    /// when `b` is not one JSON value. On error `out` may hold part of the value.
    public static func append(_ b: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) throws {
        var s = Scanner(b: b)
        s.space()
        try s.value(depth: 0, &out)
        s.space()
        if s.i < b.count { throw s.fail("expected the end of the event after the JSON value, found \(s.here())") }
    }

    struct Scanner {
        let b: UnsafeBufferPointer<UInt8>
        var i = 0

        func fail(_ m: String) -> JSONParser.SyntaxError { JSONParser.SyntaxError(offset: i, message: m) }

        func here() -> String {
            guard i < b.count else { return "the end" }
            let c = b[i]
            return c >= 0x20 && c < 0x7F ? "'\(Character(Unicode.Scalar(c)))'" : "byte 0x\(String(c, radix: 16))"
        }

        mutating func space() {
            while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 }
        }

        mutating func value(depth: Int, _ out: inout [UInt8]) throws {
            guard depth < 512 else { throw fail("JSON nested more than 512 levels deep") }
            guard i < b.count else { throw fail("expected a JSON value, found the end") }
            switch b[i] {
            case 0x7B: try container(close: 0x7D, depth: depth, &out)
            case 0x5B: try container(close: 0x5D, depth: depth, &out)
            case 0x22: try string(&out)
            case 0x74: try word("true", &out)
            case 0x66: try word("false", &out)
            case 0x6E: try word("null", &out)
            case 0x2D, 0x30...0x39: try number(&out)
            default: throw fail("expected a JSON value, found \(here())")
            }
        }

        mutating func container(close: UInt8, depth: Int, _ out: inout [UInt8]) throws {
            out.append(b[i])
            i += 1
            space()
            if i < b.count, b[i] == close { out.append(close); i += 1; return }
            while true {
                if close == 0x7D {
                    guard i < b.count, b[i] == 0x22 else { throw fail("expected a member name in quotes, found \(here())") }
                    try string(&out)
                    space()
                    guard i < b.count, b[i] == 0x3A else { throw fail("expected ':' after the member name, found \(here())") }
                    out.append(0x3A)
                    i += 1
                    space()
                }
                try value(depth: depth + 1, &out)
                space()
                guard i < b.count else { throw fail("expected ',' or '\(Character(Unicode.Scalar(close)))', found the end") }
                if b[i] == close { out.append(close); i += 1; return }
                guard b[i] == 0x2C else { throw fail("expected ',' or '\(Character(Unicode.Scalar(close)))', found \(here())") }
                out.append(0x2C)
                i += 1
                space()
            }
        }

        mutating func word(_ w: StaticString, _ out: inout [UInt8]) throws {
            let n = w.utf8CodeUnitCount
            guard i + n <= b.count else { throw fail("expected \(w), found \(here())") }
            for k in 0..<n where b[i + k] != w.utf8Start[k] { throw fail("expected \(w), found \(here())") }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: b[i..<(i + n)]))
            i += n
        }

        mutating func digits() -> Int {
            let s = i
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
            return i - s
        }

        mutating func number(_ out: inout [UInt8]) throws {
            let start = i
            if b[i] == 0x2D { i += 1 }
            guard i < b.count, b[i] >= 0x30, b[i] <= 0x39 else { throw fail("expected a digit after '-', found \(here())") }
            if b[i] == 0x30 {
                i += 1
                if i < b.count, b[i] >= 0x30, b[i] <= 0x39 { throw fail("a number cannot have a leading zero") }
            } else { _ = digits() }
            if i < b.count, b[i] == 0x2E {
                i += 1
                guard digits() > 0 else { throw fail("expected a digit after the decimal point, found \(here())") }
            }
            if i < b.count, b[i] == 0x65 || b[i] == 0x45 {
                i += 1
                if i < b.count, b[i] == 0x2B || b[i] == 0x2D { i += 1 }
                guard digits() > 0 else { throw fail("expected a digit in the exponent, found \(here())") }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: b[start..<i]))
        }

        mutating func string(_ out: inout [UInt8]) throws {
            let start = i
            i += 1
            while true {
                guard i < b.count else { i = start; throw fail("a string that starts here is not closed") }
                let c = b[i]
                if c == 0x22 { i += 1; break }
                if c < 0x20 { throw fail("a raw control character (byte 0x\(String(c, radix: 16))) inside a string: write it as an escape") }
                if c == 0x5C {
                    i += 1
                    guard i < b.count else { throw fail("a string ends in a backslash") }
                    switch b[i] {
                    case 0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74: i += 1
                    case 0x75:
                        guard i + 4 < b.count, (1...4).allSatisfy({ k in
                            let h = b[i + k]
                            return (h >= 0x30 && h <= 0x39) || (h >= 0x41 && h <= 0x46) || (h >= 0x61 && h <= 0x66)
                        }) else { throw fail("\\u must be followed by four hex digits") }
                        i += 5
                    default: throw fail("unknown escape '\\\(here())' in a string")
                    }
                    continue
                }
                i += 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: b[start..<i]))
        }
    }
}
