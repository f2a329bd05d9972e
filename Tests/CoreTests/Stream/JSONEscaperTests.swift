import Testing
@testable import Core

@Suite struct JSONEscaperTests {
    private func both(_ bytes: [UInt8], _ escaper: JSONEscaper) -> ([UInt8], [UInt8]) {
        var a: [UInt8] = [0x41], b: [UInt8] = [0x41]
        bytes.withUnsafeBufferPointer {
            JSONWriter.appendString(bytes: $0, to: &a)
            escaper.appendString(bytes: $0, to: &b)
        }
        return (a, b)
    }

    @Test func writesWhatJSONWriterWritesForEveryKindOfByte() {
        let e = JSONEscaper(capacity: 8)
        let text = "{\n    \"k\": \"a\\\\b\",\t\u{01}\u{1F}\u{7F} é漢😀\r\u{08}\u{0C}/\"\"\"\n}"
        let (a, b) = both(Array(text.utf8), e)
        #expect(a == b)
        #expect(String(decoding: b, as: UTF8.self) == "A\"{\\n    \\\"k\\\": \\\"a\\\\\\\\b\\\",\\t\\u0001\\u001f\u{7F} é漢😀\\r\\b\\f/\\\"\\\"\\\"\\n}\"")
        #expect(both([], e).1 == Array("A\"\"".utf8))
    }

    /// Bounded fuzz: random lengths (across the 8-byte words and the growth of the scratch area)
    /// and random mixes of clean, escaped and non-ASCII bytes, against JSONWriter.
    @Test func matchesJSONWriterOnRandomInput() {
        var rng = SeededRandom(seed: 11, stream: "escaper")
        let e = JSONEscaper(capacity: 16)
        let palette: [UInt8] = [0x22, 0x5C, 0x0A, 0x09, 0x00, 0x1F, 0x20, 0x41, 0x7E, 0x80, 0xC3, 0xA9, 0xFF]
        for _ in 0..<2_000 {
            let n = rng.index(300)
            let dense = rng.index(4)
            let bytes: [UInt8] = (0..<n).map { _ in
                dense == 0 || rng.index(4) != 0 ? UInt8(0x20 + rng.index(0x5F)) : palette[rng.index(palette.count)]
            }
            let (a, b) = both(bytes, e)
            #expect(a == b)
            if a != b { break }
        }
    }
}
