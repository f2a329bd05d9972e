import Foundation
import Testing
import Core
@testable import eg_ship

/// Splits concatenated JSON objects (HEC's batch format) and parses each with Core's parser.
func splitObjects(_ bytes: [UInt8]) throws -> [JSONValue] {
    var out: [JSONValue] = []
    var depth = 0, inString = false, escaped = false, start = 0
    for (k, b) in bytes.enumerated() {
        if inString {
            if escaped { escaped = false } else if b == 0x5C { escaped = true } else if b == 0x22 { inString = false }
            continue
        }
        if b == 0x22 { inString = true } else if b == 0x7B { if depth == 0 { start = k }; depth += 1 } else if b == 0x7D {
            depth -= 1
            if depth == 0 {
                out.append(try bytes[start...k].withUnsafeBufferPointer { try JSONParser.parse($0) })
            }
        }
    }
    return out
}

@Suite(.serialized) struct ShipHECTests {
    static let ok = TestHTTPServer.Action.respond(200, "{\"text\":\"Success\",\"code\":0}")

    func raw(_ k: Int) -> String { "2023-11-14 22:13:20 host=web-\(k % 3) msg=\"quote \\ \(k)\"" }

    func events(_ n: Int) -> (input: String, raws: Set<String>) {
        var input = ""
        var raws = Set<String>()
        for k in 0..<n {
            let raw = raw(k)
            raws.insert(raw)
            input += Stream.event(raw, time: "1700000000.\(100 + k)", sample: "web.log")
        }
        return (input, raws)
    }

    @Test func roundRobinSurvives503ClosedConnectionAndDeadServer() throws {
        let a = TestHTTPServer { _, n in n == 2 ? .respond(503, "{\"text\":\"Server is busy\",\"code\":9}") : n == 4 ? .closeWithoutResponse : ShipHECTests.ok }
        let b = TestHTTPServer { _, _ in ShipHECTests.ok }
        defer { a.stop(); b.stop() }
        let dead = Run.freePort()
        let servers = "{\"servers\":[{\"protocol\":\"http\",\"address\":\"127.0.0.1\",\"port\":\"\(a.port)\",\"key\":\"tokA\"},"
            + "{\"protocol\":\"http\",\"address\":\"127.0.0.1\",\"port\":\"\(dead)\",\"key\":\"tokDead\"},"
            + "{\"protocol\":\"http\",\"address\":\"127.0.0.1\",\"port\":\(b.port),\"key\":\"tokB\"}]}"
        let (body, raws) = events(200)
        let input = Stream.stanza("web.log", ["outputMode": "httpevent", "httpeventServers": servers,
                                              "httpeventMaxPayloadSize": "2000", "httpeventAllowFailureCount": "2",
                                              "index": "main", "host": "gen-1", "sourcetype": "access"]) + body
        let r = try Run.ship(["--batch-size", "50", "--retry-delay", "0.01", "--cooldown", "600", "--flush-interval", "60"], input: input)
        #expect(r.status == 0, "\(r.stderr)")
        var delivered = Set<String>()
        var objectSize: [String: Int] = [:]
        var deliveredBytes = 0
        var accepted = 0
        for (server, key) in [(a, "tokA"), (b, "tokB")] {
            for (k, req) in server.requests.enumerated() {
                #expect(req.method == "POST")
                #expect(req.path == "/services/collector")
                #expect(req.headers["authorization"] == "Splunk \(key)")
                #expect(req.headers["content-type"] == "application/json")
                #expect(req.body.count <= 2000)
                #expect(req.bodyText.hasPrefix("{\"event\":\""))
                let objects = try splitObjects(req.body)
                #expect(!objects.isEmpty)
                for o in objects {
                    guard case .object(let fields) = o else { Issue.record("not an object"); continue }
                    #expect(fields.map(\.key) == ["event", "time", "host", "source", "sourcetype", "index"])
                    #expect(o["host"]?.stringValue == "gen-1")
                    #expect(o["source"]?.stringValue == "web.log")
                    #expect(o["sourcetype"]?.stringValue == "access")
                    #expect(o["index"]?.stringValue == "main")
                    #expect(o["time"]?.text?.hasPrefix("1700000000.") == true)
                }
                let refused = server === a && (k == 1 || k == 3)
                if !refused {
                    accepted += 1
                    deliveredBytes += req.body.count
                    for o in objects {
                        guard let e = o["event"]?.stringValue else { continue }
                        delivered.insert(e)
                        objectSize[e] = JSONWriter.string(o).utf8.count
                    }
                }
            }
        }
        #expect(delivered == raws)
        // Rotation A, dead, B: the dead server fails twice and leaves rotation (allowFailureCount 2),
        // A answers its 2nd request with 503 and drops its 4th: 4 retries, each landing on B.
        #expect(r.stderr.contains("events=200 bytes=\(deliveredBytes) batches=4 retries=4 failed=0"), "\(r.stderr)")
        #expect(r.stderr.contains("127.0.0.1:\(dead) leaves rotation"))
        // Payloads are packed greedily up to 2000 bytes within each batch of 50 events.
        var expectedPayloads = 0
        for batch in stride(from: 0, to: 200, by: 50) {
            var size = 0
            for k in batch..<(batch + 50) {
                let n = objectSize[raw(k)] ?? 0
                if size == 0 || size + n > 2000 { expectedPayloads += 1; size = n } else { size += n }
            }
        }
        #expect(accepted == expectedPayloads)
        #expect(expectedPayloads == 20)
        // Keep-alive: the 200 events travel over few connections (a new one only after the close).
        #expect(a.connections == 2)
        #expect(b.connections == 1)
    }

    @Test func mirrorSendsEveryPayloadToEveryServerWithGzip() throws {
        let a = TestHTTPServer { _, _ in ShipHECTests.ok }
        let b = TestHTTPServer { _, _ in ShipHECTests.ok }
        defer { a.stop(); b.stop() }
        let servers = "{\"servers\":[{\"protocol\":\"http\",\"address\":\"127.0.0.1\",\"port\":\(a.port),\"key\":\"k1\"},{\"protocol\":\"http\",\"address\":\"localhost\",\"port\":\(b.port),\"key\":\"k2\"}]}"
        let (body, raws) = events(30)
        let input = Stream.stanza("web.log", ["outputMode": "httpevent", "httpeventServers": servers,
                                              "httpeventOutputMode": "mirror"]) + body
        let r = try Run.ship(["--gzip"], input: input)
        #expect(r.status == 0, "\(r.stderr)")
        for s in [a, b] {
            #expect(s.requests.count == 1)
            let req = s.requests[0]
            #expect(req.headers["content-encoding"] == "gzip")
            let plain = try #require(Gzip.decompress(req.body))
            let objects = try splitObjects(plain)
            #expect(Set(objects.compactMap { $0["event"]?.stringValue }) == raws)
            #expect(objects.first?["host"]?.stringValue == "127.0.0.1")
            #expect(objects.first?["sourcetype"]?.stringValue == "eventgen")
        }
        #expect(r.stderr.contains("events=30 "))
    }

    @Test func badTokenFailsWithoutRetryAndDeadLetters() throws {
        let a = TestHTTPServer { _, _ in .respond(403, "{\"text\":\"Invalid token\",\"code\":4}") }
        defer { a.stop() }
        let dl = Run.tempDir() + "/dl.ndjson"
        let servers = "{\"servers\":[{\"protocol\":\"http\",\"address\":\"127.0.0.1\",\"port\":\(a.port),\"key\":\"bad\"}]}"
        let (body, _) = events(3)
        let r = try Run.ship(["--set", "httpeventServers=" + servers, "-o", "httpevent", "--dead-letter", dl], input: body)
        #expect(r.status == 1)
        #expect(a.requests.count == 1)
        #expect(r.stderr.contains("HTTP 403: {\"text\":\"Invalid token\",\"code\":4}"))
        #expect(r.stderr.contains("events=0 bytes=0 batches=0 retries=0 failed=3"))
        let dead = try Stream.deadLetter(dl)
        #expect(dead.events == body)
        #expect(dead.stanzas.count == 1 && dead.stanzas[0].contains("\"outputMode\":\"httpevent\""))
    }

    @Test func allServersDeadReportsEveryEvent() throws {
        let servers = "{\"servers\":[{\"protocol\":\"http\",\"address\":\"127.0.0.1\",\"port\":\(Run.freePort()),\"key\":\"k\"}]}"
        let (body, _) = events(5)
        let r = try Run.ship(["-o", "httpevent", "--set", "httpeventServers=" + servers, "--retries", "2", "--retry-delay", "0"], input: body)
        #expect(r.status == 1)
        #expect(r.stderr.contains("retries=2 failed=5"))
        #expect(r.stderr.contains("eg-ship: 5 events could not be delivered"))
    }

    @Test func badServersJSONIsAConfigError() throws {
        let r = try Run.ship(["-o", "httpevent", "--set", "httpeventServers={\"servers\":[]}"], input: Stream.event("x"))
        #expect(r.status == 2)
        #expect(r.stderr.contains("httpeventServers: expected JSON"))
    }
}
