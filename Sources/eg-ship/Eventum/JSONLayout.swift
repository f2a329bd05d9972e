/// The layout of Eventum's `json` and `json-batch` formatters, on bytes: a JSON text (any value,
/// RFC 8259) is validated and written again with its strings, numbers and literals exactly as they
/// were and only the whitespace between tokens changed, as msgspec's `json.format` does.
/// `indent` < 0: no whitespace at all; 0: one line with `", "` and `": "`; n > 0: one member per
/// line, indented by n spaces per level. Empty objects and arrays are `{}` and `[]`.
struct JSONLayout {
    /// Why a text is not JSON, with the byte offset.
    struct Invalid: Error, CustomStringConvertible {
        var message: String
        var offset: Int
        var description: String { "not valid JSON: \(message) at byte \(offset + 1)" }
    }

    let indent: Int
    /// Deeper nesting is refused (the parser recurses).
    static let maxDepth = 512

    /// Appends the laid-out form of `text` to `out`; throws `Invalid` (leaving `out` as it was).
    func append(_ text: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) throws {
        let start = out.count
        var p = Parser(b: text, layout: self)
        do {
            p.skipSpace()
            try p.value(&out, depth: 0)
            p.skipSpace()
            if p.i < text.count { throw p.fail("unexpected text after the value") }
        } catch {
            out.removeSubrange(start...)
            throw error
        }
    }

    private struct Parser {
        let b: UnsafeBufferPointer<UInt8>
        let layout: JSONLayout
        var i = 0

        init(b: UnsafeBufferPointer<UInt8>, layout: JSONLayout) {
            self.b = b
            self.layout = layout
        }

        func fail(_ m: String) -> Invalid { Invalid(message: m, offset: i) }

        mutating func skipSpace() {
            while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 }
        }

        func newline(_ out: inout [UInt8], depth: Int) {
            out.append(0x0A)
            out.append(contentsOf: repeatElement(0x20, count: layout.indent * depth))
        }

        /// The separator after `,` or before the first member of a container.
        func separate(_ out: inout [UInt8], depth: Int, first: Bool) {
            if layout.indent > 0 { newline(&out, depth: depth) } else if layout.indent == 0, !first { out.append(0x20) }
        }

        mutating func value(_ out: inout [UInt8], depth: Int) throws {
            guard i < b.count else { throw fail("unexpected end") }
            switch b[i] {
            case UInt8(ascii: "{"): try container(&out, depth: depth, close: UInt8(ascii: "}"), object: true)
            case UInt8(ascii: "["): try container(&out, depth: depth, close: UInt8(ascii: "]"), object: false)
            case UInt8(ascii: "\""): try string(&out)
            case UInt8(ascii: "t"): try literal("true", &out)
            case UInt8(ascii: "f"): try literal("false", &out)
            case UInt8(ascii: "n"): try literal("null", &out)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number(&out)
            default: throw fail("unexpected character '\(Unicode.Scalar(b[i]))'")
            }
        }

        mutating func container(_ out: inout [UInt8], depth: Int, close: UInt8, object: Bool) throws {
            guard depth < JSONLayout.maxDepth else { throw fail("nested more than \(JSONLayout.maxDepth) levels deep") }
            out.append(b[i])
            i += 1
            skipSpace()
            if i < b.count, b[i] == close {
                out.append(close)
                i += 1
                return
            }
            var first = true
            while true {
                separate(&out, depth: depth + 1, first: first)
                first = false
                if object {
                    guard i < b.count, b[i] == UInt8(ascii: "\"") else { throw fail("expected a member name in quotes") }
                    try string(&out)
                    skipSpace()
                    guard i < b.count, b[i] == UInt8(ascii: ":") else { throw fail("expected ':' after the member name") }
                    i += 1
                    out.append(UInt8(ascii: ":"))
                    if layout.indent >= 0 { out.append(0x20) }
                    skipSpace()
                }
                try value(&out, depth: depth + 1)
                skipSpace()
                guard i < b.count else { throw fail("unexpected end") }
                if b[i] == UInt8(ascii: ",") {
                    out.append(UInt8(ascii: ","))
                    i += 1
                    skipSpace()
                    continue
                }
                guard b[i] == close else { throw fail("expected ',' or '\(Unicode.Scalar(close))'") }
                i += 1
                if layout.indent > 0 { newline(&out, depth: depth) }
                out.append(close)
                return
            }
        }

        mutating func string(_ out: inout [UInt8]) throws {
            let start = i
            i += 1
            while i < b.count {
                let c = b[i]
                if c == UInt8(ascii: "\"") {
                    i += 1
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: b[start..<i]))
                    return
                }
                if c < 0x20 { throw fail("control character in a string (it must be escaped)") }
                if c == UInt8(ascii: "\\") {
                    guard i + 1 < b.count else { break }
                    switch b[i + 1] {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                         UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                        i += 2
                    case UInt8(ascii: "u"):
                        guard i + 5 < b.count, (2...5).allSatisfy({ JSONLayout.isHex(b[i + $0]) }) else {
                            throw fail("\\u must be followed by four hex digits")
                        }
                        i += 6
                    default:
                        throw fail("unknown escape '\\\(Unicode.Scalar(b[i + 1]))'")
                    }
                    continue
                }
                i += 1
            }
            throw fail("unterminated string")
        }

        mutating func literal(_ word: StaticString, _ out: inout [UInt8]) throws {
            let w = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
            guard i + w.count <= b.count, (0..<w.count).allSatisfy({ b[i + $0] == w[$0] }) else {
                throw fail("unexpected character '\(Unicode.Scalar(b[i]))'")
            }
            out.append(contentsOf: w)
            i += w.count
        }

        mutating func number(_ out: inout [UInt8]) throws {
            let start = i
            func digits() -> Int {
                let s = i
                while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
                return i - s
            }
            if b[i] == UInt8(ascii: "-") { i += 1 }
            guard i < b.count, b[i] >= 0x30, b[i] <= 0x39 else { throw fail("a number needs digits") }
            if b[i] == 0x30 { i += 1 } else { _ = digits() }
            if i < b.count, b[i] == UInt8(ascii: ".") {
                i += 1
                guard digits() > 0 else { throw fail("a number needs digits after '.'") }
            }
            if i < b.count, b[i] | 0x20 == UInt8(ascii: "e") {
                i += 1
                if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
                guard digits() > 0 else { throw fail("a number needs digits in its exponent") }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: b[start..<i]))
        }
    }

    static func isHex(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c | 0x20 >= UInt8(ascii: "a") && c | 0x20 <= UInt8(ascii: "f"))
    }
}
