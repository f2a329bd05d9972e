import Core
import Testing
@testable import eg_ship

/// How an Eventum output's keys become eg-ship's output keys and tweaks, key by key, for the
/// kafka, clickhouse and http plugins (what the end-to-end tests do not reach: TLS, SASL and the
/// librdkafka properties).
@Suite struct EventumOutputMappingTests {
    static func plan(_ json: String) throws -> EventumOutputPlan {
        try EventumOutputPlan(try JSONParser.parse(json), dir: "/gen")
    }

    static func settings(_ p: EventumOutputPlan) -> [String] { p.settings.map { "\($0.0)=\($0.1)" } }

    @Test func kafkaSecurityAndProducerKeys() throws {
        let p = try Self.plan(#"""
            {"plugin":"kafka","bootstrap_servers":["a:9092","b:9092"],"topic":"t","key":"k1","acks":-1,"compression_type":"zstd",
             "security_protocol":"SASL_SSL","sasl_mechanism":"SCRAM-SHA-256","sasl_plain_username":"u","sasl_plain_password":"pw-123456",
             "ssl_cafile":"ca.pem","ssl_certfile":"/abs/c.pem","ssl_keyfile":"k.pem","request_timeout_ms":5000,"max_batch_size":16384,
             "retry_backoff_ms":50,"metadata_max_age_ms":1000,"connections_max_idle_ms":0,"max_request_size":2000000,
             "enable_idempotence":false,"sasl_kerberos_service_name":"kafka","linger_ms":0,"client_id":"gen"}
            """#)
        #expect(p.mode == "kafka")
        #expect(Self.settings(p) == [
            "kafkaBrokers=a:9092,b:9092", "kafkaTopic=t", "kafkaKey=k1", "kafkaAcks=all", "kafkaCompression=zstd", "kafkaLingerMs=0",
            "kafkaClientId=gen", "kafkaSecurityProtocol=sasl_ssl", "kafkaSaslMechanism=SCRAM-SHA-256", "kafkaSaslUsername=u",
            "kafkaSaslPassword=pw-123456", "kafkaSslCaLocation=/gen/ca.pem", "kafkaSslCertificateLocation=/abs/c.pem",
            "kafkaSslKeyLocation=/gen/k.pem",
            "kafkaConfig=metadata.max.age.ms=1000,request.timeout.ms=5000,connections.max.idle.ms=0,batch.size=16384,message.max.bytes=2000000,retry.backoff.ms=50,enable.idempotence=false,sasl.kerberos.service.name=kafka",
            "kafkaFormat=raw",
        ])
        // Eventum's defaults: acks 1, no key; a key starting with $ is a constant.
        let d = try Self.plan(#"{"plugin":"kafka","bootstrap_servers":"h:1","topic":"t","key":"$x"}"#)
        #expect(Self.settings(d) == ["kafkaBrokers=h:1", "kafkaTopic=t", "kafkaKey=$$x", "kafkaAcks=1", "kafkaFormat=raw"])
        #expect(d.tweaks.verbatim)
        for (json, message) in [
            (#"{"plugin":"kafka","bootstrap_servers":["h:1"],"topic":"t","acks":2}"#, "acks = 2: expected 0, 1 or -1"),
            (#"{"plugin":"kafka","bootstrap_servers":["h:1"],"topic":"t","sasl_mechanism":"GSSAPI"}"#, "sasl_mechanism = GSSAPI: expected PLAIN, SCRAM-SHA-256, SCRAM-SHA-512"),
            (#"{"plugin":"kafka","bootstrap_servers":["h:1"],"topic":"t","transactional_id":"x"}"#, "transactional_id is not supported"),
            (#"{"plugin":"kafka","bootstrap_servers":["h:1"],"topic":"t","linger_ms":-5}"#, "linger_ms = -5: expected a whole number from 0 to 900000"),
        ] {
            #expect(throws: EgError.self) { try Self.plan(json) }
            do { _ = try Self.plan(json) } catch { #expect("\(error)".contains(message), "\(error)") }
        }
    }

    @Test func clickhouseConnectionFormatAndTLSKeys() throws {
        let p = try Self.plan(#"""
            {"plugin":"clickhouse","host":"ch.example","protocol":"https","port":8443,"database":"logs","table":"web","username":"eg",
             "password":"pw-abcdef","input_format":"CSV","verify":false,"ca_cert":"ca.pem","request_timeout":7,"connect_timeout":3,
             "pool_maxsize":4,"client_name":"x","formatter":{"format":"plain"}}
            """#)
        #expect(p.mode == "clickhouse")
        #expect(Self.settings(p) == ["clickhouseUrl=https://ch.example:8443", "clickhouseDatabase=logs", "clickhouseTable=web",
                                     "clickhouseUser=eg", "clickhousePassword=pw-abcdef", "clickhouseFormat=CSV"])
        #expect(p.tweaks.insecure && p.tweaks.caFile == "/gen/ca.pem" && p.tweaks.timeout == 7)
        // Eventum's defaults: http, port 8123, database default, user default, JSONEachRow; verified.
        let d = try Self.plan(#"{"plugin":"clickhouse","host":"::1","table":"t"}"#)
        #expect(Self.settings(d) == ["clickhouseUrl=http://[::1]:8123", "clickhouseDatabase=default", "clickhouseTable=t",
                                     "clickhouseUser=default", "clickhouseFormat=JSONEachRow"])
        #expect(!d.tweaks.insecure && d.tweaks.caFile == nil)
        #expect(d.tweaks.insertFraming == InsertFraming(header: [], separator: [0x0A], footer: []))
        let f = try Self.plan(#"{"plugin":"clickhouse","host":"h","table":"t","header":"[","separator":",","footer":"]"}"#)
        #expect(f.tweaks.insertFraming == InsertFraming(header: [0x5B], separator: [0x2C], footer: [0x5D]))
        for (json, message) in [
            (#"{"plugin":"clickhouse","table":"t"}"#, "output clickhouse needs 'host' (or 'dsn')"),
            (#"{"plugin":"clickhouse","host":"h","table":"t","tls_mode":"strict"}"#, "tls_mode is not supported"),
            (#"{"plugin":"clickhouse","host":"h","table":"t","formatter":{"format":"json-batch"}}"#, "formatter"),
        ] {
            do { _ = try Self.plan(json); Issue.record("\(json) was accepted") } catch { #expect("\(error)".contains(message), "\(error)") }
        }
    }

    @Test func httpMethodSuccessCodeAndTLSKeys() throws {
        let p = try Self.plan(#"""
            {"plugin":"http","url":"https://h/in","method":"PATCH","verify":false,"ca_cert":"/etc/ca.pem","request_timeout":3,
             "connect_timeout":2,"concurrency":8,"success_code":202,"headers":{"X-A":"1"}}
            """#)
        #expect(p.mode == "http")
        #expect(Self.settings(p) == ["httpUrl=https://h/in", "httpMethod=PATCH", "httpSuccessCode=202",
                                     #"httpHeaders={"X-A":"1","Content-Type":"application/json"}"#, "httpFormat=raw"])
        #expect(p.tweaks.insecure && p.tweaks.caFile == "/etc/ca.pem" && p.tweaks.timeout == 3)
        let d = try Self.plan(#"{"plugin":"http","url":"http://h/in","formatter":{"format":"plain"}}"#)
        #expect(Self.settings(d) == ["httpUrl=http://h/in", "httpMethod=POST", "httpSuccessCode=201",
                                     #"httpHeaders={"Content-Type":"text/plain"}"#, "httpFormat=raw"])
        #expect(!d.tweaks.insecure && d.tweaks.verbatim)
    }

    @Test func opensearchHostsBecomeTheNodesOfOneOutput() throws {
        let p = try Self.plan(#"""
            {"plugin":"opensearch","hosts":["https://a:9200","https://b:9201/os"],"username":"u","password":"pw-abcdef","index":"logs-%x",
             "verify":false,"request_timeout":9}
            """#)
        #expect(p.mode == "opensearch")
        #expect(Self.settings(p) == ["elasticsearchUrl=https://a:9200,https://b:9201/os", "elasticsearchUser=u",
                                     "elasticsearchPassword=pw-abcdef", "elasticsearchIndex=logs-%%x"])
        #expect(p.tweaks.insecure && p.tweaks.timeout == 9 && !p.tweaks.verbatim)
        do { _ = try Self.plan(#"{"plugin":"opensearch","hosts":[],"username":"u","password":"p","index":"i"}"#); Issue.record("accepted") } catch {
            #expect("\(error)".contains("hosts"), "\(error)")
        }
    }
}
