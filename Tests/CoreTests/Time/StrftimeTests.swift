import Testing
@testable import Core

/// Expected strings were verified with Python 3.11 (`datetime.strftime` on glibc, C locale),
/// except `%:z` (Python 3.12 semantics) and `%s` (exact epoch, `int(dt.timestamp())`).
@Suite struct StrftimeTests {
    /// 2024-01-05 14:07:09.000250 -05:00, a Friday.
    let t = EventTime(micros: 1_704_481_629_000_250)
    let est = TimeZoneSetting.fixed(offsetSeconds: -5 * 3600)

    func f(_ fmt: String, _ t: EventTime? = nil, _ zone: TimeZoneSetting? = nil) -> String {
        Strftime(fmt).format(t ?? self.t, zone: zone ?? est)
    }

    @Test func everyDirective() {
        let expected: [(String, String)] = [
            ("%a", "Fri"), ("%A", "Friday"), ("%w", "5"), ("%d", "05"), ("%b", "Jan"), ("%B", "January"),
            ("%m", "01"), ("%y", "24"), ("%Y", "2024"), ("%H", "14"), ("%I", "02"), ("%p", "PM"),
            ("%M", "07"), ("%S", "09"), ("%f", "000250"), ("%z", "-0500"), ("%Z", "UTC-05:00"),
            ("%j", "005"), ("%U", "00"), ("%W", "01"), ("%c", "Fri Jan  5 14:07:09 2024"),
            ("%x", "01/05/24"), ("%X", "14:07:09"), ("%%", "%"), ("%G", "2024"), ("%u", "5"),
            ("%V", "01"), ("%e", " 5"), ("%C", "20"), ("%D", "01/05/24"), ("%F", "2024-01-05"),
            ("%T", "14:07:09"), ("%R", "14:07"), ("%n", "\n"), ("%t", "\t"), ("%h", "Jan"),
            ("%k", "14"), ("%l", " 2"), ("%r", "02:07:09 PM"), ("%:z", "-05:00"), ("%s", "1704481629"),
        ]
        for (fmt, want) in expected {
            #expect(f(fmt) == want, "\(fmt)")
        }
    }

    @Test func isoWeeksAndYearEdges() {
        // 2021-01-01 00:00:00 +05:30 (Friday): ISO week 53 of 2020.
        let ist = TimeZoneSetting.fixed(offsetSeconds: 19_800)
        #expect(f("%G-W%V-%u %U %W %j %Z %z %I %p %l %k", EventTime(seconds: 1_609_439_400), ist)
                == "2020-W53-5 00 00 001 UTC+05:30 +0530 12 AM 12  0")
        // 2024-12-30 23:59:59.999999 UTC (Monday): ISO week 1 of 2025.
        #expect(f("%G %V %u %U %W %j %Z %z %y %C %-d %_m %^a %P %Q %e",
                  EventTime(micros: 1_735_603_199_999_999), .utc)
                == "2025 01 1 52 53 365 UTC +0000 24 20 30 12 MON pm %Q 30")
    }

    @Test func epochSecondsAreExact() {
        // eventgen's Python 3 code printed 161000001 here; eg prints the exact value.
        #expect(f("%s", EventTime(seconds: 1_610_000_010)) == "1610000010")
        #expect(f("%s", EventTime(seconds: 1_700_000_000, microsecond: 999_999)) == "1700000000")
        #expect(f("%s.%f", EventTime(micros: -1)) == "-1.999999")
    }

    @Test func literalsAndUnknownDirectives() {
        #expect(f("at %H:%M on %d/%m, 100%% sure %q %") == "at 14:07 on 05/01, 100% sure %q %")
        #expect(f("") == "")
        #expect(f("héllo %Y") == "héllo 2024")
    }

    @Test func unknownDirectivesAreListedWithPositions() {
        let s = Strftime("%Y-%m-%dT%H:%M:%S.%3N %L %q %")
        #expect(s.unknownDirectives.map(\.text) == ["%3N", "%L", "%q", "%"])
        #expect(s.unknownDirectives.map(\.position) == [18, 22, 25, 28])
        #expect(s.unknownDirectives[0].problem == "unknown strftime directive %3N at position 18; did you mean %3f (milliseconds)?")
        #expect(s.unknownDirectives[2].problem == "unknown strftime directive %q at position 25")
        #expect(Strftime("%Y %3f %6s %-d %:z %Ey %%").unknownDirectives.isEmpty)
        #expect(TokenTypes.strftimeProblem("%H:%M:%S.%L") == "unknown strftime directive %L at position 9; did you mean %3f (milliseconds)?")
    }

    @Test func millisecondsAndEpochMilliseconds() {
        // 2024-06-01T10:00:00.123456Z
        let t = EventTime(micros: 1_717_236_000_123_456)
        #expect(f("%Y-%m-%dT%H:%M:%S.%3fZ", t, .utc) == "2024-06-01T10:00:00.123Z")
        #expect(f("%S.%1f|%S.%2f|%S.%4f|%S.%5f|%S.%6f", t, .utc) == "00.1|00.12|00.1234|00.12345|00.123456")
        #expect(f("%3s", t, .utc) == "1717236000123")
        #expect(f("%6s", t, .utc) == "1717236000123456")
        #expect(f("%s.%3f", t, .utc) == "1717236000.123")
        #expect(f("%3s", EventTime(micros: -1), .utc) == "-1")
        #expect(f("%3s", EventTime(micros: -1_500), .utc) == "-2")
        #expect(Strftime("%3f").usesSubsecond && Strftime("%3s").usesSubsecond)
        #expect(f("%3f", EventTime(micros: 999), .utc) == "000")
        // strptime reads them back.
        let zone = TimeZoneSetting.utc
        #expect(Strptime("%Y-%m-%dT%H:%M:%S.%3fZ").parse("2024-06-01T10:00:00.123Z", zone: zone, defaultYear: 2024)
                == EventTime(micros: 1_717_236_000_123_000))
        #expect(Strptime("%3s").parse("1717236000123", zone: zone, defaultYear: 2024) == EventTime(micros: 1_717_236_000_123_000))
        #expect(Strptime("%6s").parse("1717236000123456", zone: zone, defaultYear: 2024) == t)
    }

    @Test func subsecondFlagsAndCache() {
        #expect(Strftime("%Y %f").usesSubsecond)
        #expect(!Strftime("%Y %f").usesOnlyWholeSeconds)
        #expect(Strftime("%Y-%m-%d %H:%M:%S").usesOnlyWholeSeconds)
        var cache = StrftimeCache(Strftime("%H:%M:%S"), zone: .utc)
        var out: [UInt8] = []
        cache.append(EventTime(seconds: 0), to: &out)
        cache.append(EventTime(micros: 500_000), to: &out)
        cache.append(EventTime(seconds: 61), to: &out)
        #expect(String(decoding: out, as: UTF8.self) == "00:00:0000:00:0000:01:01")
        var sub = StrftimeCache(Strftime("%S.%f"), zone: .utc)
        #expect(sub.format(EventTime(micros: 1)) == "00.000001")
        #expect(sub.format(EventTime(micros: 2)) == "00.000002")
    }

    /// The cache writes what the uncached formatter does, for times in order and out of order,
    /// in zones with sub-second fields anywhere in the format (and `%3s`, which is never cached).
    @Test func cacheMatchesFormatter() {
        let formats = ["%Y-%m-%dT%H:%M:%S.%f%z", "%f", "%S.%3f %1f|%6f %Z", "%b %d %H:%M:%S", "%s.%f", "%3s %f", "%H%%f%f"]
        var rng = SeededRandom(seed: 7)
        var times: [Int64] = [0, -1, -999_999, -1_000_000, 999_999, 1_000_000, 1_704_481_629_000_250]
        var t: Int64 = 1_704_481_629_000_000
        for _ in 0..<300 { t += Int64(rng.below(400_000)); times.append(t) }
        for _ in 0..<100 { times.append(Int64(bitPattern: rng.next()) % 9_000_000_000_000_000) }
        for zone in [TimeZoneSetting.utc, est, .local] {
            for fmt in formats {
                let plain = Strftime(fmt)
                var cache = StrftimeCache(plain, zone: zone)
                for m in times {
                    let e = EventTime(micros: m)
                    #expect(cache.format(e) == plain.format(e, zone: zone), "\(fmt) at \(m)")
                }
            }
        }
    }

    /// `EpochText.SecondCache` writes what `EpochText.write` does.
    @Test func epochSecondCacheMatchesWriter() {
        var cache = EpochText.SecondCache()
        var rng = SeededRandom(seed: 11)
        var times: [Int64] = [0, 1, 10, 100_000, 1_000_000, 1_000_001, -1, -1_500_000, 9_000_000_000_000_000_000 - 1,
                              1_610_000_010_250_000, 1_610_000_010_000_001, 1_610_000_010_100_000]
        var t: Int64 = 1_767_614_400_000_000
        for _ in 0..<500 { t += Int64(rng.below(20_000)); times.append(t) }
        for _ in 0..<200 { times.append(Int64(bitPattern: rng.next())) }
        let a = UnsafeMutablePointer<UInt8>.allocate(capacity: EpochText.maxTextBytes)
        let b = UnsafeMutablePointer<UInt8>.allocate(capacity: EpochText.maxTextBytes)
        defer { a.deallocate(); b.deallocate() }
        for m in times {
            let n = cache.write(micros: m, to: a), k = EpochText.write(micros: m, to: b)
            #expect(String(decoding: UnsafeBufferPointer(start: a, count: n), as: UTF8.self)
                    == String(decoding: UnsafeBufferPointer(start: b, count: k), as: UTF8.self), "\(m)")
        }
    }

    @Test func appendWritesBytes() {
        var out: [UInt8] = Array("x=".utf8)
        Strftime("%Y-%m-%dT%H:%M:%S.%f%:z").append(t, zone: est, to: &out)
        #expect(String(decoding: out, as: UTF8.self) == "x=2024-01-05T14:07:09.000250-05:00")
    }
}
