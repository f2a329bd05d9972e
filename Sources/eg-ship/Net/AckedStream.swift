#if canImport(Glibc)
import Glibc
#endif
import Core

/// A TCP connection carrying framed messages that knows which of them the peer's TCP has
/// acknowledged. Every message written is kept, with its event, until the bytes the kernel still
/// holds unacknowledged (`SIOCOUTQ`: unsent plus sent-but-unacknowledged bytes) no longer reach
/// into it; what is kept is therefore at most about one send buffer. When the connection fails
/// (a reset, a close, a timeout) the kept messages are written again on the next connection, so
/// delivery is at least once: a message the peer received but had not yet acknowledged arrives
/// twice. An event counts as delivered only once its bytes are acknowledged.
final class AckedStream {
    /// A message and the event it carries.
    struct Entry {
        var event: ShipEvent
        var bytes: [UInt8]
    }

    let host: String
    let port: Int
    private let policy: DeliveryPolicy
    private let stats: OutputStats
    private var socket: Socket?
    /// Messages not yet acknowledged: `entries[head..<sent]` are written on the current
    /// connection, `entries[sent...]` not yet.
    private var entries: [Entry] = []
    private var head = 0
    private var sent = 0
    /// Bytes written on the current connection, and of those the bytes of messages confirmed.
    private var written = 0
    private var confirmedBytes = 0

    init(host: String, port: Int, policy: DeliveryPolicy, stats: OutputStats) {
        self.host = host
        self.port = port
        self.policy = policy
        self.stats = stats
    }

    /// Messages handed over and not yet acknowledged.
    var unconfirmed: Int { entries.count - head }

    /// Queues messages behind those not yet acknowledged.
    func append(_ new: [Entry]) { entries.append(contentsOf: new) }

    /// Writes every queued message not yet written on this connection (connecting first, and
    /// after a failure writing again everything unacknowledged). Throws on a connection error,
    /// after closing the connection; what was not acknowledged stays queued.
    func writeQueued() throws {
        do {
            let s = try connected()
            while sent < entries.count {
                confirm()
                // Coalesce into writes of up to 64 KiB.
                var chunk: [UInt8] = []
                var j = sent
                while j < entries.count && chunk.count < 1 << 16 { chunk.append(contentsOf: entries[j].bytes); j += 1 }
                try s.send(chunk)
                written += chunk.count
                sent = j
            }
            confirm()
        } catch {
            drop()
            throw error
        }
    }

    /// Waits until the peer has acknowledged every written message; throws when the connection
    /// fails, when nothing is acknowledged for the policy's timeout, or at the shutdown deadline.
    func waitForAcknowledgement() throws {
        var lastProgress = policy.clock.now()
        var left = unconfirmed
        while true {
            guard let s = socket else { throw EgError.runtime(at: "\(host):\(port)", "not connected") }
            confirm()
            if head == entries.count { return }
            if unconfirmed < left { left = unconfirmed; lastProgress = policy.clock.now() }
            let problem: String?
            if let e = s.pendingError {
                problem = "connection failed: \(e)"
            } else if policy.clock.now() >= policy.shutdown.deadline {
                problem = "\(unconfirmed) messages not acknowledged by the shutdown timeout"
            } else if policy.clock.now() - lastProgress >= policy.timeout {
                problem = "peer acknowledged nothing for \(formatSeconds(policy.timeout)) s"
            } else {
                problem = nil
            }
            if let problem {
                drop()
                throw EgError.runtime(at: "\(host):\(port)", problem)
            }
            policy.clock.sleep(0.005)
        }
    }

    /// Gives up on every queued message (after the policy gave up): returns their events.
    func giveUp(_ reason: String) -> [Undelivered] {
        let out = entries[head...].map { Undelivered(event: $0.event, reason: reason) }
        entries.removeAll()
        head = 0
        sent = 0
        return out
    }

    func close() { drop() }

    /// The current connection, or a new one (everything unacknowledged is written again on it).
    private func connected() throws -> Socket {
        if let s = socket {
            if s.isOpen && !s.peerClosed { return s }
            drop()
        }
        let s = try Socket.connect(host: host, port: port, kind: .tcp, timeout: policy.timeout, shutdown: policy.shutdown)
        socket = s
        written = 0
        confirmedBytes = 0
        sent = head
        return s
    }

    /// Takes the acknowledged messages off the queue: the first `written - SIOCOUTQ` bytes written
    /// on this connection have been acknowledged. (The count stays right after a reset, until
    /// the descriptor is closed.)
    private func confirm() {
        guard let s = socket, let outstanding = s.unacknowledgedBytes else { return }
        let acknowledged = written - outstanding
        while head < sent && confirmedBytes + entries[head].bytes.count <= acknowledged {
            confirmedBytes += entries[head].bytes.count
            stats.bytes += entries[head].bytes.count
            head += 1
        }
        if head == entries.count {
            entries.removeAll(keepingCapacity: true)
            head = 0
            sent = 0
        } else if head > 4096 && head * 2 > entries.count {
            entries.removeFirst(head)
            sent -= head
            head = 0
        }
    }

    /// Closes the connection after a last look at what it got acknowledged; the unacknowledged
    /// messages will be written again on the next one.
    private func drop() {
        confirm()
        socket?.close()
        socket = nil
        sent = head
        written = 0
        confirmedBytes = 0
    }
}
