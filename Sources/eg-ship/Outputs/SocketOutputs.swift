import Core

/// Sends framed messages over one UDP or TCP socket, reconnecting and retrying through the
/// delivery policy. TCP: the batch's bytes go out on one connection; after an error the connection
/// is reopened and the unsent part of the batch is sent again. UDP: one datagram per message.
final class MessageSender {
    let kind: Socket.Kind
    let host: String
    let port: Int
    private let retrier: Retrier
    private var socket: Socket?

    init(kind: Socket.Kind, host: String, port: Int, retrier: Retrier) {
        self.kind = kind
        self.host = host
        self.port = port
        self.retrier = retrier
    }

    private func connected() throws -> Socket {
        if let s = socket, s.isOpen, kind == .udp || !s.peerClosed { return s }
        socket?.close()
        let s = try Socket.connect(host: host, port: port, kind: kind, timeout: retrier.policy.timeout,
                                   shutdown: retrier.policy.shutdown)
        socket = s
        return s
    }

    /// Sends `messages` (each already framed); returns the index of the first one not sent and why.
    func send(_ messages: [[UInt8]]) -> (failedFrom: Int, reason: String)? {
        var k = 0
        let reason = retrier.run { _ in
            do {
                while k < messages.count {
                    let s = try connected()
                    if kind == .tcp {
                        // Coalesce into large writes.
                        var chunk: [UInt8] = []
                        var j = k
                        while j < messages.count && chunk.count < 1 << 16 { chunk.append(contentsOf: messages[j]); j += 1 }
                        try s.send(chunk)
                        k = j
                    } else {
                        try s.send(messages[k])
                        k += 1
                    }
                }
                return .delivered
            } catch {
                socket?.close()
                socket = nil
                return Answer(error)
            }
        }
        return reason.map { (k, $0) }
    }

    func close() {
        socket?.close()
        socket = nil
    }
}

/// `syslogout`: syslog over UDP or TCP (see `SyslogConfig` and `SyslogMessage`).
final class SyslogOutput: Output {
    let name: String
    let stats = OutputStats()
    private let config: SyslogConfig
    private let sender: MessageSender

    init(config: SyslogConfig, policy: DeliveryPolicy) {
        self.config = config
        self.name = "syslogout:\(config.identity)"
        sender = MessageSender(kind: config.tcp ? .tcp : .udp, host: config.host, port: config.port,
                               retrier: policy.retrier(for: name, stats: stats))
    }

    func write(_ batch: [ShipEvent]) -> [Undelivered] {
        var messages: [[UInt8]] = []
        messages.reserveCapacity(batch.count)
        var m: [UInt8] = []
        for e in batch {
            m.removeAll(keepingCapacity: true)
            SyslogMessage.append(e, config, to: &m)
            if config.tcp {
                if config.octetCounting {
                    var framed = Array(String(m.count).utf8)
                    framed.append(0x20)
                    framed.append(contentsOf: m)
                    messages.append(framed)
                } else {
                    messages.append(m + [0x0A])
                }
            } else {
                messages.append(m)
            }
        }
        return finish(batch, messages, sender, stats)
    }

    func close() throws { sender.close() }
}

/// `tcpout` and `udpout`: `_raw` lines (or records with `--format json`), one datagram per event on UDP.
final class LineSocketOutput: Output {
    let name: String
    let stats = OutputStats()
    private let format: LineFormat
    private let sender: MessageSender

    init(kind: Socket.Kind, host: String, port: Int, format: LineFormat, policy: DeliveryPolicy) {
        self.format = format
        self.name = "\(kind == .tcp ? "tcpout" : "udpout"):\(host):\(port)"
        sender = MessageSender(kind: kind, host: host, port: port, retrier: policy.retrier(for: name, stats: stats))
    }

    func write(_ batch: [ShipEvent]) -> [Undelivered] {
        var messages: [[UInt8]] = []
        messages.reserveCapacity(batch.count)
        for e in batch {
            var m: [UInt8] = []
            if format == .raw {
                var t = e.trimmedRaw
                t.withUTF8 { m.append(contentsOf: $0) }
                m.append(0x0A)
            } else {
                format.append(e, to: &m)
            }
            messages.append(m)
        }
        return finish(batch, messages, sender, stats)
    }

    func close() throws { sender.close() }
}

/// Sends messages and turns an unsent tail into undelivered events.
private func finish(_ batch: [ShipEvent], _ messages: [[UInt8]], _ sender: MessageSender, _ stats: OutputStats) -> [Undelivered] {
    let result = sender.send(messages)
    let sent = result?.failedFrom ?? messages.count
    for k in 0..<sent { stats.bytes += messages[k].count }
    guard let r = result else { return [] }
    return batch[r.failedFrom...].map { Undelivered(event: $0, reason: r.reason) }
}
