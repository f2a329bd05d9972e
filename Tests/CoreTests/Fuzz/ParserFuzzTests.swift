import Foundation
import Testing
import EgTestSupport
@testable import Core

/// Bounded fuzzing of Core's parsers: the NDJSON codec (`JSONParser`, `RecordView`, `EpochText`),
/// the conf parser, the Python-regex translator, strftime/strptime and relative times. Valid
/// inputs are mutated by a seeded generator; each result must be a value or the parser's clear
/// error, never a trap or a hang. `EG_FUZZ_ITERATIONS=200000 swift test --filter CoreFuzzTests`
/// runs longer locally.
@Suite struct CoreFuzzTests {
    static let jsonAlphabet: [UInt8] = Array("{}[]:,\"\\/ 0123456789.eE+-tfnul_abcxyz\u{7f}".utf8)
    static let jsonTokens: [[UInt8]] = ["\\u0000", "\\ud800", "\\uDFFF", "1e308", "-1e400", "99999999999999999999",
                                       "17000000000000", "-9300000000000", "\"_time\":", "\"_raw\":", "\u{00e9}", "\u{1F600}",
                                       "\u{FF}", "[[[[[[[[", "}}}}"].map { Array($0.utf8) }

    static let lines = [
        #"{"_raw":"a b c","_time":1700000000.123456,"index":"main","host":"h","sample":"s"}"#,
        #"{"_kind":"stanza","sample":"cisco.log","stanza":"cisco\\.log","settings":{"interval":"15","token.0.token":"\\d+"}}"#,
        #"{"_raw":"esc \"q\" \\ \u00e9 \t","_time":"1700000000","nested":{"a":[1,2.5e3,-0,true,null]},"_bundle":3}"#,
    ]

    @Test func ndjsonCodecReadsOrReportsEveryMutatedLine() {
        var rng = Fuzz.Generator(seed: 19_012)
        var accepted = 0, rejected = 0, viewed = 0
        var view = RecordView()
        for i in 0..<Fuzz.iterations(6000) {
            let line = Fuzz.mutate(Array(Self.lines[i % Self.lines.count].utf8), &rng, alphabet: Self.jsonAlphabet, tokens: Self.jsonTokens)
            line.withUnsafeBufferPointer { buf in
                var fields: [JSONField]?
                do {
                    fields = try JSONParser.parseObject(buf)
                    accepted += 1
                } catch let e as JSONParser.SyntaxError {
                    #expect(e.offset >= 0 && e.offset <= buf.count)
                    #expect(!e.message.isEmpty)
                    rejected += 1
                } catch {
                    Issue.record("unexpected error \(error)")
                }
                if view.scan(buf) {
                    viewed += 1
                    // A line the view accepts is canonical: the Record path writes it back unchanged.
                    guard let f = fields else { Issue.record("RecordView accepted what JSONParser refused: \(String(decoding: line, as: UTF8.self))"); return }
                    var out: [UInt8] = []
                    JSONWriter.appendObject(f, to: &out)
                    #expect(out == line, "\(String(decoding: line, as: UTF8.self))")
                    _ = view.time
                    _ = view.isStanza
                    for k in view.members.indices { _ = view.text(k) }
                }
                if let f = fields {
                    let record = Record(fields: f)
                    _ = record.time
                    #expect((try? RecordReader.checkTime(record, at: "fuzz:1")) != nil || EpochText.read(record.string("_time") ?? "") == .outOfRange)
                }
            }
        }
        #expect(accepted > 300 && rejected > 300 && viewed > 100, "accepted \(accepted), rejected \(rejected), viewed \(viewed)")
    }

    @Test func epochTextIsExactInRangeAndNeverOverflows() {
        var rng = Fuzz.Generator(seed: 1201)
        let alphabet: [UInt8] = Array("0123456789.-eE+".utf8)
        let seeds = ["1700000000", "-5.25", "1.7e9", "8999999999999.999999", "17000000000000", "0.000001"]
        for i in 0..<Fuzz.iterations(20000) {
            let text = Fuzz.mutate(Array(seeds[i % seeds.count].utf8), &rng, alphabet: alphabet)
            let reading = text.withUnsafeBufferPointer { EpochText.read(bytes: $0) }
            if case .time(let t) = reading {
                #expect(abs(t.micros) < EpochText.limitSeconds * 1_000_000 + 1_000_000)
                #expect(EpochText.parse(EpochText.format(t)) == t)
            }
        }
        #expect(EpochText.read("17000000000000") == .outOfRange)
        #expect(EpochText.read("-9300000000000.5") == .outOfRange)
        #expect(EpochText.read("1e300") == .outOfRange)
        #expect(EpochText.read("1.7e9") == .time(EventTime(seconds: 1_700_000_000)))
        #expect(EpochText.read("abc") == .invalid)
    }

    static let conf = """
        # comment
        [global]
        index = main
        [web\\.log]
        interval = 15
        token.0.token = \\d{2}:\\d{2}
        token.0.replacementType = timestamp
        token.0.replacement = %H:%M
        hourOfDayRate = { "0": 0.5,
          "1": 1.0 }
        ; other comment
        [other]
        count = 3

        """

    @Test func confParserReadsOrLocatesEveryMutatedConf() {
        var rng = Fuzz.Generator(seed: 7)
        let alphabet: [UInt8] = Array("[]=#;\\ \t\n\r.:{}\"abc0123456789\u{00e9}".utf8)
        let tokens: [[UInt8]] = ["\n[", "]\n", " = ", "\\\n", "\r", "\u{FEFF}", "[global]\n", "token.99999999999999999999.token = x\n"]
            .map { Array($0.utf8) }
        var parsed = 0, failed = 0
        for _ in 0..<Fuzz.iterations(4000) {
            let text = String(decoding: Fuzz.mutate(Array(Self.conf.utf8), &rng, alphabet: alphabet, tokens: tokens), as: UTF8.self)
            do {
                let f = try ConfFile.parse(text: text, path: "fuzz.conf")
                for s in f.sections { _ = s.settings.tokensSkippingIncomplete() }
                parsed += 1
            } catch let e as EgError {
                #expect(e.kind == .config)
                #expect(e.description.hasPrefix("fuzz.conf:"), "\(e)")
                failed += 1
            } catch {
                Issue.record("unexpected error \(error)")
            }
        }
        #expect(parsed > 100 && failed > 10, "parsed \(parsed), failed \(failed)")
    }

    @Test func pythonRegexTranslatesOrRefusesEveryMutatedPattern() {
        var rng = Fuzz.Generator(seed: 99)
        let seeds = [#"(?P<ts>\d{4}-\d{2}-\d{2})\s+\w+"#, #"^\w{3}\s+\d{1,2}\s+\d{2}:\d{2}:\d{2}"#, #"(?i)user=(\S+)|\[(?:a|b)\]"#,
                     #"@@integer"#, #"(?P=ts)\Z\A\b[^\]\\-]"#]
        let alphabet: [UInt8] = Array(#"()[]{}?*+|^$\.:=!<>PdswSWbBAZz0123456789-,"#.utf8)
        let tokens: [[UInt8]] = ["(?P<", "(?P=", "(?#", "\\N{", "{99999999999,}", "\\x", "\\u", "(?<=", "[[:alpha:]]"].map { Array($0.utf8) }
        var compiled = 0, refused = 0
        for i in 0..<Fuzz.iterations(2500) {
            let pattern = String(decoding: Fuzz.mutate(Array(seeds[i % seeds.count].utf8), &rng, alphabet: alphabet, tokens: tokens), as: UTF8.self)
            do {
                let r = try PythonRegex.compile(pattern, context: "token 0 of [fuzz]")
                _ = r.firstMatch(in: "2024-01-15 10:30:00 user=bob [a] @@integer", range: NSRange(location: 0, length: 42))
                compiled += 1
            } catch let e as EgError {
                #expect(e.kind == .config)
                #expect(e.description.hasPrefix("token 0 of [fuzz]: "), "\(e)")
                refused += 1
            } catch {
                Issue.record("unexpected error \(error)")
            }
        }
        #expect(compiled > 100 && refused > 100, "compiled \(compiled), refused \(refused)")
    }

    @Test func strftimeAndStrptimeHandleAnyFormatTextAndTime() {
        var rng = Fuzz.Generator(seed: 2026)
        let formats = ["%Y-%m-%d %H:%M:%S", "%b %d %H:%M:%S.%f %z", "%s.%f", "%d/%b/%Y:%H:%M:%S %Z", "%a %j %U %W %c %x %X %%", "%I:%M %p %y"]
        let alphabet: [UInt8] = Array("%YmdHMSfzZbBaAjUWcxXpyIse-:/. 0123456789".utf8)
        let zones: [TimeZoneSetting] = [.utc, .fixed(offsetSeconds: -18_000), .fixed(offsetSeconds: 50_400), .local]
        let limit = UInt64(EpochText.limitSeconds * 1_000_000)
        for i in 0..<Fuzz.iterations(6000) {
            let format = String(decoding: Fuzz.mutate(Array(formats[i % formats.count].utf8), &rng, alphabet: alphabet), as: UTF8.self)
            // Any instant eg accepts, from -limit to +limit seconds.
            let micros = Int64(bitPattern: rng.next() % (2 * limit) &- limit)
            let zone = zones[rng.below(zones.count)]
            let text = Strftime(format).format(EventTime(micros: micros), zone: zone)
            let parser = Strptime(format)
            _ = parser.parse(text, zone: zone, defaultYear: 2026)
            let noise = String(decoding: Fuzz.mutate(Array(text.utf8), &rng, alphabet: alphabet), as: UTF8.self)
            _ = parser.parse(noise, zone: zone, defaultYear: 2026)
            _ = parser.parsePrefix(Substring(noise), zone: zone, defaultYear: 2026)
        }
        // Found by this test: a 19-digit %s overflowed in StrptimeFields.epoch.
        for text in ["9999999999999999999", "-9999999999999999999", "99999999999999999999.5"] {
            let t = Strptime("%s").parsePrefix(Substring(text), zone: .utc, defaultYear: 2026)
            #expect(t.map { abs($0.0.micros) < Int64.max } ?? true)
        }
    }

    @Test func relativeTimesParseOrFailClearly() {
        var rng = Fuzz.Generator(seed: 31)
        let seeds = ["-15m", "-1h@h", "+1d@d-2h", "@w0", "now", "2024-01-15T10:30:00.5+05:30", "1700000000.25", "-7d@w1"]
        let alphabet: [UInt8] = Array("+-@0123456789smhdwqyonT:.Z ".utf8)
        for i in 0..<Fuzz.iterations(6000) {
            let text = String(decoding: Fuzz.mutate(Array(seeds[i % seeds.count].utf8), &rng, alphabet: alphabet), as: UTF8.self)
            do {
                _ = try RelativeTime.parse(text, at: "fuzz")
            } catch let e as EgError {
                #expect(e.description.hasPrefix("fuzz: "), "\(e)")
            } catch {
                Issue.record("unexpected error \(error)")
            }
        }
    }
}
