import Foundation
import Core

/// The settings of a `stormstream` output.
struct StormStreamConfig {
    var url: String
    var endpoint: HTTPEndpoint
    var path: String
    var projectID: String
    var accessToken: String

    init(_ s: SampleSettings) throws {
        url = s.string("stormstreamUrl", default: "https://api.splunkstorm.com/1/inputs/http")
        guard let u = URLComponents(string: url), let scheme = u.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = u.host else {
            throw s.invalid("stormstreamUrl", "an http or https URL")
        }
        endpoint = HTTPEndpoint(scheme: scheme, host: host, port: u.port ?? (scheme == "https" ? 443 : 80))
        path = u.path.isEmpty ? "/" : u.path
        guard let p = s.string("projectID"), let t = s.string("accessToken") else {
            throw EgError.config(at: "stanza [\(s.settings.stanza)]", "outputMode = stormstream needs projectID and accessToken")
        }
        projectID = p
        accessToken = t
    }
}

/// `stormstream`: the legacy Splunk Storm REST input. Each batch's events, grouped by metadata,
/// are POSTed as newline-joined raw text to `stormstreamUrl?index=<projectID>&host=..&source=..
/// &sourcetype=..` with HTTP basic authentication `x:<accessToken>`, as eventgen v4 did; the
/// delivery policy retries connection errors, 429 and 5xx.
final class StormStreamOutput: Output {
    let name: String
    let stats = OutputStats()
    private let config: StormStreamConfig
    private let retrier: Retrier
    /// `--insecure`: https without certificate verification.
    private let insecure: Bool
    private var transport: HTTPTransport?

    init(config: StormStreamConfig, policy: DeliveryPolicy, insecure: Bool) {
        self.config = config
        self.insecure = insecure
        self.name = "stormstream:\(config.url)"
        retrier = policy.retrier(for: name, stats: stats)
    }

    func write(_ batch: [ShipEvent]) -> [Undelivered] {
        var failed: [Undelivered] = []
        let auth = "Basic " + Data("x:\(config.accessToken)".utf8).base64EncodedString()
        for group in MetadataGroups(batch).groups {
            let e = batch[group[0]]
            let query = formEncode([("index", config.projectID), ("host", e.host), ("source", e.source), ("sourcetype", e.sourcetype)])
            var body: [UInt8] = []
            for k in group { batch[k].appendLine(to: &body) }
            let reason = retrier.run { _ in
                do {
                    if transport == nil { transport = try makeTransport(config.endpoint, policy: retrier.policy, insecure: insecure) }
                    let r = try transport!.send(HTTPRequest(method: "POST", path: config.path + "?" + query,
                        headers: [("Authorization", auth), ("Content-Type", "text/plain")], body: body))
                    return Answer(r, from: "\(config.endpoint)")
                } catch {
                    return Answer(error)
                }
            }
            if let reason { failed += group.map { Undelivered(event: batch[$0], reason: reason) } } else { stats.bytes += body.count }
        }
        return failed
    }

    func close() throws { transport?.close() }
}
