import Core

/// The settings of a `redis` output.
struct RedisConfig {
    var host: String
    var port: Int
    /// The list key (`rpush`) or channel (`publish`).
    var key: String
    /// `RPUSH` to a list, or `PUBLISH` to a channel.
    var publish: Bool
    /// The value is the whole record as JSON (Logstash `codec => json`), else `_raw`.
    var json: Bool
    var user: String?
    var password: String?
    var db: Int
    /// At most this many values per `RPUSH` command.
    var batchEvents: Int
    var keepAnomaly: Bool
    /// The identity: same server, database, key and mode, same output.
    var identity: String

    init(_ s: SampleSettings, _ ctx: OutputContext) throws {
        host = s.string("redisHost", default: "127.0.0.1")
        port = try s.port("redisPort", default: 6379)
        key = s.string("redisKey", default: "eventgen")
        publish = try s.choice("redisMode", ["rpush", "publish"], default: "rpush") == "publish"
        json = try s.choice("redisFormat", ["json", "raw"], default: "json") == "json"
        user = s.string("redisUser")
        password = s.string("redisPassword")
        if user != nil && password == nil {
            throw EgError.config(at: "stanza [\(s.settings.stanza)]", "redisUser needs redisPassword")
        }
        db = try s.int("redisDb", default: 0)
        guard db >= 0 else { throw s.invalid("redisDb", "a database number 0 or more") }
        batchEvents = try s.int("redisBatchSize", default: 1000)
        guard batchEvents > 0 else { throw s.invalid("redisBatchSize", "a positive number of values") }
        keepAnomaly = ctx.keepAnomaly
        identity = "\(host):\(port)/\(db) \(publish ? "publish" : "rpush") \(key) \(json ? "json" : "raw")"
    }
}

/// `redis`: speaks RESP to a Redis server over one TCP connection. `rpush` (default) appends each
/// batch to the list `redisKey` with pipelined `RPUSH key v1 v2 ...` commands (at most
/// `redisBatchSize` values each), the way Logstash's redis input (`data_type => list`) reads it;
/// `publish` sends `PUBLISH channel v` per event (pipelined). The value is the whole record as
/// one JSON object (`redisFormat = json`, for `codec => json`) or `_raw` (`raw`). Every reply is
/// read and checked: an error reply fails its command's events (retried by the delivery policy when
/// the server says LOADING, BUSY, TRYAGAIN, MASTERDOWN or OOM); connection errors reconnect and send
/// again every command of the attempt (at-least-once).
final class RedisOutput: Output {
    let name: String
    let stats = OutputStats()
    private let config: RedisConfig
    private let retrier: Retrier
    private var connection: RESPConnection?
    private var value: [UInt8] = []

    init(config: RedisConfig, policy: DeliveryPolicy) {
        self.config = config
        name = "redis:\(config.identity)"
        retrier = policy.retrier(for: name, stats: stats)
    }

    /// Appends the value of `e` (JSON record without the trailing newline, or `_raw`) as a bulk string.
    private func appendValue(_ e: ShipEvent, to out: inout [UInt8]) {
        value.removeAll(keepingCapacity: true)
        if config.json {
            e.appendJSONLine(keepAnomaly: config.keepAnomaly, to: &value)
            if value.last == 0x0A { value.removeLast() }
        } else {
            var t = e.trimmedRaw
            t.withUTF8 { value.append(contentsOf: $0) }
        }
        RESP.appendBulk(value, to: &out)
    }

    /// One encoded command and the batch positions of its events.
    private struct Command {
        var wire: [UInt8]
        var events: Range<Int>
    }

    private func commands(_ batch: [ShipEvent]) -> [Command] {
        var out: [Command] = []
        if config.publish {
            out.reserveCapacity(batch.count)
            for (k, e) in batch.enumerated() {
                var w: [UInt8] = []
                RESP.appendArrayHead(3, to: &w)
                RESP.appendBulk("PUBLISH", to: &w)
                RESP.appendBulk(config.key, to: &w)
                appendValue(e, to: &w)
                out.append(Command(wire: w, events: k..<(k + 1)))
            }
            return out
        }
        var k = 0
        while k < batch.count {
            let end = min(batch.count, k + config.batchEvents)
            var w: [UInt8] = []
            RESP.appendArrayHead(2 + end - k, to: &w)
            RESP.appendBulk("RPUSH", to: &w)
            RESP.appendBulk(config.key, to: &w)
            for j in k..<end { appendValue(batch[j], to: &w) }
            out.append(Command(wire: w, events: k..<end))
            k = end
        }
        return out
    }

    private func connected() throws -> RESPConnection {
        if let c = connection, c.isUsable { return c }
        connection?.close()
        connection = nil
        let c = try RESPConnection(host: config.host, port: config.port, timeout: retrier.policy.timeout,
                                   user: config.user, password: config.password, db: config.db,
                                   shutdown: retrier.policy.shutdown)
        connection = c
        return c
    }

    /// Error replies the server may stop giving (loading, busy, failover, memory).
    static func isRetryable(_ error: String) -> Bool {
        let code = error.prefix { $0 != " " }
        return ["LOADING", "BUSY", "TRYAGAIN", "MASTERDOWN", "OOM"].contains(String(code))
    }

    func write(_ batch: [ShipEvent]) -> [Undelivered] {
        var pending = commands(batch)
        var failed: [Undelivered] = []
        let reason = retrier.run { _ in
            var again: [Command] = []
            var retryReason: String?
            do {
                let c = try connected()
                let replies = try c.pipeline(pending.map(\.wire))
                for (cmd, reply) in zip(pending, replies) {
                    switch reply {
                    case .integer(let n) where n >= 0:
                        stats.bytes += cmd.wire.count
                    case .error(let e):
                        let reason = "redis \(config.host):\(config.port): \(e)"
                        if RedisOutput.isRetryable(e) {
                            again.append(cmd)
                            retryReason = reason
                        } else {
                            failed += batch[cmd.events].map { Undelivered(event: $0, reason: reason) }
                        }
                    default:
                        let reason = "redis \(config.host):\(config.port): unexpected reply \(reply) to \(config.publish ? "PUBLISH" : "RPUSH")"
                        failed += batch[cmd.events].map { Undelivered(event: $0, reason: reason) }
                    }
                }
            } catch {
                // Which commands the server executed is unknown: send them all again
                // (at-least-once, like every network output).
                connection?.close()
                connection = nil
                return Answer(error)
            }
            pending = again
            return retryReason.map { .retry($0) } ?? .delivered
        }
        if let reason {
            for cmd in pending { failed += batch[cmd.events].map { Undelivered(event: $0, reason: reason) } }
        }
        return failed
    }

    func close() throws {
        connection?.close()
        connection = nil
    }
}
