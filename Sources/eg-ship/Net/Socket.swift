#if canImport(Glibc)
import Glibc
#endif
import Core

/// A connected TCP or UDP socket (POSIX), with send/receive timeouts.
final class Socket {
    /// Transport protocol.
    enum Kind { case tcp, udp }

    let fd: Int32
    let peer: String
    private(set) var isOpen = true

    private init(fd: Int32, peer: String) {
        self.fd = fd
        self.peer = peer
    }

    deinit { close() }

    /// Resolves `host` and connects; for TCP the connect itself waits at most `timeout` seconds.
    static func connect(host: String, port: Int, kind: Kind, timeout: Double) throws -> Socket {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(kind == .tcp ? SOCK_STREAM.rawValue : SOCK_DGRAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let peer = "\(host):\(port)"
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let first = list else {
            throw EgError.runtime(at: peer, "cannot resolve host: \(String(cString: gai_strerror(rc)))")
        }
        defer { freeaddrinfo(list) }
        var lastError = "no address"
        var ai: UnsafeMutablePointer<addrinfo>? = first
        while let a = ai {
            ai = a.pointee.ai_next
            let fd = socket(a.pointee.ai_family, a.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), a.pointee.ai_protocol)
            if fd < 0 { lastError = "\(Errno.current)"; continue }
            if kind == .tcp {
                var one: Int32 = 1
                setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                if let err = connectWithTimeout(fd, a.pointee.ai_addr, a.pointee.ai_addrlen, timeout) {
                    lastError = err
                    Glibc.close(fd)
                    continue
                }
            } else if Glibc.connect(fd, a.pointee.ai_addr, a.pointee.ai_addrlen) != 0 {
                lastError = "\(Errno.current)"
                Glibc.close(fd)
                continue
            }
            var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1e6))
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
            return Socket(fd: fd, peer: peer)
        }
        throw EgError.runtime(at: peer, "cannot connect: \(lastError)")
    }

    /// Non-blocking connect, waiting at most `timeout` seconds; nil on success, else the error text.
    private static func connectWithTimeout(_ fd: Int32, _ addr: UnsafeMutablePointer<sockaddr>?,
                                           _ len: socklen_t, _ timeout: Double) -> String? {
        let flags = fcntl(fd, F_GETFL, 0)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        defer { _ = fcntl(fd, F_SETFL, flags) }
        if Glibc.connect(fd, addr, len) == 0 { return nil }
        guard errno == EINPROGRESS else { return "\(Errno.current)" }
        var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        let n = poll(&p, 1, Int32(timeout * 1000))
        if n == 0 { return "timed out after \(timeout) s" }
        if n < 0 { return "\(Errno.current)" }
        var err: Int32 = 0
        var elen = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen)
        return err == 0 ? nil : "\(Errno(rawValue: err))"
    }

    /// Sends all of `bytes` (one datagram for UDP).
    func send(_ bytes: UnsafeRawBufferPointer) throws {
        var off = 0
        repeat {
            let n = Glibc.send(fd, bytes.baseAddress.map { $0 + off }, bytes.count - off, Int32(MSG_NOSIGNAL))
            if n < 0 {
                if errno == EINTR { continue }
                let e = Errno.current
                close()
                throw EgError.runtime(at: peer, errno == EAGAIN ? "send timed out" : "send failed: \(e)")
            }
            off += n
        } while off < bytes.count
    }

    func send(_ bytes: [UInt8]) throws { try bytes.withUnsafeBytes { try send($0) } }

    /// Receives up to `count` bytes; 0 means the peer closed the connection.
    func receive(into buffer: UnsafeMutableRawPointer, count: Int) throws -> Int {
        while true {
            let n = recv(fd, buffer, count, 0)
            if n >= 0 { return n }
            if errno == EINTR { continue }
            let e = Errno.current
            close()
            throw EgError.runtime(at: peer, e.rawValue == EAGAIN ? "no response (timed out)" : "receive failed: \(e)")
        }
    }

    /// True when the peer has closed the connection (or sent unexpected data) while idle.
    var peerClosed: Bool {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&p, 1, 0) > 0
    }

    func close() {
        if isOpen { Glibc.close(fd); isOpen = false }
    }
}
