import Core

/// A CSV row with a header: `row.name`, `row['name']` and `row[0]`; iterates over its values.
final class CSVRow: TemplateObject {
    /// The column of each header name (the first of equal names), and the header in order: a
    /// short header is searched in order (no hashing per lookup).
    let columns: [String: Int]
    let names: [String]
    let values: [Value]
    init(columns: [String: Int], names: [String], values: [Value]) { self.columns = columns; self.names = names; self.values = values }
    var typeName: String { "row" }
    func attribute(_ name: String) -> Value? {
        let column = names.count <= 8 ? names.firstIndex { $0.utf8.count == name.utf8.count && $0 == name } : columns[name]
        return column.map { $0 < values.count ? values[$0] : .string("") }
    }
    func item(_ key: Value) -> Value? {
        switch key {
        case .string(let s): return attribute(s)
        case .int(let i): return i >= -values.count && i < values.count ? values[i < 0 ? values.count + i : i] : nil
        default: return nil
        }
    }
    var elements: [Value]? { values }
    func appendText(to out: inout [UInt8]) {
        out += Array(("(" + values.map(\.repr).joined(separator: ", ") + ")").utf8)
    }
}

/// One named sample: its rows, iterable, with `pick()`, `pick_n(n)`, `weighted_pick(col)`,
/// `weighted_pick_n(col, n)`, `where(col=v)`, `columns` and `len`.
final class SampleSet: TemplateConstantElements {
    let name: String
    let rows: [Value]
    let columnNames: [String]
    var weights: [String: [Double]] = [:]
    /// CSV rows (and items that are plain strings or numbers) never change; JSON objects are
    /// dicts a template could change.
    let elementsAreConstant: Bool

    init(name: String, rows: [Value], columns: [String]) {
        self.name = name
        self.rows = rows
        columnNames = columns
        elementsAreConstant = rows.allSatisfy(Self.isConstant)
    }

    static func isConstant(_ v: Value) -> Bool {
        switch v {
        case .none, .bool, .int, .float, .string: return true
        case .tuple(let t): return t.allSatisfy(isConstant)
        case .object(let o): return o is CSVRow
        default: return false
        }
    }
    var typeName: String { "sample" }
    var elements: [Value]? { rows }
    var truthy: Bool { !rows.isEmpty }
    static let methods: Set<String> = ["pick", "pick_n", "weighted_pick", "weighted_pick_n", "where"]

    /// `columns`, or a method as a bound function.
    func attribute(_ name: String) -> Value? {
        if Self.methods.contains(name) {
            return .function(NativeFunction("sample.\(name)") { [unowned self] args, state in
                try self.call(name, &args, state) ?? .none
            })
        }
        return name == "columns" ? .list(columnNames.map { .string($0) }) : nil
    }
    func item(_ key: Value) -> Value? {
        if case .int(let i) = key, i >= -rows.count, i < rows.count { return rows[i < 0 ? rows.count + i : i] }
        return nil
    }

    func field(_ row: Value, _ col: String) -> Value? {
        switch row {
        case .object(let o): return o.attribute(col)
        case .dict(let d): return d[col]
        default: return nil
        }
    }

    func weightTable(_ col: String) throws -> [Double] {
        if let w = weights[col] { return w }
        var w: [Double] = []
        for r in rows {
            let v = field(r, col)
            let d: Double? = v.flatMap { x in x.number ?? (x.text.isEmpty ? nil : Double(x.text)) }
            guard let d, d >= 0, d.isFinite else {
                throw TemplateError(SourcePosition(), "sample \(name): weight column '\(col)' needs non-negative numbers")
            }
            w.append(d)
        }
        guard w.contains(where: { $0 > 0 }) else { throw TemplateError(SourcePosition(), "sample \(name): weights in '\(col)' are all zero") }
        var acc = 0.0
        w = w.map { acc += $0; return acc }
        weights[col] = w
        return w
    }

    func weighted(_ cumulative: [Double], _ rng: inout SeededRandom) -> Value {
        let x = rng.unit() * cumulative.last!
        var lo = 0, hi = cumulative.count - 1
        while lo < hi { let m = (lo + hi) / 2; if cumulative[m] > x { hi = m } else { lo = m + 1 } }
        return rows[lo]
    }

    func callMethod(_ method: String, _ args: inout CallArguments, _ state: RenderState) throws -> Value? {
        try call(method, &args, state)
    }

    func call(_ method: String, _ args: inout CallArguments, _ state: RenderState) throws -> Value? {
        guard !rows.isEmpty || method == "where" else { throw TemplateError(args.position, "sample \(name) is empty") }
        switch method {
        case "pick": return rows[state.rng.index(rows.count)]
        case "pick_n":
            let n = try args.int(0, "n", "pick_n")
            return .list((0..<max(n, 0)).map { _ in rows[state.rng.index(rows.count)] })
        case "weighted_pick":
            let col = try args.require(0, "weight", "weighted_pick").text
            return weighted(try weightTable(col), &state.rng)
        case "weighted_pick_n":
            let col = try args.require(0, "weight", "weighted_pick_n").text
            let n = try args.int(1, "n", "weighted_pick_n")
            let w = try weightTable(col)
            return .list((0..<max(n, 0)).map { _ in weighted(w, &state.rng) })
        case "where":
            let matching = rows.filter { r in args.keywords.allSatisfy { k, v in field(r, k).map { Self.same($0, v) } ?? false } }
            return .list(matching)
        default: return nil
        }
    }

    static func same(_ a: Value, _ b: Value) -> Bool {
        if let x = a.number, let y = b.number { return x == y }
        return a.text == b.text
    }

    /// Builds the set from the stanza record's sample settings.
    static func load(name: String, _ s: JSONValue) throws -> SampleSet {
        switch s["type"]?.stringValue {
        case "items":
            guard case .array(let items)? = s["source"] else { return SampleSet(name: name, rows: [], columns: []) }
            return SampleSet(name: name, rows: items.map(Value.init(json:)), columns: [])
        case "csv":
            let path = s["source"]?.stringValue ?? ""
            let text = String(decoding: try FileDescriptor.readAll(path: path), as: UTF8.self)
            let d = s["delimiter"]?.stringValue?.utf8.first ?? UInt8(ascii: ",")
            let q = s["quotechar"]?.stringValue?.utf8.first ?? UInt8(ascii: "\"")
            var rows = try EventumCSV.rows(text, delimiter: d, quote: q, file: path)
            var header: [String] = []
            if s["header"] == .bool(true), !rows.isEmpty { header = rows.removeFirst() }
            var cols: [String: Int] = [:]
            for (i, h) in header.enumerated() where cols[h] == nil { cols[h] = i }
            let values = rows.map { r -> Value in
                let vs = r.map { Value.string($0) }
                return header.isEmpty ? .tuple(vs) : .object(CSVRow(columns: cols, names: header, values: vs))
            }
            return SampleSet(name: name, rows: values, columns: header)
        default:
            let path = s["source"]?.stringValue ?? ""
            let json = try JSONParser.parse(String(decoding: try FileDescriptor.readAll(path: path), as: UTF8.self))
            guard case .array(let items) = json else { throw EgError.config(at: path, "sample \(name) must be a JSON array") }
            var cols: [String] = []
            if case .object(let f)? = items.first { cols = f.map(\.key) }
            return SampleSet(name: name, rows: items.map(Value.init(json:)), columns: cols)
        }
    }
}

/// `samples.<name>`.
final class SampleSets: TemplateNamespace {
    let sets: [String: SampleSet]
    init(_ sets: [String: SampleSet]) { self.sets = sets }
    var typeName: String { "samples" }
    func attribute(_ name: String) -> Value? { sets[name].map { .object($0) } }
}
