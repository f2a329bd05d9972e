import EgTestSupport
import Core
import Foundation

/// Runs the built eg-tokenize binary for end-to-end tests.
enum Run {
    /// The package root.
    static let root = ToolProcess.root.path

    /// The shared eventgen material (read only).
    static let shared = ToolProcess.shared.path

    /// The path of a built tool.
    static func binary(_ tool: String = "eg-tokenize") -> String { ToolProcess.binary(tool).path }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        /// Every stdout line parsed as a record.
        var records: [Record] {
            stdout.split(separator: "\n").compactMap { line in
                let bytes = Array(line.utf8)
                return try? bytes.withUnsafeBufferPointer { Record(fields: try JSONParser.parseObject($0)) }
            }
        }
    }

    /// Runs eg-tokenize with `args`, feeding `input` on stdin; `environment` replaces the whole environment.
    static func tokenize(_ args: [String], input: String, environment: [String: String]? = nil,
                         directory: String? = nil) throws -> Result {
        let o = try ToolProcess.run(ToolProcess.binary("eg-tokenize"), args, input: Data(input.utf8), environment: environment ?? [:],
                                    replacingEnvironment: environment != nil, directory: directory.map { URL(fileURLWithPath: $0) })
        return Result(status: o.status, stdout: String(decoding: o.stdout, as: UTF8.self),
                      stderr: String(decoding: o.stderr, as: UTF8.self))
    }

    /// A JSON line for a record built from pairs (strings, or numbers given as `.number`).
    static func line(_ fields: [(String, JSONValue)]) -> String {
        Record(fields: fields.map { JSONField($0.0, $0.1) }).jsonText
    }

    /// A stanza record line.
    static func stanza(sample: String, settings: [(String, String)], conf: String? = nil, sampleDir: String? = nil) -> String {
        StanzaRecord(sample: sample, stanza: sample, conf: conf, sampleDir: sampleDir,
                     settings: settings.map { (key: $0.0, value: $0.1) }).record.jsonText
    }

    /// A temporary directory for one test.
    static func tempDir() -> String {
        let d = NSTemporaryDirectory() + "eg-tokenize-tests-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }
}
