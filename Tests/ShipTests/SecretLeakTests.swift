import EgTestSupport
import Foundation
import Testing

/// Failing runs of every tool and of every output, with secrets configured every way eg takes
/// them (literal settings, `${secrets.NAME}` from `--secrets FILE` and from `EG_SECRET_NAME`,
/// URL user info, command-line options): nothing any of them prints holds a secret.
@Suite(.serialized) struct ShipSecretLeakTests {
    static let secrets = [
        "hec-tok-7Qx91", "es-pw-Zr83k", "urlpw-K2m", "apikey-M4n7", "redis-pw-Q5", "splunk-pw-W9",
        "storm-tok-P1", "hec-literal-T3", "filepw-L8", "envonly-V6",
    ]

    final class Printed: @unchecked Sendable {
        var texts: [(String, String)] = []
        func add(_ label: String, _ o: ToolProcess.Output) {
            texts.append((label, String(decoding: o.stdout, as: UTF8.self) + String(decoding: o.stderr, as: UTF8.self)))
        }
        /// Every (run, secret) pair where the run printed the secret.
        var leaks: [String] {
            texts.flatMap { label, text in ShipSecretLeakTests.secrets.filter { text.contains($0) }.map { "\(label): \($0)" } }
        }
    }

    let dir = Run.tempDir()
    var secretsFile: String { dir + "/secrets" }
    let env = ["EG_SECRET_HEC_TOKEN": "hec-tok-7Qx91", "EG_SECRET_ENV_ONLY": "envonly-V6"]

    init() throws {
        try "# test secrets\nes_password = es-pw-Zr83k\nfile_pw: 'filepw-L8'\n".write(toFile: secretsFile, atomically: true, encoding: .utf8)
        chmod(secretsFile, 0o600)
    }

    func run(_ tool: String, _ args: [String], input: String = "") throws -> ToolProcess.Output {
        try ToolProcess.run(ToolProcess.binary(tool), ["--secrets", secretsFile] + args, input: Data(input.utf8), environment: env)
    }

    @Test func noToolPrintsASecretInFailingRuns() throws {
        let printed = Printed()
        let hec403 = TestHTTPServer { _, _ in .respond(403, "{\"text\":\"Invalid token\",\"code\":4}") }
        let es401 = TestHTTPServer { _, _ in .respond(401, "{\"error\":\"unauthorized\",\"status\":401}") }
        defer { hec403.stop(); es401.stop() }
        let dead = Run.freePort()
        let events = Stream.event("a", sample: "s.log") + Stream.event("b", sample: "s.log")
        func ship(_ label: String, _ settings: [String: String], _ args: [String] = []) throws -> ToolProcess.Output {
            let o = try run("eg-ship", ["--retries", "1", "--retry-delay", "0", "--timeout", "2", "--stats", "--stats-interval", "0.05"] + args,
                            input: Stream.stanza("s.log", settings) + events)
            printed.add(label, o)
            return o
        }

        // eg-ship, every output that takes a secret, each failing.
        let hec = try ship("httpevent 403", ["outputMode": "httpevent",
            "httpeventServers": "{\"servers\":[{\"protocol\":\"http\",\"address\":\"127.0.0.1\",\"port\":\(hec403.port),\"key\":\"${secrets.hec_token}\"}]}"])
        #expect(hec.status == 1)
        #expect(hec403.requests.first?.headers["authorization"] == "Splunk hec-tok-7Qx91")   // the reference was resolved
        let malformed = try ship("httpevent malformed", ["outputMode": "httpevent",
            "httpeventServers": "{\"servers\":[{\"protocol\":\"http\",\"address\":\"127.0.0.1\",\"port\":\"x\",\"key\":\"hec-literal-T3\"}"])
        #expect(malformed.status == 2)
        #expect(String(decoding: malformed.stderr, as: UTF8.self).contains("httpeventServers: expected JSON"))
        #expect(String(decoding: malformed.stderr, as: UTF8.self).contains("\"key\":\"***\""))
        let es = try ship("elasticsearch 401", ["outputMode": "elasticsearch", "elasticsearchUrl": "http://elastic:urlpw-K2m@127.0.0.1:\(es401.port)"])
        #expect(es.status == 1)
        #expect(String(decoding: es.stderr, as: UTF8.self).contains("elastic:***@"))
        let esRef = try ship("elasticsearch password", ["outputMode": "elasticsearch", "elasticsearchUrl": "http://127.0.0.1:\(es401.port)",
            "elasticsearchUser": "elastic", "elasticsearchPassword": "${secrets.es_password}"])
        #expect(esRef.status == 1)
        let esKey = try ship("elasticsearch api key", [:], ["--es-url", "http://127.0.0.1:\(dead)", "--es-api-key", "apikey-M4n7"])
        #expect(esKey.status == 1)
        let badUrl = try ship("elasticsearch bad url", ["outputMode": "elasticsearch", "elasticsearchUrl": "ftp://u:urlpw-K2m@host"])
        #expect(badUrl.status == 2)
        #expect(try ship("redis", ["outputMode": "redis", "redisPort": "\(dead)", "redisPassword": "redis-pw-Q5"]).status == 1)
        #expect(try ship("redis ref", ["outputMode": "redis", "redisPort": "\(dead)", "redisPassword": "${secrets.file_pw}"]).status == 1)
        #expect(try ship("splunkstream", ["outputMode": "splunkstream", "splunkHost": "127.0.0.1", "splunkPort": "\(dead)",
                                          "splunkMethod": "http", "splunkUser": "admin", "splunkPass": "splunk-pw-W9"]).status == 1)
        #expect(try ship("stormstream", ["outputMode": "stormstream", "projectID": "p1", "accessToken": "storm-tok-P1",
                                         "stormstreamUrl": "http://127.0.0.1:\(dead)/1/inputs/http"]).status == 1)
        // Outputs without credentials, failing, with secret-bearing keys in their stanza.
        for (mode, extra) in [("syslogout", ["syslogDestinationPort": "\(dead)", "syslogProtocol": "tcp"]),
                              ("syslogout", ["syslogDestinationPort": "\(dead)", "syslogProtocol": "relp"]),
                              ("tcpout", ["tcpDestinationPort": "\(dead)"]), ("file", ["fileName": "/dev/full"]),
                              ("spool", ["spoolDir": "/dev/null/not-a-dir"])] {
            var settings = extra
            settings["outputMode"] = mode
            settings["password"] = "filepw-L8"
            settings["apiToken"] = "${secrets.env_only}"
            #expect(try ship(mode, settings).status == 1)
        }
        // A reference to a secret that is not set names what to set, and nothing else.
        let missing = try ship("missing secret", ["outputMode": "redis", "redisPassword": "${secrets.nope}"])
        #expect(missing.status == 2)
        #expect(String(decoding: missing.stderr, as: UTF8.self)
            .contains("[s.log] redisPassword = ${secrets.nope}: the secret 'nope' is not set: export EG_SECRET_NOPE or give it in --secrets FILE"))

        // eg-sample: --list (stdout) and a failing run of a conf that holds secrets.
        let samples = dir + "/samples"
        try FileManager.default.createDirectory(atPath: samples, withIntermediateDirectories: true)
        try "line one\n".write(toFile: samples + "/s.log", atomically: true, encoding: .utf8)
        let conf = dir + "/eventgen.conf"
        try """
        [s.log]
        sampleDir = \(samples)
        outputMode = elasticsearch
        elasticsearchUrl = https://elastic:urlpw-K2m@es.example.com:9200
        elasticsearchPassword = es-pw-Zr83k
        redisPassword = redis-pw-Q5
        httpeventServers = {"servers":[{"protocol":"https","address":"h","port":"8088","key":"hec-literal-T3"}]}
        splunkPass = splunk-pw-W9

        """.write(toFile: conf, atomically: true, encoding: .utf8)
        let list = try run("eg-sample", ["--list", conf])
        printed.add("eg-sample --list", list)
        let listText = String(decoding: list.stdout, as: UTF8.self)
        #expect(listText.contains("elasticsearchPassword = ***"))
        #expect(listText.contains("splunkPass = ***"))
        #expect(listText.contains("\"key\":\"***\""))
        try (String(contentsOfFile: conf, encoding: .utf8) + "generator = nope\n").write(toFile: conf + ".bad", atomically: true, encoding: .utf8)
        let badSample = try run("eg-sample", [conf + ".bad"])
        #expect(badSample.status == 2)
        printed.add("eg-sample failing", badSample)

        // eg-rate and eg-tokenize failing on a stream whose stanza record holds secrets.
        let stanza = Stream.stanza("s.log", ["elasticsearchPassword": "es-pw-Zr83k", "redisPassword": "redis-pw-Q5",
                                             "interval": "often", "token.0.token": "(x", "token.0.replacementType": "static",
                                             "token.0.replacement": "x"])
        let rate = try run("eg-rate", ["--stats"], input: stanza + Stream.event("a", time: nil, sample: "s.log"))
        #expect(rate.status == 2)
        printed.add("eg-rate", rate)
        let tokenize = try run("eg-tokenize", [], input: stanza + Stream.event("a", sample: "s.log"))
        #expect(tokenize.status == 2)
        printed.add("eg-tokenize", tokenize)

        #expect(printed.texts.count == 20)
        #expect(printed.leaks.isEmpty, "\(printed.leaks)")
    }
}
