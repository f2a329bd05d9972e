import Foundation
import Testing
@testable import eg_ship

@Suite(.serialized) struct ShipSplunkStreamTests {
    @Test func logsInThenPostsGroupedRawEventsRoundRobin() throws {
        final class State: @unchecked Sendable { var simple = 0; let lock = NSLock() }
        let state = State()
        let server = TestHTTPServer { req, _ in
            if req.path == "/services/auth/login" {
                let ok = req.method == "POST" && req.bodyText == "username=admin&password=s%3Dcr%26t"
                    && req.headers["content-type"] == "application/x-www-form-urlencoded"
                return ok ? .respond(200, "<response>\n  <sessionKey>KEY-\(req.headers["host"] ?? "")</sessionKey>\n</response>\n")
                          : .respond(401, "<response><messages><msg type=\"WARN\">Login failed</msg></messages></response>")
            }
            state.lock.lock(); state.simple += 1; let n = state.simple; state.lock.unlock()
            return n == 2 ? .respond(503, "busy") : .respond(200, "<response><results><result><index>main</index></result></results></response>")
        }
        defer { server.stop() }
        let hosts = "[\"127.0.0.1\",\"localhost\"]"
        let settings = ["outputMode": "splunkstream", "splunkHost": hosts, "splunkPort": "\(server.port)",
                        "splunkMethod": "http", "splunkUser": "admin", "splunkPass": "s=cr&t", "index": "idx"]
        let input = Stream.stanza("fw.log", settings)
            + Stream.event("fw 1", sample: "fw.log", extra: [("sourcetype", "fw:a")])
            + Stream.event("fw 2", sample: "fw.log", extra: [("sourcetype", "fw:b")])
            + Stream.event("fw 3\n", sample: "fw.log", extra: [("sourcetype", "fw:a")])
        let r = try Run.ship(["--retry-delay", "0.01"], input: input)
        #expect(r.status == 0, "\(r.stderr)")
        let logins = server.requests.filter { $0.path == "/services/auth/login" }
        #expect(logins.count == 2)   // one session per host
        let posts = server.requests.filter { $0.path.hasPrefix("/services/receivers/simple?") }
        #expect(posts.count == 3)    // two groups, one retried after a 503
        for p in posts {
            #expect(p.method == "POST")
            #expect(p.headers["authorization"] == "Splunk KEY-\(p.headers["host"] ?? "")")
        }
        #expect(posts[0].path == "/services/receivers/simple?index=idx&host=127.0.0.1&source=fw.log&sourcetype=fw%3Aa")
        #expect(posts[0].bodyText == "fw 1\nfw 3\n")
        #expect(posts[1].bodyText == "fw 2\n")
        #expect(posts[2].bodyText == "fw 2\n")
        #expect(posts[2].path.hasSuffix("sourcetype=fw%3Ab"))
        #expect(posts[1].headers["host"] != posts[2].headers["host"])   // the retry went to the other host
        #expect(r.stderr.contains("events=3 bytes=15 batches=1 retries=1 failed=0"))
    }

    @Test func givenSessionKeySkipsLogin() throws {
        let server = TestHTTPServer { _, _ in .respond(200, "ok") }
        defer { server.stop() }
        let r = try Run.ship(["-o", "splunkstream", "--set", "splunkHost=127.0.0.1", "--set", "splunkPort=\(server.port)",
                              "--set", "splunkMethod=http", "--set", "sessionKey=abc"], input: Stream.event("x"))
        #expect(r.status == 0)
        #expect(server.requests.map(\.path) == ["/services/receivers/simple?index=main&host=127.0.0.1&source=eventgen&sourcetype=eventgen"])
        #expect(server.requests.first?.headers["authorization"] == "Splunk abc")
    }

    @Test func sessionKeyIsReadFromLoginXML() {
        #expect(SplunkStreamOutput.sessionKey(in: "<response>\n<sessionKey>192fd3e4</sessionKey>\n</response>") == "192fd3e4")
        #expect(SplunkStreamOutput.sessionKey(in: "<response/>") == nil)
    }
}
