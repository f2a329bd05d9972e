import Foundation
import Core

/// The settings of a `clickhouse` output.
struct ClickHouseConfig {
    var url: String
    var endpoint: HTTPEndpoint
    /// The URL's path (usually `/`) and the query string with the INSERT statement.
    var path: String
    var database: String
    var table: String
    /// The input format of the INSERT (`JSONEachRow` by default).
    var format: String
    var headers: [(String, String)]
    /// At most this many rows and body bytes per INSERT (a single larger row still goes alone).
    var batchRows: Int
    var batchBytes: Int
    var gzip: Bool
    var keepAnomaly: Bool
    /// An Eventum generator's output: the body is its formatted events as they are, framed so.
    var framing: InsertFraming?
    var identity: String

    /// Formats whose rows eg writes as JSON objects; the others get `_raw` lines.
    static let jsonFormats: Set<String> = ["JSONEachRow", "JSONLines", "NDJSON"]

    init(_ s: SampleSettings, _ ctx: OutputContext) throws {
        url = s.string("clickhouseUrl", default: "http://127.0.0.1:8123")
        guard let u = URLComponents(string: url), let scheme = u.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = u.host, !host.isEmpty else {
            throw s.invalid("clickhouseUrl", "an http or https URL such as http://127.0.0.1:8123")
        }
        endpoint = ctx.tweaks.endpoint(scheme: scheme, host: host, port: u.port ?? 8123)
        database = s.string("clickhouseDatabase", default: "default")
        table = s.string("clickhouseTable", default: "eventgen")
        format = s.string("clickhouseFormat", default: "JSONEachRow")
        for (key, value) in [("clickhouseDatabase", database), ("clickhouseTable", table), ("clickhouseFormat", format)] {
            guard ClickHouseConfig.isIdentifier(value) else { throw s.invalid(key, "a name of letters, digits and _") }
        }
        let statement = "INSERT INTO \(database).\(table) FORMAT \(format)"
        path = (u.percentEncodedPath.isEmpty ? "/" : u.percentEncodedPath) + "?query=" + percentEncode(statement)
        headers = [("Content-Type", "application/octet-stream")]
        if let user = s.string("clickhouseUser") ?? u.user {
            headers.append(("X-ClickHouse-User", user))
            if let password = s.string("clickhousePassword") ?? u.password {
                Secrets.register(password)
                headers.append(("X-ClickHouse-Key", password))
            }
        }
        batchRows = try s.int("clickhouseBatchSize", default: 10_000)
        guard (1...10_000_000).contains(batchRows) else { throw s.invalid("clickhouseBatchSize", "a number of rows from 1 to 10000000") }
        batchBytes = try s.int("clickhouseBatchBytes", default: 16 << 20)
        guard (1...(1 << 30)).contains(batchBytes) else { throw s.invalid("clickhouseBatchBytes", "a number of bytes from 1 to 1073741824") }
        gzip = ctx.gzip ?? s.bool("clickhouseGzip", default: false)
        keepAnomaly = ctx.keepAnomaly
        framing = ctx.tweaks.insertFraming
        identity = "\(endpoint) \(database).\(table) \(format)" + (s.string("clickhouseUser").map { " user=\($0)" } ?? "")
            + (framing.map { " framing=\($0.header)/\($0.separator)/\($0.footer)" } ?? "")
    }

    /// `[A-Za-z_][A-Za-z0-9_]*`.
    static func isIdentifier(_ s: String) -> Bool {
        guard let f = s.utf8.first, f == UInt8(ascii: "_") || (f | 0x20 >= UInt8(ascii: "a") && f | 0x20 <= UInt8(ascii: "z")) else { return false }
        return s.utf8.allSatisfy { b in
            b == UInt8(ascii: "_") || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || (b | 0x20 >= UInt8(ascii: "a") && b | 0x20 <= UInt8(ascii: "z"))
        }
    }
}

/// `clickhouse`: INSERTs over ClickHouse's HTTP interface: each batch is POSTed as
/// `INSERT INTO <database>.<table> FORMAT <clickhouseFormat>` with the rows as the body, at most
/// `clickhouseBatchSize` rows and `clickhouseBatchBytes` bytes per INSERT. With a JSON format
/// (JSONEachRow, the default) a JSON-object `_raw` is the row and any other event becomes a row
/// of its record's fields (`anomaly` left out unless `--keep-anomaly`); other formats get `_raw`
/// lines; an Eventum generator's output sends its formatted events as they are, between its
/// `header` and `footer`, joined by its `separator` (Eventum's layout). The delivery policy retries connection errors and 5xx answers, except refusals of the
/// data itself (a parse or type error, an unknown column or table: `ClickHouseAnswer`), which are
/// reported with the server's message and dead-lettered.
final class ClickHouseOutput: Output {
    let name: String
    let stats = OutputStats()
    private let config: ClickHouseConfig
    private let retrier: Retrier
    private let insecure: Bool
    private var transport: HTTPTransport?

    init(config: ClickHouseConfig, policy: DeliveryPolicy, insecure: Bool) {
        self.config = config
        self.insecure = insecure
        name = "clickhouse:\(config.url) \(config.database).\(config.table)"
        retrier = policy.retrier(for: name, stats: stats)
    }

    /// Appends the row of `e` with its newline.
    func appendRow(_ e: ShipEvent, to o: inout [UInt8]) {
        guard ClickHouseConfig.jsonFormats.contains(config.format) else {
            e.appendLine(to: &o)
            return
        }
        var raw = e.trimmedRaw
        let done: Bool = raw.withUTF8 { b in
            var k = 0
            while k < b.count, b[k] == 0x20 || b[k] == 0x09 || b[k] == 0x0A || b[k] == 0x0D { k += 1 }
            guard k < b.count, b[k] == UInt8(ascii: "{"), let v = try? JSONParser.parse(UnsafeBufferPointer(rebasing: b[k...])),
                  case .object = v else { return false }
            JSONWriter.append(v, to: &o)
            o.append(0x0A)
            return true
        }
        if !done { e.appendJSONLine(keepAnomaly: config.keepAnomaly, to: &o) }
    }

    func write(_ batch: [ShipEvent]) -> [Undelivered] {
        var failed: [Undelivered] = []
        var body: [UInt8] = []
        var k = 0
        let framing = config.framing
        while k < batch.count {
            body.removeAll(keepingCapacity: true)
            if let f = framing { body.append(contentsOf: f.header) }
            var j = k
            while j < batch.count && j - k < config.batchRows {
                let before = body.count
                if let f = framing {
                    if j > k { body.append(contentsOf: f.separator) }
                    body.append(contentsOf: batch[j].raw.utf8)
                } else {
                    appendRow(batch[j], to: &body)
                }
                if j > k && body.count + (framing?.footer.count ?? 0) > config.batchBytes {
                    body.removeSubrange(before...)
                    break
                }
                j += 1
            }
            if let f = framing { body.append(contentsOf: f.footer) }
            if let reason = insert(body) {
                failed += batch[k..<j].map { Undelivered(event: $0, reason: reason) }
            }
            k = j
        }
        return failed
    }

    /// Sends one INSERT through the delivery policy; nil when delivered, else why not.
    private func insert(_ rows: [UInt8]) -> String? {
        var headers = config.headers
        var body = rows
        if config.gzip, let z = Gzip.compress(rows) {
            body = z
            headers.append(("Content-Encoding", "gzip"))
        }
        let peer = "\(config.endpoint)"
        let reason = retrier.run { _ in
            do {
                if transport == nil { transport = try makeTransport(config.endpoint, policy: retrier.policy, insecure: insecure) }
                let r = try transport!.send(HTTPRequest(method: "POST", path: config.path, headers: headers, body: body))
                return ClickHouseAnswer.check(r, from: peer)
            } catch {
                return Answer(error)
            }
        }
        if reason == nil { stats.bytes += rows.count }
        return reason
    }

    func close() throws { transport?.close() }
}
