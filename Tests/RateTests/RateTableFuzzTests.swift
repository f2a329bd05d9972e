import Core
import EgTestSupport
import Testing
@testable import eg_rate

/// Bounded fuzzing of the five rate tables (`hourOfDayRate` ... `monthOfYearRate`): a mutated
/// table is read into a dense table of finite non-negative factors, or refused with an error
/// naming the stanza and the key. `EG_FUZZ_ITERATIONS` runs longer locally.
@Suite struct RateTableFuzzTests {
    static let seeds = [
        #"{ "0": 0.30, "1": 0.10, "2": 0.05, "12": 1.0, "23": 0.45 }"#,
        #"{"0": 0.97, "1": 0.95, "6": 0.55}"#,
        #"{"1": 1, "12": 2.5e0, "31": 0}"#,
    ]

    @Test func mutatedTablesAreReadOrRefused() {
        var rng = Fuzz.Generator(seed: 5)
        let alphabet: [UInt8] = Array("{}[]\":,. 0123456789-eE".utf8)
        let tokens: [[UInt8]] = ["1e309", "-0", "NaN", "\"99\"", "99999999999999999999", "\"-1\"", " \"7\" : 1"].map { Array($0.utf8) }
        let keys = ["hourOfDayRate", "dayOfWeekRate", "minuteOfHourRate", "dayOfMonthRate", "monthOfYearRate"]
        var read = 0, refused = 0
        for i in 0..<Fuzz.iterations(6000) {
            let text = String(decoding: Fuzz.mutate(Array(Self.seeds[i % Self.seeds.count].utf8), &rng, alphabet: alphabet, tokens: tokens),
                              as: UTF8.self)
            let key = keys[i % keys.count]
            do {
                let t = try RateTables(settings: Settings([(key, text)], stanza: "fuzz"))
                for table in [t.hourOfDay, t.dayOfWeek, t.minuteOfHour, t.dayOfMonth, t.monthOfYear] {
                    if let table { #expect(table.allSatisfy { $0.isFinite && $0 >= 0 }) }
                }
                read += 1
            } catch let e as EgError {
                #expect(e.kind == .config)
                #expect(e.description.contains("[fuzz] \(key)"), "\(e)")
                refused += 1
            } catch {
                Issue.record("unexpected error \(error)")
            }
        }
        #expect(read > 50 && refused > 1000, "read \(read), refused \(refused)")
    }
}
