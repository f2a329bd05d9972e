import Foundation
import Testing

/// A reader that goes away (`| head -1`) ends a tool quietly, after its cleanup (issue 12).
@Suite struct BrokenPipeTests {
    static let now = "2024-05-01T00:00:00Z"

    /// A stanza record and a pool of two events: a day of 60 events a minute is ~10 MB of output,
    /// far more than a pipe and eg's output buffer hold, so the writer surely meets EPIPE.
    static func stream(_ settings: [(String, String)]) -> String {
        let s = settings.map { ",\"\($0.0)\":\"\($0.1.replacingOccurrences(of: "\\", with: "\\\\"))\"" }.joined()
        return """
        {"_kind":"stanza","sample":"web","stanza":"web","settings":{"interval":"60","count":"60"\(s)}}
        {"_raw":"id=0 status=200 bytes=5","sample":"web"}
        {"_raw":"id=0 status=404 bytes=7","sample":"web"}

        """
    }

    static func temp(_ name: String) -> String {
        NSTemporaryDirectory() + "eg-epipe-\(getpid())-\(UUID().uuidString)-\(name)"
    }

    @Test func egRateWritesItsLabelsFileWhenTheReaderGoes() throws {
        let labels = Self.temp("labels.jsonl")
        defer { try? FileManager.default.removeItem(atPath: labels) }
        let r = try Run.sh("(eg-rate --seed 3 --now \(Self.now) --backfill -1d --end \(Self.now) --labels \(labels) --anomaly type=spike,start=-12h,duration=1h,factor=5; echo \"rate=$?\" >&2) | head -1",
                           input: Self.stream([]))
        #expect(r.text.split(separator: "\n").count == 1)
        #expect(r.stderr == "rate=0\n", "\(r.stderr)")
        let text = try String(contentsOfFile: labels, encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 2, "\(text)")   // the header and the spike
        #expect(lines.last?.contains("\"spike\"") == true, "\(text)")
    }

    @Test func egTokenizeSavesItsStateWhenTheReaderGoes() throws {
        let state = Self.temp("state")
        defer { try? FileManager.default.removeItem(atPath: state) }
        let tokens = [("token.0.token", #"id=(\d+)"#), ("token.0.replacementType", "integerid"), ("token.0.replacement", "100")]
        let r = try Run.sh("eg-rate --seed 3 --now \(Self.now) --backfill -1d --end \(Self.now) | (eg-tokenize --state \(state); echo \"tokenize=$?\" >&2) | head -1",
                           input: Self.stream(tokens))
        #expect(r.text.split(separator: "\n").count == 1)
        #expect(r.stderr == "tokenize=0\n", "\(r.stderr)")
        let saved = try String(contentsOfFile: state + "/web.token.0.integerid", encoding: .utf8)
        // Every event eg-tokenize numbered before its reader went is counted: the next run goes on from there.
        let next = try #require(Int(saved.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(next > 100, "\(saved)")
    }
}
