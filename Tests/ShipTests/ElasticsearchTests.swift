import Foundation
import Testing
import Core
@testable import eg_ship

/// A `_bulk` request split into its (action, document) line pairs.
struct BulkRequest {
    var actions: [String] = []
    var documents: [String] = []

    /// Parses NDJSON pairs; every line must be a JSON object and the body must end with a newline.
    init(_ body: [UInt8]) throws {
        let text = String(decoding: body, as: UTF8.self)
        guard text.hasSuffix("\n") else { throw BulkError("body does not end with a newline") }
        let lines = text.dropLast().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.count % 2 == 0 else { throw BulkError("odd number of lines: \(lines.count)") }
        for k in stride(from: 0, to: lines.count, by: 2) {
            for l in lines[k...(k + 1)] {
                guard case .object? = try? JSONParser.parse(l) else { throw BulkError("not a JSON object: \(l)") }
            }
            actions.append(lines[k])
            documents.append(lines[k + 1])
        }
    }

    struct BulkError: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }
}

/// The bulk response Elasticsearch sends: one item per document, `errors` true when any failed.
func bulkResponse(_ statuses: [Int]) -> String {
    let items = statuses.enumerated().map { k, s -> String in
        switch s {
        case 429:
            return "{\"index\":{\"_index\":\"x\",\"_id\":\"\(k)\",\"status\":429,\"error\":{\"type\":\"es_rejected_execution_exception\",\"reason\":\"rejected execution of coordinating operation\"}}}"
        case 400:
            return "{\"index\":{\"_index\":\"x\",\"_id\":\"\(k)\",\"status\":400,\"error\":{\"type\":\"mapper_parsing_exception\",\"reason\":\"failed to parse field [bytes] of type [long] in document with id '\(k)'\",\"caused_by\":{\"type\":\"illegal_argument_exception\",\"reason\":\"For input string: \\\"lots\\\"\"}}}}"
        default:
            return "{\"index\":{\"_index\":\"x\",\"_id\":\"\(k)\",\"_version\":1,\"result\":\"created\",\"status\":201}}"
        }
    }
    return "{\"took\":3,\"errors\":\(statuses.contains { $0 >= 300 }),\"items\":[\(items.joined(separator: ","))]}"
}

@Suite(.serialized) struct ShipElasticsearchTests {
    @Test func bulkFormatPartialFailureRetriesAndDeadLetter() throws {
        // 1st request: 503. 2nd (the same body): SLOW documents 429, the BAD one 400. 3rd: only the SLOW ones.
        let server = TestHTTPServer { req, n in
            if n == 1 { return .respond(503, "{\"error\":\"unavailable\",\"status\":503}") }
            guard let bulk = try? BulkRequest(req.body) else { return .respond(400, "{\"error\":\"bad bulk body\"}") }
            let statuses = bulk.documents.map { d in d.contains("BAD") ? 400 : (d.contains("SLOW") && n == 2) ? 429 : 201 }
            return .respond(200, bulkResponse(statuses))
        }
        defer { server.stop() }
        let dl = Run.tempDir() + "/dead.ndjson"
        var events: [String] = []
        // 1700000000 = 2023-11-14T22:13:20Z; 1700006400 = 2023-11-15T00:00:00Z.
        for k in 0..<10 {
            var raw = "GET /page/\(k) HTTP/1.1 200"
            if k == 2 || k == 8 { raw += " SLOW" }
            if k == 5 { raw = "{\"user\":\"bob\",\"bytes\":\"lots\",\"note\":\"BAD\"}" }
            if k == 6 { raw = "{\"user\":\"ann\", \"bytes\": 512}\n" }
            var extra: [(String, String)] = []
            if k == 4 { extra.append(("anomaly", "spike-1")) }
            if k == 7 { extra.append(("index", "web")) }
            events.append(Stream.event(raw, time: k == 1 ? "1700001000.25" : "\(1700000000 + k * 1000)", sample: "web.log", extra: extra))
        }
        let input = Stream.stanza("web.log", ["outputMode": "elasticsearch", "elasticsearchUrl": "http://127.0.0.1:\(server.port)",
                                              "elasticsearchIndex": "smoke_event-%Y.%m.%d", "elasticsearchUser": "elastic",
                                              "elasticsearchPassword": "changeme", "host": "gen-1", "sourcetype": "access"])
            + events.joined()
        let r = try Run.ship(["--retry-delay", "0.01", "--flush-interval", "60", "--dead-letter", dl], input: input)
        #expect(r.status == 1, "\(r.stderr)")

        let reqs = server.requests
        try #require(reqs.count == 3, "\(r.stderr)")
        for req in reqs {
            #expect(req.method == "POST")
            #expect(req.path == "/_bulk")
            #expect(req.headers["content-type"] == "application/x-ndjson")
            #expect(req.headers["authorization"] == "Basic ZWxhc3RpYzpjaGFuZ2VtZQ==")
        }
        #expect(reqs[0].body == reqs[1].body)   // the 503 sends the whole request again
        let first = try BulkRequest(reqs[1].body)
        #expect(first.actions == (0..<10).map { "{\"index\":{\"_index\":\"smoke_event-2023.11.\($0 < 7 ? 14 : 15)\"}}" })
        #expect(first.documents[0] == "{\"@timestamp\":\"2023-11-14T22:13:20Z\",\"message\":\"GET /page/0 HTTP/1.1 200\",\"host\":\"gen-1\",\"source\":\"web.log\",\"sourcetype\":\"access\"}")
        #expect(first.documents[1].hasPrefix("{\"@timestamp\":\"2023-11-14T22:30:00.250000Z\","))
        #expect(first.documents[4] == "{\"@timestamp\":\"2023-11-14T23:20:00Z\",\"message\":\"GET /page/4 HTTP/1.1 200\",\"host\":\"gen-1\",\"source\":\"web.log\",\"sourcetype\":\"access\"}")
        #expect(first.documents[5] == "{\"user\":\"bob\",\"bytes\":\"lots\",\"note\":\"BAD\"}")   // JSON _raw as it is
        #expect(first.documents[6] == "{\"user\":\"ann\", \"bytes\": 512}")
        #expect(first.documents[7] == "{\"@timestamp\":\"2023-11-15T00:10:00Z\",\"message\":\"GET /page/7 HTTP/1.1 200\",\"host\":\"gen-1\",\"source\":\"web.log\",\"sourcetype\":\"access\",\"index\":\"web\"}")
        // Only the two documents refused with 429 travel again.
        let again = try BulkRequest(reqs[2].body)
        #expect(again.documents == [first.documents[2], first.documents[8]])
        #expect(again.actions == [first.actions[2], first.actions[8]])

        #expect(r.stderr.contains("bulk response refused 2 of 10 documents (first: 429 es_rejected_execution_exception: rejected execution of coordinating operation); sending them again"))
        #expect(r.stderr.contains("1 event (first from stdin:7) not delivered: rejected by http://127.0.0.1:\(server.port): 400 mapper_parsing_exception: failed to parse field [bytes] of type [long] in document with id '5' (For input string: \"lots\")"))
        #expect(r.stderr.contains("events=9 bytes=\(reqs[1].body.count + reqs[2].body.count) batches=1 retries=2 failed=1"), "\(r.stderr)")
        #expect(r.stderr.contains("eg-ship: 1 event could not be delivered; written to \(dl)"))
        let dead = try Stream.deadLetter(dl)
        #expect(dead.events == events[5])
        #expect(dead.stanzas.count == 1 && dead.stanzas[0].contains("\"outputMode\":\"elasticsearch\""))
    }

    @Test func flagsApiKeyFixedIndexPathPrefixBatchSizeAndKeptAnomaly() throws {
        let server = TestHTTPServer { req, _ in
            let n = (try? BulkRequest(req.body))?.documents.count ?? 0
            return .respond(200, bulkResponse(Array(repeating: 201, count: n)))
        }
        defer { server.stop() }
        let input = Stream.event("one", time: "1700000000", extra: [("anomaly", "a1")])
            + Stream.event("{\"msg\":\"two\"}", time: "1700000001", extra: [("anomaly", "a2")])
            + Stream.event("three", time: nil) + Stream.event("four") + Stream.event("five")
        let r = try Run.ship(["--es-url", "http://127.0.0.1:\(server.port)/es/", "--es-index", "fixed-index",
                              "--es-api-key", "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==",
                              "--es-batch-size", "2", "--keep-anomaly"], input: input)
        #expect(r.status == 0, "\(r.stderr)")
        let reqs = server.requests
        try #require(reqs.count == 3)
        var docs: [String] = []
        for req in reqs {
            #expect(req.path == "/es/_bulk")
            #expect(req.headers["authorization"] == "ApiKey VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==")
            let bulk = try BulkRequest(req.body)
            #expect(Set(bulk.actions) == ["{\"index\":{\"_index\":\"fixed-index\"}}"])
            docs += bulk.documents
        }
        #expect(reqs.map { try! BulkRequest($0.body).documents.count } == [2, 2, 1])
        #expect(docs[0] == "{\"@timestamp\":\"2023-11-14T22:13:20Z\",\"message\":\"one\",\"host\":\"127.0.0.1\",\"source\":\"eventgen\",\"sourcetype\":\"eventgen\",\"anomaly\":\"a1\"}")
        #expect(docs[1] == "{\"msg\":\"two\",\"anomaly\":\"a2\"}")
        #expect(docs[2].hasPrefix("{\"@timestamp\":\"20"))   // no _time: the send time
        #expect(r.stderr.contains("elasticsearch:http://127.0.0.1:\(server.port)/es/ index=fixed-index events=5 "))
    }

    /// Several nodes: requests go round robin; a node that fails leaves the rotation and the
    /// others carry its requests, so nothing is lost; the Eventum opensearch output's `hosts` list
    /// gives the same nodes.
    @Test func severalNodesGoRoundRobinAndAFailingNodeLeavesTheRotation() throws {
        let ok: @Sendable (TestHTTPServer.Request, Int) -> TestHTTPServer.Action = { req, _ in
            .respond(200, bulkResponse(Array(repeating: 201, count: (try? BulkRequest(req.body))?.documents.count ?? 0)))
        }
        let a = TestHTTPServer(handler: ok), b = TestHTTPServer(handler: ok)
        let down = TestHTTPServer { _, _ in .respond(503, "{\"error\":\"unavailable\",\"status\":503}") }
        defer { a.stop(); b.stop(); down.stop() }
        let input = Numbered.input(0..<60)
        let even = try Run.ship(["--es-url", "http://127.0.0.1:\(a.port),http://127.0.0.1:\(b.port)/", "--batch-size", "10"], input: input)
        #expect(even.status == 0, "\(even.stderr)")
        #expect(a.requests.count == 3 && b.requests.count == 3)
        #expect((a.requests + b.requests).flatMap { Numbered.numbers($0.body) }.sorted() == Array(0..<60))
        #expect(a.requests.allSatisfy { $0.path == "/_bulk" })
        #expect(even.stderr.contains("elasticsearch:http://127.0.0.1:\(a.port),http://127.0.0.1:\(b.port)/ index=eventgen-%Y.%m.%d events=60 "), "\(even.stderr)")

        let dir = Run.tempDir()
        let generator = Generator.stanza("g", dir: dir, outputs: [
            #"{"plugin":"opensearch","hosts":["http://127.0.0.1:\#(down.port)","http://127.0.0.1:\#(a.port)"],"username":"u","password":"pw-os-1","index":"gen"}"#,
        ]) + Generator.events((0..<40).map { "{\"n\":\($0)}" }, name: "g")
        let before = a.requests.count
        let r = try Run.ship(["--batch-size", "10", "--retry-delay", "0.01"], input: generator)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("http://127.0.0.1:\(down.port) leaves rotation for 30 s (http://127.0.0.1:\(down.port): HTTP 503"), "\(r.stderr)")
        #expect(r.stderr.contains("events=40 ") && r.stderr.contains("failed=0"), "\(r.stderr)")
        // The failing node was tried once; every batch was indexed by the other.
        #expect(down.requests.count == 1)
        let docs = a.requests[before...].flatMap { (try? BulkRequest($0.body))?.documents ?? [] }
        #expect(docs == (0..<40).map { "{\"n\": \($0)}" })
    }

    @Test func unauthorizedIsNotRetriedAndConfigErrorsExit2() throws {
        let server = TestHTTPServer { _, _ in .respond(401, "{\"error\":{\"type\":\"security_exception\",\"reason\":\"missing authentication credentials\"},\"status\":401}") }
        defer { server.stop() }
        let r = try Run.ship(["-o", "opensearch", "--es-url", "http://127.0.0.1:\(server.port)", "--retry-delay", "0"],
                             input: Stream.event("a") + Stream.event("b"))
        #expect(r.status == 1)
        #expect(server.requests.count == 1)
        #expect(r.stderr.contains("2 events (first from stdin:1) not delivered: http://127.0.0.1:\(server.port): HTTP 401: {\"error\":{\"type\":\"security_exception\""))
        #expect(r.stderr.contains("opensearch:http://127.0.0.1:\(server.port) index=eventgen-%Y.%m.%d events=0 bytes=0 batches=0 retries=0 failed=2"))

        let upper = try Run.ship(["--es-url", "http://127.0.0.1:9", "--es-index", "Smoke-%Y"], input: Stream.event("a"))
        #expect(upper.status == 2)
        #expect(upper.stderr.contains("elasticsearchIndex"))
        #expect(upper.stderr.contains("lower-case"))
        let both = try Run.ship(["--es-url", "http://127.0.0.1:9", "--redis-key", "k"], input: Stream.event("a"))
        #expect(both.status == 2)
        let url = try Run.ship(["--es-url", "ftp://x"], input: Stream.event("a"))
        #expect(url.status == 2)
        #expect(url.stderr.contains("elasticsearchUrl"))
    }

    @Test func documentsUnitLevel() throws {
        var s = Settings(stanza: "t")
        s.set("elasticsearchIndex", "logs-%Y.%m.%d")
        s.set("elasticsearchAddMetadata", "true")
        let ss = try SampleSettings(sample: "t", stanza: s.pairs.map { (key: $0.0, value: $0.1) }, overrides: [], name: "t")
        let out = ElasticsearchOutput(config: try ElasticsearchConfig(ss, OutputContext()), policy: DeliveryPolicy(), insecure: false, mode: "elasticsearch")
        let record = Record(fields: [JSONField("_raw", .string("{\"a\":1,\"host\":\"own\"}")), JSONField("anomaly", .string("x"))])
        let e = ShipEvent(record: record, raw: "{\"a\":1,\"host\":\"own\"}", time: EventTime(seconds: 1700000000),
                          index: "main", host: "h", source: "s", sourcetype: "st", sample: "t", location: "stdin:1")
        var o: [UInt8] = []
        out.appendItem(e, now: EventTime(seconds: 0), to: &o)
        #expect(String(decoding: o, as: UTF8.self) == "{\"index\":{\"_index\":\"logs-2023.11.14\"}}\n{\"a\":1,\"host\":\"own\",\"@timestamp\":\"2023-11-14T22:13:20Z\",\"source\":\"s\",\"sourcetype\":\"st\",\"index\":\"main\"}\n")
    }
}
