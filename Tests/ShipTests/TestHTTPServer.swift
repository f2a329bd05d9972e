import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A protocol-faithful HTTP/1.1 test server on loopback (POSIX sockets, one thread per connection):
/// parses request line, headers and a Content-Length body, keeps connections alive, records every
/// request, and lets a handler answer (with extra headers such as Retry-After), drop the connection
/// without a response, reset it, or hang without answering until the server stops.
final class TestHTTPServer: @unchecked Sendable {
    /// One received request.
    struct Request {
        var method: String
        var path: String
        var headers: [String: String]   // lower-cased names
        var body: [UInt8]
        /// The 1-based number of this request on its connection.
        var connectionRequest: Int
        var bodyText: String { String(decoding: body, as: UTF8.self) }
    }

    /// What the handler tells the server to do.
    enum Action {
        case respond(Int, String, headers: [(String, String)] = [])
        case closeWithoutResponse
        /// Close with RST (SO_LINGER 0) instead of answering.
        case reset
        /// Never answer; the connection stays open until `stop()`.
        case hang
    }

    let port: Int
    private let fd: Int32
    private let lock = NSLock()
    private let stopped = Atomic<Bool>(false)
    private var _requests: [Request] = []
    private var _connections = 0
    private let handler: @Sendable (Request, Int) -> Action

    /// Requests in arrival order.
    var requests: [Request] { lock.lock(); defer { lock.unlock() }; return _requests }
    /// Connections accepted.
    var connections: Int { lock.lock(); defer { lock.unlock() }; return _connections }

    /// Starts listening; `handler` gets each request and its overall number (1-based).
    init(handler: @escaping @Sendable (Request, Int) -> Action) {
        self.handler = handler
        let (fd, port) = Run.loopbackSocket()
        self.fd = fd
        self.port = port
        listen(fd, 64)
        let t = Thread { [self] in acceptLoop() }
        t.start()
    }

    func stop() {
        stopped.store(true, ordering: .releasing)
        shutdown(fd, Int32(SHUT_RDWR))
        close(fd)
    }

    private func acceptLoop() {
        while true {
            let c = accept(fd, nil, nil)
            if c < 0 { return }
            lock.lock(); _connections += 1; lock.unlock()
            let t = Thread { [self] in serve(c) }
            t.start()
        }
    }

    private func serve(_ c: Int32) {
        defer { close(c) }
        var buf: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        var perConnection = 0
        func fill() -> Bool {
            let n = recv(c, &chunk, chunk.count, 0)
            if n <= 0 { return false }
            buf.append(contentsOf: chunk[0..<n])
            return true
        }
        while true {
            var headEnd: Int?
            while headEnd == nil {
                if buf.count >= 4 {
                    for k in 0...(buf.count - 4) where buf[k] == 13 && buf[k + 1] == 10 && buf[k + 2] == 13 && buf[k + 3] == 10 {
                        headEnd = k; break
                    }
                }
                if headEnd == nil && !fill() { return }
            }
            let head = String(decoding: buf[0..<headEnd!], as: UTF8.self)
            buf.removeFirst(headEnd! + 4)
            var lines = head.components(separatedBy: "\r\n")
            let requestLine = lines.removeFirst().split(separator: " ")
            guard requestLine.count == 3, requestLine[2] == "HTTP/1.1" else { return }
            var headers: [String: String] = [:]
            for l in lines {
                guard let colon = l.firstIndex(of: ":") else { return }
                headers[l[..<colon].lowercased()] = l[l.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            let length = Int(headers["content-length"] ?? "0") ?? 0
            while buf.count < length { if !fill() { return } }
            let body = Array(buf[0..<length])
            buf.removeFirst(length)
            perConnection += 1
            let req = Request(method: String(requestLine[0]), path: String(requestLine[1]), headers: headers,
                              body: body, connectionRequest: perConnection)
            lock.lock()
            _requests.append(req)
            let number = _requests.count
            lock.unlock()
            switch handler(req, number) {
            case .closeWithoutResponse:
                return
            case .reset:
                var l = linger(l_onoff: 1, l_linger: 0)
                setsockopt(c, SOL_SOCKET, SO_LINGER, &l, socklen_t(MemoryLayout<linger>.size))
                return
            case .hang:
                while !stopped.load(ordering: .acquiring) { usleep(20_000) }
                return
            case .respond(let status, let text, let extra):
                let reason = status == 200 ? "OK" : status == 503 ? "Service Unavailable" : "Error"
                let more = extra.map { "\($0.0): \($0.1)\r\n" }.joined()
                let resp = "HTTP/1.1 \(status) \(reason)\r\nContent-Type: application/json\r\n\(more)Content-Length: \(text.utf8.count)\r\n\r\n\(text)"
                _ = Array(resp.utf8).withUnsafeBytes { send(c, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            }
        }
    }
}
