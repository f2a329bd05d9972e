import Core

/// Where an HTTP output sends: scheme, host and port.
struct HTTPEndpoint: Hashable, CustomStringConvertible {
    var scheme: String
    var host: String
    var port: Int
    /// CA certificates https peers are verified against instead of the system's (Eventum's `ca_cert`).
    var caFile: String? = nil
    /// The client certificate and its key (PEM files) https presents (Eventum's `client_cert`, `client_cert_key`).
    var clientCert: String? = nil
    var clientKey: String? = nil
    /// An HTTP(S) proxy every request goes through (Eventum's `proxy_url`).
    var proxy: String? = nil

    var description: String { "\(scheme)://\(host):\(port)" }
}

/// An HTTP request as eg-ship sends it.
struct HTTPRequest {
    var method: String
    /// Path with the query string, e.g. `/services/collector`.
    var path: String
    var headers: [(String, String)] = []
    var body: [UInt8] = []
}

/// A received HTTP response.
struct HTTPResponse {
    var status: Int
    var headers: [(String, String)] = []
    var body: [UInt8] = []

    /// A header's value (case-insensitive name).
    func header(_ name: String) -> String? {
        let n = name.lowercased()
        return headers.first { $0.0.lowercased() == n }?.1
    }

    var bodyText: String { String(decoding: body, as: UTF8.self) }

    var isSuccess: Bool { (200..<300).contains(status) }

    /// A short description for messages: `HTTP 503: <first 200 bytes of the body>`.
    var summary: String {
        let text = bodyText.prefix(200).replacingOccurrences(of: "\n", with: " ")
        return "HTTP \(status)" + (text.isEmpty ? "" : ": \(text)")
    }
}

/// Sends HTTP requests to one endpoint, reusing its connection.
protocol HTTPTransport: AnyObject {
    func send(_ request: HTTPRequest) throws -> HTTPResponse
    func close()
}

/// Percent-encodes a query or form value (RFC 3986 unreserved characters kept).
func percentEncode(_ s: String) -> String {
    var out = ""
    for b in s.utf8 {
        switch b {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
             UInt8(ascii: "_"), UInt8(ascii: "~"):
            out.unicodeScalars.append(Unicode.Scalar(b))
        default:
            out += "%" + String(b >> 4, radix: 16, uppercase: true) + String(b & 15, radix: 16, uppercase: true)
        }
    }
    return out
}

/// `k1=v1&k2=v2` with percent-encoded values.
func formEncode(_ pairs: [(String, String)]) -> String {
    pairs.map { "\($0.0)=\(percentEncode($0.1))" }.joined(separator: "&")
}

/// Builds a transport for `endpoint`: plain http over eg's socket client, https (and any request
/// through a proxy) through libcurl (TLS verified against the system trust store unless `insecure`). Both wait at most the
/// policy's timeout per request and stop at its shutdown deadline.
func makeTransport(_ endpoint: HTTPEndpoint, policy: DeliveryPolicy, insecure: Bool) throws -> HTTPTransport {
    switch endpoint.scheme {
    case "http" where endpoint.proxy == nil: return HTTPConnection(endpoint: endpoint, timeout: policy.timeout, shutdown: policy.shutdown)
    case "http", "https": return CurlTransport(endpoint: endpoint, timeout: policy.timeout, shutdown: policy.shutdown, insecure: insecure)
    default: throw EgError.config("unknown protocol '\(endpoint.scheme)' for \(endpoint.host): expected http or https")
    }
}
