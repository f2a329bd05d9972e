import Foundation
import Core

/// Runs the real eg-rate and eg-tokenize binaries for the anomaly tests.
enum Run {
    /// The package root (two levels up from this file's folder).
    static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// `$EG_BIN_DIR/<tool>`, else the newest `<root>/.build*/debug/<tool>`.
    static func binary(_ tool: String) -> String {
        if let dir = ProcessInfo.processInfo.environment["EG_BIN_DIR"] { return dir + "/" + tool }
        let fm = FileManager.default
        var best: (String, Date)?
        for name in (try? fm.contentsOfDirectory(atPath: root.path)) ?? [] where name.hasPrefix(".build") {
            let p = root.path + "/" + name + "/debug/" + tool
            if let d = (try? fm.attributesOfItem(atPath: p))?[.modificationDate] as? Date, best == nil || d > best!.1 {
                best = (p, d)
            }
        }
        return best?.0 ?? root.path + "/.build/debug/" + tool
    }

    struct Result {
        var stdout: Data
        var stderr: String
        var status: Int32
        var text: String { String(decoding: stdout, as: UTF8.self) }
    }

    /// Runs `tool` with `args`, feeding `input` on stdin.
    static func tool(_ tool: String, _ args: [String], input: Data) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary(tool))
        p.arguments = args
        let inPipe = Pipe(), outPipe = Pipe(), errPipe = Pipe()
        p.standardInput = inPipe
        p.standardOutput = outPipe
        p.standardError = errPipe
        try p.run()
        let writer = Thread {
            inPipe.fileHandleForWriting.write(input)
            try? inPipe.fileHandleForWriting.close()
        }
        writer.start()
        final class Box: @unchecked Sendable { var data = Data(); let done = DispatchSemaphore(value: 0) }
        let errBox = Box()
        let errThread = Thread {
            errBox.data = errPipe.fileHandleForReading.readDataToEndOfFile()
            errBox.done.signal()
        }
        errThread.start()
        let out = outPipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        errBox.done.wait()
        return Result(stdout: out, stderr: String(decoding: errBox.data, as: UTF8.self), status: p.terminationStatus)
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
