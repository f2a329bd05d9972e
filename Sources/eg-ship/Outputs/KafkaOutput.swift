import CRdKafka
import Core

/// `kafka`: produces one message per event to `kafkaTopic` through librdkafka, the reference Kafka
/// client (it batches, compresses, and retries per its properties until `message.timeout.ms`).
///
/// The value is `_raw` without trailing whitespace (exactly as formatted, for an Eventum
/// generator's output), or the whole record (`kafkaFormat = json` or `--format json`), the key a
/// constant or a field of the event (`kafkaKey = $host`), the headers optionally index, host,
/// source and sourcetype. Each message stays unconfirmed until its delivery report: delivered when
/// the broker acknowledged it (per `kafkaAcks`), undelivered (reported and dead-lettered) when
/// librdkafka gave up on it. librdkafka's queue is bounded; when it is full, producing waits for
/// delivery reports. At the end, `drain` flushes what is in flight within the shutdown bound, then
/// purges what is left and gives it up.
final class KafkaOutput: Output {
    let name: String
    let stats = OutputStats()
    private let config: KafkaConfig
    private let policy: DeliveryPolicy
    private var rk: OpaquePointer?
    private var rkt: OpaquePointer?
    /// The events librdkafka holds, by the sequence number each message carries as its opaque.
    private var inflight: [UInt: ShipEvent] = [:]
    private var nextSequence: UInt = 1
    /// Reports received since the last accounting (`write` or `drain` hands them to `Delivery`).
    private var deliveredSinceAccount = 0
    private var failedSinceAccount: [Undelivered] = []
    /// Client errors already reported (each kind once).
    private var reportedErrors: Set<Int32> = []
    private var value: [UInt8] = []

    init(config: KafkaConfig, policy: DeliveryPolicy) throws {
        self.config = config
        self.policy = policy
        name = "kafka:\(config.brokers)/\(config.topic)"
        guard let conf = rd_kafka_conf_new() else { throw EgError.runtime(at: name, "cannot create a librdkafka configuration") }
        for p in config.properties {
            if let e = KafkaConfig.set(conf, p.name, p.value) {
                rd_kafka_conf_destroy(conf)
                throw EgError.config(at: name, "librdkafka property \(p.name) = \(p.value): \(e)")
            }
        }
        rd_kafka_conf_set_opaque(conf, Unmanaged.passUnretained(self).toOpaque())
        rd_kafka_conf_set_dr_msg_cb(conf) { _, message, opaque in
            guard let message, let opaque else { return }
            Unmanaged<KafkaOutput>.fromOpaque(opaque).takeUnretainedValue().report(message.pointee)
        }
        rd_kafka_conf_set_error_cb(conf) { _, code, reason, opaque in
            guard let opaque else { return }
            let text = reason.map { String(cString: $0) } ?? String(cString: rd_kafka_err2str(rd_kafka_resp_err_t(code)))
            Unmanaged<KafkaOutput>.fromOpaque(opaque).takeUnretainedValue().clientError(code, text)
        }
        // librdkafka's own log lines go through Diagnostics (redacted), and only the serious ones.
        rd_kafka_conf_set_log_cb(conf) { rk, level, facility, text in
            guard level <= 2, let text else { return }
            let who = rk.map { String(cString: rd_kafka_name($0)) } ?? "librdkafka"
            Diagnostics.write("eg-ship: kafka: \(who): \(facility.map { String(cString: $0) } ?? ""): \(String(cString: text))\n")
        }
        var err = [CChar](repeating: 0, count: 512)
        guard let handle = rd_kafka_new(RD_KAFKA_PRODUCER, conf, &err, err.count) else {
            rd_kafka_conf_destroy(conf)
            throw EgError.config(at: name, "cannot create the Kafka producer: \(KafkaConfig.text(of: err))")
        }
        rk = handle
        guard let topic = rd_kafka_topic_new(handle, config.topic, nil) else {
            throw EgError.config(at: name, "cannot use topic '\(config.topic)': \(String(cString: rd_kafka_err2str(rd_kafka_last_error())))")
        }
        rkt = topic
    }

    deinit { release() }

    private func release() {
        if let t = rkt { rd_kafka_topic_destroy(t) }
        rkt = nil
        if let h = rk { rd_kafka_destroy(h) }
        rk = nil
    }

    var unconfirmed: Int { inflight.count + deliveredSinceAccount + failedSinceAccount.count }

    func write(_ batch: [ShipEvent]) -> [Undelivered] {
        guard let rk, let rkt else {
            return batch.map { Undelivered(event: $0, reason: "\(name): the producer is closed") }
        }
        for e in batch { produce(e, rk, rkt) }
        rd_kafka_poll(rk, 0)
        return takeReports()
    }

    /// Hands one event to librdkafka, waiting for room while its queue is full.
    private func produce(_ e: ShipEvent, _ rk: OpaquePointer, _ rkt: OpaquePointer) {
        value.removeAll(keepingCapacity: true)
        if config.json {
            e.appendJSONLine(keepAnomaly: config.keepAnomaly, to: &value)
            if value.last == 0x0A { value.removeLast() }
        } else if config.verbatim {
            value.append(contentsOf: e.raw.utf8)
        } else {
            var t = e.trimmedRaw
            t.withUTF8 { value.append(contentsOf: $0) }
        }
        var key: [UInt8]?
        switch config.key {
        case .none: key = nil
        case .constant(let c): key = Array(c.utf8)
        case .field(let f): key = KafkaOutput.field(f, of: e).map { Array($0.utf8) }
        }
        let sequence = nextSequence
        nextSequence += 1
        inflight[sequence] = e
        while true {
            let headers = config.headers ? KafkaOutput.headers(of: e) : nil
            let rc = value.withUnsafeBytes { v in
                if let key {
                    return key.withUnsafeBytes { k in
                        eg_rdkafka_produce(rk, rkt, v.baseAddress, v.count, k.baseAddress, k.count, headers, UnsafeMutableRawPointer(bitPattern: sequence))
                    }
                }
                return eg_rdkafka_produce(rk, rkt, v.baseAddress, v.count, nil, 0, headers, UnsafeMutableRawPointer(bitPattern: sequence))
            }
            if rc == RD_KAFKA_RESP_ERR_NO_ERROR { return }
            if let headers { rd_kafka_headers_destroy(headers) }
            if rc == RD_KAFKA_RESP_ERR__QUEUE_FULL && !policy.shutdown.expired {
                // librdkafka's queue is full (a slow or absent broker): wait for reports.
                rd_kafka_poll(rk, 100)
                continue
            }
            inflight[sequence] = nil
            let why = rc == RD_KAFKA_RESP_ERR__QUEUE_FULL ? "the queue is still full at the shutdown timeout" : KafkaOutput.text(rc)
            failedSinceAccount.append(Undelivered(event: e, reason: "\(name): \(why)"))
            return
        }
    }

    /// The value of `$field` for an event: its resolved metadata, else a string field of its record.
    static func field(_ f: String, of e: ShipEvent) -> String? {
        switch f {
        case "host": return e.host
        case "index": return e.index
        case "source": return e.source
        case "sourcetype": return e.sourcetype
        case "sample": return e.sample.isEmpty ? nil : e.sample
        case "_raw": return e.raw
        default: return e.record.string(f)
        }
    }

    /// index, host, source and sourcetype headers.
    private static func headers(of e: ShipEvent) -> OpaquePointer? {
        guard let h = rd_kafka_headers_new(4) else { return nil }
        for (k, v) in [("index", e.index), ("host", e.host), ("source", e.source), ("sourcetype", e.sourcetype)] {
            var v = v
            v.withUTF8 { b in _ = rd_kafka_header_add(h, k, -1, b.baseAddress, b.count) }
        }
        return h
    }

    /// A delivery report (on the thread that polls).
    private func report(_ m: rd_kafka_message_t) {
        let sequence = UInt(bitPattern: m._private)
        guard let e = inflight.removeValue(forKey: sequence) else { return }
        if m.err == RD_KAFKA_RESP_ERR_NO_ERROR {
            deliveredSinceAccount += 1
            stats.bytes += m.len
            return
        }
        let reason: String
        if m.err == RD_KAFKA_RESP_ERR__PURGE_QUEUE || m.err == RD_KAFKA_RESP_ERR__PURGE_INFLIGHT {
            reason = "\(name): not acknowledged (\(KafkaOutput.text(m.err)))\(Retrier.shutdownNote)"
        } else {
            reason = "\(name): \(KafkaOutput.text(m.err))"
        }
        failedSinceAccount.append(Undelivered(event: e, reason: reason))
    }

    /// An error of the client as a whole (brokers down, authentication): reported once per kind;
    /// the messages it affects fail through their own reports.
    private func clientError(_ code: Int32, _ text: String) {
        guard reportedErrors.insert(code).inserted else { return }
        Diagnostics.write("eg-ship: \(name): \(text)\n")
    }

    private static func text(_ code: rd_kafka_resp_err_t) -> String { String(cString: rd_kafka_err2str(code)) }

    /// The reports since the last accounting: the failed events are returned, the delivered ones
    /// leave `unconfirmed` (so `Delivery` counts them).
    private func takeReports() -> [Undelivered] {
        deliveredSinceAccount = 0
        let failed = failedSinceAccount
        failedSinceAccount.removeAll()
        return failed
    }

    /// Serves delivery reports (from the timer, between batches).
    func flush() throws {
        if let rk { rd_kafka_poll(rk, 0) }
    }

    /// Flushes what is in flight until it is acknowledged or the shutdown bound ends, then purges
    /// what is left (it is given up, to be dead-lettered).
    func drain() -> [Undelivered] {
        guard let rk else { return takeReports() }
        while rd_kafka_outq_len(rk) > 0 || !inflight.isEmpty {
            let left = policy.shutdown.limit(3600) - policy.clock.now()
            if left <= 0 { break }
            _ = rd_kafka_flush(rk, Int32(max(1, min(200, left * 1000))))
        }
        if !inflight.isEmpty {
            _ = rd_kafka_purge(rk, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT | RD_KAFKA_PURGE_F_NON_BLOCKING)
            rd_kafka_poll(rk, 0)
        }
        for (_, e) in inflight.sorted(by: { $0.key < $1.key }) {
            failedSinceAccount.append(Undelivered(event: e, reason: "\(name): not acknowledged\(Retrier.shutdownNote)"))
        }
        inflight.removeAll()
        return takeReports()
    }

    func close() throws { release() }
}
