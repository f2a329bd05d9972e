import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import Core
@testable import eg_ship

/// A problem setting up the TLS test server.
struct TLSTestError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// A real HTTPS server on a free loopback port: python3's http.server wrapped in ssl with a
/// self-signed certificate made by `openssl req` for this test. It answers every request like
/// Splunk HEC (`{"text":"Success","code":0}`; `_bulk` like Elasticsearch) and records each one (method, path, Authorization,
/// body) as a JSON line in a file. With `clientCA`, it requires a client certificate signed by it.
final class TLSServer {
    /// A program on PATH, if installed.
    static func tool(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") + ["/usr/bin", "/usr/local/bin"] {
            let p = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }
    static let openssl = tool("openssl")
    static let python = tool("python3")
    /// In CI missing openssl or python3 fails the tests instead of skipping them.
    static let required = ProcessInfo.processInfo.environment["CI"] == "true"
    static let runnable = required || (openssl != nil && python != nil)

    static let script = """
    import http.server, json, os, ssl, sys
    cert, key, log, portfile = sys.argv[1:5]
    client_ca = sys.argv[5] if len(sys.argv) > 5 else None
    class H(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        def do_POST(self):
            n = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(n).decode("utf-8")
            with open(log, "a") as f:
                f.write(json.dumps({"method": self.command, "path": self.path,
                                    "authorization": self.headers.get("Authorization") or "", "body": body}) + "\\n")
            out = b'{"took":1,"errors":false}' if self.path.endswith("_bulk") else b'{"text":"Success","code":0}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(out)))
            self.end_headers()
            self.wfile.write(out)
        do_GET = do_POST
        def log_message(self, *args):
            pass
    class S(http.server.ThreadingHTTPServer):
        daemon_threads = True
        def handle_error(self, request, address):
            pass
    s = S(("127.0.0.1", 0), H)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    if client_ca:
        ctx.load_verify_locations(client_ca)
        ctx.verify_mode = ssl.CERT_REQUIRED
    s.socket = ctx.wrap_socket(s.socket, server_side=True)
    with open(portfile + ".tmp", "w") as f:
        f.write(str(s.server_address[1]))
    os.rename(portfile + ".tmp", portfile)
    s.serve_forever()
    """

    let dir: String
    let port: Int
    private let process = Process()

    /// A self-signed certificate and key for `name` in `dir` (`<file>.crt`, `<file>.key`).
    static func makeCertificate(_ file: String, name: String) throws {
        guard let openssl = TLSServer.openssl else { throw TLSTestError("openssl is not installed (apt-get install -y openssl)") }
        let gen = Process()
        gen.executableURL = URL(fileURLWithPath: openssl)
        gen.arguments = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=\(name)", "-days", "1",
                         "-keyout", file + ".key", "-out", file + ".crt"]
        gen.standardOutput = FileHandle.nullDevice
        gen.standardError = FileHandle.nullDevice
        try gen.run()
        gen.waitUntilExit()
        guard gen.terminationStatus == 0 else { throw TLSTestError("openssl req failed with status \(gen.terminationStatus)") }
    }

    init(clientCA: String? = nil) throws {
        guard let openssl = TLSServer.openssl else { throw TLSTestError("openssl is not installed (apt-get install -y openssl)") }
        guard let python = TLSServer.python else { throw TLSTestError("python3 is not installed (apt-get install -y python3)") }
        dir = Run.tempDir()
        let gen = Process()
        gen.executableURL = URL(fileURLWithPath: openssl)
        gen.arguments = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-days", "1",
                         "-keyout", "\(dir)/k", "-out", "\(dir)/c"]
        gen.standardOutput = FileHandle.nullDevice
        gen.standardError = FileHandle.nullDevice
        try gen.run()
        gen.waitUntilExit()
        guard gen.terminationStatus == 0 else { throw TLSTestError("openssl req failed with status \(gen.terminationStatus)") }
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", TLSServer.script, "\(dir)/c", "\(dir)/k", "\(dir)/requests", "\(dir)/port"] + (clientCA.map { [$0] } ?? [])
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        for _ in 0..<400 {
            if let text = try? String(contentsOfFile: "\(dir)/port", encoding: .utf8), let p = Int(text) {
                port = p
                return
            }
            if !process.isRunning { break }
            usleep(25_000)
        }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        throw TLSTestError("the python3 HTTPS server did not start")
    }

    /// The recorded requests, in arrival order.
    func requests() throws -> [JSONValue] {
        guard let text = try? String(contentsOfFile: "\(dir)/requests", encoding: .utf8) else { return [] }
        return try text.split(separator: "\n").map { try JSONParser.parse(String($0)) }
    }

    /// Kills the server: SIGKILL, because the test runner's blocked signal mask is inherited
    /// and would hold back SIGTERM.
    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: dir)
    }
}

@Suite(.serialized) struct ShipTLSTests {
    func hecInput(port: Int, events n: Int) -> (input: String, raws: [String]) {
        let servers = "{\"servers\":[{\"protocol\":\"https\",\"address\":\"127.0.0.1\",\"port\":\"\(port)\",\"key\":\"tls-key-1\"}]}"
        var input = Stream.stanza("tls.log", ["outputMode": "httpevent", "httpeventServers": servers,
                                              "index": "main", "host": "gen-1", "sourcetype": "tls"])
        var raws: [String] = []
        for k in 0..<n {
            let raw = "2023-11-14 22:13:20 tls event \(k) \"quoted\""
            raws.append(raw)
            input += Stream.event(raw, time: "1700000000.\(100 + k)", sample: "tls.log")
        }
        return (input, raws)
    }

    @Test(.enabled(if: TLSServer.runnable))
    func selfSignedCertificateIsRefusedWithoutInsecure() throws {
        let server = try TLSServer()
        defer { server.stop() }
        let (input, _) = hecInput(port: server.port, events: 5)
        let deadLetter = server.dir + "/dead.ndjson"
        let r = try Run.ship(["--retries", "1", "--retry-delay", "0.01", "--dead-letter", deadLetter], input: input)
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains("eg-ship: httpevent:https://127.0.0.1:\(server.port): 5 events (first from stdin:2) not delivered: https://127.0.0.1:\(server.port): TLS certificate verification failed ("),
                "\(r.stderr)")
        #expect(r.stderr.contains("); use --insecure to skip"), "\(r.stderr)")
        #expect(!r.stderr.contains("Fatal error"))
        let dead = try Stream.deadLetter(deadLetter)
        #expect(dead.events.split(separator: "\n").count == 5)
        #expect(dead.stanzas.count == 1)
        #expect(try server.requests().isEmpty)
    }

    @Test(.enabled(if: TLSServer.runnable))
    func insecureDeliversEveryEventOverKeepAlive() throws {
        let server = try TLSServer()
        defer { server.stop() }
        let (input, raws) = hecInput(port: server.port, events: 40)
        let r = try Run.ship(["--insecure", "--batch-size", "10", "--flush-interval", "60"], input: input)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!r.stderr.contains("not delivered"), "\(r.stderr)")
        let requests = try server.requests()
        #expect(requests.count == 4)
        var received: [String] = []
        for q in requests {
            #expect(q["method"]?.stringValue == "POST")
            #expect(q["path"]?.stringValue == "/services/collector")
            #expect(q["authorization"]?.stringValue == "Splunk tls-key-1")
            let body = Array((q["body"]?.stringValue ?? "").utf8)
            for o in try splitObjects(body) {
                #expect(o["host"]?.stringValue == "gen-1")
                #expect(o["sourcetype"]?.stringValue == "tls")
                #expect(o["index"]?.stringValue == "main")
                received.append(o["event"]?.stringValue ?? "")
            }
        }
        #expect(received == raws)
    }

    @Test(.enabled(if: TLSServer.runnable))
    func insecureWorksForElasticsearchToo() throws {
        let server = try TLSServer()
        defer { server.stop() }
        var input = Stream.stanza("es.log", ["outputMode": "elasticsearch",
                                             "elasticsearchUrl": "https://127.0.0.1:\(server.port)"])
        for k in 0..<3 { input += Stream.event("es event \(k)", sample: "es.log") }
        let r = try Run.ship(["--insecure"], input: input)
        #expect(r.status == 0, "\(r.stderr)")
        let requests = try server.requests()
        #expect(requests.count == 1)
        #expect(requests.first?["path"]?.stringValue?.hasSuffix("_bulk") == true)
        #expect(requests.first?["body"]?.stringValue?.contains("es event 2") == true)
    }
    /// ClickHouse and the generic http output verify https like the others: refused without
    /// --insecure (nothing sent, every event dead-lettered), delivered with it.
    @Test(.enabled(if: TLSServer.runnable), arguments: ["clickhouse", "http"])
    func clickhouseAndHttpVerifyHttpsByDefault(_ mode: String) throws {
        let server = try TLSServer()
        defer { server.stop() }
        let url = "https://127.0.0.1:\(server.port)" + (mode == "http" ? "/in" : "")
        var input = Stream.stanza("t.log", mode == "http" ? ["outputMode": "http", "httpUrl": url]
                                                         : ["outputMode": "clickhouse", "clickhouseUrl": url, "clickhouseTable": "t"])
        for k in 0..<4 { input += Stream.event("{\"k\":\(k)}", sample: "t.log") }
        let dead = server.dir + "/dead.ndjson"
        let refused = try Run.ship(["--retries", "1", "--retry-delay", "0.01", "--dead-letter", dead], input: input)
        #expect(refused.status == 1, "\(refused.stderr)")
        #expect(refused.stderr.contains("4 events (first from stdin:2) not delivered: https://127.0.0.1:\(server.port): TLS certificate verification failed ("),
                "\(refused.stderr)")
        #expect(try Stream.deadLetter(dead).events.split(separator: "\n").count == 4)
        #expect(try server.requests().isEmpty)
        let r = try Run.ship(["--insecure"], input: input)
        #expect(r.status == 0, "\(r.stderr)")
        let requests = try server.requests()
        #expect(requests.count == 1)
        let body = requests.first?["body"]?.stringValue
        #expect(body == (mode == "http" ? "[{\"k\":0},{\"k\":1},{\"k\":2},{\"k\":3}]" : "{\"k\":0}\n{\"k\":1}\n{\"k\":2}\n{\"k\":3}\n"))
        if mode == "clickhouse" {
            #expect(requests.first?["path"]?.stringValue?.removingPercentEncoding == "/?query=INSERT INTO default.t FORMAT JSONEachRow")
        }
    }

    /// An Eventum output's client_cert and client_cert_key are presented to a server that requires
    /// them; without them the handshake fails and the events are dead-lettered; a missing file is
    /// reported as such, not retried.
    @Test(.enabled(if: TLSServer.runnable), arguments: ["opensearch", "http", "clickhouse"])
    func clientCertificatesArePresented(_ plugin: String) throws {
        let certs = Run.tempDir()
        try TLSServer.makeCertificate(certs + "/client", name: "eg-client")
        let server = try TLSServer(clientCA: certs + "/client.crt")
        defer { server.stop() }
        func output(_ tls: String) -> String {
            switch plugin {
            case "opensearch":
                return #"{"plugin":"opensearch","hosts":["https://127.0.0.1:\#(server.port)"],"username":"u","password":"pw-os-2","index":"i","verify":false\#(tls)}"#
            case "http":
                return #"{"plugin":"http","url":"https://127.0.0.1:\#(server.port)/in","success_code":200,"verify":false\#(tls)}"#
            default:
                return #"{"plugin":"clickhouse","host":"127.0.0.1","port":\#(server.port),"protocol":"https","table":"t","verify":false\#(tls)}"#
            }
        }
        let events = Generator.events(["{\"k\":1}", "{\"k\":2}"], name: "g")
        let with = #","client_cert":"\#(certs)/client.crt","client_cert_key":"\#(certs)/client.key""#
        let r = try Run.ship([], input: Generator.stanza("g", dir: certs, outputs: [output(with)]) + events)
        #expect(r.status == 0, "\(plugin): \(r.stderr)")
        #expect(try server.requests().count == 1)
        let dead = certs + "/dead.ndjson"
        let without = try Run.ship(["--retries", "1", "--retry-delay", "0.01", "--dead-letter", dead],
                                   input: Generator.stanza("g", dir: certs, outputs: [output("")]) + events)
        #expect(without.status == 1, "\(plugin): \(without.stderr)")
        #expect(without.stderr.contains("2 events (first from stdin:2) not delivered: https://127.0.0.1:\(server.port): "), "\(without.stderr)")
        #expect(try Stream.deadLetter(dead).events.split(separator: "\n").count == 2)
        #expect(try server.requests().count == 1)
        let missing = #","client_cert":"no-such.crt","client_cert_key":"no-such.key""#
        let bad = try Run.ship(["--retries", "3", "--retry-delay", "0.01"], input: Generator.stanza("g", dir: certs, outputs: [output(missing)]) + events)
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("the client certificate cannot be used (") && bad.stderr.contains("retries=0 failed=2"), "\(bad.stderr)")
        let half = try Run.ship([], input: Generator.stanza("g", dir: certs, outputs: [output(#","client_cert":"c.crt""#)]) + events)
        #expect(half.status == 2)
        #expect(half.stderr.contains("client_cert and client_cert_key go together"), "\(half.stderr)")
    }
}
