import Foundation
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The event numbers a fault-injecting HTTP receiver accepted (answered with success for).
final class Accepted: Sendable {
    private let numbers = Mutex<[Int]>([])
    func add(_ n: [Int]) { numbers.withLock { $0 += n } }
    var all: [Int] { numbers.withLock { $0 } }
}

/// One HTTP output under test: its stanza, its success answer, and how a request's events are found.
struct HTTPOutputCase: Sendable, CustomStringConvertible {
    var mode: String
    var settings: @Sendable (Int) -> [String: String]
    /// Answers a request that is let through; returns the answer and the event numbers accepted.
    var accept: @Sendable (TestHTTPServer.Request) -> (TestHTTPServer.Action, [Int])
    var description: String { mode }

    static let login = "<response><sessionKey>SK-1</sessionKey></response>"

    static let all: [HTTPOutputCase] = [
        HTTPOutputCase(mode: "httpevent", settings: { port in
            ["outputMode": "httpevent",
             "httpeventServers": "{\"servers\":[{\"protocol\":\"http\",\"address\":\"127.0.0.1\",\"port\":\(port),\"key\":\"k\"}]}"]
        }, accept: { req in (.respond(200, "{\"text\":\"Success\",\"code\":0}"), Numbered.numbers(req.body)) }),
        HTTPOutputCase(mode: "elasticsearch", settings: { port in
            ["outputMode": "elasticsearch", "elasticsearchUrl": "http://127.0.0.1:\(port)"]
        }, accept: { req in
            let docs = (try? BulkRequest(req.body))?.documents.count ?? 0
            return (.respond(200, bulkResponse(Array(repeating: 201, count: docs))), Numbered.numbers(req.body))
        }),
        HTTPOutputCase(mode: "splunkstream", settings: { port in
            ["outputMode": "splunkstream", "splunkHost": "127.0.0.1", "splunkPort": "\(port)", "splunkMethod": "http",
             "splunkUser": "admin", "splunkPass": "pw"]
        }, accept: { req in
            req.path == "/services/auth/login" ? (.respond(200, login), []) : (.respond(200, "<response/>"), Numbered.numbers(req.body))
        }),
        HTTPOutputCase(mode: "stormstream", settings: { port in
            ["outputMode": "stormstream", "stormstreamUrl": "http://127.0.0.1:\(port)/1/inputs/http", "projectID": "p", "accessToken": "t"]
        }, accept: { req in (.respond(200, "ok"), Numbered.numbers(req.body)) }),
        HTTPOutputCase(mode: "http", settings: { port in
            ["outputMode": "http", "httpUrl": "http://127.0.0.1:\(port)/ingest"]
        }, accept: { req in (.respond(200, "{}"), Numbered.numbers(req.body)) }),
        HTTPOutputCase(mode: "clickhouse", settings: { port in
            ["outputMode": "clickhouse", "clickhouseUrl": "http://127.0.0.1:\(port)", "clickhouseTable": "t"]
        }, accept: { req in (.respond(200, ""), Numbered.numbers(req.body)) }),
    ]
}

@Suite(.serialized) struct ShipHTTPFaultTests {
    static let n = 20_000

    /// 20,000 numbered events through 503 (with Retry-After), 429, a close without answer, a reset
    /// and a hang (past `--timeout`): every event is accepted once at least, none dead-lettered.
    @Test(arguments: HTTPOutputCase.all)
    func faultsLoseNothing(_ out: HTTPOutputCase) throws {
        let accepted = Accepted()
        let server = TestHTTPServer { req, n in
            if req.path == "/services/auth/login" { return out.accept(req).0 }
            switch n {
            case 2: return .respond(503, "{\"text\":\"Server is busy\",\"code\":9}", headers: [("Retry-After", "0")])
            case 4: return .respond(429, "slow down")
            case 6: return .closeWithoutResponse
            case 8: return .reset
            case 10: return .hang
            default:
                let (action, numbers) = out.accept(req)
                accepted.add(numbers)
                return action
            }
        }
        defer { server.stop() }
        let dl = Run.tempDir() + "/dead.ndjson"
        let input = Stream.stanza("s", out.settings(server.port)) + Numbered.input(0..<Self.n, sample: "s")
        let r = try Run.ship(["--timeout", "1", "--retry-delay", "0.01", "--retries", "8", "--dead-letter", dl], input: input)
        #expect(r.status == 0, "\(out): \(r.stderr)")
        expectAccounted(received: accepted.all, dead: Numbered.deadLetter(dl), summary: Numbered.summary(r.stderr, out.mode + ":"),
                        read: 0..<Self.n)
        #expect(Set(accepted.all).count == Self.n)
        #expect(r.stderr.contains("events=\(Self.n) "), "\(r.stderr)")
    }

    /// SIGTERM while the server never answers: eg-ship stops within the shutdown bound and
    /// dead-letters what it had read, printing --stats meanwhile.
    @Test(arguments: HTTPOutputCase.all)
    func sigtermAgainstAHangingServerStopsWithinTheBound(_ out: HTTPOutputCase) throws {
        let server = TestHTTPServer { req, _ in req.path == "/services/auth/login" ? out.accept(req).0 : .hang }
        defer { server.stop() }
        let dl = Run.tempDir() + "/dead.ndjson"
        let input = Stream.stanza("s", out.settings(server.port)) + Numbered.input(0..<2000, sample: "s")
        let p = try ShipProcess(["--shutdown-timeout", "1", "--dead-letter", dl, "--stats", "--stats-interval", "0.3"], input: input)
        usleep(1_200_000)
        let (status, stderr, seconds) = p.terminate()
        #expect(status == 1, "\(out): \(stderr)")
        #expect(seconds < 6, "\(out): took \(seconds) s to stop")
        #expect(stderr.contains("eg-ship: stats: \(out.mode):"), "\(out): --stats printed while the request hung")
        let s = Numbered.summary(stderr, out.mode + ":")
        #expect((s?.failed ?? 0) > 0)
        expectAccounted(received: [], dead: Numbered.deadLetter(dl), summary: s, read: 0..<((s?.events ?? 0) + (s?.failed ?? 0)))
    }

    /// Per-item errors in `_bulk` answers: 429 items are sent again, 400 items dead-lettered,
    /// exactly those.
    @Test func bulkItemErrorsAreRetriedOrDeadLettered() throws {
        let accepted = Accepted()
        let server = TestHTTPServer { req, n in
            guard let bulk = try? BulkRequest(req.body) else { return .respond(400, "{\"error\":\"bad body\"}") }
            var statuses: [Int] = []
            for d in bulk.documents {
                let k = Numbered.numbers(Array(d.utf8)).first ?? -1
                let s = k % 1000 == 7 ? 400 : (n == 3 && k % 10 == 3) ? 429 : 201
                statuses.append(s)
                if s == 201 { accepted.add([k]) }
            }
            return .respond(200, bulkResponse(statuses))
        }
        defer { server.stop() }
        let dl = Run.tempDir() + "/dead.ndjson"
        let r = try Run.ship(["--es-url", "http://127.0.0.1:\(server.port)", "--retry-delay", "0.01", "--dead-letter", dl],
                             input: Numbered.input(0..<Self.n))
        #expect(r.status == 1)
        let dead = Numbered.deadLetter(dl)
        #expect(Set(dead) == Set((0..<Self.n).filter { $0 % 1000 == 7 }))
        expectAccounted(received: accepted.all, dead: dead, summary: Numbered.summary(r.stderr, "elasticsearch:"), read: 0..<Self.n)
    }
}
