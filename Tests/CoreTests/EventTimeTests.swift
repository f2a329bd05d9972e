import Testing
@testable import Core

@Suite struct EventTimeTests {
    @Test func splitsNegativeTimesTowardsNegativeInfinity() {
        let t = EventTime(micros: -1)
        #expect(t.seconds == -1)
        #expect(t.microsecond == 999_999)
        #expect(EventTime(micros: 1_700_000_000_250_000).seconds == 1_700_000_000)
        #expect(EventTime(micros: 1_700_000_000_250_000).microsecond == 250_000)
    }
}
