import Core
import Foundation
import Testing

/// Shapes, ranges and distributions of every replacement type, through the real binary.
@Suite struct TypeTests {
    /// Runs one ad-hoc token over `n` events of `raw` and returns the text group 1 of `extract` captured.
    static func values(_ type: String, _ replacement: String, n: Int = 2000, raw: String = "v=X;",
                       token: String = "v=(X);", extract: String = "v=(.*);", extra: [String] = []) throws -> [String] {
        let input = (0..<n).map { Run.line([("_raw", .string(raw)), ("_time", .number(String(1_700_000_000 + $0)))]) }
            .joined(separator: "\n") + "\n"
        let r = try Run.tokenize(["--seed", "7", "--timezone", "UTC", "--token", token, "--type", type,
                                  "--replacement", replacement] + extra, input: input)
        #expect(r.status == 0, "\(r.stderr)")
        let re = try NSRegularExpression(pattern: extract, options: [.dotMatchesLineSeparators])
        return r.records.map { rec in
            let s = rec.raw ?? ""
            guard let m = re.firstMatch(in: s, range: NSRange(location: 0, length: (s as NSString).length)) else { return "<no match: \(s)>" }
            return (s as NSString).substring(with: m.range(at: 1))
        }
    }

    static func all(_ values: [String], match pattern: String) -> Bool {
        let re = try! NSRegularExpression(pattern: "^(?:" + pattern + ")$")
        return values.allSatisfy { re.firstMatch(in: $0, range: NSRange(location: 0, length: ($0 as NSString).length)) != nil }
    }

    @Test func ipv4() throws {
        let v = try TypeTests.values("random", "ipv4")
        #expect(v.count == 2000)
        #expect(TypeTests.all(v, match: #"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}"#))
        let octets = v.flatMap { $0.split(separator: ".").map { Int($0)! } }
        #expect(octets.allSatisfy { (0...255).contains($0) })
        #expect(octets.contains { $0 < 16 } && octets.contains { $0 > 240 })
        #expect(Set(v).count > 1990)
    }

    @Test func ipv6() throws {
        let v = try TypeTests.values("random", "ipv6")
        #expect(TypeTests.all(v, match: #"([0-9a-f]{1,4}:){7}[0-9a-f]{1,4}"#))
        // Not zero-padded: groups shorter than 4 digits occur, and none has a leading zero.
        let groups = v.flatMap { $0.split(separator: ":") }
        #expect(groups.contains { $0.count < 4 })
        #expect(!groups.contains { $0.count > 1 && $0.hasPrefix("0") })
    }

    @Test func mac() throws {
        let v = try TypeTests.values("random", "mac")
        #expect(TypeTests.all(v, match: #"([0-9a-f]{2}:){5}[0-9a-f]{2}"#))
        #expect(Set(v).count > 1990)
    }

    @Test func guid() throws {
        let v = try TypeTests.values("random", "guid")
        #expect(TypeTests.all(v, match: #"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"#))
        #expect(Set(v).count == v.count)
    }

    @Test func integerRangeCoversBothEnds() throws {
        let v = try TypeTests.values("random", "integer[-3:4]").map { Int($0)! }
        #expect(v.allSatisfy { (-3...4).contains($0) })
        #expect(Set(v) == Set(-3...4))
        let counts = Dictionary(grouping: v, by: { $0 }).mapValues(\.count)
        #expect(counts.values.allSatisfy { $0 > 250 * 7 / 10 && $0 < 250 * 13 / 10 })
    }

    @Test func floatPrecisionFromFirstBound() throws {
        let v = try TypeTests.values("random", "float[0.000:10.000]")
        #expect(TypeTests.all(v, match: #"\d{1,2}\.\d{1,3}"#))
        let d = v.map { Double($0)! }
        #expect(d.allSatisfy { $0 >= 0 && $0 <= 10 })
        #expect(d.contains { $0 < 1 } && d.contains { $0 > 9 })
        #expect(v.contains { $0.split(separator: ".")[1].count == 3 })
        // Python str(): trailing zeros dropped, at least one decimal.
        let whole = try TypeTests.values("random", "float[1:3]")
        #expect(TypeTests.all(whole, match: #"[123]\.0"#))
        #expect(Set(whole) == ["1.0", "2.0", "3.0"])
    }

    @Test func stringAndHex() throws {
        let s = try TypeTests.values("random", "string(12)")
        #expect(TypeTests.all(s, match: #"[A-Za-z0-9_.~/-]{12}"#))
        let alphabet = Set(s.joined())
        #expect(alphabet.count == 67)
        let h = try TypeTests.values("random", "hex(8)")
        #expect(TypeTests.all(h, match: "[0-9A-F]{8}"))
        #expect(Set(h.joined()).count == 16)
        let empty = try TypeTests.values("random", "string(0)", n: 5)
        #expect(empty == ["", "", "", "", ""])
    }

    @Test func listChoicesAppearEqually() throws {
        let v = try TypeTests.values("random", #"list["GET","POST","PUT","DELETE"]"#, n: 4000)
        let counts = Dictionary(grouping: v, by: { $0 }).mapValues(\.count)
        #expect(Set(counts.keys) == ["GET", "POST", "PUT", "DELETE"])
        #expect(counts.values.allSatisfy { $0 > 850 && $0 < 1150 })
    }

    @Test func staticReplacesEveryMatch() throws {
        let input = Run.line([("_raw", .string("a=1 b=1 c=2"))]) + "\n"
        let r = try Run.tokenize(["--token", "=(1)", "--type", "static", "--replacement", "ONE"], input: input)
        #expect(r.records.first?.raw == "a=ONE b=ONE c=2")
    }

    @Test func oneValuePerEventInEveryMatch() throws {
        let input = (0..<50).map { _ in Run.line([("_raw", .string("id=X other=X"))]) }.joined(separator: "\n") + "\n"
        let r = try Run.tokenize(["--seed", "3", "--token", "X", "--type", "random", "--replacement", "hex(10)"], input: input)
        let raws = r.records.compactMap(\.raw)
        #expect(raws.count == 50)
        for raw in raws {
            let parts = raw.split(separator: " ").map { $0.split(separator: "=")[1] }
            #expect(parts[0] == parts[1])
        }
        #expect(Set(raws).count == 50)
    }

    @Test func timestampFormatsEventTime() throws {
        let input = [Run.line([("_raw", .string("T=[x] end")), ("_time", .number("1700000000.123456"))]),
                     Run.line([("_raw", .string("T=[x] end")), ("_time", .number("1610000010"))])].joined(separator: "\n") + "\n"
        let r = try Run.tokenize(["--timezone", "UTC", "--token", #"\[(x)\]"#, "--type", "timestamp",
                                  "--replacement", "%Y-%m-%d %H:%M:%S.%f %s %b %d"], input: input)
        #expect(r.records.map { $0.raw ?? "" } == ["T=[2023-11-14 22:13:20.123456 1700000000 Nov 14] end",
                                                   "T=[2021-01-07 06:13:30.000000 1610000010 Jan 07] end"])
        let ny = try Run.tokenize(["--timezone", "-0500", "--token", #"\[(x)\]"#, "--type", "timestamp",
                                   "--replacement", "%H:%M %z"], input: input)
        #expect(ny.records.first?.raw == "T=[17:13 -0500] end")
    }

    @Test func timestampHonoursTZForLocal() throws {
        let input = Run.line([("_raw", .string("at X")), ("_time", .number("1700000000"))]) + "\n"
        var env = ProcessInfo.processInfo.environment
        env["TZ"] = "America/New_York"
        let r = try Run.tokenize(["--token", "X", "--type", "timestamp", "--replacement", "%H:%M:%S %Z"], input: input, environment: env)
        #expect(r.records.first?.raw == "at 17:13:20 EST")
    }

    @Test func ratedScalesByEventHourAndWeekday() throws {
        // 2023-11-14 is a Tuesday (Splunk weekday 2); 22:13 UTC.
        let stanza = Run.stanza(sample: "r.log", settings: [
            ("timezone", "UTC"),
            ("hourOfDayRate", #"{"22": 0.5, "23": 2.0}"#), ("dayOfWeekRate", #"{"2": 3.0}"#),
            ("token.0.token", "i=(\\d+)"), ("token.0.replacementType", "rated"), ("token.0.replacement", "integer[10:10]"),
            ("token.1.token", "f=(\\d+)"), ("token.1.replacementType", "rated"), ("token.1.replacement", "float[1.25:1.25]"),
        ])
        let input = [stanza,
                     Run.line([("_raw", .string("i=0 f=0")), ("_time", .number("1700000000")), ("sample", .string("r.log"))]),
                     Run.line([("_raw", .string("i=0 f=0")), ("_time", .number("1700003600")), ("sample", .string("r.log"))]),
                     Run.line([("_raw", .string("i=0 f=0")), ("_time", .number("1700100000")), ("sample", .string("r.log"))])]
            .joined(separator: "\n") + "\n"
        let r = try Run.tokenize([], input: input)
        #expect(r.status == 0, "\(r.stderr)")
        // 22h Tue: 10*0.5*3 = 15, 1.25*1.5 = 1.88 (round half even of 1.875 -> 1.88)
        // 23h Tue: 10*2*3 = 60, 1.25*6 = 7.5; Wed 02:00 (no rates): 10, 1.25
        #expect(r.records.dropFirst().map { $0.raw ?? "" } == ["i=15 f=1.88", "i=60 f=7.5", "i=10 f=1.25"])
    }

    @Test func seededOutputIsDeterministic() throws {
        let input = (0..<100).map { Run.line([("_raw", .string("a=X b=Y")), ("_time", .number(String(1_700_000_000 + $0)))]) }
            .joined(separator: "\n") + "\n"
        let args = ["--seed", "42", "--token", "X", "--type", "random", "--replacement", "guid",
                    "--token", "Y", "--type", "random", "--replacement", "ipv4"]
        let a = try Run.tokenize(args, input: input), b = try Run.tokenize(args, input: input)
        #expect(a.stdout == b.stdout && !a.stdout.isEmpty)
        let c = try Run.tokenize(["--seed", "43"] + args.dropFirst(2), input: input)
        #expect(c.stdout != a.stdout)
    }

    @Test func recordsWithoutStanzaPassThrough() throws {
        let input = #"{"_raw":"a \"q\" é","_time":1700000000.25,"x":[1,{"y":null}]}"# + "\n" + #"{"_kind":"stanza","sample":"s","settings":{}}"# + "\n"
        let r = try Run.tokenize([], input: input)
        #expect(r.stdout == input)
    }
}
