import EgTestSupport
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import Core
@testable import eg_ship

/// An Eventum generator's network outputs (http, opensearch, tcp, udp, kafka, clickhouse) end to end
/// against the test receivers, with exact bytes and counts.
@Suite(.serialized) struct EventumNetworkOutputTests {
    static let raws = (0..<5).map { "{\"n\":\($0),  \"host\":\"web-\($0 % 2)\"}" }
    /// The raws as the default `json` formatter lays them out.
    static let laid = (0..<5).map { "{\"n\": \($0), \"host\": \"web-\($0 % 2)\"}" }

    @Test func httpSendsAJsonBatchPerBatchExpects201AndOneRequestPerEventOtherwise() throws {
        let server = TestHTTPServer { req, _ in req.path == "/one" ? .respond(200, "ok") : .respond(201, "created") }
        defer { server.stop() }
        let dir = Run.tempDir()
        let input = Generator.stanza("g", dir: dir, outputs: [
            #"{"plugin":"http","url":"http://127.0.0.1:\#(server.port)/batch","method":"PUT","headers":{"X-Tenant":"t1"},"username":"u","password":"pw-1"}"#,
            #"{"plugin":"http","url":"http://127.0.0.1:\#(server.port)/one","success_code":200,"auth":{"type":"bearer","token":"tok-9"},"formatter":{"format":"json"}}"#,
        ]) + Generator.events(Self.raws, name: "g")
        let r = try Run.ship(["--batch-size", "3"], input: input)
        #expect(r.status == 0, "\(r.stderr)")
        let batches = server.requests.filter { $0.path == "/batch" }
        #expect(batches.map(\.bodyText) == ["[" + Self.laid[0..<3].joined(separator: ", ") + "]", "[" + Self.laid[3..<5].joined(separator: ", ") + "]"])
        #expect(batches.allSatisfy { $0.method == "PUT" && $0.headers["x-tenant"] == "t1" && $0.headers["content-type"] == "application/json"
            && $0.headers["authorization"] == "Basic " + Data("u:pw-1".utf8).base64EncodedString() })
        let ones = server.requests.filter { $0.path == "/one" }
        #expect(ones.map(\.bodyText) == Self.laid)
        #expect(ones.allSatisfy { $0.method == "POST" && $0.headers["authorization"] == "Bearer tok-9" })
        #expect(r.stderr.contains("http:http://127.0.0.1:\(server.port)/batch events=5 bytes=\(batches.reduce(0) { $0 + $1.body.count }) batches=2 "))
        #expect(r.stderr.contains("http:http://127.0.0.1:\(server.port)/one events=5 "))
        // Eventum's success_code defaults to 201: a 200 is not a delivery.
        let strict = try Run.ship(["--retries", "0"], input: Generator.stanza("g", dir: dir, outputs: [
            #"{"plugin":"http","url":"http://127.0.0.1:\#(server.port)/one"}"#]) + Generator.events(["{}"], name: "g"))
        #expect(strict.status == 1)
        #expect(strict.stderr.contains("(httpSuccessCode is 201)"), "\(strict.stderr)")
    }

    /// Eventum's http and kafka outputs send the formatted text as it is: trailing spaces and
    /// newlines stay (eg's own http and kafka outputs trim `_raw` as eventgen does).
    @Test func httpAndKafkaSendThePlainTextWithItsTrailingWhitespace() throws {
        let server = TestHTTPServer { _, _ in .respond(201, "created") }
        defer { server.stop() }
        let cluster = try KafkaMockCluster()
        try cluster.createTopic("plain", partitions: 1)
        let dir = Run.tempDir()
        let raws = ["line one  ", "line two\n", "three\t\n\n"]
        let input = Generator.stanza("g", dir: dir, outputs: [
            #"{"plugin":"http","url":"http://127.0.0.1:\#(server.port)/one","formatter":{"format":"plain"}}"#,
            #"{"plugin":"kafka","bootstrap_servers":["\#(cluster.bootstraps)"],"topic":"plain","formatter":{"format":"plain"}}"#,
        ]) + Generator.events(raws, name: "g")
        let r = try Run.ship([], input: input)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(server.requests.map(\.bodyText) == raws)
        #expect(try cluster.consume("plain", partitions: 1, count: 3).map(\.value) == raws)
    }

    /// Eventum's INSERT body: header, the formatted events joined by the separator, footer.
    @Test func clickhouseFramesEachInsertAsEventumDoes() throws {
        let server = TestHTTPServer { _, _ in .respond(200, "") }
        defer { server.stop() }
        let dir = Run.tempDir()
        let input = Generator.stanza("g", dir: dir, outputs: [
            #"{"plugin":"clickhouse","host":"127.0.0.1","port":\#(server.port),"table":"t","header":"[","separator":",\n","footer":"]","formatter":{"format":"plain"}}"#,
        ]) + Generator.events(Self.raws, name: "g")
        let r = try Run.ship(["--batch-size", "3"], input: input)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(server.requests.map(\.bodyText) == ["[" + Self.raws[0..<3].joined(separator: ",\n") + "]",
                                                   "[" + Self.raws[3..<5].joined(separator: ",\n") + "]"])
        // Eventum's defaults: the json formatter's lines joined by newlines.
        let plain = try Run.ship([], input: Generator.stanza("g", dir: dir, outputs: [
            #"{"plugin":"clickhouse","host":"127.0.0.1","port":\#(server.port),"table":"t"}"#]) + Generator.events(Self.raws, name: "g"))
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(server.requests.last?.bodyText == Self.laid.joined(separator: "\n"))
    }

    /// `proxy_url`: requests go to the proxy, which is asked for the output's URL (absolute form);
    /// the hosts named need not resolve.
    @Test func httpOpensearchAndClickhouseGoThroughTheirProxy() throws {
        let proxy = TestHTTPServer { req, _ in
            if req.path.hasSuffix("/_bulk") { return .respond(200, bulkResponse(Array(repeating: 201, count: 5))) }
            return req.path.hasSuffix("/in") ? .respond(201, "created") : .respond(200, "")
        }
        defer { proxy.stop() }
        let dir = Run.tempDir()
        let via = "\"proxy_url\":\"http://127.0.0.1:\(proxy.port)\""
        let input = Generator.stanza("g", dir: dir, outputs: [
            #"{"plugin":"http","url":"http://collector.invalid:9/in",\#(via)}"#,
            #"{"plugin":"opensearch","hosts":["http://os.invalid:9200"],"username":"u","password":"pw-os-3","index":"i",\#(via)}"#,
            #"{"plugin":"clickhouse","host":"ch.invalid","table":"t",\#(via)}"#,
        ]) + Generator.events(Self.raws, name: "g")
        let r = try Run.ship([], input: input)
        #expect(r.status == 0, "\(r.stderr)")
        let paths = Set(proxy.requests.map { $0.path.removingPercentEncoding ?? $0.path })
        #expect(paths == ["http://collector.invalid:9/in", "http://os.invalid:9200/_bulk",
                          "http://ch.invalid:8123/?query=INSERT INTO default.t FORMAT JSONEachRow"], "\(paths)")
        #expect(proxy.requests.first { $0.path.hasSuffix("/in") }?.bodyText == "[" + Self.laid.joined(separator: ", ") + "]")
        // The same URL directly and through the proxy: two outputs, each gets every event.
        let direct = TestHTTPServer { _, _ in .respond(201, "created") }
        defer { direct.stop() }
        let before = proxy.requests.count
        let both = try Run.ship([], input: Generator.stanza("g", dir: dir, outputs: [
            #"{"plugin":"http","url":"http://127.0.0.1:\#(direct.port)/in"}"#,
            #"{"plugin":"http","url":"http://127.0.0.1:\#(direct.port)/in",\#(via)}"#,
        ]) + Generator.events(Self.raws, name: "g"))
        #expect(both.status == 0, "\(both.stderr)")
        #expect(direct.requests.count == 1 && proxy.requests.count == before + 1)
        #expect(proxy.requests.last?.path == "http://127.0.0.1:\(direct.port)/in")
        let bad = try Run.ship([], input: Generator.stanza("g", dir: dir, outputs: [#"{"plugin":"http","url":"http://h/in","proxy_url":"socks5://p:1080"}"#])
                                   + Generator.events(["{}"], name: "g"))
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("proxy_url = socks5://p:1080: expected an http or https proxy URL"), "\(bad.stderr)")
    }

    @Test func opensearchIndexesEachEventAsItsDocument() throws {
        let server = TestHTTPServer { req, _ in
            let n = (String(decoding: req.body, as: UTF8.self).split(separator: "\n").count) / 2
            return .respond(200, bulkResponse(Array(repeating: 201, count: n)))
        }
        defer { server.stop() }
        let dir = Run.tempDir()
        let input = Generator.stanza("g", dir: dir, outputs: [
            #"{"plugin":"opensearch","hosts":["http://127.0.0.1:\#(server.port)"],"username":"admin","password":"${secrets.os_pw}","index":"app-%logs","verify":true}"#,
        ]) + Generator.events(Self.raws, name: "g")
        let o = try ToolProcess.run(ToolProcess.binary("eg-ship"), [], input: Data(input.utf8), environment: ["EG_SECRET_OS_PW": "os-Secret-4"])
        let stderr = String(decoding: o.stderr, as: UTF8.self)
        #expect(o.status == 0, "\(stderr)")
        let reqs = server.requests
        #expect(reqs.count == 1)
        let expected = Self.laid.map { "{\"index\":{\"_index\":\"app-%logs\"}}\n\($0)\n" }.joined()
        #expect(reqs.first?.bodyText == expected)
        #expect(reqs.first?.path == "/_bulk")
        #expect(reqs.first?.headers["authorization"] == "Basic " + Data("admin:os-Secret-4".utf8).base64EncodedString())
        #expect(stderr.contains("events=5 "))
        #expect(!stderr.contains("os-Secret-4"))
    }

    @Test func tcpFramesByDelimiterOrOctetCountingAndUdpSendsADatagramPerEvent() throws {
        let delimited = TestTCPReceiver()
        let counted = TestTCPReceiver()
        defer { delimited.stop(); counted.stop() }
        let (udp, udpPort) = Run.loopbackSocket(udp: true)
        defer { close(udp) }
        let dir = Run.tempDir()
        let input = Generator.stanza("g", dir: dir, outputs: [
            #"{"plugin":"tcp","host":"127.0.0.1","port":\#(delimited.port),"separator":"\r\n","formatter":{"format":"json"}}"#,
            #"{"plugin":"tcp","host":"127.0.0.1","port":\#(counted.port),"framing":"octet_counting"}"#,
            #"{"plugin":"udp","host":"127.0.0.1","port":\#(udpPort),"formatter":{"format":"template","template":"<14>{{ event }}"}}"#,
        ]) + Generator.events(Self.raws, name: "g")
        let r = try Run.ship([], input: input)
        #expect(r.status == 0, "\(r.stderr)")
        delimited.waitUntilIdle()
        counted.waitUntilIdle()
        #expect(String(decoding: delimited.connections.joined(), as: UTF8.self) == Self.laid.map { $0 + "\r\n" }.joined())
        #expect(String(decoding: counted.connections.joined(), as: UTF8.self) == Self.raws.map { "\($0.utf8.count) \($0)" }.joined())
        var got: [String] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = recv(udp, &buf, buf.count, Int32(MSG_DONTWAIT))
            if n <= 0 { break }
            got.append(String(decoding: buf[0..<n], as: UTF8.self))
        }
        #expect(got == Self.raws.map { "<14>\($0)\n" })
        #expect(r.stderr.contains("tcpout:127.0.0.1:\(counted.port) events=5 "))
        #expect(r.stderr.contains("udpout:127.0.0.1:\(udpPort) events=5 "))
    }

    @Test func kafkaProducesEachFormattedEventWithTheGeneratorsKey() throws {
        let cluster = try KafkaMockCluster()
        try cluster.createTopic("gen", partitions: 2)
        let dir = Run.tempDir()
        let input = Generator.stanza("g", dir: dir, outputs: [
            #"{"plugin":"kafka","bootstrap_servers":["\#(cluster.bootstraps)"],"topic":"gen","key":"$fixed","acks":-1,"compression_type":"gzip","linger_ms":5,"client_id":"eg-test","enable_idempotence":true}"#,
        ]) + Generator.events(Self.raws, name: "g")
        let r = try Run.ship([], input: input)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("kafka:\(cluster.bootstraps)/gen events=5 "), "\(r.stderr)")
        let got = try cluster.consume("gen", partitions: 2, count: 5)
        #expect(got.sorted { $0.offset < $1.offset }.map(\.value) == Self.laid)
        #expect(got.allSatisfy { $0.key == "$fixed" && $0.headers.isEmpty })
        #expect(Set(got.map(\.partition)).count == 1)
    }

    @Test(.enabled(if: ClickHouseServer.binary != nil || ClickHouseServer.required, "clickhouse-server is not installed"))
    func clickhouseInsertsEachEventAsARow() throws {
        let ch = try ClickHouseServer()
        defer { ch.stop() }
        try ch.query("CREATE DATABASE gen")
        try ch.query("CREATE TABLE gen.ev (n UInt32, host String) ENGINE = MergeTree ORDER BY n")
        let dir = Run.tempDir()
        let n = 20_000
        let raws = (0..<n).map { "{\"n\":\($0),\"host\":\"web-\($0 % 3)\"}" }
        let input = Generator.stanza("g", dir: dir, outputs: [
            #"{"plugin":"clickhouse","host":"127.0.0.1","port":\#(ch.httpPort),"database":"gen","table":"ev","username":"eg","password":"s3cret-ch"}"#,
            #"{"plugin":"file","path":"\#(dir)/copy.log"}"#,
        ]) + Generator.events(raws, name: "g")
        let r = try Run.ship([], input: input)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try ch.query("SELECT count(), sum(n), uniqExact(host) FROM gen.ev") == "\(n)\t\(n * (n - 1) / 2)\t3\n")
        #expect(try String(contentsOfFile: dir + "/copy.log", encoding: .utf8).split(separator: "\n").count == n)
        #expect(!r.stderr.contains("s3cret-ch"))
        // A DSN names the server too; a native-protocol DSN is refused.
        let dsn = try Run.ship([], input: Generator.stanza("g", dir: dir, outputs: [
            #"{"plugin":"clickhouse","dsn":"clickhouse+http://eg:s3cret-ch@127.0.0.1:\#(ch.httpPort)/gen","table":"ev"}"#,
        ]) + Generator.events(raws.prefix(10).map { $0 }, name: "g"))
        #expect(dsn.status == 0, "\(dsn.stderr)")
        #expect(try ch.query("SELECT count() FROM gen.ev") == "\(n + 10)\n")
        let native = try Run.ship([], input: Generator.stanza("g", dir: dir, outputs: [
            #"{"plugin":"clickhouse","dsn":"clickhouse+native://eg:pw@127.0.0.1:9000/gen","table":"ev"}"#]) + Generator.events(["{}"], name: "g"))
        #expect(native.status == 2)
        #expect(native.stderr.contains("not the native protocol"))
    }
}
