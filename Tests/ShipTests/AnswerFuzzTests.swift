import Foundation
import Testing
import Core
@testable import eg_ship

/// Bounded fuzzing of the parsers of server answers eg-ship reads: Elasticsearch `_bulk` answers
/// (`BulkAnswer`) and Splunk HEC answers (`HECAnswer`). Valid answers are mutated (numbers swapped
/// for extreme ones, bytes flipped, inserted, cut) by a seeded generator; every result must be a
/// well-formed reading, never a trap. `EG_FUZZ_ITERATIONS=1000000 swift test --filter
/// ShipAnswerFuzzTests` runs longer locally. `AnswerRegressions/` keeps the bulk answers to 2
/// documents that once crashed eg-ship (`bulk-*.json`: item statuses 1e300, -1e300, "NaN") and HEC
/// answers with such codes (`hec-*.json`).
@Suite struct ShipAnswerFuzzTests {
    static let iterations = Int(ProcessInfo.processInfo.environment["EG_FUZZ_ITERATIONS"] ?? "") ?? 3000

    static let regressions = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("AnswerRegressions")

    /// The saved inputs whose names start with `prefix`.
    func saved(_ prefix: String) throws -> [(String, [UInt8])] {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.regressions.path)
            .filter { $0.hasPrefix(prefix) }.sorted()
        return try names.map { ($0, Array(try Data(contentsOf: Self.regressions.appendingPathComponent($0)))) }
    }

    /// Checks that a bulk reading is well formed for a request of `count` documents.
    func checkBulk(_ a: BulkAnswer, count: Int, _ input: [UInt8]) {
        guard case .items(let items) = a else { return }
        #expect(items.count == count, "\(String(decoding: input, as: UTF8.self))")
        for case let item? in items {
            #expect(item.status == 0 || (100...599).contains(item.status))
            #expect(item.text.count <= 300)
        }
    }

    @Test func savedBulkAnswersThatCrashedAreRead() throws {
        let cases = try saved("bulk-")
        #expect(cases.count >= 3)
        for (name, body) in cases {
            let a = BulkAnswer.parse(body, count: 2)
            checkBulk(a, count: 2, body)
            // Each saved case has one readable created item and one whose status is out of range.
            #expect(a == .items([nil, BulkItemError(status: 0, text: "unreadable bulk item")]), "\(name)")
        }
    }

    @Test func savedHECAnswersAreRead() throws {
        for (name, body) in try saved("hec-") {
            let (code, _) = HECAnswer.parse(body)
            #expect(code == nil, "\(name)")
            #expect(HECAnswer.check(HTTPResponse(status: 200, body: body), from: "h") == .delivered)
        }
    }

    @Test func bulkItemStatusesAreExactIntegers() {
        func status(_ s: String) -> BulkAnswer {
            BulkAnswer.parse(Array("{\"errors\":true,\"items\":[{\"index\":{\"status\":\(s),\"error\":\"e\"}}]}".utf8), count: 1)
        }
        #expect(status("400") == .items([BulkItemError(status: 400, text: "400 e")]))
        #expect(status("429.0") == .items([BulkItemError(status: 429, text: "429 e")]))
        #expect(status("201") == .items([nil]))
        #expect(status("\"503\"") == .items([BulkItemError(status: 503, text: "503 e")]))
        for bad in ["1e300", "-1e300", "\"NaN\"", "\"inf\"", "-0.5", "99", "600", "9223372036854775808", "true", "null", "[1]"] {
            #expect(status(bad) == .items([BulkItemError(status: 0, text: "unreadable bulk item")]), "\(bad)")
        }
        #expect(BulkAnswer.parse(Array("{\"errors\":false}".utf8), count: 5) == .allDelivered)
        if case .unreadable = BulkAnswer.parse(Array("{\"errors\":true,\"items\":[]}".utf8), count: 1) {} else {
            Issue.record("an answer with the wrong number of items must be unreadable")
        }
        if case .unreadable = BulkAnswer.parse(Array("<html>".utf8), count: 1) {} else { Issue.record("html must be unreadable") }
    }

    @Test func hecCodesAreRead() {
        func check(_ body: String, status: Int = 200) -> Answer { HECAnswer.check(HTTPResponse(status: status, body: Array(body.utf8)), from: "h") }
        #expect(check("{\"text\":\"Success\",\"code\":0}") == .delivered)
        #expect(check("OK") == .delivered)
        #expect(check("{\"text\":\"Server is busy\",\"code\":9}") == .retry("h: HTTP 200 with HEC code 9: Server is busy"))
        #expect(check("{\"text\":\"Invalid data format\",\"code\":6}") == .giveUp("h: HTTP 200 with HEC code 6: Invalid data format"))
        #expect(check("{\"code\":1e300}") == .delivered)
        #expect(HECAnswer.parse(Array("{\"code\":\"NaN\",\"text\":5}".utf8)).code == nil)
    }

    /// Mutations of `seed` texts: extreme numbers for numbers, random byte edits, cuts.
    static func mutate(_ base: [UInt8], _ rng: inout SeededRandom) -> [UInt8] {
        let tokens = ["1e300", "-1e300", "\"NaN\"", "NaN", "1e-300", "-0", "9223372036854775808", "-9223372036854775809",
                      "18446744073709551616", "0.5", "\"\"", "null", "true", "[]", "{}", "[[[[[[", "\"\\u0000\"", "\"\\ud800\"",
                      "1E400", "0x1F", "429", "500", "201"]
        var b = base
        for _ in 0..<(1 + rng.index(4)) {
            switch rng.index(5) {
            case 0:   // replace a number with an extreme token
                let digits = b.indices.filter { b[$0] >= 0x30 && b[$0] <= 0x39 }
                if let k = digits.isEmpty ? nil : digits[rng.index(digits.count)] {
                    var end = k
                    while end < b.count, (b[end] >= 0x30 && b[end] <= 0x39) || b[end] == 0x2E { end += 1 }
                    b.replaceSubrange(k..<end, with: Array(tokens[rng.index(tokens.count)].utf8))
                }
            case 1:   // flip a byte
                if !b.isEmpty { b[rng.index(b.count)] = UInt8(truncatingIfNeeded: rng.next()) }
            case 2:   // insert a token
                b.insert(contentsOf: Array(tokens[rng.index(tokens.count)].utf8), at: rng.index(b.count + 1))
            case 3:   // cut the tail
                if !b.isEmpty { b.removeSubrange(rng.index(b.count)...) }
            default:  // delete a byte
                if !b.isEmpty { b.remove(at: rng.index(b.count)) }
            }
        }
        return b
    }

    @Test func fuzzBulkAnswers() throws {
        var rng = SeededRandom(seed: 12, stream: "fuzz/bulk")
        let bases = try saved("bulk-").map(\.1) + [
            Array(bulkResponse([201, 429, 400, 201]).utf8),
            Array("{\"took\":1,\"errors\":false,\"items\":[{\"index\":{\"status\":201}}]}".utf8),
        ]
        for _ in 0..<Self.iterations {
            let input = Self.mutate(bases[rng.index(bases.count)], &rng)
            let count = 1 + rng.index(4)
            checkBulk(BulkAnswer.parse(input, count: count), count: count, input)
        }
    }

    @Test func fuzzHECAnswers() {
        var rng = SeededRandom(seed: 13, stream: "fuzz/hec")
        let bases = ["{\"text\":\"Success\",\"code\":0}", "{\"text\":\"Server is busy\",\"code\":9}",
                     "{\"text\":\"Success\",\"code\":0,\"ackId\":12}", "{\"text\":\"Invalid token\",\"code\":4}"].map { Array($0.utf8) }
        for _ in 0..<Self.iterations {
            let input = Self.mutate(bases[rng.index(bases.count)], &rng)
            let (code, _) = HECAnswer.parse(input)
            #expect(code == nil || (0...1000).contains(code!))
            switch HECAnswer.check(HTTPResponse(status: 200, body: input), from: "h") {
            case .delivered: #expect(code == nil || code == 0)
            case .retry: #expect(code == 9)
            case .giveUp: #expect(code != nil && code != 0 && code != 9)
            }
        }
    }
}
