import Foundation
import Core

/// The settings of an `elasticsearch` (or `opensearch`) output.
struct ElasticsearchConfig {
    /// One node of the cluster: where its `_bulk` API is.
    struct Node {
        var endpoint: HTTPEndpoint
        /// `<url path>/_bulk`.
        var bulkPath: String
    }

    /// `elasticsearchUrl` as given: one URL, or several separated by commas (one per node).
    var url: String
    /// The nodes, in the order given (requests go round robin; a failing node leaves the rotation).
    var nodes: [Node]
    /// The index name or strftime pattern (UTC, the event's time).
    var index: String
    /// `Authorization` header value (Basic or ApiKey), if any.
    var authorization: String?
    /// At most this many documents per `_bulk` request.
    var batchEvents: Int
    /// At most this many body bytes per `_bulk` request (a single larger document still goes alone).
    var batchBytes: Int
    /// The bulk action: `index` or `create` (data streams need `create`).
    var action: String
    /// Add `@timestamp`, host, source, sourcetype and index to documents taken from a JSON `_raw`.
    var addMetadata: Bool
    /// Keep the record's `anomaly` field in the document.
    var keepAnomaly: Bool
    /// The identity: same destination and document shape, same output.
    var identity: String

    init(_ s: SampleSettings, _ ctx: OutputContext) throws {
        url = s.string("elasticsearchUrl", default: "http://127.0.0.1:9200")
        var urls: [URLComponents] = []
        for part in url.split(separator: ",", omittingEmptySubsequences: false) {
            guard let u = URLComponents(string: String(part).trimmed(" \t")), let scheme = u.scheme?.lowercased(),
                  scheme == "http" || scheme == "https", let host = u.host, !host.isEmpty else {
                throw s.invalid("elasticsearchUrl", "an http or https URL such as https://es.example.com:9200, or several separated by commas")
            }
            urls.append(u)
        }
        nodes = urls.map { u in
            var path = u.path
            while path.hasSuffix("/") { path.removeLast() }
            return Node(endpoint: ctx.tweaks.endpoint(scheme: u.scheme!.lowercased(), host: u.host!, port: u.port ?? 9200),
                        bulkPath: path.hasSuffix("/_bulk") ? path : path + "/_bulk")
        }
        index = s.string("elasticsearchIndex", default: "eventgen-%Y.%m.%d")
        if let problem = ElasticsearchConfig.indexProblem(index) { throw s.invalid("elasticsearchIndex", problem) }
        let withUser = urls.first { $0.user != nil }
        let user = s.string("elasticsearchUser") ?? withUser?.user
        let password = s.string("elasticsearchPassword") ?? withUser?.password
        if let key = s.string("elasticsearchApiKey") {
            guard user == nil else {
                throw EgError.config(at: "stanza [\(s.settings.stanza)]", "set either elasticsearchApiKey or elasticsearchUser/elasticsearchPassword, not both")
            }
            authorization = "ApiKey " + key
        } else if let user {
            authorization = "Basic " + Data("\(user):\(password ?? "")".utf8).base64EncodedString()
        }
        batchEvents = try s.int("elasticsearchBatchSize", default: 1000)
        guard batchEvents > 0 else { throw s.invalid("elasticsearchBatchSize", "a positive number of documents") }
        batchBytes = try s.int("elasticsearchBatchBytes", default: 5 << 20)
        guard batchBytes > 0 else { throw s.invalid("elasticsearchBatchBytes", "a positive number of bytes") }
        action = try s.choice("elasticsearchAction", ["index", "create"], default: "index")
        addMetadata = s.bool("elasticsearchAddMetadata", default: false)
        keepAnomaly = ctx.keepAnomaly
        identity = nodes.map { "\($0.endpoint)\($0.bulkPath)" }.joined(separator: ",") + " index=\(index)" + (user.map { " user=\($0)" } ?? "")
            + (action == "create" ? " create" : "") + (addMetadata ? " +metadata" : "")
    }

    /// Why `pattern` cannot name an Elasticsearch index (its literal characters must be lower case
    /// and free of `\ / * ? " < > | , #` and spaces), or nil.
    static func indexProblem(_ pattern: String) -> String? {
        let b = Array(pattern.utf8)
        if b.isEmpty { return "an index name or pattern such as smoke_event-%Y.%m.%d" }
        if b[0] == UInt8(ascii: "-") || b[0] == UInt8(ascii: "_") || b[0] == UInt8(ascii: "+") {
            return "an index name not starting with -, _ or +"
        }
        var i = 0
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "%") { i += 2; continue }   // a directive (Strftime checks the rest)
            if c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z") { return "a lower-case index name (Elasticsearch refuses upper case)" }
            if Array(#"\/*?"<>|, #"#.utf8).contains(c) { return "an index name without \\ / * ? \" < > | , # or spaces" }
            i += 1
        }
        return nil
    }
}

/// `elasticsearch` and `opensearch`: the `_bulk` API, on one node or several (`elasticsearchUrl`
/// with commas: requests go round robin, and a node whose request fails in a way worth retrying
/// leaves the rotation for `--cooldown` seconds while the others carry on). Each event becomes an action line
/// `{"index":{"_index":"<name>"}}` (the name from `elasticsearchIndex`, a strftime pattern applied
/// to the event's `_time` in UTC) and a document line: `_raw` itself when it is a JSON object, else
/// `{"@timestamp":..,"message":_raw,"host":..,"source":..,"sourcetype":..,"index":..}`. Requests
/// hold at most `elasticsearchBatchSize` documents and `elasticsearchBatchBytes` bytes. The delivery
/// policy retries connection errors, 429 and 5xx answers; in a bulk response with `"errors":true`
/// the items refused with 429 or 5xx are sent again (only those), the others (mapping errors and
/// other 4xx) are given up on with their error, so they are reported and dead-lettered.
final class ElasticsearchOutput: Output {
    let name: String
    let stats = OutputStats()
    private let config: ElasticsearchConfig
    private let retrier: Retrier
    /// `--insecure`: https without certificate verification.
    private let insecure: Bool
    private var pool: ServerPool<ElasticsearchConfig.Node>?
    private let headers: [(String, String)]
    private var indexName: StrftimeCache?
    private var fixedIndex: [UInt8] = []
    private var stamp = StrftimeCache(Strftime("%Y-%m-%dT%H:%M:%S"), zone: .utc)
    private var scratch: [UInt8] = []

    init(config: ElasticsearchConfig, policy: DeliveryPolicy, insecure: Bool, mode: String) {
        self.config = config
        self.insecure = insecure
        name = "\(mode):\(config.url) index=\(config.index)"
        retrier = policy.retrier(for: name, stats: stats)
        var h = [("Content-Type", "application/x-ndjson")]
        if let a = config.authorization { h.append(("Authorization", a)) }
        headers = h
        if config.index.contains("%") {
            indexName = StrftimeCache(Strftime(config.index), zone: .utc)
        }
        JSONWriter.appendString(config.index, to: &fixedIndex)
    }

    /// The nodes with their connections (made on first use).
    private func nodes() throws -> ServerPool<ElasticsearchConfig.Node> {
        if let pool { return pool }
        let policy = retrier.policy
        let members = try config.nodes.map {
            ServerPool<ElasticsearchConfig.Node>.Member(server: $0, transport: try makeTransport($0.endpoint, policy: policy, insecure: insecure))
        }
        let p = ServerPool(members, allowFailureCount: 1, cooldown: policy.cooldown, clock: policy.clock)
        pool = p
        return p
    }

    // MARK: Request bodies

    /// Appends one event's action and document lines.
    func appendItem(_ e: ShipEvent, now: EventTime, to o: inout [UInt8]) {
        o.append(contentsOf: #"{""#.utf8)
        o.append(contentsOf: config.action.utf8)
        o.append(contentsOf: #"":{"_index":"#.utf8)
        if indexName != nil {
            scratch.removeAll(keepingCapacity: true)
            indexName!.append(e.time ?? now, to: &scratch)
            scratch.withUnsafeBufferPointer { JSONWriter.appendString(bytes: $0, to: &o) }
        } else {
            o.append(contentsOf: fixedIndex)
        }
        o.append(contentsOf: "}}\n".utf8)
        appendDocument(e, now: now, to: &o)
        o.append(0x0A)
    }

    /// Appends the document of `e` (one line, no newline).
    func appendDocument(_ e: ShipEvent, now: EventTime, to o: inout [UInt8]) {
        var raw = e.trimmedRaw
        let anomaly = config.keepAnomaly ? e.record["anomaly"] : nil
        let done: Bool = raw.withUTF8 { b in
            var k = 0
            while k < b.count, b[k] == 0x20 || b[k] == 0x09 || b[k] == 0x0A || b[k] == 0x0D { k += 1 }
            guard k < b.count, b[k] == UInt8(ascii: "{") else { return false }
            let body = UnsafeBufferPointer(rebasing: b[k...])
            guard case .object(var fields)? = try? JSONParser.parse(body) else { return false }
            if !config.addMetadata && anomaly == nil && !body.contains(0x0A) && !body.contains(0x0D) {
                o.append(contentsOf: body)   // the JSON event as it was written
                return true
            }
            func add(_ key: String, _ value: JSONValue) {
                if !fields.contains(where: { $0.key == key }) { fields.append(JSONField(key, value)) }
            }
            if config.addMetadata {
                add("@timestamp", .string(timestampText(e.time ?? now)))
                add("host", .string(e.host))
                add("source", .string(e.source))
                add("sourcetype", .string(e.sourcetype))
                add("index", .string(e.index))
            }
            if let anomaly { add("anomaly", anomaly) }
            JSONWriter.appendObject(fields, to: &o)   // compact: one line
            return true
        }
        if done { return }
        o.append(contentsOf: #"{"@timestamp":""#.utf8)
        appendTimestamp(e.time ?? now, to: &o)
        o.append(contentsOf: #"","message":"#.utf8)
        raw.withUTF8 { JSONWriter.appendString(bytes: $0, to: &o) }
        o.append(contentsOf: #","host":"#.utf8)
        JSONWriter.appendString(e.host, to: &o)
        o.append(contentsOf: #","source":"#.utf8)
        JSONWriter.appendString(e.source, to: &o)
        o.append(contentsOf: #","sourcetype":"#.utf8)
        JSONWriter.appendString(e.sourcetype, to: &o)
        if e.record["index"] != nil {
            o.append(contentsOf: #","index":"#.utf8)
            JSONWriter.appendString(e.index, to: &o)
        }
        if let anomaly {
            o.append(contentsOf: #","anomaly":"#.utf8)
            JSONWriter.append(anomaly, to: &o)
        }
        o.append(UInt8(ascii: "}"))
    }

    /// RFC 3339 in UTC: `2023-11-14T22:13:20Z`, `.ffffff` only when the microseconds are not zero.
    private func appendTimestamp(_ t: EventTime, to o: inout [UInt8]) {
        stamp.append(t, to: &o)
        var us = t.microsecond
        if us != 0 {
            o.append(UInt8(ascii: "."))
            var digits = [UInt8](repeating: 48, count: 6)
            var k = 5
            while us > 0 && k >= 0 { digits[k] = UInt8(48 + us % 10); us /= 10; k -= 1 }
            o.append(contentsOf: digits)
        }
        o.append(UInt8(ascii: "Z"))
    }

    private func timestampText(_ t: EventTime) -> String {
        var o: [UInt8] = []
        appendTimestamp(t, to: &o)
        return String(decoding: o, as: UTF8.self)
    }

    // MARK: Delivery

    func write(_ batch: [ShipEvent]) -> [Undelivered] {
        let now = EventTime.now()
        var failed: [Undelivered] = []
        var k = 0
        var body: [UInt8] = []
        var ranges: [Range<Int>] = []
        while k < batch.count {
            body.removeAll(keepingCapacity: true)
            ranges.removeAll(keepingCapacity: true)
            var j = k
            while j < batch.count && ranges.count < config.batchEvents {
                let before = body.count
                appendItem(batch[j], now: now, to: &body)
                if !ranges.isEmpty && body.count > config.batchBytes {
                    body.removeSubrange(before...)
                    break
                }
                ranges.append(before..<body.count)
                j += 1
            }
            failed += bulk(batch[k..<j], body, ranges)
            k = j
        }
        return failed
    }

    /// Sends one `_bulk` request through the delivery policy, then again with only the documents
    /// that may still succeed; returns those given up on.
    private func bulk(_ events: ArraySlice<ShipEvent>, _ body: [UInt8], _ ranges: [Range<Int>]) -> [Undelivered] {
        var failed: [Undelivered] = []
        var pending = Array(0..<ranges.count)   // positions in `events`/`ranges` not yet delivered
        var payload = body
        let base = events.startIndex
        let reason = retrier.run { attempt in
            let pool: ServerPool<ElasticsearchConfig.Node>
            do { pool = try nodes() } catch { return Answer(error) }
            let m = pool.pick()
            let peer = "\(m.server.endpoint)"
            let response: HTTPResponse
            do {
                response = try m.transport.send(HTTPRequest(method: "POST", path: m.server.bulkPath, headers: headers, body: payload))
            } catch {
                return nodeFailed(m, pool, Answer(error))
            }
            guard response.isSuccess else { return nodeFailed(m, pool, Answer(response, from: peer)) }
            pool.succeeded(m)
            stats.bytes += payload.count
            switch BulkAnswer.parse(response.body, count: pending.count) {
            case .allDelivered:
                pending = []
                return .delivered
            case .unreadable(let why):
                // Unknown which documents were indexed: sending again could duplicate them.
                return .giveUp("\(peer): \(why): \(response.summary)")
            case .items(let outcomes):
                var again: [Int] = []
                var firstRetryable: String?
                for (n, outcome) in outcomes.enumerated() {
                    guard let item = outcome else { continue }
                    let p = pending[n]
                    if Answer.isRetryable(status: item.status) {
                        again.append(p)
                        if firstRetryable == nil { firstRetryable = item.text }
                    } else {
                        failed.append(Undelivered(event: events[base + p], reason: "rejected by \(peer): \(item.text)"))
                    }
                }
                pending = again
                guard let r = firstRetryable else { return .delivered }
                let more = attempt < retrier.policy.attempts
                Diagnostics.write("eg-ship: \(name): bulk response refused \(again.count) of \(outcomes.count) documents (first: \(r))\(more ? "; sending them again" : "")\n")
                payload.removeAll(keepingCapacity: true)
                for p in pending { payload.append(contentsOf: body[ranges[p]]) }
                return .retry("\(peer): \(r)")
            }
        }
        if let reason { failed += pending.map { Undelivered(event: events[base + $0], reason: reason) } }
        return failed
    }

    /// `answer` for a request `m` did not deliver: a retryable one takes `m` out of the rotation
    /// when there are other nodes (the next try goes to another).
    private func nodeFailed(_ m: ServerPool<ElasticsearchConfig.Node>.Member, _ pool: ServerPool<ElasticsearchConfig.Node>,
                            _ answer: Answer) -> Answer {
        if case .retry(let reason, _) = answer, pool.members.count > 1, pool.failed(m) {
            Diagnostics.write("eg-ship: \(name): \(m.server.endpoint) leaves rotation for \(formatSeconds(retrier.policy.cooldown)) s (\(reason))\n")
        }
        return answer
    }

    func close() throws { pool?.closeAll() }
}
