import EgTestSupport
import Foundation
import Testing
import Core
@testable import eg_ship

/// Builds the stanza record of an Eventum generator (as eg-sample writes it) for eg-ship tests.
enum Generator {
    /// `outputs`: the JSON of the `output` list, each `{"plugin": ..., keys...}`; `_at` and `_keys`
    /// are added (every key "written" at line 10 + its position, column 7).
    static func stanza(_ name: String, dir: String, outputs: [String]) -> String {
        let annotated = outputs.enumerated().map { (n, o) -> String in
            guard case .object(let fields)? = try? JSONParser.parse(o) else { return o }
            var out = [JSONField("plugin", fields.first { $0.key == "plugin" }!.value),
                       JSONField("_at", .string("\(dir)/generator.yml:\(20 + n * 10):5"))]
            let keys = fields.filter { $0.key != "plugin" }
            out.append(JSONField("_keys", .object(keys.enumerated().map { JSONField($1.key, .string("\(dir)/generator.yml:\(21 + n * 10 + $0):7")) })))
            return JSONWriter.string(.object(out + keys))
        }
        return "{\"_kind\":\"stanza\",\"sample\":\(Stream.json(name)),\"stanza\":\(Stream.json(name)),\"conf\":\(Stream.json(dir + "/generator.yml")),"
            + "\"sampleDir\":\(Stream.json(dir)),\"settings\":{\"timezone\":\"UTC\"},"
            + "\"eventum\":{\"dir\":\(Stream.json(dir)),\"output\":[\(annotated.joined(separator: ","))]}}\n"
    }

    /// Events of generator `name` with these `_raw` texts.
    static func events(_ raws: [String], name: String) -> String {
        raws.map { Stream.event($0, time: "1700000000.5", sample: name) }.joined()
    }
}

@Suite(.serialized) struct EventumFormatterTests {
    func format(_ spec: String?, _ events: [String]) throws -> (out: [String], refused: Int) {
        let f = try EventumFormatter.make(spec.map { try JSONParser.parse($0) }, plugin: "file", dir: NSTemporaryDirectory(), at: "g.yml:1:1")
        var out: [String] = []
        var refused = 0
        var batch: [UInt8] = [UInt8(ascii: "[")]
        for e in events {
            var b: [UInt8] = []
            do { try f.append(e, to: &b) } catch { refused += 1; continue }
            if f.batches {
                if batch.count > 1 { batch.append(UInt8(ascii: ",")) }
                batch += b
            } else {
                out.append(String(decoding: b, as: UTF8.self))
            }
        }
        if f.batches { out = [String(decoding: f.batchArray(batch + [UInt8(ascii: "]")]), as: UTF8.self)] }
        return (out, refused)
    }

    @Test func plainJsonAndJsonBatchLayOutTheTextAsEventumDoes() throws {
        let events = ["\"event1\"", "{\"key\": \"value\"}", "invalid json"]
        #expect(try format(#"{"format":"plain"}"#, events).out == events)
        #expect(try format(nil, ["a  b"]).out == ["a  b"])
        let pretty = try format(#"{"format":"json","indent":2}"#, events)
        #expect(pretty.out == ["\"event1\"", "{\n  \"key\": \"value\"\n}"])
        #expect(pretty.refused == 1)
        let line = try format(#"{"format":"json"}"#, ["{\"user\":\"alice\",  \"n\" :[1,2 ,{}, []],\"s\":\"a \\\"q\\\" \\u00e9\"}", " 1.5e3 "])
        #expect(line.out == ["{\"user\": \"alice\", \"n\": [1, 2, {}, []], \"s\": \"a \\\"q\\\" \\u00e9\"}", "1.5e3"])
        let batch = try format(#"{"format":"json-batch","indent":2}"#, events)
        #expect(batch.out == ["[\n  \"event1\",\n  {\n    \"key\": \"value\"\n  }\n]"])
        #expect(batch.refused == 1)
        #expect(try format(#"{"format":"json-batch"}"#, ["{\"a\": 1}", "[true,null]"]).out == ["[{\"a\": 1}, [true, null]]"])
        for bad in ["{\"a\":1,}", "[1 2]", "{\"a\" 1}", "01", "\"\u{1}\"", "\"\\x\"", "tru", "{}{}", "", "-", "1.", "[" + String(repeating: "[", count: 600)] {
            #expect(try format(#"{"format":"json"}"#, [bad]).refused == 1, "\(bad)")
        }
    }

    @Test func templateRendersEachEventAsEvent() throws {
        #expect(try format(#"{"format":"template","template":"{{ event | upper }}!"}"#, ["event1", "e2"]).out == ["EVENT1!", "E2!"])
        let dir = Run.tempDir()
        try "<{{ event | lower }}>".write(toFile: dir + "/wrap.jinja", atomically: true, encoding: .utf8)
        let f = try EventumFormatter.make(try JSONParser.parse(#"{"format":"template","template_path":"wrap.jinja"}"#),
                                          plugin: "file", dir: dir, at: "g.yml:1:1")
        var b: [UInt8] = []
        try f.append("ABC", to: &b)
        #expect(String(decoding: b, as: UTF8.self) == "<abc>")
        let failing = try EventumFormatter.make(try JSONParser.parse(#"{"format":"template","template":"{{ event - 1 }}"}"#),
                                                plugin: "file", dir: dir, at: "g.yml:1:1")
        #expect(throws: (any Error).self) { var o: [UInt8] = []; try failing.append("x", to: &o) }
        for (spec, message) in [(#"{"format":"template"}"#, "needs template or template_path"),
                                (#"{"format":"template","template":"a","template_path":"b"}"#, "not both"),
                                (#"{"format":"template","template_path":"missing.jinja"}"#, "template not found"),
                                (#"{"format":"template","template":"{% if %}"}"#, "formatter template"),
                                (#"{"format":"json","indnt":2}"#, "did you mean indent?"),
                                (#"{"format":"jsn"}"#, "did you mean json?"),
                                (#"{"format":"template-batch","template":"x"}"#, "not supported"),
                                (#"{"format":"json","indent":-1}"#, "indent must be a whole number from 0 to 64")] {
            #expect {
                _ = try EventumFormatter.make(try JSONParser.parse(spec), plugin: "file", dir: dir, at: "g.yml:3:7")
            } throws: { "\($0)".contains(message) && "\($0)".hasPrefix("g.yml:3:7: ") }
        }
    }

    /// Random texts never trap the layout, and whatever it accepts it accepts again unchanged.
    @Test func layoutFuzz() throws {
        var rng = SeededRandom(seed: 99)
        let pieces = ["{", "}", "[", "]", ",", ":", "\"a\"", "\"\\u12\"", "\"\\n\"", "1", "-0.5e+3", "true", "nul", " ", "\n", "\"é\"", "\\"]
        for _ in 0..<3000 {
            let text = (0..<Int.random(in: 0...12, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            for indent in [-1, 0, 2] {
                var out: [UInt8] = []
                var t = text
                guard (try? t.withUTF8 { try JSONLayout(indent: indent).append($0, to: &out) }) != nil else {
                    #expect(out.isEmpty)
                    continue
                }
                var again: [UInt8] = []
                try out.withUnsafeBufferPointer { try JSONLayout(indent: indent).append($0, to: &again) }
                #expect(again == out, "\(text)")
            }
        }
    }
    /// The one-pass layout over `_raw` as the record holds it (escaped) writes exactly what the
    /// layout of the decoded text writes, and refuses exactly what it refuses.
    @Test func escapedLayoutMatchesTheLayoutOfTheDecodedText() throws {
        var rng = SeededRandom(seed: 7)
        let pieces = ["{", "}", "[", "]", ",", ":", "\"a\"", "\"long string of text\"", "\"\\u00e9\\u12\"", "\"\\n\\t\\/\\b\\f\\r\"",
                      "\"q\\\"q\\\\\"", "\"\u{1}\"", "\"\u{7F}\"", "\"\\x\"", "1", "-0.5e+3", "01", "1.", "true", "nul", "null",
                      " ", "        ", "\n", "\t", "\r", "\u{C}", "\"é€😀\"", "\\", "\"", "\"k\":"]
        for round in 0..<2000 {
            var text = (0..<Int.random(in: 0...14, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
            // Nesting near and past the depth limit (a deep layout is large: indent 64 at the shallow ones).
            let deep = round % 200 == 0
            if deep { text = String(repeating: "[", count: 400 + round / 10) + "1" + String(repeating: "]", count: 400 + round / 10) }
            var quoted: [UInt8] = []
            JSONWriter.appendString(text, to: &quoted)
            let escaped = Array(quoted.dropFirst().dropLast())
            for indent in deep ? [-1, 2] : [-1, 0, 2, 64] {
                var want: [UInt8] = []
                var t = text
                let ok = (try? t.withUTF8 { try JSONLayout(indent: indent).append($0, to: &want) }) != nil
                var got = RawVec<UInt8>(capacity: 1)
                got.append(UInt8(ascii: ">"))
                let accepted = escaped.withUnsafeBufferPointer { JSONLayout(indent: indent).append(escaped: $0, to: &got) }
                #expect(accepted == ok, "\(indent) \(text)")
                #expect(Array(got.buffer) == [UInt8(ascii: ">")] + (ok ? want : []), "\(indent) \(text)")
                got.deallocate()
            }
        }
    }
}

@Suite(.serialized) struct EventumOutputTests {
    @Test func everyEventGoesToEachOutputWithItsFormatter() throws {
        let dir = Run.tempDir()
        let raws = ["{\"n\":1,\"m\":\"a\"}", "{\"n\": 2, \"m\": [1,2]}", "{\"n\":3}"]
        let input = Generator.stanza("web", dir: dir, outputs: [
            #"{"plugin":"stdout","formatter":{"format":"json"}}"#,
            #"{"plugin":"file","path":"\#(dir)/out/batch.json","write_mode":"overwrite","separator":"\n--\n","file_mode":600,"formatter":{"format":"json-batch","indent":2}}"#,
            #"{"plugin":"file","path":"\#(dir)/out/plain.log","formatter":{"format":"template","template":"{{ event | length }} {{ event }}"}}"#,
        ]) + Generator.events(raws, name: "web")
        let r = try Run.ship([], input: input)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "{\"n\": 1, \"m\": \"a\"}\n{\"n\": 2, \"m\": [1, 2]}\n{\"n\": 3}\n")
        let batch = try String(contentsOfFile: dir + "/out/batch.json", encoding: .utf8)
        #expect(batch == "[\n  {\n    \"n\": 1,\n    \"m\": \"a\"\n  },\n  {\n    \"n\": 2,\n    \"m\": [\n      1,\n      2\n    ]\n  },\n  {\n    \"n\": 3\n  }\n]\n--\n")
        let attributes = try FileManager.default.attributesOfItem(atPath: dir + "/out/batch.json")
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(try String(contentsOfFile: dir + "/out/plain.log", encoding: .utf8)
                == raws.map { "\($0.count) \($0)\n" }.joined())
        #expect(r.stderr.contains("eg-ship: summary: stdout events=3 "))
        #expect(r.stderr.contains("file:\(dir)/out/batch.json events=3 "))
        #expect(r.stderr.contains("file:\(dir)/out/plain.log events=3 "))
        #expect(r.stderr.contains("total events=9 failed=0"))

        // Again: overwrite starts the file afresh, append (the default) adds.
        let again = try Run.ship(["-q"], input: input)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try String(contentsOfFile: dir + "/out/batch.json", encoding: .utf8) == batch)
        #expect(try String(contentsOfFile: dir + "/out/plain.log", encoding: .utf8).split(separator: "\n").count == 6)
    }

    @Test func anEventTheFormatterRefusesIsReportedAndDeadLetteredForThatOutputOnly() throws {
        let dir = Run.tempDir()
        let dl = dir + "/dead.ndjson"
        let input = Generator.stanza("g", dir: dir, outputs: [
            #"{"plugin":"file","path":"\#(dir)/json.log","formatter":{"format":"json"}}"#,
            #"{"plugin":"file","path":"\#(dir)/plain.log"}"#,
        ]) + Generator.events(["{\"a\":1}", "not json {", "[2]"], name: "g")
        let r = try Run.ship(["--dead-letter", dl], input: input)
        #expect(r.status == 1)
        #expect(r.stderr.contains("file:\(dir)/json.log: 1 event (first from stdin:3) not delivered: json/0 formatter: not valid JSON: unexpected character 'n' at byte 1"),
                "\(r.stderr)")
        #expect(r.stderr.contains("file:\(dir)/json.log events=2 "), "\(r.stderr)")
        #expect(r.stderr.contains("retries=0 failed=1"), "\(r.stderr)")
        #expect(r.stderr.contains("file:\(dir)/plain.log events=3 "))
        #expect(try String(contentsOfFile: dir + "/json.log", encoding: .utf8) == "{\"a\": 1}\n[2]\n")
        #expect(try String(contentsOfFile: dir + "/plain.log", encoding: .utf8) == "{\"a\":1}\nnot json {\n[2]\n")
        // The dead letter sends the event back to the output that refused it, and only there.
        let letter = try Stream.deadLetter(dl)
        #expect(letter.stanzas.count == 1)
        let fields = try Array(letter.stanzas[0].utf8).withUnsafeBufferPointer { try JSONParser.parseObject($0) }
        let stanza = try StanzaRecord(record: Record(fields: fields), location: "dl")
        #expect(stanza.eventum?["output"].eventumItems.count == 1)
        #expect(stanza.eventum?["output"].eventumItems.first?["path"]?.stringValue == dir + "/json.log")
        #expect(letter.events == Stream.event("not json {", time: "1700000000.5", sample: "g"))
        let replay = try Run.ship(["-q", "--format", "raw", dl], input: "")
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(try String(contentsOfFile: dir + "/json.log", encoding: .utf8) == "{\"a\": 1}\n[2]\nnot json {\n")
        #expect(try String(contentsOfFile: dir + "/plain.log", encoding: .utf8).split(separator: "\n").count == 3)
    }

    /// One generator output with the json formatter takes the byte-level path: each `_raw` is
    /// laid out straight from the record's bytes, byte for byte as the record path lays it out,
    /// and an invalid one is counted, reported and dead-lettered as there.
    @Test func aJsonOutputLaysOutEachEventFromTheRecordsBytes() throws {
        let dir = Run.tempDir()
        let raws = ["{\"user\":{\"name\":\"al\\\"ice\\\\\",\"tags\":[1, -2.5e3,true,null,{}, []]},\n  \"é\":\"\\u00e9\\n\\/😀\"}",
                    "not json {", "\t[\"a\",\r\n {\"b\" :\"c\"}] ", "{\"s\":\"tab\there\"}", "\"a long string, longer than a word\""]
        let compact = ["{\"user\": {\"name\": \"al\\\"ice\\\\\", \"tags\": [1, -2.5e3, true, null, {}, []]}, \"é\": \"\\u00e9\\n\\/😀\"}",
                       "[\"a\", {\"b\": \"c\"}]", "\"a long string, longer than a word\""]
        let pretty = "{\n  \"user\": {\n    \"name\": \"al\\\"ice\\\\\",\n    \"tags\": [\n      1,\n      -2.5e3,\n      true,\n      null,\n      {},\n      []\n    ]\n  },\n  \"é\": \"\\u00e9\\n\\/😀\"\n}--\n"
            + "[\n  \"a\",\n  {\n    \"b\": \"c\"\n  }\n]--\n\"a long string, longer than a word\"--\n"
        for canonical in [true, false] {
            // A record not in canonical form (a space after `{`) takes the record path.
            let events = Generator.events(raws, name: "g").split(separator: "\n").map { canonical ? $0 + "\n" : "{ " + $0.dropFirst() + "\n" }.joined()
            let file = try Run.ship(["--dead-letter", dir + "/dead.ndjson"], input: Generator.stanza("g", dir: dir, outputs: [
                #"{"plugin":"file","path":"\#(dir)/j.log","write_mode":"overwrite","formatter":{"format":"json"}}"#]) + events)
            #expect(file.status == 1)
            #expect(try String(contentsOfFile: dir + "/j.log", encoding: .utf8) == compact.map { $0 + "\n" }.joined(), "\(canonical)")
            #expect(file.stderr.contains("file:\(dir)/j.log: 1 event (first from stdin:3) not delivered: json/0 formatter: not valid JSON: unexpected character 'n' at byte 1"), "\(file.stderr)")
            #expect(file.stderr.contains("file:\(dir)/j.log: 1 event (first from stdin:5) not delivered: json/0 formatter: not valid JSON: control character in a string (it must be escaped) at byte 10"), "\(file.stderr)")
            #expect(file.stderr.contains("file:\(dir)/j.log events=3 "), "\(file.stderr)")
            #expect(try Stream.deadLetter(dir + "/dead.ndjson").events == Stream.event(raws[1], time: "1700000000.5", sample: "g") + Stream.event(raws[3], time: "1700000000.5", sample: "g"))
            try FileManager.default.removeItem(atPath: dir + "/dead.ndjson")
            let out = try Run.ship(["-q"], input: Generator.stanza("g", dir: dir, outputs: [
                #"{"plugin":"stdout","separator":"--\n","formatter":{"format":"json","indent":2}}"#]) + events)
            #expect(out.status == 1)
            #expect(out.stdout == pretty, "\(canonical)")
            // The plain formatter: `_raw` as it is, then the separator.
            let plain = try Run.ship(["-q"], input: Generator.stanza("g", dir: dir, outputs: [#"{"plugin":"stdout","separator":"|"}"#]) + events)
            #expect(plain.status == 0)
            #expect(plain.stdout == raws.map { $0 + "|" }.joined(), "\(canonical)")
        }
    }

    @Test func commandLineFlagsOverrideTheGeneratorsOutputs() throws {
        let dir = Run.tempDir()
        let input = Generator.stanza("g", dir: dir, outputs: [
            #"{"plugin":"file","path":"\#(dir)/gen.json","write_mode":"overwrite","formatter":{"format":"json"}}"#,
            #"{"plugin":"stdout"}"#,
        ]) + Generator.events(["{\"a\":  1}", "{\"b\":2}"], name: "g")
        // --output replaces every output of the generator.
        let out = try Run.ship(["--output", "stdout", "-q"], input: input)
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout == "{\"a\":  1}\n{\"b\":2}\n")
        #expect(!FileManager.default.fileExists(atPath: dir + "/gen.json"))
        // --file keeps the generator's file output (its formatter and write mode) at another path.
        try "old\n".write(toFile: dir + "/other.json", atomically: true, encoding: .utf8)
        let file = try Run.ship(["--file", dir + "/other.json", "-q"], input: input)
        #expect(file.status == 0, "\(file.stderr)")
        #expect(file.stdout.isEmpty)
        #expect(try String(contentsOfFile: dir + "/other.json", encoding: .utf8) == "{\"a\": 1}\n{\"b\": 2}\n")
        // --set changes a key of every output; --format replaces the formatters.
        let set = try Run.ship(["--set", "fileName=\(dir)/set.json", "--format", "raw", "-q"], input: input)
        #expect(set.status == 0, "\(set.stderr)")
        #expect(try String(contentsOfFile: dir + "/set.json", encoding: .utf8) == "{\"a\":  1}\n{\"b\":2}\n")
        #expect(set.stdout == "{\"a\":  1}\n{\"b\":2}\n")
        // An output the generator does not have is built from the flags alone.
        let devnull = try Run.ship(["-o", "devnull"], input: input)
        #expect(devnull.status == 0)
        #expect(devnull.stderr.contains("devnull events=2 "))
    }

    @Test func unknownKeysAndUnsupportedValuesAreConfigErrorsAtTheirLine() throws {
        let dir = Run.tempDir()
        for (output, message) in [
            (#"{"plugin":"file","path":"/tmp/x","write_mod":"append"}"#, "generator.yml:22:7: output file has no setting 'write_mod' (did you mean write_mode?)"),
            (#"{"plugin":"file","path":"/tmp/x","write_mode":"apend"}"#, "generator.yml:22:7: output file write_mode = apend: expected append, overwrite; did you mean append?"),
            (#"{"plugin":"stdout","formatter":{"format":"json","indnt":2}}"#, "generator.yml:21:7: output stdout: formatter json has no setting 'indnt' (did you mean indent?)"),
            (#"{"plugin":"tcp","host":"h","port":1,"ssl":true}"#, "generator.yml:23:7: output tcp ssl is not supported"),
            (#"{"plugin":"tcp","host":"h","port":70000}"#, "generator.yml:22:7: output tcp port = 70000: expected a whole number from 1 to 65535"),
            (#"{"plugin":"http","url":"http://h/x","method":"GET"}"#, "expected POST, PUT or PATCH"),
            (#"{"plugin":"kafka","topic":"t"}"#, "generator.yml:20:5: output kafka needs 'bootstrap_servers'"),
            (#"{"plugin":"opensearch","hosts":["http://a:9200"],"username":"u","password":"p","index":"i","formatter":{"format":"json-batch"}}"#,
             "output opensearch formatter"),
            (#"{"plugin":"s3","bucket":"b"}"#, "unknown output plugin 's3'"),
            (#"{"plugin":"file","path":"/tmp/x","encoding":"latin_1"}"#, "expected utf_8"),
        ] {
            let r = try Run.ship([], input: Generator.stanza("g", dir: dir, outputs: [output]) + Generator.events(["x"], name: "g"))
            #expect(r.status == 2, "\(output)")
            #expect(r.stderr.contains(dir + "/" + message) || (!message.hasPrefix("generator.yml") && r.stderr.contains(message)), "\(r.stderr)")
        }
    }

    @Test func secretsInOutputSettingsAreResolvedAndNeverPrinted() throws {
        let dir = Run.tempDir()
        let server = TestHTTPServer { _, _ in .respond(500, "no") }
        defer { server.stop() }
        let input = Generator.stanza("g", dir: dir, outputs: [
            #"{"plugin":"http","url":"http://127.0.0.1:\#(server.port)/in","auth":{"type":"basic","username":"bob","password":"${secrets.http_pw}"},"headers":{"X-Key":"${secrets.api_key}"}}"#,
        ]) + Generator.events(["{\"a\":1}"], name: "g")
        let missing = try ToolProcess.run(ToolProcess.binary("eg-ship"), [], input: Data(input.utf8))
        #expect(missing.status == 2)
        #expect(String(decoding: missing.stderr, as: UTF8.self).contains("generator.yml:23:7: output http headers X-Key: the secret 'api_key' is not set: export EG_SECRET_API_KEY"))
        let env = ["EG_SECRET_HTTP_PW": "pw-Zq81x", "EG_SECRET_API_KEY": "key-Yt22v"]
        let r = try ToolProcess.run(ToolProcess.binary("eg-ship"), ["--retries", "0", "--stats", "--stats-interval", "0.01"],
                                    input: Data(input.utf8), environment: env)
        let stderr = String(decoding: r.stderr, as: UTF8.self)
        #expect(r.status == 1, "\(stderr)")
        #expect(server.requests.first?.headers["authorization"] == "Basic " + Data("bob:pw-Zq81x".utf8).base64EncodedString())
        #expect(server.requests.first?.headers["x-key"] == "key-Yt22v")
        #expect(!stderr.contains("pw-Zq81x") && !stderr.contains("key-Yt22v"))
    }

    /// Each real generator's outputs are understood; their events land where a flag sends them.
    @Test func theTwentyRealGeneratorsOutputsMap() throws {
        let root = ToolProcess.shared.appendingPathComponent("eventum/generators").path
        let names = try FileManager.default.contentsOfDirectory(atPath: root).sorted()
        #expect(names.count == 20)
        let dir = Run.tempDir()
        for name in names {
            let s = try ToolProcess.run(ToolProcess.binary("eg-sample"), [root + "/" + name])
            #expect(s.status == 0)
            let stanza = String(decoding: s.stdout, as: UTF8.self)
            let input = stanza + Generator.events(["{\"event\":  {\"kind\":\"x\"}}", "{\"n\":1}"], name: name)
            let r = try Run.ship(["--set", "fileName=\(dir)/\(name).json", "-q"], input: input)
            #expect(r.status == 0, "\(name): \(r.stderr)")
            let written = FileManager.default.fileExists(atPath: "\(dir)/\(name).json")
                ? try String(contentsOfFile: "\(dir)/\(name).json", encoding: .utf8) : r.stdout
            #expect(written == "{\"event\": {\"kind\": \"x\"}}\n{\"n\": 1}\n", "\(name)")
        }
    }
}
