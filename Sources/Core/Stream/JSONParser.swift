/// A byte-level JSON parser: no Foundation, no intermediate copies on the common path.
///
/// Accepts RFC 8259 JSON. Leniencies (documented in eg-stream(5)): raw control characters inside
/// strings are accepted as they are, and invalid UTF-8 bytes become U+FFFD.
public struct JSONParser {
    /// A syntax error at a byte offset of the parsed text.
    public struct SyntaxError: Error, Equatable {
        public var offset: Int
        public var message: String
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private var i = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// Parses one JSON value that must fill `bytes` (surrounding whitespace allowed).
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws -> JSONValue {
        var p = JSONParser(bytes)
        p.skipSpace()
        let v = try p.value(depth: 0)
        p.skipSpace()
        if p.i < bytes.count { throw p.error("expected end of record after the JSON value, found \(p.describeHere())") }
        return v
    }

    /// Parses one JSON object that must fill `bytes`, returning its members in order.
    public static func parseObject(_ bytes: UnsafeBufferPointer<UInt8>) throws -> [JSONField] {
        var p = JSONParser(bytes)
        p.skipSpace()
        guard p.i < bytes.count else { throw p.error("expected a JSON object, found an empty line") }
        guard bytes[p.i] == UInt8(ascii: "{") else {
            throw p.error("expected a JSON object starting with '{', found \(p.describeHere())")
        }
        let fields = try p.object(depth: 0)
        p.skipSpace()
        if p.i < bytes.count { throw p.error("expected end of line after the object's closing '}', found \(p.describeHere())") }
        return fields
    }

    /// Parses consecutive JSON objects separated by whitespace (eventgen's jinja output: one
    /// object per rendered chunk, strings may hold raw newlines), calling `each` with the members
    /// and the byte offset where the object starts. Anything else is a `SyntaxError`.
    public static func parseObjectSequence(_ bytes: UnsafeBufferPointer<UInt8>, each: ([JSONField], Int) throws -> Void) throws {
        var p = JSONParser(bytes)
        while true {
            p.skipSpace()
            guard p.i < bytes.count else { return }
            guard bytes[p.i] == UInt8(ascii: "{") else {
                throw p.error("expected a JSON object starting with '{', found \(p.describeHere())")
            }
            let start = p.i
            let fields = try p.object(depth: 0)
            try each(fields, start)
        }
    }

    /// Parses JSON text held in a String.
    public static func parse(_ text: String) throws -> JSONValue {
        var t = text
        return try t.withUTF8 { try parse($0) }
    }

    private static let maxDepth = 512

    private func error(_ message: String) -> SyntaxError { SyntaxError(offset: i, message: message) }

    private func describeHere() -> String {
        guard i < bytes.count else { return "end of line" }
        let b = bytes[i]
        if b >= 0x20 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
        return "byte 0x\(String(b, radix: 16))"
    }

    private mutating func skipSpace() {
        while i < bytes.count {
            switch bytes[i] {
            case 0x20, 0x09, 0x0A, 0x0D: i += 1
            default: return
            }
        }
    }

    private mutating func value(depth: Int) throws -> JSONValue {
        guard i < bytes.count else { throw error("expected a value, found end of line") }
        switch bytes[i] {
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "{"):
            if depth >= Self.maxDepth { throw error("nesting deeper than \(Self.maxDepth) levels") }
            return .object(try object(depth: depth + 1))
        case UInt8(ascii: "["):
            if depth >= Self.maxDepth { throw error("nesting deeper than \(Self.maxDepth) levels") }
            return .array(try array(depth: depth + 1))
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        default: throw error("expected a value (string, number, object, array, true, false or null), found \(describeHere())")
        }
    }

    private mutating func literal(_ word: StaticString) throws {
        let n = word.utf8CodeUnitCount
        let w = word.utf8Start
        guard i + n <= bytes.count else { throw error("expected '\(word)', found end of line") }
        for k in 0..<n where bytes[i + k] != w[k] { throw error("expected '\(word)', found \(describeHere())") }
        i += n
    }

    private mutating func object(depth: Int) throws -> [JSONField] {
        i += 1 // {
        var fields: [JSONField] = []
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return fields }
        while true {
            skipSpace()
            guard i < bytes.count else { throw error("expected a key or '}', found end of line") }
            guard bytes[i] == UInt8(ascii: "\"") else { throw error("expected a quoted key, found \(describeHere())") }
            let key = try string()
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else {
                throw error("expected ':' after key \"\(key)\", found \(describeHere())")
            }
            i += 1
            skipSpace()
            let v = try value(depth: depth)
            fields.append(JSONField(key, v))
            skipSpace()
            guard i < bytes.count else { throw error("expected ',' or '}' after the value of \"\(key)\", found end of line") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "}") { i += 1; return fields }
            throw error("expected ',' or '}' after the value of \"\(key)\", found \(describeHere())")
        }
    }

    private mutating func array(depth: Int) throws -> [JSONValue] {
        i += 1 // [
        var items: [JSONValue] = []
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return items }
        while true {
            skipSpace()
            items.append(try value(depth: depth))
            skipSpace()
            guard i < bytes.count else { throw error("expected ',' or ']' in array, found end of line") }
            if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "]") { i += 1; return items }
            throw error("expected ',' or ']' in array, found \(describeHere())")
        }
    }

    private mutating func number() throws -> String {
        let start = i
        if bytes[i] == UInt8(ascii: "-") { i += 1 }
        guard i < bytes.count, isDigit(bytes[i]) else { throw error("expected a digit in number") }
        if bytes[i] == UInt8(ascii: "0") { i += 1 } else { while i < bytes.count, isDigit(bytes[i]) { i += 1 } }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard i < bytes.count, isDigit(bytes[i]) else { throw error("expected a digit after '.' in number") }
            while i < bytes.count, isDigit(bytes[i]) { i += 1 }
        }
        if i < bytes.count, bytes[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard i < bytes.count, isDigit(bytes[i]) else { throw error("expected a digit in number exponent") }
            while i < bytes.count, isDigit(bytes[i]) { i += 1 }
        }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
    }

    @inline(__always) private func isDigit(_ b: UInt8) -> Bool { b &- UInt8(ascii: "0") < 10 }

    private mutating func string() throws -> String {
        i += 1 // opening quote
        let start = i
        // Fast path: no escapes before the closing quote.
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                let s = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
                i += 1
                return s
            }
            if b == UInt8(ascii: "\\") { break }
            i += 1
        }
        guard i < bytes.count else { throw SyntaxError(offset: start - 1, message: "unterminated string: expected a closing '\"'") }
        var out = [UInt8](UnsafeBufferPointer(rebasing: bytes[start..<i]))
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                i += 1
                return String(decoding: out, as: UTF8.self)
            }
            if b != UInt8(ascii: "\\") { out.append(b); i += 1; continue }
            i += 1
            guard i < bytes.count else { break }
            let e = bytes[i]
            i += 1
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800..<0xDC00).contains(scalar) {
                    if i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") {
                        i += 2
                        let low = try hex4()
                        if (0xDC00..<0xE000).contains(low) {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            appendScalar(0xFFFD, to: &out)
                            scalar = low
                        }
                    } else {
                        scalar = 0xFFFD
                    }
                } else if (0xDC00..<0xE000).contains(scalar) {
                    scalar = 0xFFFD
                }
                appendScalar(scalar, to: &out)
            default:
                i -= 1
                throw error("invalid escape '\\\(Character(Unicode.Scalar(e)))' in string")
            }
        }
        throw SyntaxError(offset: start - 1, message: "unterminated string: expected a closing '\"'")
    }

    private mutating func hex4() throws -> UInt32 {
        guard i + 4 <= bytes.count else { throw error("expected 4 hex digits after \\u") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[i]
            let d: UInt32
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(b - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(b - UInt8(ascii: "A") + 10)
            default: throw error("expected 4 hex digits after \\u, found \(describeHere())")
            }
            v = v << 4 | d
            i += 1
        }
        return v
    }

    private func appendScalar(_ v: UInt32, to out: inout [UInt8]) {
        let scalar = Unicode.Scalar(v) ?? "\u{FFFD}"
        out.append(contentsOf: UTF8.encode(scalar)!)
    }
}
