import Core

/// A small HTTP/1.1 client over one keep-alive TCP connection (POSIX sockets): `Content-Length`
/// requests; `Content-Length`, chunked or close-delimited responses. Any error closes the connection;
/// the next request opens a new one.
final class HTTPConnection: HTTPTransport {
    let endpoint: HTTPEndpoint
    private let timeout: Double
    private let shutdown: Shutdown
    private var socket: Socket?
    private var buffer: [UInt8] = []
    private var chunk = [UInt8](repeating: 0, count: 1 << 16)

    init(endpoint: HTTPEndpoint, timeout: Double, shutdown: Shutdown) {
        self.endpoint = endpoint
        self.timeout = timeout
        self.shutdown = shutdown
    }

    func close() {
        socket?.close()
        socket = nil
    }

    func send(_ request: HTTPRequest) throws -> HTTPResponse {
        if let s = socket, !s.isOpen || s.peerClosed { close() }
        let s: Socket
        if let existing = socket { s = existing } else {
            s = try Socket.connect(host: endpoint.host, port: endpoint.port, kind: .tcp, timeout: timeout, shutdown: shutdown)
            socket = s
            buffer.removeAll()
        }
        var head = "\(request.method) \(request.path) HTTP/1.1\r\nHost: \(endpoint.host):\(endpoint.port)\r\n"
        head += "User-Agent: eg-ship/\(EgVersion.string)\r\nContent-Length: \(request.body.count)\r\n"
        for (k, v) in request.headers { head += "\(k): \(v)\r\n" }
        head += "\r\n"
        var wire = Array(head.utf8)
        wire.append(contentsOf: request.body)
        do {
            try s.send(wire)
            let response = try readResponse(s, method: request.method)
            if response.header("Connection")?.lowercased() == "close" { close() }
            return response
        } catch {
            close()
            throw error
        }
    }

    private func fill(_ s: Socket) throws -> Bool {
        let n = try chunk.withUnsafeMutableBytes { try s.receive(into: $0.baseAddress!, count: $0.count) }
        if n == 0 { return false }
        buffer.append(contentsOf: chunk[0..<n])
        return true
    }

    private func closedEarly() -> EgError {
        EgError.runtime(at: endpoint.description, "connection closed before a complete response")
    }

    /// Reads one line ending in CRLF from the buffer (filling as needed), without the CRLF.
    private func line(_ s: Socket) throws -> String {
        while true {
            if let k = indexOfCRLF() {
                let l = String(decoding: buffer[0..<k], as: UTF8.self)
                buffer.removeFirst(k + 2)
                return l
            }
            if buffer.count > 1 << 16 { throw EgError.runtime(at: endpoint.description, "response header line too long") }
            guard try fill(s) else { throw closedEarly() }
        }
    }

    private func indexOfCRLF() -> Int? {
        var k = 0
        while k + 1 < buffer.count {
            if buffer[k] == 0x0D && buffer[k + 1] == 0x0A { return k }
            k += 1
        }
        return nil
    }

    private func take(_ n: Int, _ s: Socket) throws -> [UInt8] {
        while buffer.count < n { guard try fill(s) else { throw closedEarly() } }
        let out = Array(buffer[0..<n])
        buffer.removeFirst(n)
        return out
    }

    private func readResponse(_ s: Socket, method: String) throws -> HTTPResponse {
        var statusLine = try line(s)
        var response: HTTPResponse
        while true {
            let parts = statusLine.split(separator: " ", maxSplits: 2)
            guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), let code = Int(parts[1]) else {
                throw EgError.runtime(at: endpoint.description, "malformed HTTP status line '\(statusLine.prefix(80))'")
            }
            response = HTTPResponse(status: code)
            while true {
                let h = try line(s)
                if h.isEmpty { break }
                if let colon = h.firstIndex(of: ":") {
                    response.headers.append((String(h[..<colon]),
                                             String(h[h.index(after: colon)...]).trimmed(" \t")))
                }
            }
            if code >= 100 && code < 200 { statusLine = try line(s); continue }   // 100 Continue
            break
        }
        if method == "HEAD" || response.status == 204 || response.status == 304 { return response }
        if response.header("Transfer-Encoding")?.lowercased().contains("chunked") == true {
            while true {
                let sizeLine = try line(s)
                let hex = sizeLine.split(separator: ";").first.map(String.init)?.trimmed(" ") ?? ""
                guard let size = Int(hex, radix: 16) else {
                    throw EgError.runtime(at: endpoint.description, "malformed chunk size '\(sizeLine.prefix(40))'")
                }
                if size == 0 {
                    while try !line(s).isEmpty {}   // trailers
                    break
                }
                response.body.append(contentsOf: try take(size, s))
                _ = try take(2, s)
            }
        } else if let lengthText = response.header("Content-Length") {
            guard let length = Int(lengthText.trimmed(" ")), length >= 0 else {
                throw EgError.runtime(at: endpoint.description, "malformed Content-Length '\(lengthText)'")
            }
            response.body = try take(length, s)
        } else {
            while try fill(s) {}
            response.body = buffer
            buffer.removeAll()
            close()
        }
        return response
    }
}

extension String {
    /// The string without leading and trailing characters from `set` (no Foundation needed).
    func trimmed(_ set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s.removeFirst() }
        while let l = s.last, set.contains(l) { s.removeLast() }
        return String(s)
    }
}
