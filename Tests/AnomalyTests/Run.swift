import EgTestSupport
import Foundation
import Core

/// Runs the real eg-rate and eg-tokenize binaries for the anomaly tests.
enum Run {
    /// The package root.
    static let root = ToolProcess.root

    struct Result {
        var stdout: Data
        var stderr: String
        var status: Int32
        var text: String { String(decoding: stdout, as: UTF8.self) }
    }

    /// Runs `tool` with `args`, feeding `input` on stdin.
    static func tool(_ tool: String, _ args: [String], input: Data) throws -> Result {
        let o = try ToolProcess.run(ToolProcess.binary(tool), args, input: input)
        return Result(stdout: o.stdout, stderr: String(decoding: o.stderr, as: UTF8.self), status: o.status)
    }

    /// A temporary file path.
    static func temp(_ name: String) -> String {
        NSTemporaryDirectory() + "eg-anomaly-\(UUID().uuidString)-\(name)"
    }

    /// One JSON line as a record (nil if malformed).
    static func record(_ line: Substring) -> Record? {
        let fields = Array(line.utf8).withUnsafeBufferPointer { try? JSONParser.parseObject($0) }
        return fields.map { Record(fields: $0) }
    }

    static func records(_ text: String) -> [Record] {
        text.split(separator: "\n").compactMap { record($0) }
    }

    /// A stanza record line plus pool lines.
    static func stream(_ sample: String, _ settings: [(String, String)], pool: [(raw: String, host: String)]) -> Data {
        var lines = [StanzaRecord(sample: sample, stanza: sample, settings: settings.map { (key: $0.0, value: $0.1) }).record.jsonText]
        for p in pool {
            lines.append(Record(fields: [JSONField("_raw", .string(p.raw)), JSONField("sample", .string(sample)),
                                         JSONField("host", .string(p.host))]).jsonText)
        }
        return Data((lines.joined(separator: "\n") + "\n").utf8)
    }
}
