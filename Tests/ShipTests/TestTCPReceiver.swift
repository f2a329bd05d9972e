import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A fault-injecting TCP receiver on loopback for tcpout, syslog over TCP and redis tests. Each
/// accepted connection gets a `Fault` from the plan. Its receive buffer is small (4 KiB asked),
/// so the sender's data waits in the sender's own send queue, unacknowledged, whenever the
/// receiver stops reading. Faults are made so that the receiver records exactly what its TCP
/// acknowledged: before a reset or close it stops reading, waits until nothing more arrives (the
/// window is closed, or the sender idle), and takes the bytes already in its buffer with
/// MSG_PEEK (which does not reopen the window) before closing.
final class TestTCPReceiver: Sendable {
    /// What the receiver does with one connection.
    enum Fault: Sendable {
        /// Read until the sender closes.
        case none
        /// After `afterBytes`, stop, take what is buffered, and reset (RST, SO_LINGER 0).
        case reset(afterBytes: Int)
        /// After `afterBytes`, stop, take what is buffered, then send FIN and close.
        case close(afterBytes: Int)
        /// Never read until `release()`; then read everything buffered to the end.
        case hang
    }

    let port: Int
    private let fd: Int32
    private let plan: @Sendable (Int) -> Fault
    private let received = Mutex<[[UInt8]]>([])
    private let released = Atomic<Bool>(false)
    private let active = Atomic<Int>(0)

    /// Starts listening; `plan` gives the fault of connection number n (1-based).
    init(plan: @escaping @Sendable (Int) -> Fault = { _ in .none }) {
        self.plan = plan
        let (fd, port) = Run.loopbackSocket { fd in
            var small: Int32 = 4096
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(MemoryLayout<Int32>.size))
        }
        self.fd = fd
        self.port = port
        listen(fd, 16)
        Thread { [self] in acceptLoop() }.start()
    }

    /// The bytes of each connection so far, in connection order.
    var connections: [[UInt8]] { received.withLock { $0 } }

    /// Lets hanging connections read what they hold.
    func release() { released.store(true, ordering: .releasing) }

    /// Waits (up to `seconds`) until every connection has ended.
    func waitUntilIdle(_ seconds: Double = 20) {
        let end = Date().addingTimeInterval(seconds)
        while active.load(ordering: .acquiring) > 0 && Date() < end { usleep(20_000) }
    }

    func stop() { shutdown(fd, Int32(SHUT_RDWR)); close(fd) }

    private func acceptLoop() {
        var n = 0
        while true {
            let c = accept(fd, nil, nil)
            if c < 0 { return }
            n += 1
            let index = received.withLock { r in r.append([]); return r.count - 1 }
            let fault = plan(n)
            active.add(1, ordering: .acquiringAndReleasing)
            Thread { [self] in
                serve(c, index, fault)
                active.subtract(1, ordering: .acquiringAndReleasing)
            }.start()
        }
    }

    private func append(_ index: Int, _ bytes: ArraySlice<UInt8>) {
        received.withLock { $0[index].append(contentsOf: bytes) }
    }

    /// Reads until `limit` bytes (or the end); returns false at the end of the stream.
    private func read(_ c: Int32, _ index: Int, upTo limit: Int) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        var got = 0
        while got < limit {
            let n = recv(c, &chunk, chunk.count, 0)
            if n <= 0 { return false }
            append(index, chunk[0..<n])
            got += n
        }
        return true
    }

    /// Stops reading until nothing more arrives for 0.7 s, then takes what is buffered without
    /// consuming it (so the window stays closed).
    private func takeBuffered(_ c: Int32, _ index: Int) {
        var last: Int32 = -1
        var stableSince = Date()
        while Date().timeIntervalSince(stableSince) < 0.7 {
            var n: Int32 = 0
            _ = ioctl(c, UInt(FIONREAD), &n)
            if n != last { last = n; stableSince = Date() }
            usleep(20_000)
        }
        guard last > 0 else { return }
        var buf = [UInt8](repeating: 0, count: Int(last))
        let n = recv(c, &buf, buf.count, Int32(MSG_PEEK | MSG_DONTWAIT))
        if n > 0 { append(index, buf[0..<n]) }
    }

    private func serve(_ c: Int32, _ index: Int, _ fault: Fault) {
        switch fault {
        case .none:
            _ = read(c, index, upTo: Int.max)
            close(c)
        case .reset(let after):
            guard read(c, index, upTo: after) else { close(c); return }
            takeBuffered(c, index)
            var l = linger(l_onoff: 1, l_linger: 0)
            setsockopt(c, SOL_SOCKET, SO_LINGER, &l, socklen_t(MemoryLayout<linger>.size))
            close(c)
        case .close(let after):
            guard read(c, index, upTo: after) else { close(c); return }
            takeBuffered(c, index)
            shutdown(c, Int32(SHUT_WR))
            usleep(50_000)
            close(c)
        case .hang:
            while !released.load(ordering: .acquiring) { usleep(20_000) }
            _ = read(c, index, upTo: Int.max)
            close(c)
        }
    }
}

/// The numbered events of fault tests: `_raw` values `evt-000000 ...`, found again in whatever
/// form an output sends them (lines, JSON, syslog frames, RESP values).
enum Numbered {
    static func raw(_ k: Int) -> String {
        let digits = String(k)
        return "evt-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits + " user=u\(k % 97) action=login status=ok"
    }

    /// NDJSON input of events `range`.
    static func input(_ range: Range<Int>, sample: String? = nil) -> String {
        var s = ""
        s.reserveCapacity(range.count * 80)
        for k in range { s += Stream.event(raw(k), time: "1700000000.\(100 + k % 800)", sample: sample) }
        return s
    }

    /// Every event number in `bytes`, in order of appearance (repeats kept).
    static func numbers(_ bytes: [UInt8]) -> [Int] {
        var out: [Int] = []
        let e = UInt8(ascii: "e"), v = UInt8(ascii: "v"), t = UInt8(ascii: "t"), dash = UInt8(ascii: "-")
        var k = 0
        while k + 10 <= bytes.count {
            if bytes[k] == e && bytes[k + 1] == v && bytes[k + 2] == t && bytes[k + 3] == dash {
                var n = 0
                var ok = true
                for j in 4..<10 {
                    let d = bytes[k + j]
                    guard d >= 0x30 && d <= 0x39 else { ok = false; break }
                    n = n * 10 + Int(d - 0x30)
                }
                if ok { out.append(n); k += 10; continue }
            }
            k += 1
        }
        return out
    }

    /// The event numbers in a dead-letter file (none when it does not exist).
    static func deadLetter(_ path: String) -> [Int] {
        numbers(Array((try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data()))
    }

    /// `events=` and `failed=` of the summary line of the output whose name starts with `output`.
    static func summary(_ stderr: String, _ output: String) -> (events: Int, failed: Int)? {
        for line in stderr.split(separator: "\n") where line.hasPrefix("eg-ship: summary: \(output)") {
            func value(_ key: String) -> Int? {
                guard let r = line.range(of: " \(key)=") else { return nil }
                return Int(line[r.upperBound...].prefix { $0.isNumber })
            }
            if let e = value("events"), let f = value("failed") { return (e, f) }
        }
        return nil
    }
}
