// librdkafka, the reference Kafka client, for eg-ship's kafka output; its mock cluster
// (rdkafka_mock.h: the Kafka protocol on loopback ports, with error injection) for the tests.
// rd_kafka_producev is variadic, which Swift cannot call, so one fixed-argument wrapper is here.
#include <stddef.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

/// Produces one message to `rkt` (any partition, payload and key copied); `headers` (may be NULL)
/// belong to librdkafka when this returns RD_KAFKA_RESP_ERR_NO_ERROR, to the caller otherwise.
static inline rd_kafka_resp_err_t eg_rdkafka_produce(rd_kafka_t *rk, rd_kafka_topic_t *rkt,
        const void *value, size_t value_len, const void *key, size_t key_len,
        rd_kafka_headers_t *headers, void *opaque) {
    if (headers == NULL) {
        return rd_kafka_producev(rk, RD_KAFKA_V_RKT(rkt), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                                 RD_KAFKA_V_VALUE((void *)value, value_len), RD_KAFKA_V_KEY(key, key_len),
                                 RD_KAFKA_V_OPAQUE(opaque), RD_KAFKA_V_END);
    }
    return rd_kafka_producev(rk, RD_KAFKA_V_RKT(rkt), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                             RD_KAFKA_V_VALUE((void *)value, value_len), RD_KAFKA_V_KEY(key, key_len),
                             RD_KAFKA_V_HEADERS(headers), RD_KAFKA_V_OPAQUE(opaque), RD_KAFKA_V_END);
}
