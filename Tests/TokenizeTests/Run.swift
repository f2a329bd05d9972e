import Core
import Foundation

/// Runs the built eg-tokenize binary for end-to-end tests.
enum Run {
    /// The package root (two levels above this file's folder).
    static let root: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }()

    /// The shared eventgen material (read only).
    static let shared = root + "/../shared"

    /// `EG_BIN_DIR/<tool>`, else the newest `<root>/.build*/debug/<tool>`.
    static func binary(_ tool: String = "eg-tokenize") -> String {
        if let dir = ProcessInfo.processInfo.environment["EG_BIN_DIR"] { return dir + "/" + tool }
        let fm = FileManager.default
        var best: (String, Date)?
        for entry in (try? fm.contentsOfDirectory(atPath: root)) ?? [] where entry.hasPrefix(".build") {
            for sub in ["debug", "release"] {
                let p = "\(root)/\(entry)/\(sub)/\(tool)"
                if let d = (try? fm.attributesOfItem(atPath: p))?[.modificationDate] as? Date, best == nil || d > best!.1 {
                    best = (p, d)
                }
            }
        }
        return best?.0 ?? "\(root)/.build/debug/\(tool)"
    }

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

    /// Runs eg-tokenize with `args`, feeding `input` on stdin.
    static func tokenize(_ args: [String], input: String, environment: [String: String]? = nil,
                         directory: String? = nil) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary())
        p.arguments = args
        if let environment { p.environment = environment }
        if let directory { p.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let inPipe = Pipe(), outPipe = Pipe(), errPipe = Pipe()
        p.standardInput = inPipe
        p.standardOutput = outPipe
        p.standardError = errPipe
        try p.run()
        let writer = Thread {
            inPipe.fileHandleForWriting.write(Data(input.utf8))
            try? inPipe.fileHandleForWriting.close()
        }
        writer.start()
        final class Box: @unchecked Sendable { var data = Data() }
        let err = Box()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { err.data = errPipe.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        let outData = outPipe.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        let errData = err.data
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
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
