/// String literals as Jinja reads them: Python's `unicode-escape` decoding of the text between
/// the quotes, after newlines are normalised to `\n`. Unknown escapes (`\d`) stay as written; a
/// malformed one (`\x4`, `\N{NOPE}`) is a syntax error at the backslash.
extension Lexer {
    mutating func string(quote: UInt8) throws {
        let start = i
        i += 1
        var out: [UInt8] = []
        while i < b.count {
            let c = b[i]
            if c == quote {
                i += 1
                tokens.append(Token(kind: .string, text: String(decoding: out, as: UTF8.self), position: position(start)))
                return
            }
            if c == 92, i + 1 < b.count {
                try escape(into: &out, quote: quote)
                continue
            }
            if c == 13 {
                // \r\n and \r read as \n, as Jinja normalises newlines in literals.
                out.append(10)
                i += i + 1 < b.count && b[i + 1] == 10 ? 2 : 1
                continue
            }
            out.append(c)
            i += 1
        }
        throw error(start, "unterminated string: expected a closing \(quote == 34 ? "'\"'" : "\"'\"")")
    }

    /// One escape at `i` (the backslash), its text appended to `out`.
    mutating func escape(into out: inout [UInt8], quote: UInt8) throws {
        let at = i
        let e = b[i + 1]
        i += 2
        switch e {
        case 110: out.append(10)       // \n
        case 116: out.append(9)        // \t
        case 114: out.append(13)       // \r
        case 97: out.append(7)         // \a
        case 98: out.append(8)         // \b
        case 102: out.append(12)       // \f
        case 118: out.append(11)       // \v
        case 92, 39, 34: out.append(e)
        case 10: break                 // a line continued
        case 13: if i < b.count, b[i] == 10 { i += 1 }
        case 48...55:                  // \0 to \777
            var v = UInt32(e - 48)
            var n = 1
            while n < 3, i < b.count, b[i] >= 48, b[i] <= 55 { v = v * 8 + UInt32(b[i] - 48); i += 1; n += 1 }
            try appendScalar(v, at, &out)
        case 120, 117, 85:             // \xXX \uXXXX \UXXXXXXXX
            let n = e == 120 ? 2 : (e == 117 ? 4 : 8)
            var v: UInt32 = 0
            for k in 0..<n {
                guard i + k < b.count, let d = Lexer.hexDigit(b[i + k]) else {
                    let form = e == 120 ? "\\xXX" : (e == 117 ? "\\uXXXX" : "\\UXXXXXXXX")
                    throw error(at, "truncated \(form) escape: '\\\(UnicodeScalar(e))' takes \(n) hex digits")
                }
                v = v << 4 | d
            }
            i += n
            try appendScalar(v, at, &out)
        case 78:                       // \N{NAME}
            var close = i + 1
            while close < b.count, b[close] != 125, b[close] != quote { close += 1 }
            guard i < b.count, b[i] == 123, close < b.count, b[close] == 125, close > i + 1 else {
                throw error(at, "malformed \\N character escape: expected \\N{NAME}")
            }
            let name = String(decoding: b[(i + 1)..<close], as: UTF8.self)
            guard let u = UnicodeNames.scalar(named: name) else { throw error(at, "unknown Unicode character name '\(name)' in \\N{...}") }
            i = close + 1
            try appendScalar(u.value, at, &out)
        case 0x80...:
            // Jinja escapes non-ASCII text with backslashreplace before decoding, so a backslash
            // before é reads as the text `\xe9`.
            let length = min(e >= 0xF0 ? 4 : (e >= 0xE0 ? 3 : (e >= 0xC0 ? 2 : 1)), b.count - (i - 1))
            let v = String(decoding: b[(i - 1)..<(i - 1 + length)], as: UTF8.self).unicodeScalars.first!.value
            out.append(92)
            let (letter, width): (String, Int) = v < 0x100 ? ("x", 2) : (v < 0x10000 ? ("u", 4) : ("U", 8))
            let hex = String(v, radix: 16)
            out.append(contentsOf: (letter + String(repeating: "0", count: max(0, width - hex.count)) + hex).utf8)
            i += length - 1
        default:
            out.append(92)
            out.append(e)
        }
    }

    static func hexDigit(_ c: UInt8) -> UInt32? {
        switch c {
        case 48...57: return UInt32(c - 48)
        case 97...102: return UInt32(c - 87)
        case 65...70: return UInt32(c - 55)
        default: return nil
        }
    }

    func appendScalar(_ v: UInt32, _ at: Int, _ out: inout [UInt8]) throws {
        if v > 0x10FFFF { throw error(at, "illegal Unicode character \\U\(String(v, radix: 16, uppercase: true)) (the largest is \\U0010FFFF)") }
        guard let u = Unicode.Scalar(v) else {
            throw error(at, "\\u\(String(v, radix: 16)) is a surrogate half, not a character a template can hold")
        }
        var buf: [UInt8] = []
        UTF8.encode(u) { buf.append($0) }
        out.append(contentsOf: buf)
    }
}
