import EgTestSupport
import Foundation
import Testing
@testable import Core

/// `JSONSegmentCompactor`: the same bytes as `JSONEscaper.appendCompactJSON` for every text it
/// takes, false (and `out` unchanged) for every text `JSONCompact` rejects, whatever the spans say.
@Suite struct JSONSegmentCompactorTests {
    /// Literal pieces as a template holds them (stable storage: their addresses are the cache keys).
    static let literals: [[UInt8]] = [
        "{\n    \"a\": \"", "\",\n    \"n\": ", ",\n    \"l\": [", "],\n    \"o\": {\"k\": ", "}\n}", "\"\n}", " true", "null, ",
        "\\\"", "\\u00", "e9\"", "-0.5e", "+3", "\n        ", "[", "]", "\"x y\"", ": ", ", ", "\"", "\n}",
    ].map { Array($0.utf8) }

    /// What `JSONEscaper.appendCompactJSON` appends, or nil when it throws.
    static func expected(_ text: [UInt8]) -> [UInt8]? {
        var out: [UInt8] = []
        do { try text.withUnsafeBufferPointer { try JSONEscaper().appendCompactJSON(bytes: $0, to: &out) } } catch { return nil }
        return out
    }

    static func run(_ c: JSONSegmentCompactor, _ text: [UInt8], _ spans: [JSONSegmentCompactor.TextSpan]) -> [UInt8]? {
        var out: [UInt8] = [7]
        let ok = text.withUnsafeBufferPointer { c.append($0, spans: spans, to: &out) }
        if !ok { #expect(out == [7]); return nil }
        return Array(out.dropFirst())
    }

    static func span(_ offset: Int, _ literal: Int) -> JSONSegmentCompactor.TextSpan {
        literals[literal].withUnsafeBufferPointer { JSONSegmentCompactor.TextSpan(offset: offset, text: $0.baseAddress!, count: $0.count) }
    }

    @Test func literalsAndValuesGiveTheCompactString() throws {
        let c = JSONSegmentCompactor()
        // {"a": "<value>", "n": <value>} built from literals 0, 1 and 20 with the values between.
        for (a, n) in [("host-1", "12"), ("q\\\"x", "-0.25e+2"), ("é", "0")] {
            var text: [UInt8] = []
            var spans: [JSONSegmentCompactor.TextSpan] = []
            for (k, piece) in [(0, nil), (-1, a), (1, nil), (-1, n), (20, nil)] as [(Int, String?)] {
                if let piece { text += Array(piece.utf8); continue }
                spans.append(Self.span(text.count, k))
                text += Self.literals[k]
            }
            let e = try #require(Self.expected(text))
            #expect(Self.run(c, text, spans) == e)
            #expect(Self.run(c, text, spans) == e, "the second render, from the cache")
            #expect(Self.run(c, text, []) == e, "no spans")
        }
        // Deeper than 60 levels: left to JSONCompact, which takes it.
        let deep = Array((String(repeating: "[", count: 70) + String(repeating: "]", count: 70)).utf8)
        #expect(Self.run(c, deep, []) == nil && Self.expected(deep) != nil)
        #expect(Self.run(c, Array("{\"a\": 1} x".utf8), []) == nil && Self.run(c, Array("  ".utf8), []) == nil)
    }

    /// Texts of random literals and mutated values, with true, shifted and foreign spans, rendered
    /// twice: whatever is accepted is byte-identical to the one-pass compactor, and nothing it
    /// rejects is accepted.
    @Test func fuzzedTextsAgreeWithJSONCompact() {
        var rng = Fuzz.Generator(seed: 90_210)
        let c = JSONSegmentCompactor()
        // Besides the odd ones: integers (copied without a scan after a colon), strings without
        // escapes longer than a word (copied a word at a time), escapes between runs.
        let values = ["abc", "12", "-3.5", "true", "\\n", "\"", "\\", "\u{01}", "", "{}", "[1,", "é", "0x", "1e", "\"k\":",
                      "0", "007", "98765432109876543210", "host-0042.example.com", "C:\\\\Windows\\\\a b\\\\x.exe", "\\u00e9\\t",
                      "\"a\", \"bcdefghij\"", "0123456789abcdef\u{1F}"].map { Array($0.utf8) }
        var accepted = 0, rejected = 0
        for i in 0..<Fuzz.iterations(4000) {
            var text: [UInt8] = []
            var spans: [JSONSegmentCompactor.TextSpan] = []
            for _ in 0..<(1 + rng.below(9)) {
                if rng.below(2) == 0 {
                    let k = rng.below(Self.literals.count)
                    spans.append(Self.span(text.count, k))
                    text += Self.literals[k]
                } else {
                    text += Fuzz.mutate(values[rng.below(values.count)], &rng, alphabet: Array("{}[]:,\"\\ \n0123456789.eE+-tfnul".utf8), tokens: [])
                }
            }
            if i % 3 == 0 { text = Array(#"{"s": ""#.utf8) + text + Array(#""}"#.utf8); spans = spans.map { var s = $0; s.offset += 6; return s } }
            if i % 7 == 0 { spans = spans.map { var s = $0; s.offset += rng.below(3); return s } }
            if i % 11 == 0, !spans.isEmpty { spans.append(Self.span(rng.below(text.count + 1), rng.below(Self.literals.count))) }
            let e = Self.expected(text)
            for _ in 0..<2 {
                let got = Self.run(c, text, spans)
                if let got { #expect(got == e, "\(String(decoding: text, as: UTF8.self).debugDescription)") }
                else { #expect(e == nil || text.filter({ $0 == 91 || $0 == 123 }).count > 60, "\(String(decoding: text, as: UTF8.self).debugDescription)") }
            }
            if e != nil { accepted += 1 } else { rejected += 1 }
        }
        #expect(accepted > 100 && rejected > 100, "accepted \(accepted), rejected \(rejected)")
    }
}
