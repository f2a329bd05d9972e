import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A fault-injecting stand-in for a Redis server on loopback: it reads RESP commands, answers each
/// with `:1` (or what the plan says), and records the event numbers of the commands it answered
/// with success. The plan sees (connection number, command number on that connection).
final class FakeRedis: Sendable {
    /// What to do with one command.
    enum Reply: Sendable {
        case ok
        /// Answer with this error line (e.g. `LOADING ...`).
        case error(String)
        /// Reset the connection without answering this command or any after it.
        case reset
    }

    let port: Int
    private let fd: Int32
    private let plan: @Sendable (Int, Int) -> Reply
    private let acceptedNumbers = Mutex<[Int]>([])

    init(plan: @escaping @Sendable (Int, Int) -> Reply) {
        self.plan = plan
        let (fd, port) = Run.loopbackSocket()
        self.fd = fd
        self.port = port
        listen(fd, 16)
        Thread { [self] in
            var n = 0
            while true {
                let c = accept(fd, nil, nil)
                if c < 0 { return }
                n += 1
                let number = n
                Thread { [self] in serve(c, number) }.start()
            }
        }.start()
    }

    /// Event numbers of the commands answered with success (repeats kept).
    var accepted: [Int] { acceptedNumbers.withLock { $0 } }

    func stop() { shutdown(fd, Int32(SHUT_RDWR)); close(fd) }

    /// The end of the RESP command (an array of bulk strings) starting at `k`, or nil if incomplete.
    static func commandEnd(_ b: [UInt8], _ k: Int) -> Int? {
        func line(_ at: Int) -> (Int, Int)? {   // number after the type byte, index after CRLF
            var j = at + 1
            var v = 0
            while j < b.count, b[j] != 0x0D { v = v * 10 + Int(b[j]) - 48; j += 1 }
            return j + 1 < b.count ? (v, j + 2) : nil
        }
        guard k < b.count, b[k] == UInt8(ascii: "*"), let (count, start) = line(k) else { return nil }
        var p = start
        for _ in 0..<count {
            guard p < b.count, let (len, data) = line(p), data + len + 2 <= b.count else { return nil }
            p = data + len + 2
        }
        return p
    }

    private func serve(_ c: Int32, _ connection: Int) {
        defer { close(c) }
        var buf: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        var commands = 0
        while true {
            let n = recv(c, &chunk, chunk.count, 0)
            if n <= 0 { return }
            buf.append(contentsOf: chunk[0..<n])
            var k = 0
            var out: [UInt8] = []
            while let end = FakeRedis.commandEnd(buf, k) {
                commands += 1
                let command = Array(buf[k..<end])
                k = end
                switch plan(connection, commands) {
                case .ok:
                    if command.count < 64, String(decoding: command, as: UTF8.self).contains("PING") {
                        out += Array("+PONG\r\n".utf8)
                    } else {
                        acceptedNumbers.withLock { $0 += Numbered.numbers(command) }
                        out += Array(":1\r\n".utf8)
                    }
                case .error(let e):
                    out += Array("-\(e)\r\n".utf8)
                case .reset:
                    _ = out.withUnsafeBytes { send(c, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                    var l = linger(l_onoff: 1, l_linger: 0)
                    setsockopt(c, SOL_SOCKET, SO_LINGER, &l, socklen_t(MemoryLayout<linger>.size))
                    return
                }
            }
            buf.removeFirst(k)
            _ = out.withUnsafeBytes { send(c, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        }
    }
}
