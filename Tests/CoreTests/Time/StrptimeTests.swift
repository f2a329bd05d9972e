import Testing
@testable import Core

/// Expected instants were verified with Python 3.11 `datetime.strptime(...)` (naive results read
/// as UTC), except `%s`, `%e` and the default-year rule, which are eventgen's (Python has no `%s`).
@Suite struct StrptimeTests {
    func p(_ text: String, _ fmt: String, zone: TimeZoneSetting = .utc, year: Int = 2024) -> EventTime? {
        Strptime(fmt).parse(text, zone: zone, defaultYear: year)
    }
    func us(_ micros: Int64) -> EventTime { EventTime(micros: micros) }

    @Test func pythonVerifiedCases() {
        let cases: [(String, String, Int64)] = [
            ("2024-01-15 10:30:00", "%Y-%m-%d %H:%M:%S", 1_705_314_600_000_000),
            ("15/Jan/2024:10:30:00 -0800", "%d/%b/%Y:%H:%M:%S %z", 1_705_343_400_000_000),
            ("Monday, JANUARY 15 2024 10:30:00.5 +05:30", "%A, %B %d %Y %H:%M:%S.%f %z", 1_705_294_800_500_000),
            ("mon jan 15 2024", "%a %b %d %Y", 1_705_276_800_000_000),
            ("01/15/69 03:04:05 PM", "%m/%d/%y %I:%M:%S %p", -30_272_155_000_000),
            ("01/15/68 12:04:05 am", "%m/%d/%y %I:%M:%S %p", 3_093_811_445_000_000),
            ("2024 046 12", "%Y %j %H", 1_707_998_400_000_000),
            ("2024-01-15T10:30:00Z", "%Y-%m-%dT%H:%M:%S%z", 1_705_314_600_000_000),
            ("2024-01-15 10:30:00 UTC", "%Y-%m-%d %H:%M:%S %Z", 1_705_314_600_000_000),
            ("10:30:00", "%H:%M:%S", -2_208_951_000_000_000),
            ("2024-1-5  7:3:9", "%Y-%m-%d %H:%M:%S", 1_704_438_189_000_000),
            ("100% 2024", "100%% %Y", 1_704_067_200_000_000),
            ("2024 03 3", "%Y %U %w", 1_706_054_400_000_000),
            ("2024 03 3", "%Y %W %w", 1_705_449_600_000_000),
            ("2020 53 5", "%G %V %u", 1_609_459_200_000_000),
            ("Fri Jan  5 14:07:09 2024", "%c", 1_704_463_629_000_000),
            ("202401151030", "%Y%m%d%H%M", 1_705_314_600_000_000),
            ("2024-01-15 10:30:00.123", "%Y-%m-%d %H:%M:%S.%f", 1_705_314_600_123_000),
            ("12:00:00 PM", "%I:%M:%S %p", -2_208_945_600_000_000),
            ("t2024-01-15t", "T%Y-%m-%dT", 1_705_276_800_000_000),
        ]
        for (text, fmt, want) in cases {
            #expect(p(text, fmt) == us(want), "\(text) / \(fmt)")
        }
    }

    @Test func pythonRejects() {
        #expect(p("2024-01-15 10:30", "%Y-%m-%d %H:%M:%S") == nil)
        #expect(p("2024-01-1510:30", "%Y-%m-%d %H:%M") == nil)   // whitespace needs at least one
        #expect(p("2024-02-30", "%Y-%m-%d") == nil)
        #expect(p("24:00", "%H:%M") == nil)
        #expect(p("2024-01-15 x", "%Y-%m-%d") == nil)
        #expect(p("123", "%H") == nil)
        #expect(p("Foo 15", "%b %d") == nil)
    }

    @Test func zonesAndDefaults() {
        let est = TimeZoneSetting.fixed(offsetSeconds: -18_000)
        #expect(p("2024-01-15 10:30:00", "%Y-%m-%d %H:%M:%S", zone: est) == us(1_705_332_600_000_000))
        #expect(p("2024-01-15 10:30:00 +0000", "%Y-%m-%d %H:%M:%S %z", zone: est) == us(1_705_314_600_000_000))
        #expect(p("Jan 15 10:30:00", "%b %d %H:%M:%S") == us(1_705_314_600_000_000))
        #expect(p("Jan 15 10:30:00", "%b %d %H:%M:%S", year: 2023) == us(1_673_778_600_000_000))
        #expect(p("Feb 29 00:00:00", "%b %d %H:%M:%S", year: 2023) == nil)
        #expect(p("Jan  5 07:00:00", "%b %e %H:%M:%S") == us(1_704_438_000_000_000))
        #expect(p("2024-01-15T10:30:00-05:00", "%Y-%m-%dT%H:%M:%S%z") == us(1_705_332_600_000_000))
    }

    @Test func epochSeconds() {
        #expect(p("1700000000", "%s") == us(1_700_000_000_000_000))
        #expect(p("1700000000123", "%s") == us(1_700_000_000_123_000))
        #expect(p("1700000000123456", "%s") == us(1_700_000_000_123_456))
        #expect(p("1700000000.25", "%s") == us(1_700_000_000_250_000))
        #expect(p("ts=1610000010;", "ts=%s;") == us(1_610_000_010_000_000))
        #expect(p("-5", "%s") == us(-5_000_000))
    }

    @Test func prefixParsing() {
        let s = Strptime("%Y-%m-%d %H:%M:%S")
        let line = "2024-01-15 10:30:00 GET /index.html"
        let r = s.parsePrefix(line[...], zone: .utc, defaultYear: 2024)
        #expect(r?.0 == us(1_705_314_600_000_000))
        #expect(r?.1 == 19)
        #expect(s.parsePrefix("x2024-01-15 10:30:00"[...], zone: .utc, defaultYear: 2024) == nil)
    }

    @Test func roundTripsThroughStrftime() {
        let zones: [TimeZoneSetting] = [.utc, .fixed(offsetSeconds: -18_000), .fixed(offsetSeconds: 19_800)]
        let formats = ["%Y-%m-%d %H:%M:%S.%f %z", "%d/%b/%Y:%H:%M:%S.%f %z", "%A %B %d %Y %I:%M:%S.%f %p %:z",
                       "%s", "%Y %j %T.%f %z", "%a, %d %b %Y %H:%M:%S.%f %z"]
        let times: [Int64] = [0, 1_705_314_600_123_456, 1_709_164_799_999_999, 951_782_400_000_001, 4_102_444_799_000_000]
        for fmt in formats {
            for zone in zones {
                for m in times {
                    let t = us(m)
                    let text = Strftime(fmt).format(t, zone: zone)
                    let want = fmt == "%s" ? EventTime(seconds: t.seconds) : t
                    #expect(Strptime(fmt).parse(text, zone: zone, defaultYear: 1999) == want, "\(fmt) \(text)")
                }
            }
        }
    }
}
