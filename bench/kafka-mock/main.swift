// eg-bench-kafka-mock TOPIC PARTITIONS: the benchmark's Kafka broker. Starts librdkafka's mock
// cluster (the Kafka protocol on a loopback port), creates TOPIC, prints its bootstrap servers on
// one line and serves until standard input ends. Not installed; `make bench` runs it.
#if canImport(Glibc)
import Glibc
#endif
import CRdKafka

/// Writes `text` to file descriptor `fd` (no stdio: Swift 6 forbids its global streams).
func say(_ fd: Int32, _ text: String) {
    var t = text
    t.withUTF8 { _ = write(fd, $0.baseAddress, $0.count) }
}

let args = CommandLine.arguments
guard args.count == 3, !args[1].isEmpty, let partitions = Int32(args[2]), (1...1000).contains(partitions) else {
    say(2, "usage: eg-bench-kafka-mock TOPIC PARTITIONS (1-1000)\n")
    exit(2)
}
var err = [CChar](repeating: 0, count: 512)
let conf = rd_kafka_conf_new()
_ = rd_kafka_conf_set(conf, "log_level", "3", &err, err.count)
guard let handle = rd_kafka_new(RD_KAFKA_PRODUCER, conf, &err, err.count),
      let cluster = rd_kafka_mock_cluster_new(handle, 1) else {
    say(2, "eg-bench-kafka-mock: cannot start the mock cluster: \(String(decoding: err.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))\n")
    exit(1)
}
let rc = rd_kafka_mock_topic_create(cluster, args[1], partitions, 1)
guard rc == RD_KAFKA_RESP_ERR_NO_ERROR else {
    say(2, "eg-bench-kafka-mock: cannot create topic \(args[1]): \(String(cString: rd_kafka_err2str(rc)))\n")
    exit(1)
}
say(1, String(cString: rd_kafka_mock_cluster_bootstraps(cluster)) + "\n")
var buffer = [UInt8](repeating: 0, count: 4096)
while read(0, &buffer, buffer.count) > 0 {}
rd_kafka_mock_cluster_destroy(cluster)
rd_kafka_destroy(handle)
