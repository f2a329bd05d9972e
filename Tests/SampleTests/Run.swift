import EgTestSupport
import Core
import Foundation

/// Runs the built `eg-sample` binary for end-to-end tests and parses its output.
enum Run {
    /// The package root.
    static let root = ToolProcess.root.path

    /// `<root>/../shared`, read-only reference material.
    static let shared = ToolProcess.shared.path

    /// The built eg-sample.
    static let binary = ToolProcess.binary("eg-sample").path

    /// What a run produced.
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String

        /// The output lines parsed as records.
        var records: [Record] {
            stdout.split(separator: "\n").compactMap { line in
                guard case .object(let fields)? = try? JSONParser.parse(String(line)) else { return nil }
                return Record(fields: fields)
            }
        }
        var stanzas: [Record] {
            stdout.split(separator: "\n").filter { $0.hasPrefix("{\"_kind\":\"stanza\"") }.compactMap { line in
                guard case .object(let fields)? = try? JSONParser.parse(String(line)) else { return nil }
                return Record(fields: fields)
            }
        }
        var events: [Record] { records.filter { !$0.isStanza } }

        /// Event count per sample (every sample with a stanza record present, even with 0 events).
        /// Scans the text rather than parsing, so a 500 000-event run stays quick.
        var counts: [String: Int] {
            var c: [String: Int] = [:]
            for s in stanzas { c[s.string("sample") ?? "", default: 0] += 0 }
            for line in stdout.split(separator: "\n") where !line.hasPrefix("{\"_kind\":\"stanza\"") {
                guard let r = line.range(of: "\"sample\":\"") else { continue }
                let rest = line[r.upperBound...]
                c[String(rest[..<(rest.firstIndex(of: "\"") ?? rest.endIndex)]), default: 0] += 1
            }
            return c
        }

        /// A setting of a sample's stanza record.
        func setting(_ sample: String, _ key: String) -> String? {
            guard let s = stanzas.first(where: { $0.string("sample") == sample }),
                  case .object(let fields)? = s["settings"] else { return nil }
            return fields.first { $0.key == key }?.value.stringValue
        }
    }

    /// Runs eg-sample with `args` in `cwd`, feeding `stdin`; `env` entries are added to the environment.
    static func sample(_ args: [String], cwd: String? = nil, stdin: String = "", env: [String: String] = [:]) throws -> Result {
        let o = try ToolProcess.run(URL(fileURLWithPath: binary), args, input: Data(stdin.utf8), environment: env,
                                    directory: cwd.map { URL(fileURLWithPath: $0) })
        return Result(status: o.status, stdout: String(decoding: o.stdout, as: UTF8.self),
                      stderr: String(decoding: o.stderr, as: UTF8.self))
    }
}

/// A temporary directory for files a test writes; removed when the value is dropped.
final class TempDir {
    let path: String
    /// The directory above `path`, also the test's own, so that `../samples` of a conf at the top
    /// never reaches into a shared /tmp.
    private let base: String

    init() {
        base = NSTemporaryDirectory() + "eg-sample-test-" + UUID().uuidString
        path = base + "/t"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: base) }

    /// Writes `text` (or raw bytes) to `name` under the directory, creating folders; returns the full path.
    @discardableResult
    func write(_ name: String, _ text: String) -> String { write(name, bytes: Array(text.utf8)) }

    @discardableResult
    func write(_ name: String, bytes: [UInt8]) -> String {
        let full = path + "/" + name
        try? FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent,
                                                 withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: full, contents: Data(bytes))
        return full
    }
}
