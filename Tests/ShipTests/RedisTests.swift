import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import Core
@testable import eg_ship

/// A real `redis-server` on a free loopback port, started for one test and killed at its end.
final class RedisServer {
    /// The redis-server binary on PATH (Debian package redis-server), if installed.
    static let binary: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") + ["/usr/bin", "/usr/local/bin", "/usr/sbin"] {
            let p = "\(dir)/redis-server"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }()
    /// In CI a missing redis-server fails the tests instead of skipping them.
    static let required = ProcessInfo.processInfo.environment["CI"] == "true"

    let port: Int
    let password: String?
    private let process = Process()

    init(password: String? = nil) throws {
        guard let bin = RedisServer.binary else {
            throw RedisTestError("redis-server is not installed (apt-get install -y redis-server)")
        }
        self.password = password
        port = Run.freePort()
        process.executableURL = URL(fileURLWithPath: bin)
        var args = ["--port", "\(port)", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no"]
        if let password { args += ["--requirepass", password] }
        process.arguments = args
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait until it answers PING (it needs a few milliseconds to listen).
        for _ in 0..<200 {
            if let c = try? connect(), (try? c.call(["PING"])) == .simple("PONG") { c.close(); return }
            usleep(25_000)
        }
        stop()
        throw RedisTestError("redis-server on port \(port) did not answer PING")
    }

    func connect(db: Int = 0) throws -> RESPConnection {
        try RESPConnection(host: "127.0.0.1", port: port, timeout: 10, password: password, db: db)
    }

    /// LRANGE key 0 -1 as strings.
    func list(_ key: String, db: Int = 0) throws -> [String] {
        let c = try connect(db: db)
        defer { c.close() }
        guard case .array(let items?) = try c.call(["LRANGE", key, "0", "-1"]) else { throw RedisTestError("LRANGE: not an array") }
        return items.compactMap(\.text)
    }

    /// SIGKILL: the server inherits the test thread's signal mask, where libdispatch blocks
    /// SIGTERM, so `terminate()` would never end it.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    deinit { stop() }
}

struct RedisTestError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

@Suite(.serialized, .enabled(if: RedisServer.binary != nil || RedisServer.required, "redis-server is not installed"))
struct ShipRedisTests {
    @Test func rpushJSONAndRawListsInOrder() throws {
        let redis = try RedisServer()
        defer { redis.stop() }
        var input = Stream.stanza("json.log", ["outputMode": "redis", "redisPort": "\(redis.port)", "redisKey": "events",
                                               "redisBatchSize": "40", "sourcetype": "access"])
            + Stream.stanza("raw.log", ["outputMode": "redis", "redisPort": "\(redis.port)", "redisKey": "lines", "redisFormat": "raw"])
        var expectedJSON: [String] = []
        var expectedRaw: [String] = []
        for k in 0..<250 {
            let j = Stream.event("json \(k) \"q\" é", time: "1700000000.\(100 + k)", sample: "json.log",
                                 extra: k == 3 ? [("anomaly", "spike-1")] : [])
            let r = Stream.event("raw line \(k)\n", sample: "raw.log")
            input += j + r
            expectedJSON.append(String(Stream.event("json \(k) \"q\" é", time: "1700000000.\(100 + k)", sample: "json.log").dropLast()))
            expectedRaw.append("raw line \(k)")
        }
        let r = try Run.ship(["--batch-size", "100"], input: input)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try redis.list("events") == expectedJSON)   // whole records, anomaly dropped, in order
        #expect(try redis.list("lines") == expectedRaw)
        // Logstash's json codec reads each value as one JSON object.
        for v in try redis.list("events").prefix(5) {
            guard case .object? = try? JSONParser.parse(v) else { Issue.record("not a JSON object: \(v)"); continue }
        }
        #expect(r.stderr.contains("redis:127.0.0.1:\(redis.port)/0 rpush events json events=250 "))
        #expect(r.stderr.contains("redis:127.0.0.1:\(redis.port)/0 rpush lines raw events=250 "))

        // --keep-anomaly keeps the field in the JSON value; the flags choose the output.
        let kept = try Run.ship(["--redis-port", "\(redis.port)", "--redis-key", "kept", "--keep-anomaly", "-q"],
                                input: Stream.event("x", extra: [("anomaly", "a1")]))
        #expect(kept.status == 0, "\(kept.stderr)")
        #expect(try redis.list("kept") == ["{\"_raw\":\"x\",\"_time\":1700000000.25,\"anomaly\":\"a1\"}"])
    }

    @Test func publishReachesASubscriber() throws {
        let redis = try RedisServer()
        defer { redis.stop() }
        let sub = try redis.connect()
        defer { sub.close() }
        guard case .array(let ack?) = try sub.call(["SUBSCRIBE", "feed"]) else { throw RedisTestError("SUBSCRIBE: no array") }
        #expect(ack.map(\.text) == ["subscribe", "feed", nil])
        var input = ""
        for k in 0..<20 { input += Stream.event("event \(k)") }
        let r = try Run.ship(["--redis-port", "\(redis.port)", "--redis-key", "feed", "--redis-mode", "publish",
                              "--redis-format", "raw"], input: input)
        #expect(r.status == 0, "\(r.stderr)")
        var got: [String] = []
        for _ in 0..<20 {
            guard case .array(let m?) = try sub.readReply(), m.count == 3 else { throw RedisTestError("not a message") }
            #expect(m[0].text == "message")
            #expect(m[1].text == "feed")
            got.append(m[2].text ?? "")
        }
        #expect(got == (0..<20).map { "event \($0)" })
        #expect(r.stderr.contains("redis:127.0.0.1:\(redis.port)/0 publish feed raw events=20 "))
    }

    @Test func authSelectAndFailures() throws {
        let redis = try RedisServer(password: "s3cret")
        defer { redis.stop() }
        let ok = try Run.ship(["--redis-port", "\(redis.port)", "--redis-key", "k", "--redis-password", "s3cret",
                               "--redis-db", "3", "--redis-format", "raw"], input: Stream.event("a") + Stream.event("b"))
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(try redis.list("k", db: 3) == ["a", "b"])
        #expect(try redis.list("k", db: 0) == [])

        // A wrong password is not retried.
        let dl = Run.tempDir() + "/dl.ndjson"
        let bad = try Run.ship(["--redis-port", "\(redis.port)", "--redis-password", "nope", "--dead-letter", dl],
                               input: Stream.event("a"))
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("AUTH failed: WRONGPASS"), "\(bad.stderr)")
        #expect(bad.stderr.contains("retries=0 failed=1"))
        #expect(try Stream.deadLetter(dl).events == Stream.event("a"))
        #expect(try Stream.deadLetter(dl).stanzas.count == 1)

        // No password: every RPUSH answers -NOAUTH, which fails the events.
        let noauth = try Run.ship(["--redis-port", "\(redis.port)"], input: Stream.event("a"))
        #expect(noauth.status == 1)
        #expect(noauth.stderr.contains("not delivered: redis 127.0.0.1:\(redis.port): NOAUTH"), "\(noauth.stderr)")

        // A key of another type: -WRONGTYPE, dead-lettered.
        let c = try redis.connect()
        defer { c.close() }
        #expect(try c.call(["SET", "str", "x"]) == .simple("OK"))
        let wrong = try Run.ship(["--redis-port", "\(redis.port)", "--redis-password", "s3cret", "--redis-key", "str"],
                                 input: Stream.event("a") + Stream.event("b"))
        #expect(wrong.status == 1)
        #expect(wrong.stderr.contains("2 events (first from stdin:1) not delivered: redis 127.0.0.1:\(redis.port): WRONGTYPE"))
        #expect(wrong.stderr.contains("events=0 bytes=0 batches=0 retries=0 failed=2"))
    }

    @Test func deadServerIsRetriedThenReported() throws {
        let r = try Run.ship(["--redis-port", "\(Run.freePort())", "--retries", "2", "--retry-delay", "0"], input: Stream.event("a"))
        #expect(r.status == 1)
        #expect(r.stderr.contains("cannot connect"))
        #expect(r.stderr.contains("retries=2 failed=1"))
    }
}
