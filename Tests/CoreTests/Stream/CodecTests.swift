import Testing
@testable import Core

@Suite struct CodecTests {
    private func parse(_ text: String) throws -> Record {
        var t = text
        return Record(fields: try t.withUTF8 { try JSONParser.parseObject($0) })
    }

    @Test func roundTripsEveryKindOfValueInOrder() throws {
        let line = #"{"_raw":"a \"q\" \\ b\tc\nd","_time":1700000000.123456,"n":-1.5e3,"t":true,"f":false,"z":null,"a":[1,"x",{"k":[]}],"o":{"b":2,"a":1}}"#
        let r = try parse(line)
        #expect(r.jsonText == line)
        #expect(r.raw == "a \"q\" \\ b\tc\nd")
        #expect(r.time == EventTime(micros: 1_700_000_000_123_456))
        #expect(r.fields.map(\.key) == ["_raw", "_time", "n", "t", "f", "z", "a", "o"])
    }

    @Test func escapesControlCharactersAndKeepsNonASCII() {
        var out: [UInt8] = []
        JSONWriter.appendString("\u{01}\u{1F}é漢😀\r\u{08}\u{0C}/", to: &out)
        #expect(String(decoding: out, as: UTF8.self) == "\"\\u0001\\u001fé漢😀\\r\\b\\f/\"")
    }

    @Test func decodesUnicodeEscapesAndSurrogatePairs() throws {
        let r = try parse(#"{"s":"\u00e9\ud83d\ude00\u0041\/","lone":"\ud800x"}"#)
        #expect(r.string("s") == "é😀A/")
        #expect(r.string("lone") == "\u{FFFD}x")
    }

    @Test func replacesInvalidUTF8WithReplacementCharacter() throws {
        let bytes: [UInt8] = Array(#"{"_raw":"a"#.utf8) + [0xFF, 0xC3] + Array(#"b"}"#.utf8)
        let fields = try bytes.withUnsafeBufferPointer { try JSONParser.parseObject($0) }
        #expect(fields[0].value == .string("a\u{FFFD}\u{FFFD}b"))
    }

    @Test func keepsNumberTextExactly() throws {
        let r = try parse(#"{"a":0.10000000000000000001,"b":12345678901234567890,"c":1E+2}"#)
        #expect(r.jsonText == #"{"a":0.10000000000000000001,"b":12345678901234567890,"c":1E+2}"#)
    }

    @Test(arguments: [
        (#"{"_raw": "x""#, "expected ',' or '}' after the value of \"_raw\", found end of line"),
        (#"{"_raw": "x"#, "unterminated string"),
        (#"["x"]"#, "expected a JSON object starting with '{'"),
        (#"{"a" 1}"#, "expected ':' after key \"a\""),
        (#"{"a":01}"#, "expected ',' or '}'"),
        (#"{"a":tru}"#, "expected 'true'"),
        (#"{"a":"\q"}"#, "invalid escape '\\q'"),
        (#"{"a":"\u12"}"#, "expected 4 hex digits"),
        (#"{"a":1} x"#, "expected end of line"),
        (#"{a:1}"#, "expected a quoted key"),
        (#"{"a":[1 2]}"#, "expected ',' or ']' in array"),
        (#"{"a":-}"#, "expected a digit in number"),
        (#"{"a":1.}"#, "expected a digit after '.'"),
    ])
    func reportsWhatWasExpected(line: String, message: String) {
        do {
            _ = try parse(line)
            Issue.record("parsed malformed line \(line)")
        } catch let e as JSONParser.SyntaxError {
            #expect(e.message.contains(message), "\(e.message)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func readerNamesInputAndLine() throws {
        let path = "/tmp/eg-codec-\(getpid()).ndjson"
        let text = "{\"_raw\":\"a\"}\n\n{\"_raw\":\"x\"\n"
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reader = try RecordReader(path: path)
        #expect(try reader.next()?.raw == "a")
        let error = #expect(throws: EgError.self) { try reader.next() }
        #expect(error?.description.hasPrefix("\(path):3: expected ',' or '}'") == true, "\(String(describing: error))")
        #expect(error?.exitCode == 2)
    }

    @Test func readsLinesLongerThanTheBuffer() throws {
        let path = "/tmp/eg-long-\(getpid()).ndjson"
        let big = String(repeating: "x", count: 300_000)
        let text = "{\"_raw\":\"\(big)\"}\r\n{\"_raw\":\"end\"}"
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let lines = LineReader(fd: try FileDescriptor.openForReading(path), name: path, bufferSize: 4096, ownsDescriptor: true)
        let reader = RecordReader(lines: lines)
        #expect(try reader.next()?.raw?.count == 300_000)
        #expect(try reader.next()?.raw == "end")
        #expect(try reader.next() == nil)
    }

    @Test func epochTextIsExact() {
        #expect(EpochText.parse("1700000000.123456")?.micros == 1_700_000_000_123_456)
        #expect(EpochText.parse("1700000000.1234567")?.micros == 1_700_000_000_123_456)
        #expect(EpochText.parse("-1.5")?.micros == -1_500_000)
        #expect(EpochText.parse("1.7e9")?.micros == 1_700_000_000_000_000)
        #expect(EpochText.parse("abc") == nil)
        #expect(EpochText.parse("1.") == nil)
        #expect(EpochText.format(EventTime(micros: 1_610_000_010_000_000)) == "1610000010")
        #expect(EpochText.format(EventTime(micros: 1_610_000_010_250_000)) == "1610000010.25")
        #expect(EpochText.format(EventTime(micros: 1_610_000_010_000_001)) == "1610000010.000001")
        #expect(EpochText.format(EventTime(micros: -1_500_000)) == "-1.5")
    }

    @Test func stanzaRecordRoundTrips() throws {
        let s = StanzaRecord(sample: "cisco.log", stanza: "cisco\\.log", conf: "/x/eventgen.conf", sampleDir: "/x/samples",
                             settings: [("interval", "15"), ("token.0.token", "\\d+")])
        let text = s.record.jsonText
        #expect(text == #"{"_kind":"stanza","sample":"cisco.log","stanza":"cisco\\.log","conf":"/x/eventgen.conf","sampleDir":"/x/samples","settings":{"interval":"15","token.0.token":"\\d+"}}"#)
        let back = try StanzaRecord(record: try parse(text), location: "stdin:1")
        #expect(back == s)
        #expect(back.setting("interval") == "15")
    }
}

import Foundation
