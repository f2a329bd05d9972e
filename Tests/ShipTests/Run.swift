import EgTestSupport
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs the built eg-ship binary (found via EG_BIN_DIR, else the newest `<root>/.build*/debug/eg-ship`).
enum Run {
    static let packageRoot = ToolProcess.root.path

    static func binary(_ tool: String = "eg-ship") -> String { ToolProcess.binary(tool).path }

    /// The outcome of a run.
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs eg-ship with `args`, feeding `input` on stdin.
    static func ship(_ args: [String], input: String) throws -> Result {
        let o = try ToolProcess.run(ToolProcess.binary("eg-ship"), args, input: Data(input.utf8))
        return Result(status: o.status, stdout: String(decoding: o.stdout, as: UTF8.self),
                      stderr: String(decoding: o.stderr, as: UTF8.self))
    }

    /// A fresh temporary directory.
    static func tempDir() -> String {
        let d = NSTemporaryDirectory() + "eg-ship-test-\(getpid())-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }

    /// A TCP port nothing listens on right now (bound and released).
    static func freePort(udp: Bool = false) -> Int {
        let (fd, port) = loopbackSocket(udp: udp)
        close(fd)
        return port
    }

    /// A new TCP (or UDP) socket bound to an ephemeral port of 127.0.0.1, and that port, for the
    /// test receivers; `configure` sets socket options before the bind (SO_REUSEADDR is set).
    static func loopbackSocket(udp: Bool = false, configure: (Int32) -> Void = { _ in }) -> (fd: Int32, port: Int) {
        let fd = socket(AF_INET, Int32(udp ? SOCK_DGRAM.rawValue : SOCK_STREAM.rawValue), 0)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        configure(fd)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        return (fd, Int(UInt16(bigEndian: addr.sin_port)))
    }
}

/// Builds NDJSON input for eg-ship.
enum Stream {
    static func stanza(_ sample: String, _ settings: [String: String]) -> String {
        let fields = settings.sorted { $0.key < $1.key }.map { "\(json($0.key)):\(json($0.value))" }.joined(separator: ",")
        return "{\"_kind\":\"stanza\",\"sample\":\(json(sample)),\"stanza\":\(json(sample)),\"settings\":{\(fields)}}\n"
    }

    static func event(_ raw: String, time: String? = "1700000000.25", sample: String? = nil, extra: [(String, String)] = []) -> String {
        var s = "{\"_raw\":\(json(raw))"
        if let time { s += ",\"_time\":\(time)" }
        if let sample { s += ",\"sample\":\(json(sample))" }
        for (k, v) in extra { s += ",\(json(k)):\(json(v))" }
        return s + "}\n"
    }

    /// A dead-letter file split into its stanza records and its event records (NDJSON text each).
    static func deadLetter(_ path: String) throws -> (stanzas: [String], events: String) {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        let stanzas = lines.filter { $0.hasPrefix("{\"_kind\":\"stanza\"") }.map(String.init)
        return (stanzas, lines.filter { !$0.hasPrefix("{\"_kind\":\"stanza\"") }.map { $0 + "\n" }.joined())
    }

    static func json(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }
}
