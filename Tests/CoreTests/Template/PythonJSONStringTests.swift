import Testing
@testable import Core

/// The JSON string writer (`tojson`, `json.dumps`) against a scalar-by-scalar statement of its
/// escapes, on strings whose escapes fall at every offset of the eight-byte word it scans by.
@Suite struct PythonJSONStringTests {
    static func hex4(_ v: UInt32) -> String {
        let h = String(v, radix: 16)
        return "\\u" + String(repeating: "0", count: 4 - h.count) + h
    }

    static func expected(_ s: String, ascii: Bool, html: Bool) -> String {
        var o = "\""
        for u in s.unicodeScalars {
            let v = u.value
            switch v {
            case 0x22: o += "\\\""
            case 0x5C: o += "\\\\"
            case 0x0A: o += "\\n"
            case 0x0D: o += "\\r"
            case 0x09: o += "\\t"
            case 0x08: o += "\\b"
            case 0x0C: o += "\\f"
            case 0..<0x20: o += hex4(v)
            case 0x3C, 0x3E, 0x26, 0x27:
                if html { o += hex4(v) } else { o.unicodeScalars.append(u) }
            case 0x10000... where ascii: o += hex4(0xD800 + ((v - 0x10000) >> 10)) + hex4(0xDC00 + ((v - 0x10000) & 0x3FF))
            case 0x7F... where ascii: o += hex4(v)
            default: o.unicodeScalars.append(u)
            }
        }
        return o + "\""
    }

    static let pieces: [String] = ["a", "Z", "0", " ", "~", "\"", "\\", "\n", "\r", "\t", "\u{08}", "\u{0C}", "\u{01}", "\u{1F}",
                                   "\u{7F}", "<", ">", "&", "'", "=", "?", ";", "%", "é", "€", "😀", "\u{80}", "\u{FFFF}"]

    @Test func everyEscapeAtEveryWordOffset() {
        var rng = SeededRandom(seed: 7)
        var checked = 0
        for length in 0..<40 {
            for _ in 0..<60 {
                var s = ""
                for _ in 0..<length {
                    // Mostly plain letters, so that runs of plain words precede the escapes.
                    s += rng.below(3) == 0 ? Self.pieces[rng.index(Self.pieces.count)] : "x"
                }
                for ascii in [false, true] {
                    for html in [false, true] {
                        #expect(PythonJSON.stringText(s, ensureASCII: ascii, htmlSafe: html) == Self.expected(s, ascii: ascii, html: html),
                                "\(s.debugDescription) ascii \(ascii) html \(html)")
                        checked += 1
                    }
                }
            }
        }
        #expect(checked == 40 * 60 * 4)
    }

    @Test func aLongPlainRunAndItsLastByteEscaped() {
        let plain = String(repeating: "abcdefgh", count: 9)
        #expect(PythonJSON.stringText(plain, ensureASCII: true, htmlSafe: true) == "\"" + plain + "\"")
        #expect(PythonJSON.stringText(plain + "<", ensureASCII: true, htmlSafe: true) == "\"" + plain + "\\u003c\"")
        #expect(PythonJSON.stringText(plain + "<", ensureASCII: true, htmlSafe: false) == "\"" + plain + "<\"")
        #expect(PythonJSON.stringText("C:\\Windows\\System32\\cmd.exe", ensureASCII: true, htmlSafe: true) == "\"C:\\\\Windows\\\\System32\\\\cmd.exe\"")
    }
}
