import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A pipeline of the built tools started as a shell would start it for a terminal: every stage in
/// one new process group (`posix_spawnattr_setpgroup`), stdout of each piped into the next, so a
/// test can send a signal to the whole group as Ctrl-C does, and watch the last stage's output
/// line by line as it arrives.
public final class ProcessGroupPipeline: @unchecked Sendable {
    /// The process group id (the first stage's pid).
    public let group: pid_t
    private var pids: [pid_t] = []
    private let errPaths: [String]
    private let lock = NSLock()
    private var lines: [(line: String, arrived: Date)] = []
    private let done = DispatchSemaphore(value: 0)

    /// Starts `stages` (each a tool name or path and its arguments; give paths absolute), with
    /// the tools' directory first on PATH; standard input of the first stage is /dev/null.
    public init(_ stages: [[String]], environment: [String: String] = [:]) throws {
        var env = ProcessInfo.processInfo.environment
        env["PATH"] = ToolProcess.binDir.path + ":" + (env["PATH"] ?? "/usr/bin:/bin")
        for (k, v) in environment { env[k] = v }
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for p in envp { free(p) } }
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("eg-pgroup-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        errPaths = stages.indices.map { tmp.appendingPathComponent("stderr.\($0)").path }
        var group: pid_t = 0
        // Every descriptor is close-on-exec (dup2 clears it on 0, 1 and 2 in the child), so no
        // stage, and no process another test starts meanwhile, keeps a pipe end open.
        var input = open("/dev/null", O_RDONLY | O_CLOEXEC)
        for (k, stage) in stages.enumerated() {
            var fds: [Int32] = [-1, -1]
            guard pipe(&fds) == 0 else { throw POSIXError(.EMFILE) }
            for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            posix_spawn_file_actions_adddup2(&actions, input, 0)
            posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
            posix_spawn_file_actions_addopen(&actions, 2, errPaths[k], O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            var attr = posix_spawnattr_t()
            posix_spawnattr_init(&attr)
            posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
            posix_spawnattr_setpgroup(&attr, group)
            var none = sigset_t()
            sigemptyset(&none)
            posix_spawnattr_setsigmask(&attr, &none)
            var defaults = sigset_t()
            sigemptyset(&defaults)
            sigaddset(&defaults, SIGINT)
            sigaddset(&defaults, SIGTERM)
            sigaddset(&defaults, SIGPIPE)
            posix_spawnattr_setsigdefault(&attr, &defaults)
            let argv = stage.map { strdup($0) } + [nil]
            var pid: pid_t = 0
            let path = stage[0].contains("/") ? stage[0] : ToolProcess.binary(stage[0]).path
            let rc = posix_spawn(&pid, path, &actions, &attr, argv, envp)
            for p in argv { free(p) }
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attr)
            guard rc == 0 else { throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .ENOENT) }
            if group == 0 { group = pid }
            pids.append(pid)
            close(input)
            close(fds[1])
            input = fds[0]
        }
        self.group = group
        let out = input
        Thread { [self] in
            let handle = FileHandle(fileDescriptor: out, closeOnDealloc: true)
            var pending = Data()
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                let now = Date()
                pending.append(chunk)
                while let nl = pending.firstIndex(of: 0x0A) {
                    let line = String(decoding: pending[pending.startIndex..<nl], as: UTF8.self)
                    pending.removeSubrange(pending.startIndex...nl)
                    lock.lock(); lines.append((line, now)); lock.unlock()
                }
            }
            done.signal()
        }.start()
    }

    /// The last stage's output lines so far, each with the time it arrived.
    public var output: [(line: String, arrived: Date)] {
        lock.lock(); defer { lock.unlock() }
        return lines
    }

    /// Sends `sig` to every process of the group (as the terminal does for Ctrl-C).
    public func signalGroup(_ sig: Int32) { kill(-group, sig) }

    /// Waits for every stage (at most `timeout` seconds, then kills the group) and returns each
    /// stage's exit status (128 + signal when a signal ended it) and standard error.
    public func wait(timeout: Double = 30) -> [(status: Int32, stderr: String)] {
        let deadline = Date().addingTimeInterval(timeout)
        var statuses = [Int32](repeating: -1, count: pids.count)
        var left = Set(pids.indices)
        while !left.isEmpty {
            for k in left {
                var st: Int32 = 0
                if waitpid(pids[k], &st, WNOHANG) == pids[k] {
                    statuses[k] = (st & 0x7f) == 0 ? (st >> 8) & 0xff : 128 + (st & 0x7f)
                    left.remove(k)
                }
            }
            if Date() > deadline { kill(-group, SIGKILL) }
            if !left.isEmpty { usleep(10_000) }
        }
        _ = done.wait(timeout: .now() + 10)
        return pids.indices.map { k in
            (statuses[k], (try? String(contentsOfFile: errPaths[k], encoding: .utf8)) ?? "")
        }
    }
}
