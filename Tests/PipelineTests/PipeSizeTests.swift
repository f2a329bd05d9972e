import Foundation
import Testing

/// Each tool grows the pipes it reads and writes to 1 MiB (`FileDescriptor.growPipe`): with the
/// kernel's 64 KiB the tools of a pipeline wake each other every 64 KiB.
@Suite struct PipeSizeTests {
    /// Polls the pipe on its stdin (`to: 0`) or stdout (`to: 1`) for up to 20 s until it is larger
    /// than the kernel's default, prints its size to stderr and passes stdin through to stdout.
    static func probe(_ fd: Int) -> String {
        let script = """
        import fcntl, sys, time
        end = time.time() + 20
        while True:
            size = fcntl.fcntl(\(fd), 1032)
            if size > 65536 or time.time() > end: break
            time.sleep(0.01)
        sys.stderr.write("pipe=%d\\n" % size)
        sys.stdout.buffer.write(sys.stdin.buffer.read())
        """
        return "python3 -c '\(script)'"
    }

    /// What the tools can get: 1 MiB unless this machine's pipe-max-size is lower (root may exceed it).
    static let expected: Int = {
        let text = (try? String(contentsOfFile: "/proc/sys/fs/pipe-max-size", encoding: .utf8)) ?? ""
        let max = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 1 << 20
        return getuid() == 0 || max >= 1 << 20 ? 1 << 20 : [1 << 19, 1 << 18].first { $0 <= max } ?? 65536
    }()

    static let stream = """
    {"_kind":"stanza","sample":"web","stanza":"web","settings":{"interval":"60","count":"3","earliest":"-1m","latest":"now"}}
    {"_raw":"id=1 status=200","sample":"web"}

    """

    static func size(_ stderr: String) -> Int? {
        stderr.split(separator: "\n").first { $0.hasPrefix("pipe=") }.flatMap { Int($0.dropFirst(5)) }
    }

    @Test(arguments: [
        "eg-rate --seed 1 --now 2024-05-01T00:00:00Z --backfill -1h --end 2024-05-01T00:00:00Z",
        "eg-rate --seed 1 --now 2024-05-01T00:00:00Z --backfill -1h --end 2024-05-01T00:00:00Z | eg-tokenize --seed 1",
        "eg-rate --seed 1 --now 2024-05-01T00:00:00Z --backfill -1h --end 2024-05-01T00:00:00Z | eg-tokenize --seed 1 | eg-ship -o stdout",
    ])
    func eachToolGrowsThePipeItWritesTo(_ pipeline: String) throws {
        let r = try Run.sh("\(pipeline) | \(Self.probe(0))", input: Self.stream)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(Self.size(r.stderr) == Self.expected, "\(r.stderr)")
    }

    @Test func egSampleGrowsThePipeItWritesTo() throws {
        let dir = NSTemporaryDirectory() + "eg-pipesize-\(getpid())-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "id=1 status=200\n".write(toFile: dir + "/web.log", atomically: true, encoding: .utf8)
        let r = try Run.sh("eg-sample \(dir)/web.log | \(Self.probe(0))")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(Self.size(r.stderr) == Self.expected, "\(r.stderr)")
        #expect(String(decoding: r.stdout, as: UTF8.self).contains("id=1 status=200"))
    }

    @Test func egShipGrowsThePipeItReads() throws {
        let r = try Run.sh("eg-rate --seed 1 --now 2024-05-01T00:00:00Z --backfill -1h --end 2024-05-01T00:00:00Z | eg-tokenize --seed 1 | \(Self.probe(1)) | eg-ship -o stdout", input: Self.stream)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(Self.size(r.stderr) == Self.expected, "\(r.stderr)")
        #expect(String(decoding: r.stdout, as: UTF8.self).split(separator: "\n").count == 180)
    }
}
