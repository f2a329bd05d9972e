import Foundation
import Testing
import Core
@testable import eg_ship

@Suite(.serialized) struct ShipHTTPOutputTests {
    @Test func jsonBatchesWithMethodHeadersAndBasicAuth() throws {
        let server = TestHTTPServer { _, _ in .respond(201, "created") }
        defer { server.stop() }
        var input = Stream.stanza("app.log", ["outputMode": "http", "httpUrl": "http://127.0.0.1:\(server.port)/ingest?src=eg",
                                              "httpMethod": "put", "httpHeaders": "{\"X-Token\":\"abc\",\"Content-Type\":\"application/x-json\"}",
                                              "httpUser": "bob", "httpPassword": "pw-1", "httpSuccessCode": "201"])
        for k in 0..<250 {
            let raw = k % 2 == 0 ? "{\"n\":\(k),\"msg\":\"hi\"}" : "plain \(k)"
            input += Stream.event(raw, time: "1700000000.5", sample: "app.log", extra: [("anomaly", "spike")])
        }
        let r = try Run.ship(["--batch-size", "100"], input: input)
        #expect(r.status == 0, "\(r.stderr)")
        let reqs = server.requests
        #expect(reqs.count == 3)
        var seen = 0
        for req in reqs {
            #expect(req.method == "PUT")
            #expect(req.path == "/ingest?src=eg")
            #expect(req.headers["x-token"] == "abc")
            #expect(req.headers["content-type"] == "application/x-json")
            #expect(req.headers["authorization"] == "Basic " + Data("bob:pw-1".utf8).base64EncodedString())
            guard case .array(let items) = try JSONParser.parse(req.bodyText) else { Issue.record("not an array"); continue }
            for item in items {
                if let n = item["n"]?.text { #expect(Int(n)! % 2 == 0); #expect(item["msg"]?.stringValue == "hi") } else {
                    #expect(item["_raw"]?.stringValue?.hasPrefix("plain ") == true)
                    #expect(item["_time"]?.text == "1700000000.5")
                    #expect(item["anomaly"] == nil)
                }
                seen += 1
            }
        }
        #expect(seen == 250)
        #expect(r.stderr.contains("events=250 "))
    }

    @Test func oneRequestPerEventAndAWrongSuccessCodeIsGivenUp() throws {
        let server = TestHTTPServer { _, _ in .respond(200, "ok") }
        defer { server.stop() }
        let raw = try Run.ship(["--http-url", "http://127.0.0.1:\(server.port)/e", "--http-format", "raw"],
                               input: Stream.event("a b") + Stream.event("c\n"))
        #expect(raw.status == 0, "\(raw.stderr)")
        #expect(server.requests.map(\.bodyText) == ["a b", "c"])
        #expect(server.requests.first?.headers["content-type"] == "text/plain")
        let dl = Run.tempDir() + "/dl.ndjson"
        let wrong = try Run.ship(["--http-url", "http://127.0.0.1:\(server.port)/e", "--http-format", "json", "--http-success-code", "202",
                                  "--dead-letter", dl], input: Stream.event("x"))
        #expect(wrong.status == 1)
        #expect(wrong.stderr.contains("HTTP 200: ok (httpSuccessCode is 202)"), "\(wrong.stderr)")
        #expect(wrong.stderr.contains("retries=0 failed=1"))
        #expect(try deadLetterEvents(dl) == Stream.event("x"))
    }

    @Test func badSettingsAreConfigErrors() throws {
        let noURL = try Run.ship(["-o", "http"], input: Stream.event("x"))
        #expect(noURL.status == 2)
        #expect(noURL.stderr.contains("needs httpUrl"))
        let headers = try Run.ship(["--http-url", "http://127.0.0.1:9/", "--http-headers", "[1]"], input: Stream.event("x"))
        #expect(headers.status == 2)
        #expect(headers.stderr.contains("httpHeaders"))
        let two = try Run.ship(["--http-url", "http://127.0.0.1:9/", "--es-url", "http://127.0.0.1:9"], input: Stream.event("x"))
        #expect(two.status == 2)
        #expect(two.stderr.contains("choose one with --output"))
        let table = try Run.ship(["--clickhouse-table", "a;drop"], input: Stream.event("x"))
        #expect(table.status == 2)
        #expect(table.stderr.contains("clickhouseTable"))
    }
}
