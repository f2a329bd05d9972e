import EgTestSupport
import Foundation
import Testing
@testable import Core

/// `JSONCompact`: strict JSON in, the same value on one line out (layout is all that changes).
@Suite struct JSONCompactTests {
    static func compact(_ s: String) throws -> String {
        var out: [UInt8] = []
        var t = s
        try t.withUTF8 { try JSONCompact.append($0, to: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    @Test func keepsTokensAndDropsLayout() throws {
        #expect(try Self.compact(" {\n  \"a\" : [1, 2.50 ,-0.0e+3, true,false,null],\n\t\"b\\n\": {\"c\": \"x  y\\u00e9\"} }\n") ==
                #"{"a":[1,2.50,-0.0e+3,true,false,null],"b\n":{"c":"x  y\u00e9"}}"#)
        #expect(try Self.compact("[]") == "[]")
        #expect(try Self.compact(" \"é 😀\" ") == "\"é 😀\"")
        #expect(try Self.compact("-12") == "-12")
    }

    @Test(arguments: [
        ("{\"a\": 1,}", 8, "expected a member name in quotes"), ("[1 2]", 3, "expected ',' or ']'"), ("{\"a\" 1}", 5, "expected ':'"),
        ("\"a\nb\"", 2, "raw control character"), ("01", 1, "leading zero"), ("1.", 2, "after the decimal point"),
        ("NaN", 0, "expected a JSON value"), ("{} {}", 3, "expected the end of the event"), ("\"abc", 0, "is not closed"),
        ("\"\\x\"", 2, "unknown escape"), ("\"\\u12\"", 2, "four hex digits"), ("", 0, "found the end"), ("tru", 0, "expected true"),
    ])
    func rejectsWhatIsNotStrictJSON(_ text: String, _ offset: Int, _ message: String) {
        do {
            _ = try Self.compact(text)
            Issue.record("\(text.debugDescription) was accepted")
        } catch let e as JSONParser.SyntaxError {
            #expect(e.offset == offset && e.message.contains(message), "\(text.debugDescription): \(e)")
        } catch { Issue.record("\(error)") }
    }

    /// Mutated JSON: each result is a compact line that parses to the same value, or a clear error;
    /// `JSONEscaper.appendCompactJSON` gives the same line as a JSON string, or the same error.
    @Test func fuzzedInputIsCompactedOrRejected() throws {
        let seeds = [#"{"a": [1, 2.5e3, {"b": null}], "s": "q\"\\ \u00e9", "t": true}"#, "[ [], {}, -0, \"x\" ]", #" {"k": {"k": {"k": [false]}}} "#]
        var rng = Fuzz.Generator(seed: 4_411)
        var accepted = 0, rejected = 0
        let escaper = JSONEscaper(capacity: 8)
        for i in 0..<Fuzz.iterations(5000) {
            let input = Fuzz.mutate(Array(seeds[i % seeds.count].utf8), &rng, alphabet: Array("{}[]:,\"\\ \n0123456789.eE+-tfnulxab".utf8),
                                    tokens: ["\\u00e9", "1e400", "[[[[", "\"k\":", "\u{01}"].map { Array($0.utf8) })
            var out: [UInt8] = []
            // The one-pass quoted form: the compact text as JSONWriter writes it as a string, or
            // the same error, leaving its buffer as it was.
            var quoted: [UInt8] = [7]
            let quotedError: JSONParser.SyntaxError?
            do { try input.withUnsafeBufferPointer { try escaper.appendCompactJSON(bytes: $0, to: &quoted) }; quotedError = nil }
            catch let e as JSONParser.SyntaxError { quotedError = e }
            do {
                try input.withUnsafeBufferPointer { try JSONCompact.append($0, to: &out) }
                var expected: [UInt8] = [7]
                out.withUnsafeBufferPointer { JSONWriter.appendString(bytes: $0, to: &expected) }
                #expect(quotedError == nil && quoted == expected, "\(String(decoding: input, as: UTF8.self))")
                accepted += 1
                #expect(!out.contains(10) && !out.contains(13))
                let a = try input.withUnsafeBufferPointer { try JSONParser.parse($0) }
                let b = try out.withUnsafeBufferPointer { try JSONParser.parse($0) }
                #expect(a == b, "\(String(decoding: input, as: UTF8.self))")
            } catch let e as JSONParser.SyntaxError {
                rejected += 1
                #expect(quoted == [7] && quotedError?.offset == e.offset && quotedError?.message == e.message)
                #expect(out.isEmpty && e.offset >= 0 && e.offset <= input.count && !e.message.isEmpty)
            }
        }
        #expect(accepted > 100 && rejected > 100, "accepted \(accepted), rejected \(rejected)")
    }
}
