import CRdKafka
import Core
import Foundation
import Testing
@testable import eg_ship

/// The kafka output against librdkafka's mock cluster (the Kafka protocol on a loopback port):
/// what arrives (keys, values, headers, order per partition), retries, refusals, a broker that is
/// down, the shutdown bound, and configuration errors.
@Suite(.serialized) struct ShipKafkaTests {
    static let hosts = ["web-1", "web-2", "db-1", "cache-1", "lb-1"]

    /// `count` events numbered `ev-0000 ...` whose host cycles through `hosts`.
    static func events(_ count: Int, sample: String = "k.log") -> String {
        (0..<count).map { k in
            Stream.event("ev-\(String(1000 + k).dropFirst()) payload \(k)", sample: sample,
                         extra: [("host", hosts[k % hosts.count])])
        }.joined()
    }

    static func stanza(_ cluster: KafkaMockCluster, topic: String, _ extra: [String: String] = [:]) -> String {
        var s = ["outputMode": "kafka", "kafkaBrokers": cluster.bootstraps, "kafkaTopic": topic,
                 "index": "netops", "sourcetype": "web:access", "source": "/var/log/web.log"]
        for (k, v) in extra { s[k] = v }
        return Stream.stanza("k.log", s)
    }

    /// The number in `ev-NNNN ...`.
    static func number(_ value: String) -> Int? { Int(value.dropFirst(3).prefix { $0 != " " }) }

    @Test func everyEventArrivesWithItsKeyValueAndHeadersInOrderPerPartition() throws {
        let cluster = try KafkaMockCluster()
        try cluster.createTopic("web", partitions: 3)
        let n = 600
        let r = try Run.ship(["--batch-size", "100"], input: ShipKafkaTests.stanza(cluster, topic: "web", ["kafkaKey": "$host", "kafkaHeaders": "true"])
                                 + ShipKafkaTests.events(n))
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("kafka:\(cluster.bootstraps)/web events=\(n) "), "\(r.stderr)")
        #expect(r.stderr.contains(" failed=0"), "\(r.stderr)")
        let got = try cluster.consume("web", partitions: 3, count: n)
        #expect(got.count == n)
        #expect(Set(got.map(\.value)) == Set((0..<n).map { "ev-\(String(1000 + $0).dropFirst()) payload \($0)" }))
        var partitionOfKey: [String: Int32] = [:]
        var lastInPartition: [Int32: Int] = [:]
        for m in got.sorted(by: { ($0.partition, $0.offset) < ($1.partition, $1.offset) }) {
            let k = try #require(ShipKafkaTests.number(m.value))
            let host = ShipKafkaTests.hosts[k % ShipKafkaTests.hosts.count]
            #expect(m.key == host)
            #expect(m.headers == ["index": "netops", "host": host, "source": "/var/log/web.log", "sourcetype": "web:access"])
            // One key, one partition; within a partition the events keep their input order.
            #expect(partitionOfKey[host, default: m.partition] == m.partition)
            partitionOfKey[host] = m.partition
            #expect(k > lastInPartition[m.partition, default: -1])
            lastInPartition[m.partition] = k
        }
        // The five hosts spread over more than one partition.
        #expect(Set(partitionOfKey.values).count > 1)
    }

    @Test func jsonFormatSendsTheRecordAndAConstantKeyWithoutHeaders() throws {
        let cluster = try KafkaMockCluster()
        try cluster.createTopic("json", partitions: 1)
        let input = ShipKafkaTests.stanza(cluster, topic: "json", ["kafkaKey": "fixed", "kafkaFormat": "json"]) + ShipKafkaTests.events(3)
        let r = try Run.ship([], input: input)
        #expect(r.status == 0, "\(r.stderr)")
        let got = try cluster.consume("json", partitions: 1, count: 3)
        let records = input.split(separator: "\n").dropFirst().map(String.init)
        #expect(got.map(\.value) == records)
        #expect(got.allSatisfy { $0.key == "fixed" && $0.headers.isEmpty && $0.partition == 0 })
    }

    @Test func aKeyFromARecordFieldAMissingFieldAndAnEscapedDollar() throws {
        let cluster = try KafkaMockCluster()
        try cluster.createTopic("keys", partitions: 1)
        let users = ["alice", "bob"]
        let events = (0..<6).map { k in
            Stream.event("e\(k)", sample: "k.log", extra: k == 5 ? [] : [("user", users[k % 2])])
        }.joined()
        // `$user` is a string field of the record; an event without it has no key.
        let field = try Run.ship([], input: ShipKafkaTests.stanza(cluster, topic: "keys", ["kafkaKey": "$user"]) + events)
        #expect(field.status == 0, "\(field.stderr)")
        let got = try cluster.consume("keys", partitions: 1, count: 6)
        #expect(got.map(\.value) == (0..<6).map { "e\($0)" })
        #expect(got.map(\.key) == ["alice", "bob", "alice", "bob", "alice", nil])
        // `$$user` is the constant `$user`.
        try cluster.createTopic("dollar", partitions: 1)
        let dollar = try Run.ship([], input: ShipKafkaTests.stanza(cluster, topic: "dollar", ["kafkaKey": "$$user"]) + events)
        #expect(dollar.status == 0, "\(dollar.stderr)")
        #expect(try cluster.consume("dollar", partitions: 1, count: 6).map(\.key) == Array(repeating: "$user", count: 6))
    }

    /// The mock brokers speak plaintext only: a TLS or SASL client fails its handshake with them,
    /// which shows that the TLS and SASL keys reach librdkafka. The failure is reported once, every
    /// message is dead-lettered, and the SASL password is never printed.
    @Test(arguments: [("ssl", "state SSL_HANDSHAKE"), ("sasl_plaintext", "SASL authentication"), ("sasl_ssl", "state SSL_HANDSHAKE")])
    func tlsAndSaslKeysReachLibrdkafka(_ protocolAndSign: (String, String)) throws {
        let (proto, sign) = protocolAndSign
        let cluster = try KafkaMockCluster()
        try cluster.createTopic("sec", partitions: 1)
        let dead = Run.tempDir() + "/dead.ndjson"
        var settings = ["kafkaSecurityProtocol": proto]
        if proto.hasPrefix("sasl") {
            settings["kafkaSaslMechanism"] = "plain"
            settings["kafkaSaslUsername"] = "eg"
            settings["kafkaSaslPassword"] = "Kafka-Pw-77"
        }
        let r = try Run.ship(["--timeout", "1", "--dead-letter", dead],
                             input: ShipKafkaTests.stanza(cluster, topic: "sec", settings) + ShipKafkaTests.events(5))
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains("eg-ship: kafka:\(cluster.bootstraps)/sec: \(proto)://\(cluster.bootstraps)/bootstrap: "), "\(r.stderr)")
        #expect(r.stderr.contains(sign), "\(r.stderr)")
        if proto == "sasl_plaintext" { #expect(r.stderr.contains("mechanism PLAIN"), "\(r.stderr)") }
        #expect(r.stderr.contains("events=0 ") && r.stderr.contains("failed=5"), "\(r.stderr)")
        #expect(try Stream.deadLetter(dead).events == ShipKafkaTests.events(5))
        #expect(!r.stderr.contains("Kafka-Pw-77"))
        #expect(try cluster.consume("sec", partitions: 1, count: 0, timeout: 0.2).isEmpty)
    }

    @Test func kafkaFlagsChooseTheOutput() throws {
        let cluster = try KafkaMockCluster()
        try cluster.createTopic("flags", partitions: 1)
        let r = try Run.ship(["--kafka-brokers", cluster.bootstraps, "--kafka-topic", "flags", "--kafka-key", "$sample",
                              "--kafka-compression", "gzip", "--kafka-acks", "1"],
                             input: ShipKafkaTests.events(20))
        #expect(r.status == 0, "\(r.stderr)")
        let got = try cluster.consume("flags", partitions: 1, count: 20)
        #expect(got.map(\.value) == (0..<20).map { "ev-\(String(1000 + $0).dropFirst()) payload \($0)" })
        #expect(got.allSatisfy { $0.key == "k.log" })
    }

    @Test func notLeaderErrorsAreRetriedAndEveryEventArrivesOnce() throws {
        let cluster = try KafkaMockCluster()
        try cluster.createTopic("retry", partitions: 1)
        cluster.failProduce([RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION, RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION,
                             RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION])
        let r = try Run.ship(["--retry-delay", "0.05"], input: ShipKafkaTests.stanza(cluster, topic: "retry") + ShipKafkaTests.events(50))
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("events=50 "), "\(r.stderr)")
        let got = try cluster.consume("retry", partitions: 1, count: 50)
        #expect(got.map { ShipKafkaTests.number($0.value) } == (0..<50).map { Optional($0) })
    }

    @Test func aSlowBrokerWithATinyQueueStillGetsEveryEventInOrder() throws {
        let cluster = try KafkaMockCluster()
        try cluster.createTopic("slow", partitions: 1)
        cluster.setRoundTrip(broker: 1, ms: 20)
        // librdkafka may hold 8 messages: producing waits for delivery reports (QUEUE_FULL) instead
        // of growing memory, and nothing is lost.
        let r = try Run.ship(["--batch-size", "1000"],
                             input: ShipKafkaTests.stanza(cluster, topic: "slow", ["kafkaConfig": "queue.buffering.max.messages=8"])
                                 + ShipKafkaTests.events(80))
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("events=80 ") && r.stderr.contains("failed=0"), "\(r.stderr)")
        let got = try cluster.consume("slow", partitions: 1, count: 80)
        #expect(got.map { ShipKafkaTests.number($0.value) } == (0..<80).map { Optional($0) })
    }

    @Test func refusedMessagesAreReportedDeadLetteredAndFailTheRun() throws {
        let cluster = try KafkaMockCluster()
        try cluster.createTopic("denied", partitions: 1)
        cluster.failProduce(Array(repeating: RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED, count: 200))
        let dir = Run.tempDir()
        let dead = dir + "/dead.ndjson"
        let r = try Run.ship(["--dead-letter", dead], input: ShipKafkaTests.stanza(cluster, topic: "denied") + ShipKafkaTests.events(30))
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains("30 events (first from stdin:2) not delivered: kafka:\(cluster.bootstraps)/denied: Broker: Topic authorization failed"), "\(r.stderr)")
        #expect(r.stderr.contains("events=0 "), "\(r.stderr)")
        #expect(r.stderr.contains("failed=30"), "\(r.stderr)")
        #expect(r.stderr.contains("30 events could not be delivered; written to \(dead)"), "\(r.stderr)")
        let (stanzas, events) = try Stream.deadLetter(dead)
        #expect(stanzas.count == 1 && stanzas[0].contains("\"outputMode\":\"kafka\""))
        // Every refused event once; librdkafka's delivery reports of a retried batch may come in
        // another order than the events were produced.
        #expect(events.split(separator: "\n").sorted() == ShipKafkaTests.events(30).split(separator: "\n").sorted())
    }

    @Test func aBrokerThatIsDownTimesOutEveryMessageIntoTheDeadLetter() throws {
        let cluster = try KafkaMockCluster()
        try cluster.createTopic("down", partitions: 2)
        cluster.setDown(broker: 1)
        let dead = Run.tempDir() + "/dead.ndjson"
        let started = Date()
        let r = try Run.ship(["--timeout", "1", "--dead-letter", dead],
                             input: ShipKafkaTests.stanza(cluster, topic: "down") + ShipKafkaTests.events(40))
        #expect(r.status == 1, "\(r.stderr)")
        #expect(Date().timeIntervalSince(started) < 20)
        #expect(r.stderr.contains("not delivered: kafka:\(cluster.bootstraps)/down: Local: Message timed out"), "\(r.stderr)")
        // Every event is accounted for: delivered + failed = 40, and the failed ones are kept.
        #expect(r.stderr.contains("events=0 ") && r.stderr.contains("failed=40"), "\(r.stderr)")
        #expect(try Stream.deadLetter(dead).events == ShipKafkaTests.events(40))
    }

    @Test func theShutdownBoundPurgesWhatIsInFlightIntoTheDeadLetter() throws {
        let cluster = try KafkaMockCluster()
        try cluster.createTopic("slow", partitions: 1)
        cluster.setDown(broker: 1)
        let dead = Run.tempDir() + "/dead.ndjson"
        let started = Date()
        // Messages may wait 60 s, but the run may only take 1 s after the input ends.
        let r = try Run.ship(["--timeout", "60", "--shutdown-timeout", "1", "--dead-letter", dead],
                             input: ShipKafkaTests.stanza(cluster, topic: "slow") + ShipKafkaTests.events(25))
        #expect(r.status == 1, "\(r.stderr)")
        #expect(Date().timeIntervalSince(started) < 20)
        #expect(r.stderr.contains("shutdown timeout reached"), "\(r.stderr)")
        #expect(r.stderr.contains("events=0 ") && r.stderr.contains("failed=25"), "\(r.stderr)")
        #expect(try Stream.deadLetter(dead).events == ShipKafkaTests.events(25))
    }

    @Test func sigtermFlushesWhatIsInFlight() throws {
        let cluster = try KafkaMockCluster()
        try cluster.createTopic("term", partitions: 1)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Run.binary())
        // A long linger: the messages are still in librdkafka's queue when SIGTERM arrives.
        p.arguments = ["--flush-interval", "0.1", "--set", "kafkaLingerMs=20000", "--set", "kafkaBatchSize=100000"]
        let inPipe = Pipe(), errPipe = Pipe()
        p.standardInput = inPipe
        p.standardError = errPipe
        try p.run()
        inPipe.fileHandleForWriting.write(Data((ShipKafkaTests.stanza(cluster, topic: "term") + ShipKafkaTests.events(10)).utf8))
        usleep(500_000)
        p.terminate()
        p.waitUntilExit()
        let err = String(decoding: errPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(p.terminationStatus == 0, "\(err)")
        #expect(err.contains("events=10 ") && err.contains("failed=0"), "\(err)")
        #expect(try cluster.consume("term", partitions: 1, count: 10).count == 10)
    }

    @Test func badSettingsAreConfigErrors() throws {
        let cases: [([String: String], String)] = [
            (["kafkaAcks": "2"], "[k.log] kafkaAcks = 2: expected all, -1, 0, 1"),
            (["kafkaCompression": "brotli"], "kafkaCompression = brotli: expected none, gzip, snappy, lz4, zstd"),
            (["kafkaBatchSize": "0"], "kafkaBatchSize = 0: expected messages per batch, 1 to 1000000"),
            (["kafkaLingerMs": "-1"], "kafkaLingerMs = -1: expected milliseconds, 0 to 900000"),
            (["kafkaKey": "$"], "kafkaKey = $: expected a constant key or $field, e.g. $host"),
            (["kafkaConfig": "linger.ms"], "kafkaConfig = linger.ms: expected comma-separated librdkafka properties NAME=VALUE"),
            (["kafkaConfig": "no.such.property=1"], "kafkaConfig = no.such.property=1: expected properties librdkafka accepts (no.such.property=1: No such configuration property: \"no.such.property\")"),
            (["kafkaConfig": "linger.ms=forever"], "kafkaConfig = linger.ms=forever: expected properties librdkafka accepts (linger.ms=forever: Invalid value"),
            (["kafkaSslCaLocation": "/no/such/ca.pem", "kafkaSecurityProtocol": "ssl"], "cannot create the Kafka producer: ssl.ca.location failed"),
            (["kafkaSaslMechanism": "MAGIC"], "kafkaSaslMechanism = MAGIC: expected PLAIN, SCRAM-SHA-256, SCRAM-SHA-512, GSSAPI, OAUTHBEARER"),
            (["kafkaLingerMs": "40000"], "cannot create the Kafka producer: `message.timeout.ms` must be greater than `linger.ms`"),
        ]
        for (settings, message) in cases {
            var s = ["outputMode": "kafka"]
            for (k, v) in settings { s[k] = v }
            let r = try Run.ship([], input: Stream.stanza("k.log", s) + Stream.event("x", sample: "k.log"))
            #expect(r.status == 2, "\(settings): \(r.stderr)")
            #expect(r.stderr.hasPrefix("eg-ship: "), "\(r.stderr)")
            #expect(r.stderr.contains(message), "\(settings): \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        }
    }

    @Test func secretsInKafkaSettingsStayHidden() throws {
        let r = try Run.ship([], input: Stream.stanza("k.log", ["outputMode": "kafka", "kafkaSaslPassword": "Pa55wordKafka",
                                                                 "kafkaConfig": "sasl.password=Hidden-Value-9,bogus.key=1"])
                                 + Stream.event("x", sample: "k.log"))
        #expect(r.status == 2)
        #expect(r.stderr.contains("kafkaConfig"), "\(r.stderr)")
        #expect(!r.stderr.contains("Hidden-Value-9") && !r.stderr.contains("Pa55wordKafka"), "\(r.stderr)")
    }

    /// kafkaConfig's parser, fuzzed: any text gives properties with valid names or a config error.
    @Test func kafkaConfigParserFuzz() throws {
        var rng = SeededRandom(seed: 15, stream: "kafka-config-fuzz")
        let alphabet = Array("ab.z_-=, \t=1é\u{0}\"")
        for _ in 0..<2000 {
            let text = String((0..<Int(rng.unit() * 24)).map { _ in alphabet[Int(rng.unit() * Double(alphabet.count))] })
            let s = try SampleSettings(sample: "k", stanza: [("kafkaConfig", text)], overrides: [], name: "k")
            do {
                let props = try KafkaConfig.parseProperties(text, s)
                #expect(props.allSatisfy { !$0.0.isEmpty && !$0.0.contains("=") && !$0.0.contains(",") })
            } catch let e as EgError {
                #expect(e.description.contains("kafkaConfig"))
            }
        }
    }
}
