import Foundation
import Core

/// The settings of a generic `http` output (Eventum's http output).
struct HTTPOutputConfig {
    var url: String
    var endpoint: HTTPEndpoint
    /// Path with the query string.
    var path: String
    var method: String
    /// Headers from `httpHeaders` (a JSON object), plus basic authentication when set.
    var headers: [(String, String)]
    /// The status that means success; nil: any 2xx.
    var successCode: Int?
    /// What a request carries.
    var format: Format
    var keepAnomaly: Bool
    /// `raw` bodies are `_raw` exactly, trailing whitespace included (an Eventum generator's http output).
    var verbatim: Bool
    var identity: String

    /// One request per batch (a JSON array of the events), or one per event.
    enum Format: String {
        /// `[event, event, ...]` per batch.
        case jsonBatch = "json-batch"
        /// One request per event, the event as a JSON object.
        case json
        /// One request per event, `_raw` as text.
        case raw
    }

    init(_ s: SampleSettings, _ ctx: OutputContext) throws {
        guard let u0 = s.string("httpUrl") else {
            throw EgError.config(at: "stanza [\(s.settings.stanza)]", "outputMode = http needs httpUrl, e.g. http://127.0.0.1:8080/ingest")
        }
        url = u0
        guard let u = URLComponents(string: url), let scheme = u.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = u.host, !host.isEmpty else {
            throw s.invalid("httpUrl", "an http or https URL such as https://collector.example.com/ingest")
        }
        endpoint = ctx.tweaks.endpoint(scheme: scheme, host: host, port: u.port ?? (scheme == "https" ? 443 : 80))
        path = (u.percentEncodedPath.isEmpty ? "/" : u.percentEncodedPath) + (u.percentEncodedQuery.map { "?" + $0 } ?? "")
        method = try s.choice("httpMethod", ["post", "put", "patch"], default: "post").uppercased()
        format = Format(rawValue: try s.choice("httpFormat", ["json-batch", "json", "raw"], default: "json-batch"))!
        headers = [("Content-Type", format == .raw ? "text/plain" : "application/json")]
        if let h = s.string("httpHeaders") {
            guard case .object(let fields)? = try? JSONParser.parse(h),
                  fields.allSatisfy({ $0.value.text != nil && !$0.key.isEmpty && !$0.key.contains(":") }) else {
                throw s.invalid("httpHeaders", "a JSON object of header names and values, e.g. {\"X-Token\":\"abc\"}")
            }
            for f in fields {
                headers.removeAll { $0.0.lowercased() == f.key.lowercased() }
                headers.append((f.key, f.value.text!))
            }
        }
        if let user = s.string("httpUser") ?? u.user {
            let password = s.string("httpPassword") ?? u.password ?? ""
            Secrets.register(password)
            headers.append(("Authorization", "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()))
        }
        if s.string("httpSuccessCode") != nil {
            let code = try s.int("httpSuccessCode", default: 200)
            guard (100...599).contains(code) else { throw s.invalid("httpSuccessCode", "an HTTP status from 100 to 599") }
            successCode = code
        }
        keepAnomaly = ctx.keepAnomaly
        verbatim = ctx.tweaks.verbatim
        identity = "\(endpoint)\(path) \(method) \(format.rawValue)" + (verbatim ? " verbatim" : "")
    }
}

/// `http`: sends events to any HTTP endpoint. `httpFormat = json-batch` (the default) POSTs each
/// batch as one JSON array, `json` one request per event with the event as a JSON object, `raw`
/// one request per event with `_raw` as text (without trailing whitespace, except for an Eventum
/// generator's output, whose formatted text is sent as it is). An event's JSON is `_raw` itself when it is a JSON
/// object, else its whole record (without `anomaly` unless `--keep-anomaly`). The answer counts as
/// success when its status is `httpSuccessCode` (default: any 2xx); the delivery policy retries
/// connection errors, 429 and 5xx and gives up on the rest.
final class HTTPOutput: Output {
    let name: String
    let stats = OutputStats()
    private let config: HTTPOutputConfig
    private let retrier: Retrier
    private let insecure: Bool
    private var transport: HTTPTransport?

    init(config: HTTPOutputConfig, policy: DeliveryPolicy, insecure: Bool) {
        self.config = config
        self.insecure = insecure
        name = "http:\(config.url)"
        retrier = policy.retrier(for: name, stats: stats)
    }

    /// Appends the JSON of `e`: `_raw` when it is a JSON object, else the record.
    func appendJSON(_ e: ShipEvent, to o: inout [UInt8]) {
        var raw = e.trimmedRaw
        let isObject: Bool = raw.withUTF8 { b in
            var k = 0
            while k < b.count, b[k] == 0x20 || b[k] == 0x09 || b[k] == 0x0A || b[k] == 0x0D { k += 1 }
            guard k < b.count, b[k] == UInt8(ascii: "{"), let v = try? JSONParser.parse(UnsafeBufferPointer(rebasing: b[k...])),
                  case .object = v else { return false }
            JSONWriter.append(v, to: &o)
            return true
        }
        if isObject { return }
        e.appendJSONLine(keepAnomaly: config.keepAnomaly, to: &o)
        if o.last == 0x0A { o.removeLast() }
    }

    func write(_ batch: [ShipEvent]) -> [Undelivered] {
        if config.format == .jsonBatch {
            var body: [UInt8] = [UInt8(ascii: "[")]
            for (k, e) in batch.enumerated() {
                if k > 0 { body.append(UInt8(ascii: ",")) }
                appendJSON(e, to: &body)
            }
            body.append(UInt8(ascii: "]"))
            guard let reason = deliver(body) else { return [] }
            return batch.map { Undelivered(event: $0, reason: reason) }
        }
        var failed: [Undelivered] = []
        var body: [UInt8] = []
        for e in batch {
            body.removeAll(keepingCapacity: true)
            if config.format == .json {
                appendJSON(e, to: &body)
            } else if config.verbatim {
                body.append(contentsOf: e.raw.utf8)
            } else {
                var t = e.trimmedRaw
                t.withUTF8 { body.append(contentsOf: $0) }
            }
            if let reason = deliver(body) { failed.append(Undelivered(event: e, reason: reason)) }
        }
        return failed
    }

    /// Sends one request through the delivery policy; nil when delivered, else why not.
    private func deliver(_ body: [UInt8]) -> String? {
        let peer = "\(config.endpoint)"
        let reason = retrier.run { _ in
            do {
                if transport == nil { transport = try makeTransport(config.endpoint, policy: retrier.policy, insecure: insecure) }
                let r = try transport!.send(HTTPRequest(method: config.method, path: config.path, headers: config.headers, body: body))
                guard let expected = config.successCode, r.isSuccess || r.status == expected else { return Answer(r, from: peer) }
                return r.status == expected ? .delivered : .giveUp("\(peer): \(r.summary) (httpSuccessCode is \(expected))")
            } catch {
                return Answer(error)
            }
        }
        if reason == nil { stats.bytes += body.count }
        return reason
    }

    func close() throws { transport?.close() }
}
