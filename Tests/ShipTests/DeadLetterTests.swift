import Foundation
import Synchronization
import Testing
import Core

/// Dead letters that can be shipped again: a run against a failing receiver dead-letters events
/// with the stanza records that name their outputs; `eg-ship dead.ndjson` against the healthy
/// receiver delivers exactly them.
@Suite(.serialized) struct ShipDeadLetterTests {
    static let ok = TestHTTPServer.Action.respond(200, "{\"text\":\"Success\",\"code\":0}")

    /// A HEC receiver that answers 503 to every request holding `FAIL` while `failing` is set.
    final class Receiver: Sendable {
        final class Switch: Sendable { let on = Mutex(true) }
        let failing = Switch()
        let server: TestHTTPServer
        init() {
            let failing = self.failing
            server = TestHTTPServer { req, _ in
                failing.on.withLock { $0 } && req.bodyText.contains("FAIL") ? .respond(503, "{\"text\":\"busy\",\"code\":9}") : ShipDeadLetterTests.ok
            }
        }
        var servers: String {
            "{\"servers\":[{\"protocol\":\"http\",\"address\":\"127.0.0.1\",\"port\":\"\(server.port)\",\"key\":\"tok-1\"}]}"
        }
    }

    /// 60 events in batches of 10; batches 2 and 5 (events 10-19, 40-49) hold `FAIL`.
    static func events(sample: String?) -> (input: String, failing: [String]) {
        var input = "", failing: [String] = []
        for k in 0..<60 {
            let bad = (10..<20).contains(k) || (40..<50).contains(k)
            let raw = "event \(k)" + (bad ? " FAIL" : "")
            if bad { failing.append(raw) }
            input += Stream.event(raw, time: "1700000000.\(100 + k)", sample: sample)
        }
        return (input, failing)
    }

    @Test func reshippingADeadLetterGoesToTheOriginalOutput() throws {
        let receiver = Receiver()
        defer { receiver.server.stop() }
        let dir = Run.tempDir()
        let dl = dir + "/dead.ndjson"
        let (body, failing) = Self.events(sample: "web.log")
        let input = Stream.stanza("web.log", ["outputMode": "httpevent", "httpeventServers": receiver.servers, "index": "web"]) + body
        let first = try Run.ship(["--batch-size", "10", "--retries", "1", "--retry-delay", "0", "--dead-letter", dl], input: input)
        #expect(first.status == 1)
        #expect(first.stderr.contains("events=40 "))
        #expect(first.stderr.contains("eg-ship: 20 events could not be delivered; written to \(dl)"))
        let seen = receiver.server.requests.count

        // The receiver is healthy again: re-shipping the file sends exactly the 20 events there.
        receiver.failing.on.withLock { $0 = false }
        let again = try Run.ship([dl], input: "")
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stderr.contains("eg-ship: summary: httpevent:"))
        #expect(again.stderr.contains("events=20 "))
        let resent = try receiver.server.requests.dropFirst(seen).flatMap { try splitObjects($0.body) }
        #expect(resent.compactMap { $0["event"]?.text } == failing)
        #expect(resent.allSatisfy { $0["index"]?.text == "web" })
        #expect(again.stdout == "")
    }

    @Test func eventsRoutedByCommandLineFlagsAreReshippedTheSameWay() throws {
        let receiver = Receiver()
        defer { receiver.server.stop() }
        let dir = Run.tempDir()
        let dl = dir + "/dead.ndjson"
        // Bare events (no stanza record), routed by --output and --set alone.
        let (body, failing) = Self.events(sample: nil)
        let first = try Run.ship(["--output", "httpevent", "--set", "httpeventServers=\(receiver.servers)", "--batch-size", "10",
                                  "--retries", "0", "--dead-letter", dl], input: body)
        #expect(first.status == 1)
        let text = try String(contentsOfFile: dl, encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 1 + 20)
        let fields = try Array(lines[0].utf8).withUnsafeBufferPointer { try JSONParser.parseObject($0) }
        let stanza = try StanzaRecord(record: Record(fields: fields), location: "dl:1")
        #expect(stanza.sample == "")
        #expect(stanza.setting("outputMode") == "httpevent")
        #expect(stanza.setting("httpeventServers") == receiver.servers)
        let seen = receiver.server.requests.count
        receiver.failing.on.withLock { $0 = false }
        let again = try Run.ship([dl], input: "")
        #expect(again.status == 0, "\(again.stderr)")
        let resent = try receiver.server.requests.dropFirst(seen).flatMap { try splitObjects($0.body) }
        #expect(resent.compactMap { $0["event"]?.text } == failing)
    }

    @Test func aDeadLetterThatCannotBeWrittenSaysHowManyAreLost() throws {
        let port = Run.freePort()
        let r = try Run.ship(["--output", "tcpout", "--set", "tcpDestinationPort=\(port)", "--retries", "0", "--dead-letter", "/dev/full"],
                             input: Stream.event("a") + Stream.event("b"))
        #expect(r.status == 1)
        #expect(r.stderr.contains("eg-ship: /dev/full: write failed: No space left on device: 2 undelivered events not kept in the dead letter"))
        #expect(r.stderr.contains("eg-ship: 2 events could not be delivered; 0 written to /dev/full, 2 lost (the dead letter could not be written)"))
    }
}
