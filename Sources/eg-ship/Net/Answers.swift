import Core

/// Reads the answers of Splunk's HTTP Event Collector: `{"text":"Success","code":0}`, or an error
/// object such as `{"text":"Server is busy","code":9}`. Any body is accepted: what is not such an
/// object, or holds a code that is not a small integer, reads as having no code.
enum HECAnswer {
    /// The answer's `code` and `text`, when the body is a JSON object that has them.
    static func parse(_ body: [UInt8]) -> (code: Int?, text: String?) {
        guard let v = try? body.withUnsafeBufferPointer({ try JSONParser.parse($0) }), case .object = v else {
            return (nil, nil)
        }
        return (v["code"].flatMap { $0.exactInt(in: 0...1000) }, v["text"]?.stringValue)
    }

    /// The answer of a 2xx response: delivered, unless the body is a HEC object with a code other
    /// than 0 (9, "server is busy", is retried; the others are given up).
    static func check(_ r: HTTPResponse, from peer: String) -> Answer {
        let (code, text) = parse(r.body)
        guard let code, code != 0 else { return .delivered }
        let reason = "\(peer): HTTP \(r.status) with HEC code \(code)" + (text.map { ": " + String($0.prefix(200)) } ?? "")
        return code == 9 ? .retry(reason) : .giveUp(reason)
    }
}

/// What a 2xx Elasticsearch/OpenSearch `_bulk` answer says about the documents of its request.
enum BulkAnswer: Equatable {
    /// `"errors": false`: every document was indexed.
    case allDelivered
    /// Per document in request order: nil when indexed, else its status and error text.
    case items([BulkItemError?])
    /// The body cannot be read (not JSON, items missing or of the wrong count): which documents
    /// were indexed is unknown.
    case unreadable(String)

    /// Reads a `_bulk` answer to a request of `count` documents. Never traps: a status that is not
    /// an integer from 100 to 599 (`1e300`, `-1`, `"NaN"`) makes that item unreadable (status 0).
    static func parse(_ body: [UInt8], count: Int) -> BulkAnswer {
        guard let v = try? body.withUnsafeBufferPointer({ try JSONParser.parse($0) }), case .object = v else {
            return .unreadable("unreadable bulk response")
        }
        if case .bool(false)? = v["errors"] { return .allDelivered }
        guard case .array(let items)? = v["items"], items.count == count else {
            return .unreadable("bulk response does not list one item per document (\(count) sent)")
        }
        var out: [BulkItemError?] = []
        out.reserveCapacity(count)
        for item in items {
            guard case .object(let f) = item, let result = f.first?.value, case .object = result,
                  let code = result["status"]?.exactInt(in: 100...599) else {
                out.append(BulkItemError(status: 0, text: "unreadable bulk item"))
                continue
            }
            if (200..<300).contains(code) { out.append(nil); continue }
            out.append(BulkItemError(status: code, text: errorText(code, result["error"])))
        }
        return .items(out)
    }

    /// `400 mapper_parsing_exception: failed to parse field [x] ...` from an item's `error`.
    static func errorText(_ status: Int, _ error: JSONValue?) -> String {
        var text = "\(status)"
        switch error {
        case .object?:
            if let t = error?["type"]?.text { text += " " + t }
            if let r = error?["reason"]?.text { text += ": " + r }
            if let c = error?["caused_by"]?["reason"]?.text { text += " (" + c + ")" }
        case .string(let s)?:
            text += " " + s
        default:
            break
        }
        return String(text.prefix(300))
    }
}

/// One document a `_bulk` answer refused: its status (0 when unreadable) and error text.
struct BulkItemError: Equatable {
    var status: Int
    var text: String
}

extension JSONValue {
    /// The value as an integer in `range`, when it is a number (or a string holding one) whose
    /// value is exactly such an integer; nil for anything else (`1e300`, `NaN`, `2.5`, `true`).
    func exactInt(in range: ClosedRange<Int>) -> Int? {
        let text: String
        switch self {
        case .number(let s), .string(let s): text = s
        default: return nil
        }
        if let i = Int(text) { return range.contains(i) ? i : nil }
        guard let d = Double(text), d.isFinite, d == d.rounded(),
              d >= Double(range.lowerBound), d <= Double(range.upperBound) else { return nil }
        return Int(d)
    }
}

/// Reads ClickHouse's error answers (`Code: 27, e.displayText() = DB::Exception: Cannot parse
/// input: ...`, or `Code: 27. DB::Exception: ...` in newer servers), which come with 500 even when
/// the data itself is refused.
enum ClickHouseAnswer {
    /// Exception codes that refuse the data or the statement: sending it again cannot help.
    static let refusals: Set<Int> = [
        6, 16, 26, 27, 32, 38, 41, 47, 53, 60, 62, 69, 70, 72, 81, 117, 131, 164, 192, 193, 194, 195, 497, 516,
    ]

    /// The exception code of an error body, if it has one.
    static func code(_ body: [UInt8]) -> Int? {
        let text = String(decoding: body.prefix(200), as: UTF8.self)
        guard let r = text.range(of: "Code: ") else { return nil }
        let digits = text[r.upperBound...].prefix { $0.isASCII && $0.isNumber }
        return digits.count <= 6 ? Int(digits) : nil
    }

    /// The answer of an INSERT's response: the usual policy, except that a refusal of the data
    /// is given up whatever the status.
    static func check(_ r: HTTPResponse, from peer: String) -> Answer {
        if !r.isSuccess, let c = code(r.body), refusals.contains(c) {
            return .giveUp("\(peer): refused: \(r.summary)")
        }
        return Answer(r, from: peer)
    }
}
