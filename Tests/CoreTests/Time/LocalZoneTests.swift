import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import Core

/// `.local` under `TZ=America/New_York` across the 2024 DST transitions. Expected values were
/// verified with Python 3.11 (`datetime.fromtimestamp(t).astimezone()` and `.timestamp()` with fold).
@Suite(.serialized) struct LocalZoneTests {
    /// Runs `body` with TZ set to New York, restoring the previous TZ afterwards.
    func inNewYork(_ body: () throws -> Void) throws {
        let old = getenv("TZ").map { String(cString: $0) }
        setenv("TZ", "America/New_York", 1); tzset()
        defer {
            if let old { setenv("TZ", old, 1) } else { unsetenv("TZ") }
            tzset()
        }
        try body()
    }

    @Test func strftimeAcrossDST() throws {
        try inNewYork { () throws -> Void in
            let f = Strftime("%Y-%m-%d %H:%M:%S %Z %z %a %j")
            let cases: [(Int64, String)] = [
                (1_710_053_999, "2024-03-10 01:59:59 EST -0500 Sun 070"),
                (1_710_054_000, "2024-03-10 03:00:00 EDT -0400 Sun 070"),
                (1_730_613_599, "2024-11-03 01:59:59 EDT -0400 Sun 308"),
                (1_730_613_600, "2024-11-03 01:00:00 EST -0500 Sun 308"),
                (1_730_617_200, "2024-11-03 02:00:00 EST -0500 Sun 308"),
                (1_704_481_629, "2024-01-05 14:07:09 EST -0500 Fri 005"),
            ]
            for (s, want) in cases {
                #expect(f.format(EventTime(seconds: s), zone: .local) == want)
            }
            #expect(TimeZoneSetting.local.offset(at: EventTime(seconds: 1_720_108_800)) == -14_400)
        }
    }

    @Test func instantsOfLocalReadings() throws {
        try inNewYork { () throws -> Void in
            let z = TimeZoneSetting.local
            // Spring-forward gap: 02:30 is read with the earlier offset (Python fold=0).
            #expect(z.instant(CivilTime(year: 2024, month: 3, day: 10, hour: 2, minute: 30)) == EventTime(seconds: 1_710_055_800))
            // Fall-back repeat: the earlier instant, or the later when its offset is given.
            #expect(z.instant(CivilTime(year: 2024, month: 11, day: 3, hour: 1, minute: 30)) == EventTime(seconds: 1_730_611_800))
            #expect(z.instant(CivilTime(year: 2024, month: 11, day: 3, hour: 1, minute: 30, utcOffset: -18_000)) == EventTime(seconds: 1_730_615_400))
            #expect(z.instant(CivilTime(year: 2024, month: 7, day: 4, hour: 12)) == EventTime(seconds: 1_720_108_800))
            // civil -> instant round trips every 15 minutes across the fall-back night.
            var s: Int64 = 1_730_606_400
            while s < 1_730_628_000 {
                #expect(z.instant(z.civil(EventTime(seconds: s, microsecond: 7))) == EventTime(seconds: s, microsecond: 7))
                s += 900
            }
        }
    }

    @Test func relativeTimesSnapToLocalMidnight() throws {
        try inNewYork { () throws -> Void in
            // now = 2024-03-10 12:00 EDT (16:00 UTC); local midnight was EST (05:00 UTC).
            let now = EventTime(seconds: 1_710_086_400)
            #expect(try RelativeTime.parse("@d").resolve(now: now, zone: .local) == EventTime(seconds: 1_710_046_800))
            // -1d keeps the wall clock: 2024-03-09 12:00 EST.
            #expect(try RelativeTime.parse("-1d").resolve(now: now, zone: .local) == EventTime(seconds: 1_710_003_600))
            // -24h is exact: 2024-03-09 11:00 EST.
            #expect(try RelativeTime.parse("-24h").resolve(now: now, zone: .local) == EventTime(seconds: 1_710_000_000))
            #expect(try RelativeTime.parse("2024-07-04T12:00:00").resolve(now: now, zone: .local) == EventTime(seconds: 1_720_108_800))
        }
    }

    @Test func strptimeInLocalZone() throws {
        try inNewYork { () throws -> Void in
            let p = Strptime("%Y-%m-%d %H:%M:%S")
            #expect(p.parse("2024-07-04 12:00:00", zone: .local, defaultYear: 2024) == EventTime(seconds: 1_720_108_800))
            #expect(p.parse("2024-01-15 00:00:00", zone: .local, defaultYear: 2024) == EventTime(seconds: 1_705_294_800))
        }
    }
}
