/// Jinja's global functions, which every environment starts with: `range`, `dict`, `cycler`,
/// `joiner`, `namespace`.
enum GlobalFunctions {
    static func install(in env: TemplateEnvironment) {
        env.globals["range"] = .function(NativeFunction("range") { args, _ in
            let p = args.positional
            guard (1...3).contains(p.count) else { throw TemplateError(args.position, "range expected 1 to 3 arguments, got \(p.count)") }
            var ints: [Int] = []
            for v in p {
                if case .bigint = v { throw TemplateError(args.position, "range(): Python int too large to convert to C ssize_t") }
                guard let i = v.intValue else { throw TemplateError(args.position, "range(): '\(v.typeName)' object cannot be interpreted as an integer") }
                ints.append(i)
            }
            let (start, stop, step) = p.count == 1 ? (0, ints[0], 1) : (ints[0], ints[1], p.count == 3 ? ints[2] : 1)
            guard step != 0 else { throw TemplateError(args.position, "range() arg 3 must not be zero") }
            guard let r = RangeObject(start: start, stop: stop, step: step) else {
                throw TemplateError(args.position, "range(): Python int too large to convert to C ssize_t (the range has more than \(Int.max) items)")
            }
            return .object(r)
        })
        env.globals["dict"] = .function(NativeFunction("dict") { args, _ in
            let d = DictRef()
            if let first = args.positional.first {
                if case .dict(let o) = first { for i in 0..<o.count { d[o.keys[i]] = o.values[i] } }
                else if let pairs = first.iterate() {
                    for p in pairs { if let kv = p.iterate(), kv.count == 2 { d[kv[0]] = kv[1] } }
                }
            }
            for (k, v) in args.keywords { d[.string(k)] = v }
            return .dict(d)
        })
        env.globals["cycler"] = .function(NativeFunction("cycler") { args, _ in .object(Cycler(args.positional)) })
        env.globals["joiner"] = .function(NativeFunction("joiner") { args, _ in
            let box = Joiner(args.get(0, "sep")?.text ?? ", ")
            return .function(NativeFunction("joiner") { _, _ in
                defer { box.used = true }
                return .string(box.used ? box.separator : "")
            })
        })
        env.globals["namespace"] = .function(NativeFunction("namespace") { args, _ in
            let ns = Namespace()
            if case .dict(let d)? = args.positional.first { for i in 0..<d.count { ns.values[d.keys[i].text] = d.values[i] } }
            for (k, v) in args.keywords { ns.values[k] = v }
            return .object(ns)
        })
    }
}

/// `cycler(a, b, ...)`: `next()` returns the items in turn; `current`, `reset()`.
final class Cycler: TemplateObject {
    let items: [Value]
    var position = 0
    init(_ items: [Value]) { self.items = items }
    var typeName: String { "Cycler" }
    func attribute(_ name: String) -> Value? {
        name == "current" ? (items.isEmpty ? .none : items[position]) : nil
    }
    func callMethod(_ name: String, _ args: inout CallArguments, _ state: RenderState) throws -> Value? {
        switch name {
        case "next":
            guard !items.isEmpty else { return Value.none }
            let v = items[position]
            position = (position + 1) % items.count
            return v
        case "reset": position = 0; return Value.none
        default: return nil
        }
    }
}

/// The state of one `joiner(sep)`: whether it has been called.
final class Joiner {
    let separator: String
    var used = false
    init(_ separator: String) { self.separator = separator }
}

/// Python's `range`: lazy, so `range(10**9) | random` draws without building a list.
final class RangeObject: TemplateObject {
    let start: Int, stop: Int, step: Int
    let count: Int
    /// nil when the range has more than `Int.max` items.
    init?(start: Int, stop: Int, step: Int) {
        self.start = start
        self.stop = stop
        self.step = step
        // The distance as unsigned is exact for any two Ints.
        let up = step > 0
        guard up ? stop > start : start > stop else { count = 0; return }
        let distance = up ? UInt(bitPattern: stop &- start) : UInt(bitPattern: start &- stop)
        let n = (distance - 1) / step.magnitude + 1
        guard n <= UInt(Int.max) else { return nil }
        count = Int(n)
    }
    var typeName: String { "range" }
    func attribute(_ name: String) -> Value? {
        switch name {
        case "start": return .int(start)
        case "stop": return .int(stop)
        case "step": return .int(step)
        default: return nil
        }
    }
    /// Element `i` (0-based, already in range).
    func at(_ i: Int) -> Value { .int(start &+ i &* step) }   // exact: the element lies between start and stop

    /// True when `i` is an element.
    func contains(_ i: Int) -> Bool {
        if step > 0 { return i >= start && i < stop && UInt(bitPattern: i &- start) % step.magnitude == 0 }
        return i <= start && i > stop && UInt(bitPattern: start &- i) % step.magnitude == 0
    }
    func item(_ key: Value) -> Value? {
        guard let i = key.intValue else { return nil }
        let j = i < 0 ? count + i : i
        return j >= 0 && j < count ? at(j) : nil
    }
    /// The elements; ranges over 10,000,000 items are iterated as empty by `elements` callers
    /// that need a list, so `RenderState` checks `count` first.
    var elements: [Value]? {
        guard count <= 10_000_000 else { return nil }
        var items: [Value] = []
        items.reserveCapacity(count)
        for i in 0..<count { items.append(at(i)) }
        return items
    }
    var truthy: Bool { count > 0 }
    func appendText(to out: inout [UInt8]) {
        out.append(contentsOf: (step == 1 ? "range(\(start), \(stop))" : "range(\(start), \(stop), \(step))").utf8)
    }
}
