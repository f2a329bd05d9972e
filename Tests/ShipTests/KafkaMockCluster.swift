import CRdKafka
import Foundation

/// librdkafka's mock cluster in the test process: real Kafka brokers (the protocol on loopback
/// ports) with error injection, and a consumer that reads a topic back.
final class KafkaMockCluster {
    /// One consumed message.
    struct Message: Equatable {
        var partition: Int32
        var offset: Int64
        var key: String?
        var value: String
        var headers: [String: String]
    }

    private let handle: OpaquePointer
    private let cluster: OpaquePointer
    /// The `bootstrap.servers` of the cluster (for `kafkaBrokers`).
    let bootstraps: String

    init(brokers: Int32 = 1) throws {
        let conf = rd_kafka_conf_new()
        var err = [CChar](repeating: 0, count: 512)
        // The handle only hosts the cluster: it connects nowhere, so its warning about that is muted.
        _ = rd_kafka_conf_set(conf, "log_level", "3", &err, err.count)
        guard let h = rd_kafka_new(RD_KAFKA_PRODUCER, conf, &err, err.count) else {
            throw KafkaMockError("rd_kafka_new: \(text(of: err))")
        }
        guard let c = rd_kafka_mock_cluster_new(h, brokers) else {
            rd_kafka_destroy(h)
            throw KafkaMockError("rd_kafka_mock_cluster_new failed")
        }
        handle = h
        cluster = c
        bootstraps = String(cString: rd_kafka_mock_cluster_bootstraps(c))
    }

    deinit {
        rd_kafka_mock_cluster_destroy(cluster)
        rd_kafka_destroy(handle)
    }

    func createTopic(_ topic: String, partitions: Int32) throws {
        let rc = rd_kafka_mock_topic_create(cluster, topic, partitions, 1)
        guard rc == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaMockError("topic create: \(String(cString: rd_kafka_err2str(rc)))") }
    }

    /// The next `errors.count` Produce requests fail with these errors, in order.
    func failProduce(_ errors: [rd_kafka_resp_err_t]) {
        errors.withUnsafeBufferPointer { rd_kafka_mock_push_request_errors_array(cluster, 0, $0.count, $0.baseAddress) }
    }

    func setDown(broker: Int32) { _ = rd_kafka_mock_broker_set_down(cluster, broker) }

    /// Every answer of `broker` is delayed by `ms` milliseconds (a slow broker).
    func setRoundTrip(broker: Int32, ms: Int32) { _ = rd_kafka_mock_broker_set_rtt(cluster, broker, ms) }

    /// Reads `topic` from the beginning of each of its `partitions` until `count` messages arrived
    /// (and a little longer, to see any extra ones) or `timeout` seconds passed.
    func consume(_ topic: String, partitions: Int32, count: Int, timeout: Double = 10) throws -> [Message] {
        let conf = rd_kafka_conf_new()!
        var err = [CChar](repeating: 0, count: 512)
        for (k, v) in [("bootstrap.servers", bootstraps), ("group.id", "eg-ship-tests"), ("enable.auto.commit", "false")] {
            guard rd_kafka_conf_set(conf, k, v, &err, err.count) == RD_KAFKA_CONF_OK else { throw KafkaMockError(text(of: err)) }
        }
        guard let c = rd_kafka_new(RD_KAFKA_CONSUMER, conf, &err, err.count) else { throw KafkaMockError(text(of: err)) }
        defer {
            _ = rd_kafka_consumer_close(c)
            rd_kafka_destroy(c)
        }
        let list = rd_kafka_topic_partition_list_new(partitions)!
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for p in 0..<partitions {
            rd_kafka_topic_partition_list_add(list, topic, p)!.pointee.offset = Int64(RD_KAFKA_OFFSET_BEGINNING)
        }
        guard rd_kafka_assign(c, list) == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaMockError("assign failed") }
        var out: [Message] = []
        let end = Date().addingTimeInterval(timeout)
        var extraUntil: Date?
        while Date() < (extraUntil ?? end) {
            guard let m = rd_kafka_consumer_poll(c, 100) else { continue }
            defer { rd_kafka_message_destroy(m) }
            let msg = m.pointee
            if msg.err == RD_KAFKA_RESP_ERR__PARTITION_EOF { continue }
            guard msg.err == RD_KAFKA_RESP_ERR_NO_ERROR else {
                throw KafkaMockError("consume: \(String(cString: rd_kafka_err2str(msg.err)))")
            }
            out.append(Message(partition: msg.partition, offset: msg.offset,
                               key: msg.key.map { String(decoding: UnsafeRawBufferPointer(start: $0, count: msg.key_len), as: UTF8.self) },
                               value: String(decoding: UnsafeRawBufferPointer(start: msg.payload, count: msg.len), as: UTF8.self),
                               headers: KafkaMockCluster.headers(m)))
            if out.count >= count && extraUntil == nil { extraUntil = Date().addingTimeInterval(0.3) }
        }
        return out
    }

    private static func headers(_ m: UnsafeMutablePointer<rd_kafka_message_t>) -> [String: String] {
        var hdrs: OpaquePointer?
        guard rd_kafka_message_headers(m, &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR, let hdrs else { return [:] }
        var out: [String: String] = [:]
        var k = 0
        while true {
            var name: UnsafePointer<CChar>?
            var value: UnsafeRawPointer?
            var size = 0
            guard rd_kafka_header_get_all(hdrs, k, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR, let name else { break }
            out[String(cString: name)] = value.map { String(decoding: UnsafeRawBufferPointer(start: $0, count: size), as: UTF8.self) } ?? ""
            k += 1
        }
        return out
    }
}

struct KafkaMockError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

/// The text of a NUL-terminated buffer librdkafka wrote an error into.
private func text(of buffer: [CChar]) -> String {
    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
