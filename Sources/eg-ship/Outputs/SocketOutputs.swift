import Core

/// How `tcpout`, `udpout` and `syslogout` deliver framed messages, through the delivery policy.
/// TCP: an `AckedStream`; an event is delivered once the peer's TCP has acknowledged its bytes,
/// unacknowledged messages are written again after reconnecting (at least once), and at the end
/// the send queue is drained within the shutdown bound. UDP: one datagram per message, delivered
/// when the kernel sends it (UDP has no acknowledgement).
final class MessageSender {
    let kind: Socket.Kind
    let host: String
    let port: Int
    private let retrier: Retrier
    private let stats: OutputStats
    private var socket: Socket?
    private let stream: AckedStream?

    init(kind: Socket.Kind, host: String, port: Int, retrier: Retrier, stats: OutputStats) {
        self.kind = kind
        self.host = host
        self.port = port
        self.retrier = retrier
        self.stats = stats
        stream = kind == .tcp ? AckedStream(host: host, port: port, policy: retrier.policy, stats: stats) : nil
    }

    /// Messages handed over and not yet acknowledged (TCP).
    var unconfirmed: Int { stream?.unconfirmed ?? 0 }

    /// Sends `messages[k]` (already framed), the message of `batch[k]`; returns the events given up on.
    func send(_ batch: [ShipEvent], _ messages: [[UInt8]]) -> [Undelivered] {
        if let stream {
            stream.append(zip(batch, messages).map { AckedStream.Entry(event: $0, bytes: $1) })
            return deliver(stream, drain: false)
        }
        var k = 0
        let reason = retrier.run { _ in
            do {
                while k < messages.count {
                    if socket == nil {
                        socket = try Socket.connect(host: host, port: port, kind: .udp, timeout: retrier.policy.timeout,
                                                    shutdown: retrier.policy.shutdown)
                    }
                    try socket!.send(messages[k])
                    stats.bytes += messages[k].count
                    k += 1
                }
                return .delivered
            } catch {
                socket?.close()
                socket = nil
                return Answer(error)
            }
        }
        guard let reason else { return [] }
        return batch[k...].map { Undelivered(event: $0, reason: reason) }
    }

    /// Waits, within the shutdown bound, until the peer has acknowledged everything (TCP);
    /// returns the events it could not be confirmed for.
    func drain() -> [Undelivered] {
        guard let stream, stream.unconfirmed > 0 else { return [] }
        return deliver(stream, drain: true)
    }

    /// Writes what is queued (and with `drain`, waits for its acknowledgement) through the policy;
    /// when the policy gives up, every unacknowledged message is given up.
    private func deliver(_ stream: AckedStream, drain: Bool) -> [Undelivered] {
        let reason = retrier.run { _ in
            do {
                try stream.writeQueued()
                if drain { try stream.waitForAcknowledgement() }
                return .delivered
            } catch {
                return Answer(error)
            }
        }
        return reason.map { stream.giveUp($0) } ?? []
    }

    func close() {
        stream?.close()
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
                               retrier: policy.retrier(for: name, stats: stats), stats: stats)
    }

    var unconfirmed: Int { sender.unconfirmed }

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
        return sender.send(batch, messages)
    }

    func drain() -> [Undelivered] { sender.drain() }

    func close() throws { sender.close() }
}

/// `tcpout` and `udpout`: `_raw` lines (or records with `--format json`), one datagram per event on UDP.
final class LineSocketOutput: Output {
    let name: String
    let stats = OutputStats()
    private let format: LineFormat
    private let sender: MessageSender
    /// TCP framing by octet counting (RFC 6587: `<length> <message>`), as Eventum's tcp output's
    /// `framing: octet_counting`.
    private let octetCounting: Bool

    init(kind: Socket.Kind, host: String, port: Int, format: LineFormat, policy: DeliveryPolicy, octetCounting: Bool = false) {
        self.format = format
        self.octetCounting = octetCounting
        self.name = "\(kind == .tcp ? "tcpout" : "udpout"):\(host):\(port)"
        sender = MessageSender(kind: kind, host: host, port: port, retrier: policy.retrier(for: name, stats: stats), stats: stats)
    }

    var unconfirmed: Int { sender.unconfirmed }

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
            if octetCounting { m = Array(String(m.count).utf8) + [0x20] + m }
            messages.append(m)
        }
        return sender.send(batch, messages)
    }

    func drain() -> [Undelivered] { sender.drain() }

    func close() throws { sender.close() }
}
