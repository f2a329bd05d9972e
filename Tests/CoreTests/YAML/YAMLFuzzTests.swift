import Testing
@testable import Core

/// Bounded fuzzing: mutated YAML (bytes flipped, dropped, duplicated, YAML indicators inserted)
/// either parses or fails with a located error. A crash or a hang fails the suite.
@Suite struct YAMLFuzzTests {
    static let seeds = [
        "input:\n  - cron:\n      expression: \"* * * * * *\"\n      count: 5\nevent:\n  template:\n    mode: chance\n    params: {domain: CONTOSO, v: '8.1'}\n    templates:\n      - a: {template: t/a.jinja, chance: 10}\n      - b:\n          template: t/b.jinja\n          chance: 2\noutput:\n  - stdout: {formatter: {format: json}}\n",
        "base: &b\n  x: 1\nm:\n  <<: *b\n  y: [1, 2, {z: \"q\\n\"}]\ns: |\n  line\n  two\nf: >-\n  folded\n  text\n--- \n- 'it''s'\n- ? k\n  : v\n",
        "%YAML 1.2\n---\n!!map {a: !!str 1, b: &x .inf, c: *x, d: 0x1F, e: -0.5e3}\n...\n",
    ]
    static let inserts: [UInt8] = Array(":-?[]{},#&*!|>'\"%@` \n\t\\".utf8)

    @Test func mutatedInputsParseOrFailWithALocation() {
        var rng = SplitMix(seed: 20_261_203)
        var parsed = 0, failed = 0
        for i in 0..<6000 {
            var b = Array(Self.seeds[i % Self.seeds.count].utf8)
            for _ in 0..<(1 + Int(rng.next() % 4)) where !b.isEmpty {
                let at = Int(rng.next() % UInt64(b.count))
                switch rng.next() % 5 {
                case 0: b[at] = Self.inserts[Int(rng.next() % UInt64(Self.inserts.count))]
                case 1: b.remove(at: at)
                case 2: b.insert(Self.inserts[Int(rng.next() % UInt64(Self.inserts.count))], at: at)
                case 3: b.insert(contentsOf: b[at..<min(b.count, at + Int(rng.next() % 12))], at: at)
                default: b[at] = UInt8(truncatingIfNeeded: rng.next())
                }
            }
            let text = String(decoding: b, as: UTF8.self)
            do {
                let docs = try YAML.parseDocuments(text, file: "fuzz.yml")
                for d in docs { _ = JSONWriter.string(d.json) }
                parsed += 1
            } catch {
                let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
                #expect(error.mark.file == "fuzz.yml")
                #expect(error.mark.line >= 1 && error.mark.line <= lines + 1, "\(error) in \(text.debugDescription)")
                #expect(error.mark.column >= 1)
                #expect(!error.message.isEmpty)
                failed += 1
            }
        }
        #expect(parsed > 500 && failed > 500, "parsed \(parsed), failed \(failed)")
    }
}

/// A small deterministic generator for the fuzz test.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
}
