import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Accounting of one run over numbered events: every event eg-ship read is either received or
/// in the dead letter (nothing silent), the summary's `events` are exactly the received events
/// not dead-lettered, its `failed` the dead-lettered ones (each once). Duplicates among the
/// received events are allowed: delivery is at least once.
func expectAccounted(received: [Int], dead: [Int], summary: (events: Int, failed: Int)?, read: Range<Int>,
                     sourceLocation: SourceLocation = #_sourceLocation) {
    guard let summary else { Issue.record("no summary line", sourceLocation: sourceLocation); return }
    let r = Set(received), d = Set(dead)
    #expect(dead.count == d.count, "the dead letter holds an event twice", sourceLocation: sourceLocation)
    #expect(d.count == summary.failed, "failed=\(summary.failed) but \(d.count) dead-lettered", sourceLocation: sourceLocation)
    #expect(r.union(d) == Set(read), "\(Set(read).subtracting(r.union(d)).count) events lost silently", sourceLocation: sourceLocation)
    #expect(r.subtracting(d).count == summary.events, "events=\(summary.events) but \(r.subtracting(d).count) received", sourceLocation: sourceLocation)
}

/// The event records of a dead-letter file (its stanza records left out), as one NDJSON text.
func deadLetterEvents(_ path: String) throws -> String {
    try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        .filter { !$0.hasPrefix("{\"_kind\":\"stanza\"") }.map { $0 + "\n" }.joined()
}

/// The event numbers of the complete `\n`-terminated lines of each connection.
func lineNumbers(_ connections: [[UInt8]]) -> [Int] {
    connections.flatMap { c -> [Int] in
        guard let last = c.lastIndex(of: 0x0A) else { return [] }
        return Numbered.numbers(Array(c[...last]))
    }
}

/// The event numbers of the complete RFC 6587 octet-counted frames (`LEN SP MSG`) of each
/// connection; a connection must hold nothing but such frames (and a torn last one).
func frameNumbers(_ connections: [[UInt8]], sourceLocation: SourceLocation = #_sourceLocation) -> [Int] {
    var out: [Int] = []
    for c in connections {
        var k = 0
        while k < c.count {
            var len = 0
            var j = k
            while j < c.count, c[j] >= 0x30, c[j] <= 0x39 { len = len * 10 + Int(c[j] - 0x30); j += 1 }
            guard j < c.count else { break }   // torn length
            #expect(c[j] == 0x20 && j > k, "not an octet frame at byte \(k)", sourceLocation: sourceLocation)
            guard c[j] == 0x20, j > k else { break }
            guard j + 1 + len <= c.count else { break }   // torn message
            out += Numbered.numbers(Array(c[(j + 1)..<(j + 1 + len)]))
            k = j + 1 + len
        }
    }
    return out
}

/// eg-ship as a process fed by a writer thread, for tests that signal it mid-run.
final class ShipProcess: @unchecked Sendable {
    let process = Process()
    private let errPipe = Pipe()
    private let inPipe = Pipe()

    init(_ args: [String], input: String) throws {
        process.executableURL = URL(fileURLWithPath: Run.binary())
        process.arguments = args
        process.standardInput = inPipe
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errPipe
        try process.run()
        let data = Data(input.utf8)
        let w = inPipe.fileHandleForWriting
        Thread {
            signal(SIGPIPE, SIG_IGN)
            try? w.write(contentsOf: data)
            try? w.close()
        }.start()
    }

    /// Sends SIGTERM, waits for the exit; returns the status, stderr and the seconds it took.
    func terminate() -> (status: Int32, stderr: String, seconds: Double) {
        let t0 = Date()
        kill(process.processIdentifier, SIGTERM)
        let err = errPipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: err, as: UTF8.self), Date().timeIntervalSince(t0))
    }
}

@Suite(.serialized) struct ShipTCPFaultTests {
    static let n = 20_000

    @Test func tcpoutResetsAndClosesLoseNothing() throws {
        let rx = TestTCPReceiver { n in
            switch n {
            case 1: return .reset(afterBytes: 120_000)
            case 2: return .close(afterBytes: 120_000)
            case 3: return .reset(afterBytes: 60_000)
            default: return .none
            }
        }
        defer { rx.stop() }
        let dl = Run.tempDir() + "/dead.ndjson"
        let r = try Run.ship(["-o", "tcpout", "--set", "tcpDestinationPort=\(rx.port)", "--retries", "10", "--retry-delay", "0.01",
                              "--dead-letter", dl], input: Numbered.input(0..<Self.n))
        rx.waitUntilIdle()
        #expect(r.status == 0, "\(r.stderr)")
        let got = lineNumbers(rx.connections)
        #expect(rx.connections.count >= 4)
        expectAccounted(received: got, dead: Numbered.deadLetter(dl), summary: Numbered.summary(r.stderr, "tcpout:127.0.0.1:\(rx.port)"),
                        read: 0..<Self.n)
        #expect(Set(got).count == Self.n)
        #expect(r.stderr.contains("events=\(Self.n) "), "\(r.stderr)")
    }

    @Test func syslogOverTCPResetsLoseNothingAndKeepFrames() throws {
        let rx = TestTCPReceiver { n in n == 1 ? .reset(afterBytes: 150_000) : n == 2 ? .close(afterBytes: 90_000) : .none }
        defer { rx.stop() }
        let dl = Run.tempDir() + "/dead.ndjson"
        let stanza = Stream.stanza("fw.log", ["outputMode": "syslogout", "syslogDestinationPort": "\(rx.port)", "syslogProtocol": "tcp",
                                              "syslogFormat": "rfc5424", "timezone": "UTC"])
        let r = try Run.ship(["--retries", "10", "--retry-delay", "0.01", "--dead-letter", dl],
                             input: stanza + Numbered.input(0..<Self.n, sample: "fw.log"))
        rx.waitUntilIdle()
        #expect(r.status == 0, "\(r.stderr)")
        let got = frameNumbers(rx.connections)
        expectAccounted(received: got, dead: Numbered.deadLetter(dl),
                        summary: Numbered.summary(r.stderr, "syslogout:tcp://127.0.0.1:\(rx.port) rfc5424"), read: 0..<Self.n)
        #expect(Set(got).count == Self.n)
    }

    @Test func hangingReceiverIsLeftAfterTheTimeoutAndTheRestResent() throws {
        let rx = TestTCPReceiver { n in n == 1 ? .hang : .none }
        defer { rx.stop() }
        let dl = Run.tempDir() + "/dead.ndjson"
        let r = try Run.ship(["-o", "tcpout", "--set", "tcpDestinationPort=\(rx.port)", "--timeout", "1", "--retry-delay", "0.01",
                              "--dead-letter", dl], input: Numbered.input(0..<5000))
        rx.release()
        rx.waitUntilIdle()
        #expect(r.status == 0, "\(r.stderr)")
        expectAccounted(received: lineNumbers(rx.connections), dead: Numbered.deadLetter(dl),
                        summary: Numbered.summary(r.stderr, "tcpout:127.0.0.1:\(rx.port)"), read: 0..<5000)
        #expect(rx.connections.count >= 2)
    }

    @Test func sigtermAgainstAHangingReceiverStopsWithinTheBound() throws {
        let rx = TestTCPReceiver { _ in .hang }
        defer { rx.stop() }
        let dl = Run.tempDir() + "/dead.ndjson"
        let p = try ShipProcess(["-o", "tcpout", "--set", "tcpDestinationPort=\(rx.port)", "--shutdown-timeout", "2",
                                 "--dead-letter", dl, "--stats", "--stats-interval", "0.3"], input: Numbered.input(0..<Self.n))
        usleep(1_500_000)
        let (status, stderr, seconds) = p.terminate()
        rx.release()
        rx.waitUntilIdle()
        #expect(status == 1, "\(stderr)")
        #expect(seconds < 7, "took \(seconds) s to stop")
        #expect(stderr.contains("eg-ship: stats: tcpout:"), "--stats printed while the send hung")
        let s = Numbered.summary(stderr, "tcpout:127.0.0.1:\(rx.port)")
        let read = 0..<((s?.events ?? 0) + (s?.failed ?? 0))
        #expect(read.count > 0)
        expectAccounted(received: lineNumbers(rx.connections), dead: Numbered.deadLetter(dl), summary: s, read: read)
    }

    @Test func redisSigtermAgainstAServerThatNeverRepliesStopsWithinTheBound() throws {
        let rx = TestTCPReceiver { _ in .hang }
        defer { rx.stop() }
        let dl = Run.tempDir() + "/dead.ndjson"
        let p = try ShipProcess(["-o", "redis", "--redis-port", "\(rx.port)", "--shutdown-timeout", "1", "--dead-letter", dl],
                                input: Numbered.input(0..<5000))
        usleep(1_200_000)
        let (status, stderr, seconds) = p.terminate()
        rx.release()
        #expect(status == 1, "\(stderr)")
        #expect(seconds < 6, "took \(seconds) s to stop")
        let s = Numbered.summary(stderr, "redis:")
        #expect(s?.events == 0)
        #expect((s?.failed ?? 0) > 0)
        // Nothing was answered, so nothing counts as delivered: every event read is dead-lettered.
        expectAccounted(received: [], dead: Numbered.deadLetter(dl), summary: s, read: 0..<((s?.events ?? 0) + (s?.failed ?? 0)))
    }

    @Test func redisResetsAndBusyRepliesLoseNothing() throws {
        // Connection 1 resets at its 4th command (unanswered); connection 2 answers its first
        // command LOADING and its second OOM (both retried); connection 3 answers all.
        let redis = FakeRedis { conn, cmd in
            switch (conn, cmd) {
            case (1, 4): return .reset
            case (2, 1): return .error("LOADING Redis is loading the dataset in memory")
            case (2, 2): return .error("OOM command not allowed when used memory > 'maxmemory'")
            default: return .ok
            }
        }
        defer { redis.stop() }
        let dl = Run.tempDir() + "/dead.ndjson"
        let r = try Run.ship(["-o", "redis", "--redis-port", "\(redis.port)", "--set", "redisBatchSize=100", "--batch-size", "500",
                              "--retry-delay", "0.01", "--dead-letter", dl], input: Numbered.input(0..<Self.n))
        #expect(r.status == 0, "\(r.stderr)")
        expectAccounted(received: redis.accepted, dead: Numbered.deadLetter(dl), summary: Numbered.summary(r.stderr, "redis:"),
                        read: 0..<Self.n)
        #expect(Set(redis.accepted).count == Self.n)
    }

    @Test func syslogOverUDPCountsWhatWasSent() throws {
        let (fd, port) = Run.loopbackSocket(udp: true) { fd in
            var big: Int32 = 16 << 20
            setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, socklen_t(MemoryLayout<Int32>.size))
        }
        defer { close(fd) }
        let stanza = Stream.stanza("fw.log", ["outputMode": "syslogout", "syslogDestinationPort": "\(port)", "timezone": "UTC"])
        let r = try Run.ship([], input: stanza + Numbered.input(0..<2000, sample: "fw.log"))
        #expect(r.status == 0, "\(r.stderr)")
        var got: [Int] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = recv(fd, &buf, buf.count, Int32(MSG_DONTWAIT))
            if n <= 0 { break }
            let numbers = Numbered.numbers(Array(buf[0..<n]))
            #expect(numbers.count == 1)   // one event per datagram
            got += numbers
        }
        #expect(got == Array(0..<2000))
        #expect(Numbered.summary(r.stderr, "syslogout:udp://")?.events == 2000)
    }
}
