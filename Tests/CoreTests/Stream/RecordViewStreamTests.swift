import Testing
@testable import Core

/// `RecordView.scan` takes members over from the previous accepted line when their bytes are the
/// same: a view that scans a stream must give, line by line, exactly what a fresh view gives.
@Suite struct RecordViewStreamTests {
    let base = RecordViewTests()

    /// What a scan found: acceptance, every member's offsets and kind, the well-known indices.
    private func outcome(_ ok: Bool, _ v: RecordView) -> String {
        guard ok else { return "refused" }
        var d = v.members.map { "\($0.keyStart),\($0.keyEnd),\($0.valueStart),\($0.valueEnd),\($0.kind),\($0.hasEscape)" }
        d.append("\(v.rawIndex) \(v.seqIndex) \(v.timeIndex) \(v.kindIndex) \(v.bundleIndex) \(v.sampleIndex) \(v.hostIndex) \(v.duplicateRaw)")
        d.append("\(String(describing: v.time)) \(v.isStanza)")
        return d.joined(separator: " | ")
    }

    /// Scans `lines` in order with one view and checks each against the parser and a fresh view.
    private func checkStream(_ lines: [[UInt8]]) {
        var stream = RecordView()
        var decoding = RecordView()
        for l in lines {
            l.withUnsafeBufferPointer { b in
                base.checkDecoding(b, view: &decoding)
                let ok = base.checkAgreement(b, view: &stream)
                var fresh = RecordView()
                let expected = outcome(fresh.scan(b), fresh)
                #expect(outcome(ok, stream) == expected, "\(String(decoding: l, as: UTF8.self))")
                // A copy of the view (sharing its storage) scans on its own.
                var again = stream
                #expect(outcome(again.scan(b), again) == expected)
            }
        }
    }

    @Test func membersTakenOverAgreeWithAFullScan() {
        let lines = [
            #"{"_raw":"a","sample":"s","index":"main","_time":1700000000.25,"_seq":1}"#,
            #"{"_raw":"b","sample":"s","index":"main","_time":1700000000.5,"_seq":2}"#,
            // The same bytes up to a number that goes on: the number is scanned.
            #"{"_raw":"b","sample":"s","index":"main","_time":1700000000.55,"_seq":23}"#,
            #"{"_raw":"b","sample":"s","index":"main","_time":1700000000.55,"_seq":23}x"#,
            #"{"_raw":"b","sample":"s","index":"main","_time":1700000000.55,"_seq":23,"more":true}"#,
            #"{"_raw":"b","sample":"s","index":"main","_time":1700000000.55,"_seq":23}"#,
            #"{"_raw":"b","sample":"s"}"#,
            #"{"_raw":"b","sample":"s","index":"main","_time":1e400,"_seq":23}"#,
            #"{"_raw":"b","sample":"s","index":"main","_time":1e4,"_seq":23}"#,
            #"{"_raw":"b","sample":"s","index":"main","_time":10000000000000000,"_seq":23}"#,
            // After a refused line, the line before it is still the previous one.
            #"{"_raw":"b","sample":"s","index":"main","_time":1700000000.55,"_seq":23"#,
            #"{"_raw":"b","sample":"s","index":"main","_time":1700000000.55,"_seq":24}"#,
            #"{"_raw":"b","_raw":"c","sample":"s","index":"main","_time":1700000000.55,"_seq":24}"#,
            #"{"_raw":"b","_raw":"c","sample":"t","index":"main","_time":"1700000000.5","_seq":24}"#,
            #"{"_kind":"stanza","sample":"t","settings":{"a":"1"}}"#,
            #"{"_kind":"stanza","sample":"t","settings":{"a":"1"}}"#,
            #"{"_kind":"stanzas","sample":"t","settings":{"a":"1"}}"#,
            #"{}"#, #"{}"#, #"{"_bundle":1,"host":"h"}"#, #"{"_bundle":1,"host":"h","x":[1,{"y":"\"z\""}]}"#,
            #"{"_bundle":1,"host":"h","x":[1,{"y":"\"z\""}]}"#, #"{"_bundle":1,"host":"h","x":[1,{"y":"\"z\"}]}"#,
        ]
        checkStream(lines.map { Array($0.utf8) })
    }

    /// Streams of random mutations of the lines before them (good and bad), of the known lines,
    /// and of long lines whose members span several comparison steps.
    @Test func mutatedStreamsAgreeWithAFullScan() {
        var rng = SeededRandom(seed: 23, stream: "recordview-stream")
        let pool: [UInt8] = Array(#"{}[]",:\ u0aeE.-+19tfn"#.utf8) + [0x00, 0x1F, 0x80, 0xC3, 0xA9, 0xFF]
        let long = String(repeating: "x", count: 70)
        let seeds = RecordViewTests.lines + [
            #"{"_raw":"\#(long)","sample":"cisco.log","index":"main","host":"127.0.0.1","source":"cisco.log","_time":1767614340.010802,"_seq":1}"#,
            #"{"_raw":"{\"@timestamp\":\"2026\",\"a\":[1,2]}","sample":"web.json","_time":1767614340.5,"_seq":12345}"#,
        ]
        for _ in 0..<300 {
            var lines: [[UInt8]] = []
            var b = Array(seeds[rng.index(seeds.count)].utf8)
            for _ in 0..<12 {
                lines.append(b)
                if rng.index(5) == 0 { b = Array(seeds[rng.index(seeds.count)].utf8); continue }
                for _ in 0...rng.index(2) where !b.isEmpty {
                    let at = rng.index(b.count)
                    switch rng.index(3) {
                    case 0: b[at] = pool[rng.index(pool.count)]
                    case 1: b.remove(at: at)
                    default: b.insert(pool[rng.index(pool.count)], at: at)
                    }
                }
            }
            checkStream(lines)
        }
    }

    /// Lines with more members than the table starts with, and longer than the copy of the
    /// previous line starts with: the storage grows mid-stream and the outcome stays the same.
    @Test func growingLinesAgreeWithAFullScan() {
        var lines: [[UInt8]] = []
        for n in [1, 20, 40, 20, 40, 3] {
            let fields = (0..<n).map { JSONField("k\($0)", .string(String(repeating: "v", count: n * 40))) }
            lines.append(Array(Record(fields: fields).jsonText.utf8))
            lines.append(lines.last!)
        }
        checkStream(lines)
    }
}
