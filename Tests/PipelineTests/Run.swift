import Foundation

/// Runs the built eg tools as a user would: real processes, real pipes.
enum Run {
    /// The package root (three levels above this file).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared` beside the checkout: reference confs and samples, read-only.
    static let shared = root.deletingLastPathComponent().appendingPathComponent("shared")

    /// The directory holding the built executables.
    static let binDir: URL = {
        if let dir = ProcessInfo.processInfo.environment["EG_BIN_DIR"] { return URL(fileURLWithPath: dir) }
        let runner = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [runner, runner.deletingLastPathComponent(), runner.deletingLastPathComponent().deletingLastPathComponent()]
        where FileManager.default.isExecutableFile(atPath: candidate.appendingPathComponent("eg-sample").path) {
            return candidate
        }
        return root.appendingPathComponent(".build/debug")
    }()

    /// The result of one run.
    struct Result {
        var status: Int32
        var stdout: Data
        var stderr: String
        var text: String { String(decoding: stdout, as: UTF8.self) }
    }

    /// Runs `shell` with the tools on PATH (`/bin/sh -c`), feeding `input` on stdin.
    static func sh(_ shell: String, input: String = "", environment: [String: String] = [:]) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", shell]
        var env = ProcessInfo.processInfo.environment
        env["PATH"] = binDir.path + ":" + (env["PATH"] ?? "/usr/bin:/bin")
        for (k, v) in environment { env[k] = v }
        p.environment = env
        p.currentDirectoryURL = root
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
        let err = ErrorBox()
        let errReader = Thread {
            err.data = errPipe.fileHandleForReading.readDataToEndOfFile()
            err.done.signal()
        }
        errReader.start()
        let out = outPipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        err.done.wait()
        return Result(status: p.terminationStatus, stdout: out, stderr: String(decoding: err.data, as: UTF8.self))
    }

    /// Standard error collected on a reader thread.
    private final class ErrorBox: @unchecked Sendable {
        var data = Data()
        let done = DispatchSemaphore(value: 0)
    }
}
