import Foundation
import Core

/// The settings of a `splunkstream` output.
struct SplunkStreamConfig {
    var hosts: [String]
    var port: Int
    var scheme: String
    var user: String?
    var password: String?
    var sessionKey: String?
    var allowFailureCount: Int
    var identity: String

    init(_ s: SampleSettings) throws {
        guard let h = s.string("splunkHost") else {
            throw EgError.config(at: "stanza [\(s.settings.stanza)]", "outputMode = splunkstream needs splunkHost (a host or a JSON list of hosts)")
        }
        if h.hasPrefix("[") {
            guard case .array(let items)? = try? JSONParser.parse(h), !items.isEmpty,
                  items.allSatisfy({ $0.stringValue != nil }) else {
                throw s.invalid("splunkHost", "a host name or a JSON list of host names")
            }
            hosts = items.compactMap(\.stringValue)
        } else {
            hosts = [h]
        }
        port = try s.port("splunkPort", default: 8089)
        scheme = try s.choice("splunkMethod", ["http", "https"], default: "https")
        user = s.string("splunkUser")
        password = s.string("splunkPass")
        sessionKey = s.string("sessionKey")
        if sessionKey == nil && (user == nil || password == nil) {
            throw EgError.config(at: "stanza [\(s.settings.stanza)]", "outputMode = splunkstream needs splunkUser and splunkPass (or sessionKey)")
        }
        allowFailureCount = try s.int("httpeventAllowFailureCount", default: 3)
        identity = "\(scheme)://" + hosts.joined(separator: ",") + ":\(port)"
    }
}

/// `splunkstream`: logs in at `/services/auth/login` (`splunkUser`/`splunkPass`; or uses the given
/// `sessionKey`), then POSTs each batch's events, grouped by index, host, source and sourcetype
/// (in order of first appearance), as newline-joined raw text to
/// `/services/receivers/simple?index=..&host=..&source=..&sourcetype=..` with
/// `Authorization: Splunk <sessionKey>`. A JSON list in `splunkHost` is used round robin; a 401
/// logs in again once; the delivery policy retries connection errors, 429 and 5xx on the next host.
final class SplunkStreamOutput: Output {
    let name: String
    let stats = OutputStats()
    private let config: SplunkStreamConfig
    private let retrier: Retrier
    /// `--insecure`: https without certificate verification.
    private let insecure: Bool
    private var pool: ServerPool<String>?
    /// Session keys per host (a key from one Splunk is not valid on another).
    private var keys: [String: String] = [:]

    init(config: SplunkStreamConfig, policy: DeliveryPolicy, insecure: Bool) {
        self.config = config
        self.insecure = insecure
        self.name = "splunkstream:" + config.identity
        retrier = policy.retrier(for: name, stats: stats)
    }

    private func servers() throws -> ServerPool<String> {
        if let pool { return pool }
        let policy = retrier.policy
        let members = try config.hosts.map {
            ServerPool<String>.Member(server: $0, transport: try makeTransport(
                HTTPEndpoint(scheme: config.scheme, host: $0, port: config.port), policy: policy, insecure: insecure))
        }
        let p = ServerPool(members, allowFailureCount: config.allowFailureCount, cooldown: policy.cooldown, clock: policy.clock)
        pool = p
        return p
    }

    /// A session key for `m`: the configured one, or one from `/services/auth/login`.
    private func sessionKey(_ m: ServerPool<String>.Member) throws -> String {
        if let k = config.sessionKey { return k }
        if let k = keys[m.server] { return k }
        let body = formEncode([("username", config.user ?? ""), ("password", config.password ?? "")])
        let r = try m.transport.send(HTTPRequest(method: "POST", path: "/services/auth/login",
            headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Array(body.utf8)))
        guard r.isSuccess else {
            throw EgError.runtime(at: "\(config.scheme)://\(m.server):\(config.port)", "login failed: \(r.summary)")
        }
        guard let key = Self.sessionKey(in: r.bodyText) else {
            throw EgError.runtime(at: "\(config.scheme)://\(m.server):\(config.port)", "login response has no <sessionKey>")
        }
        keys[m.server] = key
        return key
    }

    /// The text of `<sessionKey>...</sessionKey>` in a login response.
    static func sessionKey(in xml: String) -> String? {
        guard let open = xml.range(of: "<sessionKey>"),
              let close = xml.range(of: "</sessionKey>", range: open.upperBound..<xml.endIndex) else { return nil }
        let k = String(xml[open.upperBound..<close.lowerBound]).trimmed(" \n\r\t")
        return k.isEmpty ? nil : k
    }

    func write(_ batch: [ShipEvent]) -> [Undelivered] {
        let pool: ServerPool<String>
        do { pool = try servers() } catch {
            return batch.map { Undelivered(event: $0, reason: describe(error)) }
        }
        var failed: [Undelivered] = []
        for group in MetadataGroups(batch).groups {
            let e = batch[group[0]]
            let query = formEncode([("index", e.index), ("host", e.host), ("source", e.source), ("sourcetype", e.sourcetype)])
            var body: [UInt8] = []
            for k in group { batch[k].appendLine(to: &body) }
            if let reason = deliver("/services/receivers/simple?" + query, body, pool) {
                failed += group.map { Undelivered(event: batch[$0], reason: reason) }
            } else {
                stats.bytes += body.count
            }
        }
        return failed
    }

    /// Sends one group through the delivery policy; a 401 with a login of ours logs in again once.
    private func deliver(_ path: String, _ body: [UInt8], _ pool: ServerPool<String>) -> String? {
        var relogged = false
        return retrier.run { _ in
            let m = pool.pick()
            let peer = "\(config.scheme)://\(m.server):\(config.port)"
            let answer: Answer
            do {
                var r = try m.transport.send(HTTPRequest(method: "POST", path: path,
                    headers: [("Authorization", "Splunk \(try sessionKey(m))")], body: body))
                if r.status == 401 && config.sessionKey == nil && !relogged {
                    keys[m.server] = nil
                    relogged = true
                    r = try m.transport.send(HTTPRequest(method: "POST", path: path,
                        headers: [("Authorization", "Splunk \(try sessionKey(m))")], body: body))
                }
                answer = Answer(r, from: peer)
            } catch {
                answer = Answer(error)
            }
            switch answer {
            case .delivered: pool.succeeded(m)
            case .retry: _ = pool.failed(m)
            case .giveUp: break
            }
            return answer
        }
    }

    func close() throws { pool?.closeAll() }
}

/// A batch's events grouped by (index, host, source, sourcetype), groups in order of first
/// appearance, events in order within each group.
struct MetadataGroups {
    var groups: [[Int]] = []

    init(_ batch: [ShipEvent]) {
        var where_: [String: Int] = [:]
        for (k, e) in batch.enumerated() {
            let key = "\(e.index)\u{0}\(e.host)\u{0}\(e.source)\u{0}\(e.sourcetype)"
            if let g = where_[key] { groups[g].append(k) } else {
                where_[key] = groups.count
                groups.append([k])
            }
        }
    }
}
