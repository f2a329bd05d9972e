import Core

/// The settings of a Splunk HTTP Event Collector output.
struct HECConfig {
    /// One HEC server from `httpeventServers`.
    struct Server {
        var endpoint: HTTPEndpoint
        var key: String
    }
    var servers: [Server]
    var mirror: Bool
    var maxPayload: Int
    var allowFailureCount: Int
    var cooldown: Double
    var gzip: Bool
    var path: String
    /// The identity: same servers and mode, same output.
    var identity: String

    init(_ s: SampleSettings, _ ctx: OutputContext) throws {
        guard let json = s.string("httpeventServers") else {
            throw EgError.config(at: "stanza [\(s.settings.stanza)]", "outputMode = httpevent needs httpeventServers, e.g. {\"servers\":[{\"protocol\":\"https\",\"address\":\"127.0.0.1\",\"port\":\"8088\",\"key\":\"<token>\"}]}")
        }
        let expected = "JSON {\"servers\":[{\"protocol\":\"http|https\",\"address\":\"host\",\"port\":8088,\"key\":\"token\"},...]}"
        let value: JSONValue
        do { value = try JSONParser.parse(json) } catch { throw s.invalid("httpeventServers", expected) }
        guard case .array(let list)? = value["servers"], !list.isEmpty else { throw s.invalid("httpeventServers", expected) }
        servers = try list.map { item in
            guard let address = item["address"]?.text, let portText = item["port"]?.text, let port = Int(portText),
                  (1...65535).contains(port), let key = item["key"]?.text else {
                throw s.invalid("httpeventServers", expected)
            }
            let proto = (item["protocol"]?.text ?? "https").lowercased()
            guard proto == "http" || proto == "https" else { throw s.invalid("httpeventServers", "protocol http or https") }
            return Server(endpoint: HTTPEndpoint(scheme: proto, host: address, port: port), key: key)
        }
        mirror = try s.choice("httpeventOutputMode", ["roundrobin", "mirror"], default: "roundrobin") == "mirror"
        maxPayload = try s.int("httpeventMaxPayloadSize", default: 10_000)
        guard maxPayload > 0 else { throw s.invalid("httpeventMaxPayloadSize", "a positive number of bytes") }
        allowFailureCount = try s.int("httpeventAllowFailureCount", default: 3)
        cooldown = try s.double("httpeventCooldown", default: ctx.policy.cooldown)
        gzip = ctx.gzip ?? s.bool("httpeventGzip", default: false)
        path = s.string("httpeventPath", default: "/services/collector")
        identity = servers.map { "\($0.endpoint)" }.joined(separator: ",") + (mirror ? " mirror" : "")
    }
}

/// `httpevent`: Splunk HEC. Events become `{"event":_raw,"time":..,"host":..,"source":..,
/// "sourcetype":..,"index":..}` objects concatenated into payloads of at most
/// `httpeventMaxPayloadSize` bytes, POSTed to `/services/collector` with `Authorization: Splunk <key>`
/// over keep-alive connections. `roundrobin` sends each payload to the next server in rotation
/// (a retry goes to the next one); `mirror` sends every payload to every server. The delivery
/// policy retries connection errors, 429 and 5xx; a server failing `httpeventAllowFailureCount`
/// times in a row leaves the rotation for a cool-down. Other 4xx answers fail the payload, and so
/// does a 2xx answer whose body is not HEC's success object (`HECAnswer`).
final class HECOutput: Output {
    let name: String
    let stats = OutputStats()
    private let config: HECConfig
    private let retrier: Retrier
    /// `--insecure`: https without certificate verification.
    private let insecure: Bool
    private var pool: ServerPool<HECConfig.Server>?

    init(config: HECConfig, policy: DeliveryPolicy, insecure: Bool) {
        self.config = config
        self.insecure = insecure
        self.name = "httpevent:" + config.identity
        retrier = policy.retrier(for: name, stats: stats)
    }

    private func servers() throws -> ServerPool<HECConfig.Server> {
        if let pool { return pool }
        let policy = retrier.policy
        let members = try config.servers.map {
            ServerPool<HECConfig.Server>.Member(server: $0, transport: try makeTransport($0.endpoint, policy: policy, insecure: insecure))
        }
        let p = ServerPool(members, allowFailureCount: config.allowFailureCount, cooldown: config.cooldown, clock: policy.clock)
        pool = p
        return p
    }

    /// Appends one event's HEC JSON object.
    static func appendEvent(_ e: ShipEvent, to o: inout [UInt8]) {
        o.append(contentsOf: "{\"event\":".utf8)
        JSONWriter.appendString(e.raw, to: &o)
        if let t = e.time {
            o.append(contentsOf: ",\"time\":".utf8)
            EpochText.append(t, to: &o)
        }
        o.append(contentsOf: ",\"host\":".utf8)
        JSONWriter.appendString(e.host, to: &o)
        o.append(contentsOf: ",\"source\":".utf8)
        JSONWriter.appendString(e.source, to: &o)
        o.append(contentsOf: ",\"sourcetype\":".utf8)
        JSONWriter.appendString(e.sourcetype, to: &o)
        o.append(contentsOf: ",\"index\":".utf8)
        JSONWriter.appendString(e.index, to: &o)
        o.append(UInt8(ascii: "}"))
    }

    func write(_ batch: [ShipEvent]) -> [Undelivered] {
        let pool: ServerPool<HECConfig.Server>
        do { pool = try servers() } catch {
            return batch.map { Undelivered(event: $0, reason: describe(error)) }
        }
        var failed: [Undelivered] = []
        var payload: [UInt8] = []
        var start = 0
        var one: [UInt8] = []
        func send(_ end: Int) {
            guard end > start else { return }
            if let reason = deliver(payload, pool) {
                failed += batch[start..<end].map { Undelivered(event: $0, reason: reason) }
            }
            payload.removeAll(keepingCapacity: true)
            start = end
        }
        for (k, e) in batch.enumerated() {
            one.removeAll(keepingCapacity: true)
            Self.appendEvent(e, to: &one)
            if !payload.isEmpty && payload.count + one.count > config.maxPayload { send(k) }
            payload.append(contentsOf: one)
        }
        send(batch.count)
        return failed
    }

    /// Sends one payload; nil when delivered, else why not.
    private func deliver(_ payload: [UInt8], _ pool: ServerPool<HECConfig.Server>) -> String? {
        var body = payload
        var headers = [("Content-Type", "application/json")]
        if config.gzip, let z = Gzip.compress(payload) {
            body = z
            headers.append(("Content-Encoding", "gzip"))
        }
        if config.mirror {
            var reason: String?
            for m in pool.members {
                if let r = attempt(body, headers, pool, fixed: m) { reason = "\(m.server.endpoint): \(r)" }
            }
            if reason == nil { stats.bytes += payload.count }
            return reason
        }
        let r = attempt(body, headers, pool, fixed: nil)
        if r == nil { stats.bytes += payload.count }
        return r
    }

    /// Sends through the delivery policy (the next server each attempt unless `fixed`).
    private func attempt(_ body: [UInt8], _ headers: [(String, String)], _ pool: ServerPool<HECConfig.Server>,
                         fixed: ServerPool<HECConfig.Server>.Member?) -> String? {
        retrier.run { _ in
            let m = fixed ?? pool.pick()
            let request = HTTPRequest(method: "POST", path: config.path,
                                      headers: headers + [("Authorization", "Splunk \(m.server.key)")], body: body)
            let answer: Answer
            do {
                let response = try m.transport.send(request)
                answer = response.isSuccess ? HECAnswer.check(response, from: "\(m.server.endpoint)") : Answer(response, from: "\(m.server.endpoint)")
            } catch {
                answer = Answer(error)
            }
            switch answer {
            case .delivered:
                pool.succeeded(m)
            case .retry(let reason, _):
                if pool.failed(m) {
                    Diagnostics.write("eg-ship: \(name): \(m.server.endpoint) leaves rotation for \(formatSeconds(config.cooldown)) s after repeated failures (\(reason))\n")
                }
            case .giveUp:
                break
            }
            return answer
        }
    }

    func close() throws { pool?.closeAll() }
}
