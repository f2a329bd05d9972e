import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import Core
import EgTestSupport
@testable import eg_ship

/// A real `clickhouse-server` (Debian package clickhouse-server) on free loopback ports with its
/// own data directory, started for one test and killed by PID at its end. It is started through
/// `/bin/sh` in the background (not as a `Process` child of the test runner): Foundation's child
/// monitor blocks in `wait4` on a clickhouse-server child and then never sees eg-ship exit.
final class ClickHouseServer {
    static let binary: String? = ["/usr/bin/clickhouse-server", "/usr/sbin/clickhouse-server", "/usr/bin/clickhouse"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }
    /// In CI a missing clickhouse-server fails the tests instead of skipping them.
    static let required = ProcessInfo.processInfo.environment["CI"] == "true"

    let httpPort = Run.freePort()
    let dir = Run.tempDir()
    private var pid: Int32 = 0

    init() throws {
        guard let bin = ClickHouseServer.binary else {
            throw RedisTestError("clickhouse-server is not installed (apt-get install -y clickhouse-server)")
        }
        let tcpPort = Run.freePort()
        try """
        <?xml version="1.0"?>
        <yandex>
            <logger><level>warning</level><console>1</console></logger>
            <http_port>\(httpPort)</http_port>
            <tcp_port>\(tcpPort)</tcp_port>
            <listen_host>127.0.0.1</listen_host>
            <path>\(dir)/data/</path>
            <tmp_path>\(dir)/tmp/</tmp_path>
            <users_config>\(dir)/users.xml</users_config>
            <default_profile>default</default_profile>
            <default_database>default</default_database>
            <mark_cache_size>5368709</mark_cache_size>
        </yandex>
        """.write(toFile: dir + "/config.xml", atomically: true, encoding: .utf8)
        try """
        <?xml version="1.0"?>
        <yandex>
            <profiles><default></default></profiles>
            <users>
                <default><password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default>
                <eg><password>s3cret-ch</password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></eg>
            </users>
            <quotas><default></default></quotas>
        </yandex>
        """.write(toFile: dir + "/users.xml", atomically: true, encoding: .utf8)
        let command = bin + (bin.hasSuffix("/clickhouse") ? " server" : "") + " --config-file=\(dir)/config.xml >/dev/null 2>&1 </dev/null & echo $!"
        let started = try ToolProcess.run(URL(fileURLWithPath: "/bin/sh"), ["-c", command])
        guard let p = Int32(String(decoding: started.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw RedisTestError("clickhouse-server did not start")
        }
        pid = p
        for _ in 0..<300 {
            if (try? query("SELECT 1")) == "1\n" { return }
            usleep(50_000)
        }
        stop()
        throw RedisTestError("clickhouse-server on port \(httpPort) did not answer")
    }

    /// Runs `sql` over the HTTP interface; the answer's body, or an error with it.
    @discardableResult
    func query(_ sql: String) throws -> String {
        let c = HTTPConnection(endpoint: HTTPEndpoint(scheme: "http", host: "127.0.0.1", port: httpPort), timeout: 10, shutdown: .never)
        defer { c.close() }
        let r = try c.send(HTTPRequest(method: "POST", path: "/", body: Array(sql.utf8)))
        guard r.isSuccess else { throw RedisTestError("ClickHouse: \(r.summary)") }
        return r.bodyText
    }

    func stop() {
        guard pid > 0 else { return }
        kill(pid, SIGKILL)
        pid = 0
    }

    deinit { stop() }
}

@Suite(.serialized, .enabled(if: ClickHouseServer.binary != nil || ClickHouseServer.required, "clickhouse-server is not installed"))
struct ShipClickHouseTests {
    @Test func insertsEveryRowAndRefusesAWrongTypeWithTheServersMessage() throws {
        let ch = try ClickHouseServer()
        defer { ch.stop() }
        try ch.query("CREATE TABLE web (ts DateTime, host String, msg String, bytes UInt32) ENGINE = MergeTree ORDER BY ts")
        let n = 100_000
        var input = Stream.stanza("web.log", ["outputMode": "clickhouse", "clickhouseUrl": "http://127.0.0.1:\(ch.httpPort)",
                                              "clickhouseTable": "web", "clickhouseUser": "eg", "clickhousePassword": "s3cret-ch"])
        for k in 0..<n {
            let raw = "{\"ts\":\(1_700_000_000 + k % 86_400),\"host\":\"web-\(k % 7)\",\"msg\":\"GET /p/\(k) \\\"q\\\"\",\"bytes\":\(k)}"
            input += Stream.event(raw, time: "\(1_700_000_000 + k % 86_400)", sample: "web.log")
        }
        let r = try Run.ship(["--gzip"], input: input)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("events=\(n) "), "\(r.stderr)")
        #expect(try ch.query("SELECT count(), sum(bytes), uniqExact(host) FROM web") == "\(n)\t\(n * (n - 1) / 2)\t7\n")
        let row = try ch.query("SELECT toUnixTimestamp(ts), host, msg FROM web WHERE bytes = 12345")
        #expect(row == "1700012345\tweb-4\tGET /p/12345 \"q\"\n", "\(row)")
        #expect(!r.stderr.contains("s3cret-ch"))

        // A batch with a value of the wrong type: the server's message, every event of it dead-lettered, none inserted.
        let dl = ch.dir + "/dead.ndjson"
        var bad = ""
        for k in 0..<10 {
            bad += Stream.event("{\"ts\":1700000000,\"host\":\"x\",\"msg\":\"m\",\"bytes\":\(k == 4 ? "\"lots\"" : "\(k)")}")
        }
        let refused = try Run.ship(["-o", "clickhouse", "--set", "clickhouseUrl=http://127.0.0.1:\(ch.httpPort)", "--set", "clickhouseTable=web",
                                    "--retry-delay", "0.01", "--dead-letter", dl], input: bad)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("10 events (first from stdin:1) not delivered: http://127.0.0.1:\(ch.httpPort): refused: HTTP 500: Code: 27"),
                "\(refused.stderr)")
        #expect(refused.stderr.contains("retries=0 failed=10"))
        #expect(try deadLetterEvents(dl) == bad)
        #expect(try ch.query("SELECT count() FROM web") == "\(n)\n")
    }

    @Test func recordFieldsBecomeTheRowOfAPlainEventAndAMissingTableIsReported() throws {
        let ch = try ClickHouseServer()
        defer { ch.stop() }
        try ch.query("CREATE TABLE raw (_raw String, _time Float64, host String) ENGINE = MergeTree ORDER BY _time")
        let input = Stream.event("plain text line 1", time: "1700000000.25", extra: [("host", "h1")])
            + Stream.event("line \"2\"", time: "1700000001", extra: [("host", "h2")])
        let r = try Run.ship(["-o", "clickhouse", "--set", "clickhouseUrl=http://127.0.0.1:\(ch.httpPort)", "--set", "clickhouseTable=raw"],
                             input: input)
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try ch.query("SELECT _raw, _time, host FROM raw ORDER BY _time")
        #expect(rows == "plain text line 1\t1700000000.25\th1\nline \"2\"\t1700000001\th2\n", "\(rows)")
        let missing = try Run.ship(["-o", "clickhouse", "--set", "clickhouseUrl=http://127.0.0.1:\(ch.httpPort)", "--set", "clickhouseTable=nope"],
                                   input: input)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("doesn't exist"), "\(missing.stderr)")
        #expect(missing.stderr.contains("retries=0 failed=2"))

        // Another input format: each event's _raw is its line.
        try ch.query("CREATE TABLE csv (n UInt32, host String, msg String) ENGINE = MergeTree ORDER BY n")
        let csv = (0..<50).map { Stream.event("\($0),web-\($0 % 2),\"hello, \"\"\($0)\"\"\"") }.joined()
        let c = try Run.ship(["--clickhouse-url", "http://127.0.0.1:\(ch.httpPort)", "--clickhouse-table", "csv", "--clickhouse-format", "CSV"],
                             input: csv)
        #expect(c.status == 0, "\(c.stderr)")
        #expect(try ch.query("SELECT count(), sum(n), uniqExact(host) FROM csv") == "50\t1225\t2\n")
        #expect(try ch.query("SELECT msg FROM csv WHERE n = 7") == "hello, \"7\"\n")
    }
}

/// The clickhouse output's requests, seen by a test HTTP server that answers like ClickHouse:
/// the INSERT statement, rows per INSERT bounded by rows and by bytes, gzip, the login headers.
@Suite struct ShipClickHouseRequestTests {
    /// A JSON `_raw` of a fixed length, numbered.
    static func row(_ k: Int, pad: Int = 20) -> String {
        "{\"n\":\"\(String(1000 + k).dropFirst())\",\"pad\":\"\(String(repeating: "x", count: pad))\"}"
    }

    /// The `n` of every row of a JSONEachRow body.
    static func numbers(_ body: [UInt8]) throws -> [Int] {
        try String(decoding: body, as: UTF8.self).split(separator: "\n").map { line in
            guard let n = try JSONParser.parse(String(line))["n"]?.stringValue, let k = Int(n) else { throw TLSTestError("no n in \(line)") }
            return k
        }
    }

    @Test func insertsAreBoundedByRowsAndByBytesAndCarryTheStatementAndLogin() throws {
        let server = TestHTTPServer { _, _ in .respond(200, "") }
        defer { server.stop() }
        let stanza = Stream.stanza("c", ["outputMode": "clickhouse", "clickhouseUrl": "http://127.0.0.1:\(server.port)",
                                         "clickhouseTable": "web", "clickhouseBatchSize": "7"])
        let input = stanza + (0..<30).map { Stream.event(Self.row($0), sample: "c") }.joined()
        let r = try Run.ship(["--batch-size", "30", "--clickhouse-database", "logs", "--clickhouse-user", "eg",
                              "--clickhouse-password", "ch-Secret-5"], input: input)
        #expect(r.status == 0, "\(r.stderr)")
        let reqs = server.requests
        #expect(try reqs.map { try Self.numbers($0.body) } == [Array(0..<7), Array(7..<14), Array(14..<21), Array(21..<28), [28, 29]])
        for q in reqs {
            #expect(q.method == "POST")
            #expect(q.path.removingPercentEncoding == "/?query=INSERT INTO logs.web FORMAT JSONEachRow", "\(q.path)")
            #expect(q.headers["x-clickhouse-user"] == "eg" && q.headers["x-clickhouse-key"] == "ch-Secret-5")
            #expect(q.headers["content-encoding"] == nil)
        }
        #expect(r.stderr.contains("events=30 bytes=\(reqs.reduce(0) { $0 + $1.body.count }) "), "\(r.stderr)")
        #expect(!r.stderr.contains("ch-Secret-5"))
    }

    @Test func bytesBoundTheInsertAndALargerRowGoesAloneGzipped() throws {
        let server = TestHTTPServer { _, _ in .respond(200, "") }
        defer { server.stop() }
        let rowBytes = Self.row(0).utf8.count + 1
        let input = (0..<10).map { Stream.event(Self.row($0, pad: $0 == 4 ? 400 : 20)) }.joined()
        let r = try Run.ship(["-o", "clickhouse", "--set", "clickhouseUrl=http://127.0.0.1:\(server.port)",
                              "--set", "clickhouseBatchBytes=\(3 * rowBytes + 5)", "--set", "clickhouseGzip=true", "--batch-size", "10"], input: input)
        #expect(r.status == 0, "\(r.stderr)")
        let reqs = server.requests
        #expect(reqs.allSatisfy { $0.headers["content-encoding"] == "gzip" })
        let bodies = reqs.map { Gzip.decompress($0.body) ?? [] }
        // Three rows fit; the fourth would pass the bound. Row 4 (larger than the bound) goes alone.
        #expect(try bodies.map(Self.numbers) == [[0, 1, 2], [3], [4], [5, 6, 7], [8, 9]])
        #expect(bodies.allSatisfy { $0.count <= 3 * rowBytes + 5 || $0.count > 400 })
        #expect(r.stderr.contains("events=10 bytes=\(bodies.reduce(0) { $0 + $1.count }) "), "\(r.stderr)")
    }
    /// A 5xx whose exception is not a refusal of the data (too many queries) is tried again; a
    /// refusal (a parse error) is given up at once with the server's text.
    @Test func aBusyServerIsRetriedAndARefusalIsNot() throws {
        let server = TestHTTPServer { req, n in
            if req.bodyText.contains("\"n\":\"099\"") {
                return .respond(500, "Code: 117. DB::Exception: Unknown field found while parsing JSONEachRow format: pad2. (INCORRECT_DATA)")
            }
            return n == 1 ? .respond(503, "Code: 202. DB::Exception: Too many simultaneous queries. (TOO_MANY_SIMULTANEOUS_QUERIES)") : .respond(200, "")
        }
        defer { server.stop() }
        let dl = Run.tempDir() + "/dead.ndjson"
        let busy = (0..<5).map { Stream.event(Self.row($0)) }.joined()
        let r = try Run.ship(["-o", "clickhouse", "--set", "clickhouseUrl=http://127.0.0.1:\(server.port)", "--retry-delay", "0.01",
                              "--dead-letter", dl], input: busy)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("events=5 ") && r.stderr.contains("retries=1 failed=0"), "\(r.stderr)")
        #expect(try server.requests.map { try Self.numbers($0.body) } == [Array(0..<5), Array(0..<5)])
        let refused = Stream.event(Self.row(99))
        let f = try Run.ship(["-o", "clickhouse", "--set", "clickhouseUrl=http://127.0.0.1:\(server.port)", "--retry-delay", "0.01",
                              "--dead-letter", dl], input: refused)
        #expect(f.status == 1)
        #expect(f.stderr.contains("not delivered: http://127.0.0.1:\(server.port): refused: HTTP 500: Code: 117. DB::Exception: Unknown field found"),
                "\(f.stderr)")
        #expect(f.stderr.contains("retries=0 failed=1"), "\(f.stderr)")
        #expect(try deadLetterEvents(dl) == refused)
    }
}
