import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Core

/// https through Foundation's URLSession (libcurl on Linux): TLS is verified against the system
/// trust store, connections are kept alive by the session.
final class URLSessionTransport: HTTPTransport {
    let endpoint: HTTPEndpoint
    private let session: URLSession
    private let timeout: Double

    init(endpoint: HTTPEndpoint, timeout: Double) {
        self.endpoint = endpoint
        self.timeout = timeout
        let config = URLSessionConfiguration.ephemeral
        config.timeoutIntervalForRequest = timeout
        config.httpMaximumConnectionsPerHost = 1
        session = URLSession(configuration: config)
    }

    /// The outcome handed from URLSession's queue back to the caller.
    private final class Outcome: @unchecked Sendable {
        var response: HTTPResponse?
        var error: Error?
    }

    func send(_ request: HTTPRequest) throws -> HTTPResponse {
        guard let url = URL(string: "\(endpoint.scheme)://\(endpoint.host):\(endpoint.port)\(request.path)") else {
            throw EgError.config(at: endpoint.description, "cannot form a URL for path \(request.path)")
        }
        var r = URLRequest(url: url, timeoutInterval: timeout)
        r.httpMethod = request.method
        r.setValue("eg-ship/\(EgVersion.string)", forHTTPHeaderField: "User-Agent")
        for (k, v) in request.headers { r.setValue(v, forHTTPHeaderField: k) }
        r.httpBody = Data(request.body)
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        let task = session.dataTask(with: r) { data, response, error in
            if let http = response as? HTTPURLResponse {
                var headers: [(String, String)] = []
                for (k, v) in http.allHeaderFields { headers.append(("\(k)", "\(v)")) }
                outcome.response = HTTPResponse(status: http.statusCode, headers: headers, body: data.map { [UInt8]($0) } ?? [])
            } else {
                outcome.error = error
            }
            done.signal()
        }
        task.resume()
        done.wait()
        if let response = outcome.response { return response }
        throw EgError.runtime(at: endpoint.description, "request failed: \(outcome.error.map { $0.localizedDescription } ?? "no response")")
    }

    func close() { session.finishTasksAndInvalidate() }
}
