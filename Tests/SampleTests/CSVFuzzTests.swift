import Core
import EgTestSupport
import Testing
@testable import eg_sample

/// Bounded fuzzing of the CSV reader of csv samples: every mutated file parses into rows with
/// ascending start lines inside the text, or fails with `file:line` of the open quote.
/// `EG_FUZZ_ITERATIONS` runs longer locally.
@Suite struct CSVFuzzTests {
    static let seed = "_time,_raw,index,host\n2024-01-15 10:00:00,\"a, \"\"quoted\"\" event\",main,h1\n"
        + "2024-01-15 10:00:01,\"multi\nline\",main,h2\n\nplain,row,with,fields\n"

    @Test func mutatedCsvParsesOrNamesTheOpenQuote() {
        var rng = Fuzz.Generator(seed: 4)
        let alphabet: [UInt8] = Array(",\"\n\r ab01\t\u{00e9}".utf8)
        var parsed = 0, failed = 0
        for _ in 0..<Fuzz.iterations(6000) {
            let text = String(decoding: Fuzz.mutate(Array(Self.seed.utf8), &rng, alphabet: alphabet), as: UTF8.self)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
            do {
                let rows = try CSVParser.parse(text, file: "f.csv")
                #expect(zip(rows, rows.dropFirst()).allSatisfy { $0.line < $1.line })
                #expect(rows.allSatisfy { $0.line >= 1 && $0.line <= lines && !$0.fields.isEmpty })
                parsed += 1
            } catch let e as EgError {
                #expect(e.description.hasPrefix("f.csv:"), "\(e)")
                failed += 1
            } catch {
                Issue.record("unexpected error \(error)")
            }
        }
        #expect(parsed > 500 && failed > 100, "parsed \(parsed), failed \(failed)")
    }
}
