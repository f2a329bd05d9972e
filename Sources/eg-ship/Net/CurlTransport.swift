import CCurl
import Core

/// https (and http through a proxy: `HTTPEndpoint.proxy`, https tunnelled with CONNECT) through
/// libcurl's easy interface: one easy handle per server, reused so the TLS connection is kept
/// alive between requests. Certificates are verified against the system trust
/// store unless `insecure` (`--insecure`) turns verification of the peer and its name off. A
/// transfer lasts at most the timeout and is aborted (by libcurl's progress callback) when the
/// run's shutdown deadline passes.
final class CurlTransport: HTTPTransport {
    let endpoint: HTTPEndpoint
    private let timeout: Double
    private let shutdown: Shutdown
    private let insecure: Bool
    private var handle: UnsafeMutableRawPointer?
    /// libcurl's CURLOPT_ERRORBUFFER: the detailed text of the last failure.
    private let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)

    /// `curl_global_init` once per process, before the first handle.
    private static let initialized: Bool = eg_curl_global_init() == CURLE_OK

    init(endpoint: HTTPEndpoint, timeout: Double, shutdown: Shutdown, insecure: Bool) {
        self.endpoint = endpoint
        self.timeout = timeout
        self.shutdown = shutdown
        self.insecure = insecure
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        close()
        errorBuffer.deallocate()
    }

    func close() {
        if let h = handle { curl_easy_cleanup(h) }
        handle = nil
    }

    /// What the write callbacks collect for one response.
    private final class Collector {
        var status = 0
        var headers: [(String, String)] = []
        var body: [UInt8] = []
    }

    /// The easy handle with the per-server options set (created on first use).
    private func easyHandle() throws -> UnsafeMutableRawPointer {
        if let h = handle { return h }
        guard Self.initialized, let h = curl_easy_init() else {
            throw EgError.runtime(at: endpoint.description, "cannot initialise libcurl")
        }
        let ms = max(1, Int(timeout * 1000))
        _ = eg_curl_set_long(h, CURLOPT_NOSIGNAL, 1)
        _ = eg_curl_set_long(h, CURLOPT_CONNECTTIMEOUT_MS, ms)
        _ = eg_curl_set_long(h, CURLOPT_TIMEOUT_MS, ms)
        _ = eg_curl_set_long(h, CURLOPT_TCP_KEEPALIVE, 1)
        _ = eg_curl_set_ptr(h, CURLOPT_ERRORBUFFER, errorBuffer)
        // The progress callback aborts a transfer once the shutdown deadline has passed.
        _ = eg_curl_set_long(h, CURLOPT_NOPROGRESS, 0)
        _ = eg_curl_set_ptr(h, CURLOPT_XFERINFODATA, Unmanaged.passUnretained(shutdown).toOpaque())
        _ = eg_curl_set_xferinfo(h) { user, _, _, _, _ in
            guard let user else { return 0 }
            return Unmanaged<Shutdown>.fromOpaque(user).takeUnretainedValue().expired ? 1 : 0
        }
        _ = eg_curl_set_long(h, CURLOPT_SSL_VERIFYPEER, insecure ? 0 : 1)
        // 2 is libcurl's "check the name" value (1 means the same since 7.66).
        _ = eg_curl_set_long(h, CURLOPT_SSL_VERIFYHOST, insecure ? 0 : 2)
        if let ca = endpoint.caFile { _ = ca.withCString { eg_curl_set_ptr(h, CURLOPT_CAINFO, $0) } }
        if let cert = endpoint.clientCert { _ = cert.withCString { eg_curl_set_ptr(h, CURLOPT_SSLCERT, $0) } }
        if let key = endpoint.clientKey { _ = key.withCString { eg_curl_set_ptr(h, CURLOPT_SSLKEY, $0) } }
        if let proxy = endpoint.proxy { _ = proxy.withCString { eg_curl_set_ptr(h, CURLOPT_PROXY, $0) } }
        _ = "eg-ship/\(EgVersion.string)".withCString { eg_curl_set_ptr(h, CURLOPT_USERAGENT, $0) }   // libcurl copies strings
        _ = eg_curl_set_write(h, CURLOPT_WRITEFUNCTION) { data, size, count, user in
            let n = size * count
            guard let data, let user else { return n }
            let c = Unmanaged<Collector>.fromOpaque(user).takeUnretainedValue()
            data.withMemoryRebound(to: UInt8.self, capacity: n) { c.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: n)) }
            return n
        }
        _ = eg_curl_set_write(h, CURLOPT_HEADERFUNCTION) { data, size, count, user in
            let n = size * count
            guard let data, let user else { return n }
            let c = Unmanaged<Collector>.fromOpaque(user).takeUnretainedValue()
            let line = data.withMemoryRebound(to: UInt8.self, capacity: n) {
                String(decoding: UnsafeBufferPointer(start: $0, count: n), as: UTF8.self)
            }.trimmed("\r\n")
            if line.hasPrefix("HTTP/") {
                // A new status line (after 100 Continue or a redirect) starts a new header block.
                c.headers.removeAll()
                let parts = line.split(separator: " ", maxSplits: 2)
                c.status = parts.count >= 2 ? Int(parts[1]) ?? 0 : 0
            } else if let colon = line.firstIndex(of: ":") {
                c.headers.append((String(line[..<colon]), String(line[line.index(after: colon)...]).trimmed(" \t")))
            }
            return n
        }
        handle = h
        return h
    }

    func send(_ request: HTTPRequest) throws -> HTTPResponse {
        let h = try easyHandle()
        let collector = Collector()
        let url = "\(endpoint.scheme)://\(endpoint.host):\(endpoint.port)\(request.path)"
        var list: UnsafeMutablePointer<curl_slist>?
        // No `Expect: 100-continue` round trip for large bodies.
        for line in request.headers.map({ "\($0.0): \($0.1)" }) + ["Expect:"] {
            list = line.withCString { curl_slist_append(list, $0) }
        }
        defer { curl_slist_free_all(list) }
        let user = Unmanaged.passUnretained(collector).toOpaque()
        // This transfer's time limit: the timeout, cut to what is left before the shutdown deadline.
        let left = shutdown.limit(timeout) - shutdown.clock.now()
        guard left > 0 else { throw EgError.runtime(at: endpoint.description, "request failed: shutdown timeout reached") }
        _ = eg_curl_set_long(h, CURLOPT_TIMEOUT_MS, max(1, Int(left * 1000)))
        let code: CURLcode = withExtendedLifetime(collector) {
            url.withCString { _ = eg_curl_set_ptr(h, CURLOPT_URL, $0) }
            _ = eg_curl_set_ptr(h, CURLOPT_HTTPHEADER, list)
            _ = eg_curl_set_ptr(h, CURLOPT_WRITEDATA, user)
            _ = eg_curl_set_ptr(h, CURLOPT_HEADERDATA, user)
            errorBuffer[0] = 0
            if request.method == "GET" && request.body.isEmpty {
                _ = eg_curl_set_ptr(h, CURLOPT_CUSTOMREQUEST, nil)
                _ = eg_curl_set_long(h, CURLOPT_HTTPGET, 1)
                return curl_easy_perform(h)
            }
            _ = eg_curl_set_long(h, CURLOPT_POST, 1)
            if request.method == "POST" {
                _ = eg_curl_set_ptr(h, CURLOPT_CUSTOMREQUEST, nil)
            } else {
                _ = request.method.withCString { eg_curl_set_ptr(h, CURLOPT_CUSTOMREQUEST, $0) }
            }
            return request.body.withUnsafeBytes { body in
                // POSTFIELDS is not copied: it must stay valid until perform returns.
                _ = eg_curl_set_off(h, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
                _ = eg_curl_set_ptr(h, CURLOPT_POSTFIELDS, body.count > 0 ? body.baseAddress : UnsafeRawPointer(("" as StaticString).utf8Start))
                let code = curl_easy_perform(h)
                _ = eg_curl_set_ptr(h, CURLOPT_POSTFIELDS, nil)
                return code
            }
        }
        _ = eg_curl_set_ptr(h, CURLOPT_HTTPHEADER, nil)
        guard code == CURLE_OK else {
            let detail = String(cString: errorBuffer)
            let text = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
            // A failed transfer may leave the connection in an unknown state: start afresh.
            close()
            if code == CURLE_PEER_FAILED_VERIFICATION || code == CURLE_SSL_CACERT_BADFILE || code == CURLE_SSL_ISSUER_ERROR {
                throw CertificateRefused(description: "\(endpoint): TLS certificate verification failed (\(text)); use --insecure to skip")
            }
            if code == CURLE_SSL_CERTPROBLEM {
                throw CertificateRefused(description: "\(endpoint): the client certificate cannot be used (\(text))")
            }
            if code == CURLE_ABORTED_BY_CALLBACK {
                throw EgError.runtime(at: endpoint.description, "request failed: shutdown timeout reached")
            }
            throw EgError.runtime(at: endpoint.description, "request failed: \(text)")
        }
        var status = 0
        _ = eg_curl_response_code(h, &status)
        return HTTPResponse(status: status != 0 ? status : collector.status, headers: collector.headers, body: collector.body)
    }
}

/// The server's certificate was not trusted, or ours cannot be used: retrying will not help.
struct CertificateRefused: NotRetryable, CustomStringConvertible {
    var description: String
}
