import Core

/// Eventum's `locals`, `shared` and `globals`: a store with `get(k, default)`, `set(k, v)`,
/// `update(dict)`, `pop(k, default)`, `clear()`, `store[k]` and `store.k`. Values are template values,
/// so lists and dicts are shared references (`shared.get('sessions').append(x)` changes the store).
final class EventumState: TemplateObject {
    let dict = DictRef()
    var typeName: String { "state" }

    func value(_ key: String) -> Value? { dict[.string(key)] }

    static let methods: Set<String> = ["get", "set", "update", "pop", "clear", "keys", "values", "items"]

    /// A stored value, or one of the store's methods as a bound function.
    func attribute(_ name: String) -> Value? {
        if Self.methods.contains(name) {
            return .function(NativeFunction("state.\(name)") { [unowned self] args, state in
                try self.call(name, &args, state) ?? .none
            })
        }
        return dict[.string(name)]
    }
    func item(_ key: Value) -> Value? { dict[key] }
    var elements: [Value]? { dict.keys }
    var truthy: Bool { dict.count > 0 }

    func callMethod(_ name: String, _ args: inout CallArguments, _ state: RenderState) throws -> Value? {
        try call(name, &args, state)
    }

    func call(_ name: String, _ args: inout CallArguments, _ state: RenderState) throws -> Value? {
        switch name {
        case "get":
            let k = try args.require(0, "key", "get")
            return dict[k] ?? args.get(1, "default") ?? Value.none
        case "set":
            dict[try args.require(0, "key", "set")] = try args.require(1, "value", "set")
            return Value.none
        case "update":
            if case .dict(let d) = try args.require(0, "mapping", "update") {
                for (k, v) in zip(d.keys, d.values) { dict[k] = v }
            }
            return Value.none
        case "pop":
            let k = try args.require(0, "key", "pop")
            let v = dict[k]
            if v != nil { dict[k] = nil }
            return v ?? args.get(1, "default") ?? Value.none
        case "clear":
            dict.removeAll()
            return Value.none
        case "keys": return .list(dict.keys)
        case "values": return .list(dict.values)
        case "items": return .list(zip(dict.keys, dict.values).map { .tuple([$0, $1]) })
        default: return nil
        }
    }
}
