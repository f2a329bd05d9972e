/// Conversion between the stream's JSON values and template values.
extension Value {
    /// A template value for a JSON value: integers become ints, other numbers floats, objects
    /// dicts (key order kept), arrays lists.
    public init(json: JSONValue) {
        switch json {
        case .string(let s): self = .string(s)
        case .number(let n):
            if let i = Int(n) { self = .int(i) }
            else if n.allSatisfy({ $0.isNumber || $0 == "-" }), let b = try? BigInt.parse(Substring(n), radix: 10, SourcePosition()) { self = b }
            else { self = .float(Double(n) ?? 0) }
        case .bool(let b): self = .bool(b)
        case .null: self = .none
        case .array(let items): self = .list(ListRef(items.map { Value(json: $0) }))
        case .object(let fields):
            let d = DictRef()
            for f in fields { d[.string(f.key)] = Value(json: f.value) }
            self = .dict(d)
        }
    }
}
