import Testing
@testable import Core

/// RecordView must agree with JSONParser + Record on every line it accepts, accept every line
/// JSONWriter writes, and splice byte-exactly.
@Suite struct RecordViewTests {
    static let lines: [String] = [
        #"{}"#,
        #"{"_raw":"plain"}"#,
        #"{"_raw":"a \"q\" \\ b\tc\nd\r\b\f","_time":1700000000.123456,"sample":"s"}"#,
        #"{"_raw":"ctl \u0001\u001f end","_time":"1700000000.5"}"#,
        #"{"_raw":"é漢😀 ünïcödé","host":"h\u0000st"}"#,
        #"{"n":-1.5e3,"z":0,"f":0.25,"e":1E+2,"g":-0.0e-7,"t":true,"fa":false,"nu":null}"#,
        #"{"a":[1,"x",{"k":[]},[[],[{}]],null,true],"o":{"b":2,"a":{"c":"\"}"}},"_raw":"after nested"}"#,
        #"{"_kind":"stanza","sample":"x.log","stanza":"x\\.log","settings":{"k":"v","token.0.token":"\\d+"}}"#,
        #"{"_raw":"dup","_raw":"second","k":"","":"empty key"}"#,
        #"{"_raw":"}{][,:\"","x":"{\"nested\":\"json\"}"}"#,
        #"{"_bundle":3,"_raw":"b","_time":1700000000}"#,
    ]

    /// Lines that are valid JSON but not written the JSONWriter way: scan must refuse them.
    static let nonCanonical: [String] = [
        #"{ "_raw":"x"}"#, #"{"_raw" :"x"}"#, #"{"_raw": "x"}"#, #"{"_raw":"x" }"#, #"{"_raw":"x","a":1 }"#,
        #" {"_raw":"x"}"#, #"{"_raw":"\/"}"#, #"{"_raw":"\u0041"}"#, #"{"_raw":"\u000a"}"#, #"{"_raw":"\u001F"}"#,
        #"{"_raw":"\u00e9"}"#, #"{"_raw":"\u007f"}"#, #"{"_raw":"\ud83d\ude00"}"#, "{\"_raw\":\"tab\there\"}", #"{"a":[1, 2]}"#, #"{"a":{"b" : 1}}"#,
    ]

    /// Lines that are not valid JSON objects.
    static let malformed: [String] = [
        #"{"_raw":"x""#, #"{"_raw":"x",}"#, #"{"_raw":x}"#, #"{"_raw""x"}"#, #"["_raw"]"#, #"{"_raw":"\q"}"#,
        #"{"a":01}"#, #"{"a":1.}"#, #"{"a":-}"#, #"{"a":tru}"#, #"{"a":[1,]}"#, #"{"a":{"b"}}"#, #"{"a":1}x"#,
        #"{"a":"x"#, #"{"#, #"{"a":1e}"#, #"{"a":"\u12"}"#, #"{"a":[}"#,
    ]

    func withBytes<T>(_ s: String, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        let b = Array(s.utf8)
        return try b.withUnsafeBufferPointer { try body($0) }
    }

    func record(_ b: UnsafeBufferPointer<UInt8>) -> Record? {
        (try? JSONParser.parseObject(b)).map { Record(fields: $0) }
    }

    /// The agreement property: scan accepts exactly the lines that parse AND are canonical (and
    /// whose `_time`, if a number, is in range: `RecordReader` reports the others), and then every
    /// member agrees with the parsed record.
    func checkAgreement(_ b: UnsafeBufferPointer<UInt8>) {
        var v = RecordView()
        checkAgreement(b, view: &v)
    }

    /// The agreement property for a scan by `v`, which may have scanned other lines before
    /// (members are then taken over from the previous line: the outcome must be the same).
    @discardableResult
    func checkAgreement(_ b: UnsafeBufferPointer<UInt8>, view v: inout RecordView) -> Bool {
        let ok = v.scan(b)
        let r = record(b)
        let canonical = r.map { Array($0.jsonText.utf8) == Array(b) && (try? RecordReader.checkTime($0, at: "")) != nil } ?? false
        #expect(ok == canonical, "scan \(ok) but canonical \(canonical): \(String(decoding: b, as: UTF8.self))")
        guard ok, let r else { return ok }
        #expect(v.members.count == r.fields.count)
        for (k, f) in r.fields.enumerated() where k < v.members.count {
            let key = String(decoding: v.keyBytes(k), as: UTF8.self)
            var keyDecoded: [UInt8] = []
            RecordView.unescape(v.keyBytes(k), to: &keyDecoded)
            #expect(String(decoding: keyDecoded, as: UTF8.self) == f.key, "key \(key)")
            var valueText: [UInt8] = []
            JSONWriter.append(f.value, to: &valueText)
            #expect(Array(v.valueBytes(k)) == valueText)
            switch f.value {
            case .string(let s):
                #expect(v.members[k].kind == .string)
                var u: [UInt8] = []
                let had = v.appendUnescaped(k, to: &u)
                #expect(had)
                #expect(String(decoding: u, as: UTF8.self) == s)
                #expect(Array(u) == Array(s.utf8))
            case .number: #expect(v.members[k].kind == .number)
            case .bool: #expect(v.members[k].kind == .bool)
            case .null: #expect(v.members[k].kind == .null)
            case .array: #expect(v.members[k].kind == .array)
            case .object: #expect(v.members[k].kind == .object)
            }
            #expect(v.text(k) == f.value.text || f.value.text == nil && v.text(k) == nil)
        }
        #expect(v.time == r.time)
        #expect(v.isStanza == r.isStanza)
        for (key, index) in [("_raw", v.rawIndex), ("_time", v.timeIndex), ("_kind", v.kindIndex), ("_bundle", v.bundleIndex),
                             ("sample", v.sampleIndex), ("host", v.hostIndex)] {
            #expect((r.fields.firstIndex { $0.key == key } ?? -1) == index, "\(key)")
        }
        #expect(v.duplicateRaw == (r.fields.filter { $0.key == "_raw" }.count > 1))
        if let k = v.find("_raw") { #expect(r.fields.firstIndex { $0.key == "_raw" } == k) }
        else { #expect(r["_raw"] == nil) }
        return ok
    }

    /// `scan(_:decodingRawTo:)` with view `v` (which may have scanned lines before): the same
    /// outcome as `scan`, and the first `_raw`'s decoded bytes as the parser decodes them.
    func checkDecoding(_ b: UnsafeBufferPointer<UInt8>, view v: inout RecordView) {
        var plain = RecordView()
        let expected = plain.scan(b)
        let out = UnsafeMutablePointer<UInt8>.allocate(capacity: b.count + 8)
        defer { out.deallocate() }
        let ok = v.scan(b, decodingRawTo: out)
        #expect(ok == expected, "\(String(decoding: b, as: UTF8.self))")
        guard ok, let r = record(b) else { return }
        #expect(v.rawIndex == plain.rawIndex && v.members.count == plain.members.count)
        if case .string(let raw)? = r["_raw"] {
            #expect(v.decodedRaw >= 0)
            #expect(Array(UnsafeBufferPointer(start: out, count: max(0, v.decodedRaw))) == Array(raw.utf8))
        } else {
            #expect(v.decodedRaw == -1)
        }
    }

    @Test func agreesWithParserOnKnownLines() {
        for l in Self.lines + Self.nonCanonical + Self.malformed {
            withBytes(l) { checkAgreement($0); var v = RecordView(); checkDecoding($0, view: &v) }
        }
    }

    @Test func acceptsEveryKnownCanonicalLine() {
        for l in Self.lines {
            var v = RecordView()
            withBytes(l) { let ok = v.scan($0); #expect(ok, "\(l)") }
        }
    }

    @Test func refusesNonCanonicalAndMalformedLines() {
        for l in Self.nonCanonical + Self.malformed {
            var v = RecordView()
            withBytes(l) { let ok = v.scan($0); #expect(!ok, "\(l)") }
        }
    }

    @Test func refusesInvalidUTF8ButAcceptsValidMultiByte() {
        let bad: [[UInt8]] = [[0xFF], [0xC3], [0xC0, 0x80], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC3, 0x5C, 0x6E]]
        for seq in bad {
            let line = Array(#"{"_raw":"a"#.utf8) + seq + Array(#"b"}"#.utf8)
            var v = RecordView()
            line.withUnsafeBufferPointer { let ok = v.scan($0); #expect(!ok); checkAgreement($0) }
        }
        let good: [[UInt8]] = [[0xC3, 0xA9], [0xE6, 0xBC, 0xA2], [0xF0, 0x9F, 0x98, 0x80], [0xEF, 0xBF, 0xBD], [0xF4, 0x8F, 0xBF, 0xBF]]
        for seq in good {
            let line = Array(#"{"_raw":"a"#.utf8) + seq + Array(#"b"}"#.utf8)
            var v = RecordView()
            line.withUnsafeBufferPointer { let ok = v.scan($0); #expect(ok); checkAgreement($0) }
        }
    }

    /// Records built from random values, written by JSONWriter: all accepted, all agree.
    @Test func acceptsRandomWrittenRecords() {
        var rng = SeededRandom(seed: 7, stream: "recordview")
        let alphabet: [String] = ["a", "Z", "0", " ", "\"", "\\", "/", "\n", "\r", "\t", "\u{01}", "\u{08}", "\u{0C}", "\u{1F}",
                                  "\u{7F}", "é", "漢", "😀", "{", "}", "[", "]", ",", ":", "\u{FFFD}"]
        func str() -> String { String((0..<rng.index(12)).map { _ in Character(alphabet[rng.index(alphabet.count)]) }) }
        func value(_ depth: Int) -> JSONValue {
            switch rng.index(depth > 2 ? 5 : 7) {
            case 0: return .string(str())
            case 1: return .number(["0", "-1", "3.25", "1e9", "-0.5E-3", "1700000000.123456"][rng.index(6)])
            case 2: return .bool(rng.index(2) == 0)
            case 3: return .null
            case 4: return .string("")
            case 5: return .array((0..<rng.index(4)).map { _ in value(depth + 1) })
            default: return .object((0..<rng.index(4)).map { _ in JSONField(str(), value(depth + 1)) })
            }
        }
        for _ in 0..<500 {
            var fields: [JSONField] = []
            for _ in 0..<rng.index(8) { fields.append(JSONField(str(), value(0))) }
            if rng.index(2) == 0 { fields.insert(JSONField("_raw", .string(str())), at: rng.index(fields.count + 1)) }
            if rng.index(2) == 0 { fields.append(JSONField("_time", .number("1700000000.25"))) }
            let text = Record(fields: fields).jsonText
            var v = RecordView()
            withBytes(text) { let ok = v.scan($0); #expect(ok, "\(text)"); checkAgreement($0) }
        }
    }

    /// Long strings dense in quotes and backslashes (JSON inside JSON), at every offset of the
    /// scanner's eight-byte words, and byte mutations of them: scan agrees with the parser.
    @Test func denseEscapesAgreeAtEveryOffset() {
        var rng = SeededRandom(seed: 5, stream: "escapes")
        let alphabet: [String] = ["\"", "\\", "a", "#", "]", "\\\"", "\n", "\u{01}", "é", "{\"k\":\"v\"}"]
        let pool: [UInt8] = [0x22, 0x5C, 0x23, 0x5D, 0x61, 0x6E, 0x75, 0x00, 0xC3]
        for _ in 0..<1500 {
            let pad = String(repeating: "p", count: rng.index(17))
            let raw = String((0..<rng.index(40)).map { _ in alphabet[rng.index(alphabet.count)] }.joined())
            let text = Record(fields: [JSONField("_raw", .string(pad + raw)), JSONField("host", .string(raw))]).jsonText
            var b = Array(text.utf8)
            b.withUnsafeBufferPointer { checkAgreement($0); var v = RecordView(); checkDecoding($0, view: &v) }
            for _ in 0...rng.index(2) {
                let at = rng.index(b.count)
                if rng.index(2) == 0 { b[at] = pool[rng.index(pool.count)] } else { b.insert(pool[rng.index(pool.count)], at: at) }
            }
            b.withUnsafeBufferPointer { checkAgreement($0); var v = RecordView(); checkDecoding($0, view: &v) }
        }
    }

    /// JSON inside JSON as eg-ship reads it (`\"` every few bytes, `\\` pairs, now and then a
    /// non-ASCII or control byte), starting at each offset of the scanner's sixteen-byte blocks,
    /// and byte mutations of it: scan and the one-pass decode agree with the parser.
    @Test func jsonInsideJSONAgreesAtEveryOffset() {
        var rng = SeededRandom(seed: 17, stream: "json-in-json")
        let words = ["a", "event", "provider_guid", "q\"q", "é", "x\u{1}y", "\\", "{\"in\":\"ner\"}", "😀", "\n", ""]
        let pool: [UInt8] = [0x22, 0x5C, 0x61, 0x6E, 0x75, 0x00, 0x1F, 0x7F, 0x80, 0xC3, 0xFF]
        for round in 0..<1200 {
            var inner = "{"
            for m in 0..<rng.index(14) {
                if m > 0 { inner += "," }
                inner += "\"" + words[rng.index(words.count)] + "\":\"" + words[rng.index(words.count)] + "\""
            }
            inner += "}"
            let pad = String(repeating: "p", count: round % 32)
            let text = Record(fields: [JSONField("_raw", .string(pad + inner)), JSONField("host", .string(inner))]).jsonText
            var b = Array(text.utf8)
            b.withUnsafeBufferPointer { checkAgreement($0); var v = RecordView(); checkDecoding($0, view: &v) }
            for _ in 0...rng.index(2) {
                let at = rng.index(b.count)
                if rng.index(2) == 0 { b[at] = pool[rng.index(pool.count)] } else { b.insert(pool[rng.index(pool.count)], at: at) }
            }
            b.withUnsafeBufferPointer { checkAgreement($0); var v = RecordView(); checkDecoding($0, view: &v) }
        }
    }

    /// Random byte mutations of good lines: whatever scan accepts must parse to the same bytes.
    @Test func mutatedLinesNeverFoolTheScanner() {
        var rng = SeededRandom(seed: 11, stream: "mutate")
        let pool: [UInt8] = Array(#"{}[]",:\ u0aeE.-+1tfn"#.utf8) + [0x00, 0x1F, 0x80, 0xC3, 0xA9, 0xFF]
        for _ in 0..<3000 {
            var b = Array(Self.lines[rng.index(Self.lines.count)].utf8)
            for _ in 0...rng.index(3) where !b.isEmpty {
                let at = rng.index(b.count)
                switch rng.index(3) {
                case 0: b[at] = pool[rng.index(pool.count)]
                case 1: b.remove(at: at)
                default: b.insert(pool[rng.index(pool.count)], at: at)
                }
            }
            b.withUnsafeBufferPointer { checkAgreement($0); var v = RecordView(); checkDecoding($0, view: &v) }
        }
    }

    // MARK: - Splicing

    @Test func replacingOneMemberIsByteExact() {
        for l in Self.lines {
            withBytes(l) { b in
                var v = RecordView()
                guard v.scan(b), let k = v.find("_raw"), var r = record(b) else { return }
                var value: [UInt8] = []
                JSONWriter.appendString("new \"raw\"\n é", to: &value)
                let room = b.count - v.valueBytes(k).count + value.count + 1
                let out = [UInt8](unsafeUninitializedCapacity: room + 8) { buf, n in
                    let d = buf.baseAddress!
                    let end = v.writeLine(replacing: k, to: d) { p in p.update(from: value, count: value.count); return p + value.count }
                    n = end - d
                }
                #expect(out.count == room)
                // Record's subscript sets the first `_raw`.
                let first = r.fields.firstIndex { $0.key == "_raw" }!
                r.fields[first].value = .string("new \"raw\"\n é")
                var expected: [UInt8] = []
                r.append(to: &expected)
                #expect(out == expected)
            }
        }
    }

    @Test func editsReplaceAndAddMembersLikeRecord() {
        for l in Self.lines {
            withBytes(l) { b in
                var v = RecordView()
                guard v.scan(b), var r = record(b) else { return }
                // Set in an order different from the line's: host, _time, _raw, then a new key.
                v.set("host") { JSONWriter.appendString("h-1", to: &$0) }
                v.set("_time") { EpochText.append(EventTime(micros: 1_700_000_000_500_000), to: &$0) }
                v.set("_raw") { JSONWriter.appendString("R", to: &$0) }
                v.set("extra") { $0.append(contentsOf: "[1,2]".utf8) }
                var out: [UInt8] = []
                v.appendEdited(to: &out)
                r["host"] = .string("h-1")
                r.time = EventTime(micros: 1_700_000_000_500_000)
                r["_raw"] = .string("R")
                r["extra"] = .array([.number("1"), .number("2")])
                var expected: [UInt8] = []
                r.append(to: &expected)
                #expect(String(decoding: out, as: UTF8.self) == String(decoding: expected, as: UTF8.self))
                // Edits are cleared: the next write is the line itself.
                out.removeAll()
                v.appendEdited(to: &out)
                #expect(out == Array(b) + [0x0A])
            }
        }
    }

    @Test func readerFallsBackWithTheUsualError() throws {
        // nextLine + record(from:) give the same error text as next().
        let path = "/tmp/eg-recordview-\(getpid()).ndjson"
        let text = "{\"_raw\":\"ok\"}\n\n  \n{\"_raw\":\"x\",}\n"
        #expect(FileDescriptor.writeFileForTest(path, text))
        defer { unlink(path) }
        let a = try RecordReader(path: path)
        _ = try a.next()
        var first: String?
        do { _ = try a.next() } catch { first = "\(error)" }
        let b = try RecordReader(path: path)
        var v = RecordView()
        let l1 = try #require(try b.nextLine())
        let ok = v.scan(l1); #expect(ok)
        let l2 = try #require(try b.nextLine())
        let ok2 = v.scan(l2); #expect(!ok2)
        var second: String?
        do { _ = try b.record(from: l2) } catch { second = "\(error)" }
        #expect(first != nil && first == second)
        #expect(second?.contains(":4:") == true)
    }
}

extension FileDescriptor {
    /// Writes `text` to `path` (tests only).
    static func writeFileForTest(_ path: String, _ text: String) -> Bool {
        guard let f = fopen(path, "w") else { return false }
        defer { fclose(f) }
        return fputs(text, f) >= 0
    }
}

#if canImport(Glibc)
import Glibc
#endif
