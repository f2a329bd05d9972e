import Foundation

/// Runs the built eg executables from tests as a user would: real processes and pipes.
/// Every test target's `Run` helper builds on this one runner.
public enum ToolProcess {
    /// The package root (two levels above this file's folder).
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared` beside the checkout: reference confs and samples, read only.
    public static let shared = root.deletingLastPathComponent().appendingPathComponent("shared")

    /// The directory of the built tools: `EG_BIN_DIR`, else the test runner's own build directory,
    /// else the newest `<root>/.build*/debug` that holds them.
    public static let binDir: URL = {
        let fm = FileManager.default
        if let dir = ProcessInfo.processInfo.environment["EG_BIN_DIR"] { return URL(fileURLWithPath: dir) }
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            if fm.isExecutableFile(atPath: dir.appendingPathComponent("eg-sample").path) { return dir }
            dir = dir.deletingLastPathComponent()
        }
        var best: (URL, Date)?
        for entry in (try? fm.contentsOfDirectory(atPath: root.path)) ?? [] where entry.hasPrefix(".build") {
            let candidate = root.appendingPathComponent("\(entry)/debug")
            let tool = candidate.appendingPathComponent("eg-sample").path
            if let d = (try? fm.attributesOfItem(atPath: tool))?[.modificationDate] as? Date, best == nil || d > best!.1 {
                best = (candidate, d)
            }
        }
        return best?.0 ?? root.appendingPathComponent(".build/debug")
    }()

    /// The path of a built tool.
    public static func binary(_ tool: String) -> URL { binDir.appendingPathComponent(tool) }

    /// What a finished process left behind.
    public struct Output {
        public var status: Int32
        public var stdout: Data
        public var stderr: Data
    }

    /// Runs `executable` with `arguments`, feeding `input` on stdin, and waits for it.
    /// `environment` entries are added to this process's environment, or replace it all when
    /// `replacingEnvironment` is true.
    public static func run(_ executable: URL, _ arguments: [String], input: Data = Data(),
                           environment: [String: String] = [:], replacingEnvironment: Bool = false,
                           directory: URL? = nil) throws -> Output {
        let p = Process()
        p.executableURL = executable
        p.arguments = arguments
        var env = replacingEnvironment ? [:] : ProcessInfo.processInfo.environment
        if !replacingEnvironment { env["PATH"] = binDir.path + ":" + (env["PATH"] ?? "/usr/bin:/bin") }
        for (k, v) in environment { env[k] = v }
        p.environment = env
        if let directory { p.currentDirectoryURL = directory }
        let inPipe = Pipe(), outPipe = Pipe(), errPipe = Pipe()
        p.standardInput = inPipe
        p.standardOutput = outPipe
        p.standardError = errPipe
        try p.run()
        // A tool may exit before it reads all its input (a usage error, `head`): the write then
        // fails with EPIPE, which must neither kill the test process (SIGPIPE) nor trap.
        _ = ignoreBrokenPipes
        let writer = Thread {
            try? inPipe.fileHandleForWriting.write(contentsOf: input)
            try? inPipe.fileHandleForWriting.close()
        }
        writer.start()
        let err = Collected()
        let reader = Thread {
            err.data = errPipe.fileHandleForReading.readDataToEndOfFile()
            err.done.signal()
        }
        reader.start()
        let out = outPipe.fileHandleForReading.readDataToEndOfFile()
        err.done.wait()
        p.waitUntilExit()
        return Output(status: p.terminationStatus, stdout: out, stderr: err.data)
    }

    /// SIGPIPE ignored in the test process, once: a write to a tool that has exited gives EPIPE.
    private static let ignoreBrokenPipes: Void = { signal(SIGPIPE, SIG_IGN) }()

    /// Runs a `/bin/sh -c` command line with the tools on PATH, from the package root.
    public static func shell(_ command: String, input: Data = Data(), environment: [String: String] = [:]) throws -> Output {
        try run(URL(fileURLWithPath: "/bin/sh"), ["-c", command], input: input, environment: environment, directory: root)
    }

    /// Standard error collected on a reader thread.
    private final class Collected: @unchecked Sendable {
        var data = Data()
        let done = DispatchSemaphore(value: 0)
    }
}
