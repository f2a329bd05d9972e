import Core

/// Round-robin rotation over servers with health: a server that fails `allowFailureCount` times
/// in a row leaves the rotation for `cooldown` seconds while the others carry on.
final class ServerPool<Server> {
    /// One server with its health.
    final class Member {
        let server: Server
        let transport: HTTPTransport
        var consecutiveFailures = 0
        var coolUntil = 0.0
        init(server: Server, transport: HTTPTransport) {
            self.server = server
            self.transport = transport
        }
    }

    let members: [Member]
    private var next = 0
    private let allowFailureCount: Int
    private let cooldown: Double
    private let clock: any DeliveryClock

    init(_ members: [Member], allowFailureCount: Int, cooldown: Double, clock: any DeliveryClock) {
        self.members = members
        self.allowFailureCount = max(1, allowFailureCount)
        self.cooldown = cooldown
        self.clock = clock
    }

    /// The next server in rotation; when all are cooling down, the one that recovers first.
    func pick() -> Member {
        let now = clock.now()
        for _ in 0..<members.count {
            let m = members[next % members.count]
            next = (next + 1) % members.count
            if m.coolUntil <= now { return m }
        }
        return members.min { $0.coolUntil < $1.coolUntil }!
    }

    func succeeded(_ m: Member) { m.consecutiveFailures = 0; m.coolUntil = 0 }

    /// Records a failure; returns true when the server just left the rotation.
    func failed(_ m: Member) -> Bool {
        m.consecutiveFailures += 1
        if m.consecutiveFailures >= allowFailureCount {
            m.consecutiveFailures = 0
            m.coolUntil = clock.now() + cooldown
            return true
        }
        return false
    }

    func closeAll() { for m in members { m.transport.close() } }
}
