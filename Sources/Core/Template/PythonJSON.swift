/// Python's `json.dumps` and `json.loads` over template values, byte for byte as CPython writes
/// them: the separators (`', '`/`': '`, or `','`/`': '` with an indent), `ensure_ascii` (non-ASCII
/// and DEL as `\uXXXX`, surrogate pairs above U+FFFF), `sort_keys`, `indent` (a number of spaces or
/// a string), `allow_nan`, key conversion (int, float, bool and None keys become strings) and
/// float repr. Jinja's `tojson` filter is `dumps` with sorted keys and `<`, `>`, `&`, `'` escaped.
public enum PythonJSON {
    /// The keyword arguments of `json.dumps` that change the output.
    public struct Options {
        public var sortKeys = false
        public var ensureASCII = true
        public var allowNaN = true
        public var skipKeys = false
        /// The text repeated per level after each newline; nil: everything on one line.
        public var indent: String? = nil
        public var itemSeparator: String? = nil
        public var keySeparator = ": "
        /// Jinja's `htmlsafe_json_dumps`: `<`, `>`, `&`, `'` as `\u003c`, `\u003e`, `\u0026`, `\u0027`.
        public var htmlSafe = false
        /// The name in error messages (`json.dumps`, `tojson`).
        public var caller = "json.dumps"

        public init() {}

        /// What Jinja's `tojson` filter passes: sorted keys, HTML-safe.
        public static func tojson(indent: Int?) -> Options {
            var o = Options()
            o.sortKeys = true
            o.htmlSafe = true
            o.indent = indent.map { String(repeating: " ", count: Swift.max($0, 0)) }
            o.caller = "tojson"
            return o
        }
    }

    /// `json.dumps(v, ...)` appended to `out`.
    public static func dump(_ v: Value, _ o: Options, to out: inout [UInt8], position: SourcePosition) throws {
        var w = Writer(o: o, itemSep: Array((o.itemSeparator ?? (o.indent == nil ? ", " : ",")).utf8), keySep: Array(o.keySeparator.utf8),
                       indent: o.indent.map { Array($0.utf8) }, position: position)
        try w.value(v, level: 0, &out)
    }

    /// `json.dumps(v, ...)` as a String.
    public static func dumps(_ v: Value, _ o: Options, position: SourcePosition) throws -> String {
        var out: [UInt8] = []
        try dump(v, o, to: &out, position: position)
        return String(decoding: out, as: UTF8.self)
    }

    /// `json.loads(text)`: objects become dicts (key order kept), arrays lists, integers ints,
    /// other numbers floats.
    public static func loads(_ text: String, position: SourcePosition) throws -> Value {
        do { return Value(json: try JSONParser.parse(text)) } catch let e as JSONParser.SyntaxError {
            throw TemplateError(position, "json.loads: \(e.message) (char \(e.offset))")
        }
    }

    /// A JSON string of UTF-8 text as Python's json writes it: runs that need no escape are
    /// copied whole; with `ensureASCII` every non-ASCII scalar (and DEL) is `\\uXXXX`, surrogate pairs
    /// above U+FFFF; with `htmlSafe` also `<>&\'` (Jinja's `tojson`). The text must be valid UTF-8.
    public static func appendString(bytes b: UnsafeBufferPointer<UInt8>, ensureASCII ascii: Bool, htmlSafe html: Bool, to out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bound(b.count)) { d in
            let n = writeString(bytes: b, ensureASCII: ascii, htmlSafe: html, into: d.baseAddress!)
            out.append(contentsOf: UnsafeBufferPointer(start: d.baseAddress!, count: n))
        }
    }

    /// The room `writeString` needs for `count` bytes of text (a byte can become `\u00XX`).
    @inline(__always)
    static func bound(_ count: Int) -> Int { count &* 6 &+ 2 }

    /// `appendString`'s bytes written at `d` (room for `bound(b.count)` bytes); returns their count.
    static func writeString(bytes b: UnsafeBufferPointer<UInt8>, ensureASCII ascii: Bool, htmlSafe html: Bool, into d: UnsafeMutablePointer<UInt8>) -> Int {
        var j = 0
        @inline(__always) func u4(_ v: UInt32) {
            d[j] = 92; d[j &+ 1] = 117
            for k in 0..<4 {
                let h = UInt8((v >> UInt32(12 - 4 * k)) & 15)
                d[j &+ 2 &+ k] = h < 10 ? 0x30 &+ h : 0x57 &+ h
            }
            j &+= 6
        }
        @inline(__always) func two(_ c: UInt8) { d[j] = 92; d[j &+ 1] = c; j &+= 2 }
        d[j] = 34
        j &+= 1
        var i = 0
        let n = b.count
        while i < n {
            // Eight bytes at a time up to the first that needs an escape (the word is copied
            // whole: the room reserved covers it, and the bytes past that one are written again).
            if let src = b.baseAddress {
                while i &+ 8 <= n {
                    let raw = UnsafeRawPointer(src + i).loadUnaligned(as: UInt64.self)
                    UnsafeMutableRawPointer(d + j).storeBytes(of: raw, as: UInt64.self)
                    let m = escapes(UInt64(littleEndian: raw), ascii, html)
                    if m != 0 {
                        let k = m.trailingZeroBitCount &>> 3
                        i &+= k
                        j &+= k
                        break
                    }
                    i &+= 8
                    j &+= 8
                }
                if i == n { break }
            }
            let c = b[i]
            if c >= 0x20 && c != 0x22 && c != 0x5C && (c < 0x7F || !ascii)
                && !(html && (c == 0x3C || c == 0x3E || c == 0x26 || c == 0x27)) {
                d[j] = c
                j &+= 1
                i &+= 1
                continue
            }
            switch c {
            case 0x22: two(34); i &+= 1
            case 0x5C: two(92); i &+= 1
            case 0x0A: two(110); i &+= 1
            case 0x0D: two(114); i &+= 1
            case 0x09: two(116); i &+= 1
            case 0x08: two(98); i &+= 1
            case 0x0C: two(102); i &+= 1
            case 0..<0x80: u4(UInt32(c)); i &+= 1
            default:
                // One UTF-8 scalar (the text came from a String, so it is valid UTF-8).
                var v: UInt32
                var len: Int
                if c >= 0xF0 { v = UInt32(c & 0x07); len = 4 } else if c >= 0xE0 { v = UInt32(c & 0x0F); len = 3 } else { v = UInt32(c & 0x1F); len = 2 }
                var k = 1
                while k < len && i + k < n { v = v << 6 | UInt32(b[i + k] & 0x3F); k += 1 }
                if v >= 0x10000 {
                    let w = v - 0x10000
                    u4(0xD800 + (w >> 10)); u4(0xDC00 + (w & 0x3FF))
                } else {
                    u4(v)
                }
                i += len
            }
        }
        d[j] = 34
        return j &+ 1
    }

    /// A high bit in each byte of `w` (little-endian) that needs an escape: exact up to the
    /// first such byte (bytes above it may be marked too; the caller escapes byte by byte there).
    @inline(__always)
    static func escapes(_ w: UInt64, _ ascii: Bool, _ html: Bool) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101, high: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func zero(_ x: UInt64) -> UInt64 { (x &- ones) & ~x & high }
        var m = (w &- ones &* 0x20) & ~w & high | zero(w ^ (ones &* 0x22)) | zero(w ^ (ones &* 0x5C))
        if ascii { m |= w & high | zero(w ^ (ones &* 0x7F)) }
        // `&` and `'` are the bytes equal to 0x27 with bit 0 set, `<` and `>` 0x3E with bit 1.
        if html { m |= zero((w | ones) ^ (ones &* 0x27)) | zero((w | ones &* 2) ^ (ones &* 0x3E)) }
        return m
    }

    /// `appendString`'s text as a String (Jinja's `tojson` of a string).
    static func stringText(_ s: String, ensureASCII ascii: Bool, htmlSafe html: Bool) -> String {
        var s = s
        return s.withUTF8 { b in
            String(unsafeUninitializedCapacity: bound(b.count)) { d in writeString(bytes: b, ensureASCII: ascii, htmlSafe: html, into: d.baseAddress!) }
        }
    }

    struct Writer {
        let o: Options
        let itemSep: [UInt8]
        let keySep: [UInt8]
        let indent: [UInt8]?
        let position: SourcePosition

        func fail(_ message: String) -> TemplateError { TemplateError(position, "\(o.caller): \(message)") }

        func newline(_ level: Int, _ out: inout [UInt8]) {
            guard let indent else { return }
            out.append(10)
            for _ in 0..<level { out.append(contentsOf: indent) }
        }

        func float(_ d: Double, _ out: inout [UInt8]) throws {
            if d.isFinite { ValueText.appendFloat(d, to: &out); return }
            guard o.allowNaN else { throw fail("Out of range float values are not JSON compliant: \(Value.float(d).text)") }
            out.append(contentsOf: (d.isNaN ? "NaN" : d < 0 ? "-Infinity" : "Infinity").utf8)
        }

        mutating func value(_ v: Value, level: Int, _ out: inout [UInt8]) throws {
            if level > 500 { throw fail("maximum nesting depth exceeded") }
            switch v {
            case .none: out.append(contentsOf: "null".utf8)
            case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
            case .int(let i): ValueText.appendInt(i, to: &out)
            case .bigint(let b): out.append(contentsOf: b.decimal.utf8)
            case .float(let d): try float(d, &out)
            case .string(let s): string(s, &out)
            case .list, .tuple:
                let items = v.iterate() ?? []
                out.append(91)
                if items.isEmpty { out.append(93); return }
                for (k, x) in items.enumerated() {
                    if k > 0 { out.append(contentsOf: itemSep) }
                    newline(level + 1, &out)
                    try value(x, level: level + 1, &out)
                }
                newline(level, &out)
                out.append(93)
            case .dict(let d):
                out.append(123)
                if d.count == 0 { out.append(125); return }
                var pairs: [(key: Value, value: Value)] = (0..<d.count).map { (d.keys[$0], d.values[$0]) }
                if o.sortKeys { pairs = try sorted(pairs) }
                var first = true
                for p in pairs {
                    guard let text = try keyText(p.key) else { continue }
                    if !first { out.append(contentsOf: itemSep) }
                    first = false
                    newline(level + 1, &out)
                    string(text, &out)
                    out.append(contentsOf: keySep)
                    try value(p.value, level: level + 1, &out)
                }
                newline(level, &out)
                out.append(125)
            default:
                throw fail("Object of type \(v.typeName) is not JSON serializable")
            }
        }

        /// A key as JSON writes it; nil when `skipkeys` skips it.
        func keyText(_ k: Value) throws -> String? {
            switch k {
            case .string(let s): return s
            case .int(let i): return String(i)
            case .bigint(let b): return b.decimal
            case .bool(let b): return b ? "true" : "false"
            case .none: return "null"
            case .float(let d):
                var b: [UInt8] = []
                try float(d, &b)
                return String(decoding: b, as: UTF8.self)
            default:
                if o.skipKeys { return nil }
                throw fail("keys must be str, int, float, bool or None, not \(k.typeName)")
            }
        }

        /// `sorted(d.items())`: strings by code point, numbers by value; mixed kinds cannot be ordered.
        func sorted(_ pairs: [(key: Value, value: Value)]) throws -> [(key: Value, value: Value)] {
            if pairs.allSatisfy({ if case .string = $0.key { return true }; return false }) {
                return pairs.sorted { $0.key.text.unicodeScalars.lexicographicallyPrecedes($1.key.text.unicodeScalars) }
            }
            if pairs.allSatisfy({ $0.key.number != nil }) {
                return pairs.sorted { $0.key.number! < $1.key.number! }
            }
            let kinds = Set(pairs.map { $0.key.number != nil ? "int" : $0.key.typeName }).sorted()
            throw fail("'<' not supported between instances of '\(kinds.first ?? "")' and '\(kinds.last ?? "")'")
        }

        func string(_ s: String, _ out: inout [UInt8]) {
            var s = s
            s.withUTF8 { string(bytes: $0, &out) }
        }

        func string(bytes b: UnsafeBufferPointer<UInt8>, _ out: inout [UInt8]) {
            PythonJSON.appendString(bytes: b, ensureASCII: o.ensureASCII, htmlSafe: o.htmlSafe, to: &out)
        }
    }
}
