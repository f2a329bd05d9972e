#if canImport(Glibc)
import Glibc
#endif
import Core

/// A connected TCP or UDP socket (POSIX). Every wait (connect, send, receive) lasts at most
/// `timeout` seconds and ends at the run's shutdown deadline, polled in short slices so a deadline
/// that arrives during a wait (SIGTERM while a server hangs) still ends it. Errors leave the
/// descriptor open (a TCP caller reads what was acknowledged first); callers close it.
final class Socket {
    /// Transport protocol.
    enum Kind { case tcp, udp }

    let fd: Int32
    let peer: String
    private(set) var isOpen = true
    private let timeout: Double
    private let shutdown: Shutdown

    private init(fd: Int32, peer: String, timeout: Double, shutdown: Shutdown) {
        self.fd = fd
        self.peer = peer
        self.timeout = timeout
        self.shutdown = shutdown
    }

    deinit { close() }

    /// Resolves `host` and connects; for TCP the connect itself waits at most `timeout` seconds.
    static func connect(host: String, port: Int, kind: Kind, timeout: Double, shutdown: Shutdown = .never) throws -> Socket {
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
            }
            let s = Socket(fd: fd, peer: peer, timeout: timeout, shutdown: shutdown)
            if let err = s.connect(a.pointee.ai_addr, a.pointee.ai_addrlen) {
                lastError = err
                s.close()
                continue
            }
            return s
        }
        throw EgError.runtime(at: peer, "cannot connect: \(lastError)")
    }

    /// Non-blocking connect within the time limit; nil on success, else the error text. The
    /// descriptor stays non-blocking: every later operation polls.
    private func connect(_ addr: UnsafeMutablePointer<sockaddr>?, _ len: socklen_t) -> String? {
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL, 0) | O_NONBLOCK)
        if Glibc.connect(fd, addr, len) == 0 { return nil }
        guard errno == EINPROGRESS else { return "\(Errno.current)" }
        if let problem = wait(for: Int16(POLLOUT)) { return problem }
        var err: Int32 = 0
        var elen = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen)
        return err == 0 ? nil : "\(Errno(rawValue: err))"
    }

    /// Polls for `events` until ready (nil), or the timeout or the shutdown deadline passes (why).
    private func wait(for events: Int16) -> String? {
        let end = shutdown.clock.now() + timeout
        while true {
            let now = shutdown.clock.now()
            if now >= shutdown.deadline { return "shutdown timeout reached" }
            if now >= end { return "timed out after \(formatSeconds(timeout)) s" }
            let slice = max(1, Int32((min(end, shutdown.deadline, now + 0.1) - now) * 1000))
            var p = pollfd(fd: fd, events: events, revents: 0)
            let n = poll(&p, 1, slice)
            if n > 0 { return nil }
            if n < 0 && errno != EINTR { return "\(Errno.current)" }
        }
    }

    /// Sends all of `bytes` (one datagram for UDP).
    func send(_ bytes: UnsafeRawBufferPointer) throws {
        var off = 0
        repeat {
            let n = Glibc.send(fd, bytes.baseAddress.map { $0 + off }, bytes.count - off, Int32(MSG_NOSIGNAL))
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK {
                    if let problem = wait(for: Int16(POLLOUT)) {
                        throw EgError.runtime(at: peer, "send: \(problem)")
                    }
                    continue
                }
                throw EgError.runtime(at: peer, "send failed: \(Errno.current)")
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
            if errno == EAGAIN || errno == EWOULDBLOCK {
                if let problem = wait(for: Int16(POLLIN)) {
                    throw EgError.runtime(at: peer, "no response (\(problem))")
                }
                continue
            }
            throw EgError.runtime(at: peer, "receive failed: \(Errno.current)")
        }
    }

    /// TCP: bytes written but not yet acknowledged by the peer (unsent plus unacknowledged, the
    /// kernel's `SIOCOUTQ`); nil when unknown. It stays right after a reset until `close`.
    var unacknowledgedBytes: Int? {
        guard isOpen else { return nil }
        var n: Int32 = 0
        return ioctl(fd, UInt(TIOCOUTQ), &n) == 0 ? Int(n) : nil
    }

    /// The connection's error (a reset, say) when it has one, else nil.
    var pendingError: String? {
        var p = pollfd(fd: fd, events: 0, revents: 0)
        guard poll(&p, 1, 0) > 0, p.revents & Int16(POLLERR | POLLHUP) != 0 else { return nil }
        var err: Int32 = 0
        var len = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len)
        return err != 0 ? "\(Errno(rawValue: err))" : "connection closed"
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

/// `0.5`, `30`: seconds for messages.
func formatSeconds(_ s: Double) -> String {
    s == s.rounded() && abs(s) < 1e9 ? String(Int(s)) : String(s)
}
