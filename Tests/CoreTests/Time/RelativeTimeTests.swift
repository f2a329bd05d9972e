import Testing
@testable import Core

/// Expected instants were computed with Python 3.11 `datetime(...).timestamp()`.
@Suite struct RelativeTimeTests {
    /// 2024-01-31 10:20:30.123456 UTC, a Wednesday.
    let now = EventTime(micros: 1_706_696_430_123_456)

    func r(_ s: String, zone: TimeZoneSetting = .utc) throws -> EventTime {
        try RelativeTime.parse(s).resolve(now: now, zone: zone)
    }
    func secs(_ s: Int64, _ us: Int64 = 0) -> EventTime { EventTime(seconds: s, microsecond: us) }

    @Test func nowAndPlainOffsetsKeepMicroseconds() throws {
        #expect(try RelativeTime.parse("now").isNow)
        #expect(try RelativeTime.parse(" NOW ").isNow)
        #expect(try r("now") == now)
        #expect(try r("-15s") == now - 15_000_000)
        #expect(try r("+15s") == now + 15_000_000)
        #expect(try r("-15") == now - 15_000_000)
        #expect(try r("-h") == now - 3_600_000_000)
        #expect(try r("-2hours") == now - 7_200_000_000)
        #expect(try r("-30mins") == now - 1_800_000_000)
        #expect(try r("+1w") == now + 7 * 86_400_000_000)
        #expect(try r("-1d+2h") == secs(1_706_617_230, 123_456))
    }

    @Test func snaps() throws {
        #expect(try r("@s") == secs(1_706_696_430))
        #expect(try r("@m") == secs(1_706_696_400))
        #expect(try r("-1h@h") == secs(1_706_691_600))
        #expect(try r("@d") == secs(1_706_659_200))
        #expect(try r("@d+8h") == secs(1_706_688_000))
        #expect(try r("+1d@d-2h") == secs(1_706_738_400))
        #expect(try r("@mon") == secs(1_704_067_200))
        #expect(try r("@q") == secs(1_704_067_200))
        #expect(try r("@y") == secs(1_704_067_200))
        #expect(try r("@qtr") == secs(1_704_067_200))
    }

    @Test func weekSnaps() throws {
        #expect(try r("@w0") == secs(1_706_400_000))   // Sunday 2024-01-28
        #expect(try r("@w") == secs(1_706_400_000))
        #expect(try r("@w3") == secs(1_706_659_200))   // today is Wednesday
        #expect(try r("-7d@w1") == secs(1_705_881_600)) // Monday 2024-01-22
        #expect(try r("@w4") == secs(1_706_659_200 - 6 * 86_400)) // Thursday 2024-01-25
    }

    @Test func monthArithmeticClampsTheDay() throws {
        #expect(try r("+1mon") == secs(1_709_202_030, 123_456))  // 2024-02-29
        #expect(try r("-1mon") == secs(1_704_018_030, 123_456))  // 2023-12-31
        #expect(try r("-1q") == secs(1_698_747_630, 123_456))    // 2023-10-31
        #expect(try r("+1y") == secs(1_738_318_830, 123_456))    // 2025-01-31
        #expect(try r("+12months") == secs(1_738_318_830, 123_456))
    }

    @Test func snapsUseTheZoneWallClock() throws {
        // now is 2024-01-30 21:00 at -05:00, so @d is 2024-01-30T00:00-05:00.
        let est = TimeZoneSetting.fixed(offsetSeconds: -18_000)
        let t = try RelativeTime.parse("@d").resolve(now: secs(1_706_666_400), zone: est)
        #expect(t == secs(1_706_590_800))
    }

    @Test func absoluteForms() throws {
        #expect(try r("1700000000") == secs(1_700_000_000))
        #expect(try r("1700000000.25") == secs(1_700_000_000, 250_000))
        #expect(try r("2024-01-15", zone: .fixed(offsetSeconds: -18_000)) == secs(1_705_294_800))
        #expect(try r("2024-01-15T10:30:00") == secs(1_705_314_600))
        #expect(try r("2024-01-15 10:30") == secs(1_705_314_600))
        #expect(try r("2024-01-15T10:30:00Z", zone: .fixed(offsetSeconds: 3600)) == secs(1_705_314_600))
        #expect(try r("2024-01-15 10:30:00+05:30") == secs(1_705_294_800))
        #expect(try r("2024-01-15 10:30:00+0530") == secs(1_705_294_800))
        #expect(try r("2024-01-15T10:30:00.5-0800") == secs(1_705_343_400, 500_000))
        #expect(try r("2024-01-15T10:30:00.123456789Z") == secs(1_705_314_600, 123_456))
    }

    /// Zero and empty are now (not 1970): `backfill = 0`, `earliest = 0`, `--start ''`.
    @Test func zeroAndEmptyMeanNow() throws {
        let now = secs(1_706_666_400, 250_000)
        for text in ["0", "00", "0.0", "-0", "+0", "+0s", "", "  ", "now", "NOW"] {
            #expect(try RelativeTime.parse(text).resolve(now: now, zone: .utc) == now, "\(text)")
        }
        #expect(try RelativeTime.parse("0").isNow)
        #expect(try RelativeTime.parse("").isNow)
        // Other numbers are still epoch seconds.
        #expect(try r("1") == secs(1))
        #expect(try r("0.5") == secs(0, 500_000))
    }

    @Test func errorsNameTheStringAndTheForms() {
        for bad in ["yesterday", "-1x", "@w7", "@", "+", "-1d@", "2024-13-01", "2024-02-30",
                    "2024-01-15T25:00", "1.2.3", "1d", "-1d 2h"] {
            do {
                _ = try RelativeTime.parse(bad)
                Issue.record("accepted \(bad)")
            } catch let e as EgError {
                #expect(e.kind == .config)
                #expect(e.message.contains("\"\(bad)\""))
                #expect(e.message.contains("expected"))
            } catch { Issue.record("\(error)") }
        }
    }

    @Test func timezoneSettingParse() throws {
        #expect(try TimeZoneSetting.parse("local") == .local)
        #expect(try TimeZoneSetting.parse("UTC") == .utc)
        #expect(try TimeZoneSetting.parse("Z") == .utc)
        #expect(try TimeZoneSetting.parse("-0500") == .fixed(offsetSeconds: -18_000))
        #expect(try TimeZoneSetting.parse("0000") == .fixed(offsetSeconds: 0))
        #expect(try TimeZoneSetting.parse("+0530") == .fixed(offsetSeconds: 19_800))
        #expect(try TimeZoneSetting.parse("+05:30") == .fixed(offsetSeconds: 19_800))
        #expect(throws: EgError.self) { try TimeZoneSetting.parse("EST5") }
        #expect(throws: EgError.self) { try TimeZoneSetting.parse("+2500") }
        #expect(throws: EgError.self) { try TimeZoneSetting.parse("-05") }
    }

    @Test func epochTextAndRFC3339() {
        #expect(EpochText.format(secs(1_700_000_000)) == "1700000000")
        #expect(EpochText.format(secs(1_700_000_000, 250_000)) == "1700000000.25")
        #expect(EpochText.format(secs(1_610_000_010, 1)) == "1610000010.000001")
        #expect(EpochText.format(EventTime(micros: -500_000)) == "-0.5")
        #expect(EpochText.parse("1700000000.25") == secs(1_700_000_000, 250_000))
        #expect(EpochText.parse("-0.5") == EventTime(micros: -500_000))
        #expect(EpochText.parse("1610000010") == secs(1_610_000_010))
        #expect(EpochText.parse("1.1234569") == secs(1, 123_456))
        #expect(EpochText.parse("abc") == nil)
        #expect(EpochText.parse("") == nil)
        #expect(EpochText.parse(".") == nil)
        #expect(EventTime.formatRFC3339(secs(1_705_314_600)) == "2024-01-15T10:30:00Z")
        #expect(EventTime.formatRFC3339(secs(1_705_314_600, 5)) == "2024-01-15T10:30:00.000005Z")
    }
}
