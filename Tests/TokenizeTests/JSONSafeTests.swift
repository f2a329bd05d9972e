import Core
import Testing
@testable import eg_tokenize

/// `JSONSafe.writeEscapedTwice` writes, in one pass, what escaping twice writes.
@Suite struct JSONSafeTests {
    @Test func escapedTwiceInOnePassIsEscapingTwice() {
        var rng = SeededRandom(seed: 3, stream: "jsonsafe")
        let palette: [UInt8] = [0x22, 0x5C, 0x0A, 0x0D, 0x09, 0x08, 0x0C, 0x00, 0x01, 0x1F, 0x20, 0x41, 0x7E, 0x7F, 0xC3, 0xA9]
        for _ in 0..<3000 {
            let bytes = (0..<rng.index(40)).map { _ in palette[rng.index(palette.count)] }
            var once: [UInt8] = []
            JSONSafe.escape(bytes, into: &once)
            var twice: [UInt8] = []
            once.withUnsafeBufferPointer { JSONWriter.appendEscaped(bytes: $0, to: &twice) }
            let out = [UInt8](unsafeUninitializedCapacity: JSONSafe.boundTwice(bytes.count)) { buf, n in
                n = bytes.withUnsafeBufferPointer { JSONSafe.writeEscapedTwice($0, to: buf.baseAddress!) }
            }
            #expect(out == twice, "\(bytes)")
        }
    }
}
