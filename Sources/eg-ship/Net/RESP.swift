import Core

/// A reply of the Redis serialization protocol (RESP2).
enum RESPReply: Equatable {
    /// `+OK`
    case simple(String)
    /// `-ERR ...`: the whole error line, e.g. `WRONGTYPE Operation against a key ...`.
    case error(String)
    /// `:n`
    case integer(Int)
    /// `$n` bulk string; nil for `$-1`.
    case bulk([UInt8]?)
    /// `*n` array; nil for `*-1`.
    case array([RESPReply]?)

    /// The bulk string's text, if this is one.
    var text: String? {
        switch self {
        case .bulk(let b?): return String(decoding: b, as: UTF8.self)
        case .simple(let s): return s
        default: return nil
        }
    }

    /// The error line, if this is an error.
    var errorText: String? {
        if case .error(let e) = self { return e }
        return nil
    }
}

/// The server refused the connection's setup (`AUTH`, `SELECT`): retrying will not help.
struct RedisRefused: NotRetryable, CustomStringConvertible {
    var description: String
}

/// RESP encoding: a command is an array of bulk strings.
enum RESP {
    /// Appends `*<n>\r\n` (the head of a command with `n` arguments).
    static func appendArrayHead(_ n: Int, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "*"))
        EpochText.appendDecimal(UInt64(n), to: &out)
        out.append(0x0D); out.append(0x0A)
    }

    /// Appends one argument as a bulk string `$<len>\r\n<bytes>\r\n`.
    static func appendBulk(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "$"))
        EpochText.appendDecimal(UInt64(bytes.count), to: &out)
        out.append(0x0D); out.append(0x0A)
        out.append(contentsOf: bytes)
        out.append(0x0D); out.append(0x0A)
    }

    static func appendBulk(_ s: String, to out: inout [UInt8]) {
        var s = s
        s.withUTF8 { appendBulk($0, to: &out) }
    }

    static func appendBulk(_ bytes: [UInt8], to out: inout [UInt8]) {
        bytes.withUnsafeBufferPointer { appendBulk($0, to: &out) }
    }

    /// A whole command from string arguments.
    static func command(_ args: [String]) -> [UInt8] {
        var out: [UInt8] = []
        appendArrayHead(args.count, to: &out)
        for a in args { appendBulk(a, to: &out) }
        return out
    }
}

/// One connection to a Redis server speaking RESP over TCP: connects (with `AUTH` and `SELECT`
/// when configured), sends commands (pipelined) and reads their replies in order.
final class RESPConnection {
    let host: String
    let port: Int
    private let timeout: Double
    private let socket: Socket
    private var buffer: [UInt8] = []
    private var start = 0
    private var chunk = [UInt8](repeating: 0, count: 1 << 16)

    /// Connects; `AUTH [user] password` and `SELECT db` (when db != 0) must answer `+OK`.
    init(host: String, port: Int, timeout: Double, user: String? = nil, password: String? = nil, db: Int = 0,
         shutdown: Shutdown = .never) throws {
        self.host = host
        self.port = port
        self.timeout = timeout
        socket = try Socket.connect(host: host, port: port, kind: .tcp, timeout: timeout, shutdown: shutdown)
        var setup: [[String]] = []
        if let password { setup.append(user.map { ["AUTH", $0, password] } ?? ["AUTH", password]) }
        if db != 0 { setup.append(["SELECT", String(db)]) }
        guard !setup.isEmpty else { return }
        var wire: [UInt8] = []
        for c in setup { wire += RESP.command(c) }
        try socket.send(wire)
        for c in setup {
            let r = try readReply()
            if let e = r.errorText {
                socket.close()
                throw RedisRefused(description: "redis \(host):\(port): \(c[0]) failed: \(e)")
            }
        }
    }

    var isUsable: Bool { socket.isOpen && !socket.peerClosed }

    func close() { socket.close() }

    /// Sends already-encoded commands in one write.
    func send(_ wire: [UInt8]) throws { try socket.send(wire) }

    /// Sends `commands` back to back and reads one reply per command.
    func pipeline(_ commands: [[UInt8]]) throws -> [RESPReply] {
        var wire: [UInt8] = []
        for c in commands { wire.append(contentsOf: c) }
        try socket.send(wire)
        var replies: [RESPReply] = []
        replies.reserveCapacity(commands.count)
        for _ in commands { replies.append(try readReply()) }
        return replies
    }

    /// Runs one command.
    func call(_ args: [String]) throws -> RESPReply { try pipeline([RESP.command(args)])[0] }

    private var peer: String { "redis \(host):\(port)" }

    private func fill() throws {
        if start > 0 && start == buffer.count { buffer.removeAll(keepingCapacity: true); start = 0 }
        if start > 1 << 16 { buffer.removeFirst(start); start = 0 }
        let n = try chunk.withUnsafeMutableBytes { try socket.receive(into: $0.baseAddress!, count: $0.count) }
        if n == 0 {
            socket.close()
            throw EgError.runtime(at: peer, "connection closed before a complete reply")
        }
        buffer.append(contentsOf: chunk[0..<n])
    }

    /// The next CRLF-terminated line (without CRLF).
    private func line() throws -> ArraySlice<UInt8> {
        var k = start
        while true {
            while k + 1 < buffer.count {
                if buffer[k] == 0x0D && buffer[k + 1] == 0x0A {
                    let l = buffer[start..<k]
                    start = k + 2
                    return l
                }
                k += 1
            }
            if buffer.count - start > 1 << 20 { throw malformed("reply line too long") }
            let scanned = k - start
            try fill()   // may move the buffer's contents down
            k = start + scanned
        }
    }

    private func malformed(_ what: String) -> EgError {
        socket.close()
        return EgError.runtime(at: peer, "malformed reply: \(what)")
    }

    private func integer(_ b: ArraySlice<UInt8>) throws -> Int {
        guard let v = Int(String(decoding: b, as: UTF8.self)) else {
            throw malformed("expected a number, got '\(String(decoding: b.prefix(40), as: UTF8.self))'")
        }
        return v
    }

    /// Reads one reply (waiting at most the timeout for data).
    func readReply() throws -> RESPReply {
        let l = try line()
        guard let type = l.first else { throw malformed("empty line") }
        let rest = l.dropFirst()
        switch type {
        case UInt8(ascii: "+"): return .simple(String(decoding: rest, as: UTF8.self))
        case UInt8(ascii: "-"): return .error(String(decoding: rest, as: UTF8.self))
        case UInt8(ascii: ":"): return .integer(try integer(rest))
        case UInt8(ascii: "$"):
            let n = try integer(rest)
            if n < 0 { return .bulk(nil) }
            while buffer.count - start < n + 2 { try fill() }
            let b = Array(buffer[start..<(start + n)])
            start += n + 2
            return .bulk(b)
        case UInt8(ascii: "*"):
            let n = try integer(rest)
            if n < 0 { return .array(nil) }
            var items: [RESPReply] = []
            items.reserveCapacity(n)
            for _ in 0..<n { items.append(try readReply()) }
            return .array(items)
        default:
            throw malformed("unknown type byte '\(Character(Unicode.Scalar(type)))'")
        }
    }
}
