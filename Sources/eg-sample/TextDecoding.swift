/// How eg-sample turns a sample file's bytes into text: UTF-8, falling back to Latin-1 for the
/// whole file when it is not valid UTF-8 (as eventgen 7.2 does), a leading byte-order mark
/// dropped, and universal newlines (`\r\n` and a lone `\r` become `\n`).
enum TextDecoding {
    /// The decoded text and whether the Latin-1 fallback was used.
    struct Decoded {
        var text: String
        var latin1: Bool
    }

    /// Decodes a whole file.
    static func decode(_ bytes: [UInt8]) -> Decoded {
        var b = normalizeNewlines(bytes)
        if b.count >= 3, b[0] == 0xEF, b[1] == 0xBB, b[2] == 0xBF { b.removeFirst(3) }
        if let s = String(validating: b, as: UTF8.self) { return Decoded(text: s, latin1: false) }
        var scalars = String.UnicodeScalarView()
        scalars.reserveCapacity(b.count)
        for byte in b { scalars.append(Unicode.Scalar(byte)) }
        return Decoded(text: String(scalars), latin1: true)
    }

    /// `\r\n` → `\n` and lone `\r` → `\n` (a CR byte is never part of a multi-byte UTF-8 character).
    static func normalizeNewlines(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.contains(0x0D) else { return bytes }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let c = bytes[i]
            if c == 0x0D {
                out.append(0x0A)
                if i + 1 < bytes.count, bytes[i + 1] == 0x0A { i += 1 }
            } else {
                out.append(c)
            }
            i += 1
        }
        return out
    }
}
