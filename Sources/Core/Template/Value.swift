/// A value inside a template, with Python's semantics where they show in output.
///
/// Lists and dicts are shared references (`ListRef`, `DictRef`), as in Python: `shared.get('k')`
/// then `.append(x)` changes the stored list. `undefined` carries the name that was missing so
/// an error can say which; it prints as an empty string, as Jinja's default `Undefined` does.
public enum Value {
    case undefined(String)
    case none
    case bool(Bool)
    case int(Int)
    /// An int outside `Int`'s range (never one that fits).
    case bigint(BigInt)
    case float(Double)
    case string(String)
    case bytes([UInt8])
    case list(ListRef)
    case tuple([Value])
    case dict(DictRef)
    case datetime(DateTimeValue)
    case timedelta(Int64)
    case macro(MacroRef)
    case function(NativeFunction)
    case object(TemplateObject)

    /// An empty undefined value.
    public static var missing: Value { .undefined("") }

    /// A new list holding `items`.
    public static func list(_ items: [Value]) -> Value { .list(ListRef(items)) }

    /// A new dict with string keys, in order.
    public static func dict(_ pairs: [(String, Value)]) -> Value {
        let d = DictRef()
        for (k, v) in pairs { d[.string(k)] = v }
        return .dict(d)
    }

    /// True unless undefined.
    public var isDefined: Bool { if case .undefined = self { return false }; return true }

    /// Python's truth value.
    public var truthy: Bool {
        switch self {
        case .undefined, .none: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .float(let d): return d != 0
        case .string(let s): return !s.isEmpty
        case .bytes(let b): return !b.isEmpty
        case .list(let l): return !l.items.isEmpty
        case .tuple(let t): return !t.isEmpty
        case .dict(let d): return d.count > 0
        case .timedelta(let t): return t != 0
        case .object(let o): return o.truthy
        default: return true
        }
    }

    /// The Python type name, for error messages.
    public var typeName: String {
        switch self {
        case .undefined: return "Undefined"
        case .none: return "NoneType"
        case .bool: return "bool"
        case .int, .bigint: return "int"
        case .float: return "float"
        case .string: return "str"
        case .bytes: return "bytes"
        case .list: return "list"
        case .tuple: return "tuple"
        case .dict: return "dict"
        case .datetime: return "datetime"
        case .timedelta: return "timedelta"
        case .macro: return "Macro"
        case .function: return "function"
        case .object(let o): return o.typeName
        }
    }

    /// The value as Python's `str()` prints it.
    public var text: String {
        if case .string(let s) = self { return s }
        var out: [UInt8] = []
        ValueText.appendStr(self, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The value as Python's `repr()` prints it.
    public var repr: String {
        var out: [UInt8] = []
        ValueText.appendRepr(self, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The number as a Double (ints, floats, bools), else nil; an int beyond any float is infinite.
    public var number: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .float(let d): return d
        case .bool(let b): return b ? 1 : 0
        case .bigint(let b): return BigInt.toDouble(b.negative, b.limbs) ?? (b.negative ? -.infinity : .infinity)
        default: return nil
        }
    }

    /// The integer (ints, bools, integral floats are not converted), else nil.
    public var intValue: Int? {
        switch self {
        case .int(let i): return i
        case .bool(let b): return b ? 1 : 0
        default: return nil
        }
    }

    /// The elements when iterated as Python would (strings by character, dicts by key), or nil.
    public func iterate() -> [Value]? {
        switch self {
        case .list(let l): return l.items
        case .tuple(let t): return t
        case .dict(let d): return d.keys
        case .string(let s): return s.map { .string(String($0)) }
        case .bytes(let b): return b.map { .int(Int($0)) }
        case .undefined: return []
        case .object(let o): return o.elements
        default: return nil
        }
    }

    /// The hashable key of this value, for dicts, sets and `unique`.
    public var key: ValueKey? {
        switch self {
        case .none: return ValueKey.none
        case .bool(let b): return .int(b ? 1 : 0)
        case .int(let i): return .int(i)
        case .bigint(let b): return .big(b.negative, b.limbs)
        case .float(let d):
            if d == d.rounded(), abs(d) < 9.2e18 { return .int(Int(d)) }
            // An integral float beyond Int is the same key as the int it equals.
            if d.isFinite, d == d.rounded(), let i = try? BigInt.fromDouble(d, SourcePosition()) { return i.key }
            return .float(d)
        case .string(let s): return .string(s)
        case .bytes(let b): return .bytes(b)
        case .tuple(let t):
            var ks: [ValueKey] = []
            for v in t { guard let k = v.key else { return nil }; ks.append(k) }
            return .tuple(ks)
        case .datetime(let d): return .int(Int(d.micros))
        case .timedelta(let t): return .int(Int(t))
        default: return nil
        }
    }
}

/// The hashable form of a value used as a dict key (`1`, `1.0` and `True` are one key, as in Python).
public enum ValueKey: Hashable, Sendable {
    case none
    case int(Int)
    case big(Bool, [UInt32])
    case float(Double)
    case string(String)
    case bytes([UInt8])
    case tuple([ValueKey])
}

/// A Python list (or the items of a tuple being built): a shared, mutable reference.
public final class ListRef {
    @exclusivity(unchecked) public var items: [Value]
    public init(_ items: [Value] = []) { self.items = items }
}

/// A Python dict: insertion-ordered, shared and mutable. Up to `linearLimit` entries a lookup
/// compares the keys in order (no hashing, no hash table to build for a small literal); a larger
/// dict keeps a hash index: an open-addressed table by `DictHash` while every key is an integer
/// or an ASCII string (state keys such as `record/host1`), else Swift's dictionary.
public final class DictRef {
    @exclusivity(unchecked) public private(set) var keys: [Value] = []
    @exclusivity(unchecked) public private(set) var values: [Value] = []
    /// The hashable form of each key, in order.
    @exclusivity(unchecked) private var hashed: [ValueKey] = []
    /// The table: a key's position + 1 per slot (0: empty), a power of two at most half full,
    /// with each key's `DictHash`, in order; empty when the dict has no such index.
    @exclusivity(unchecked) private var table: [Int32] = []
    @exclusivity(unchecked) private var hashes: [UInt64] = []
    /// The index of a large dict with a key `DictHash` does not take.
    @exclusivity(unchecked) private var general: [ValueKey: Int]? = nil
    static let linearLimit = 8

    public init() {}

    /// An empty dict with room for `capacity` entries.
    public init(capacity: Int) {
        keys.reserveCapacity(capacity)
        values.reserveCapacity(capacity)
        hashed.reserveCapacity(capacity)
    }

    public var count: Int { keys.count }

    @inline(__always)
    private func position(_ k: ValueKey) -> Int? {
        if !table.isEmpty { return tablePosition(k) }
        if let general { return general[k] }
        var i = 0
        let n = hashed.count
        while i < n {
            if hashed[i] == k { return i }
            i &+= 1
        }
        return nil
    }

    private func tablePosition(_ k: ValueKey) -> Int? {
        guard let h = DictHash.of(k) else {
            // Every key in the table is an integer or ASCII text; other text can still equal
            // one (Swift compares strings by canonical equivalence), anything else cannot.
            if case .string = k { return hashed.firstIndex(of: k) }
            return nil
        }
        let mask = table.count &- 1
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let p = Int(table[i])
            if p == 0 { return nil }
            if hashes[p &- 1] == h, hashed[p &- 1] == k { return p &- 1 }
            i = (i &+ 1) & mask
        }
    }

    private func insertSlot(_ h: UInt64, _ position: Int) {
        let mask = table.count &- 1
        var i = Int(truncatingIfNeeded: h) & mask
        while table[i] != 0 { i = (i &+ 1) & mask }
        table[i] = Int32(truncatingIfNeeded: position &+ 1)
    }

    private func rebuildIndex() {
        table = []
        hashes = []
        general = nil
        guard hashed.count > Self.linearLimit else { return }
        var hs: [UInt64] = []
        hs.reserveCapacity(hashed.count)
        for k in hashed {
            guard let h = DictHash.of(k) else {
                var d: [ValueKey: Int] = [:]
                d.reserveCapacity(hashed.count * 2)
                for (j, h) in hashed.enumerated() { d[h] = j }
                general = d
                return
            }
            hs.append(h)
        }
        hashes = hs
        var size = 32
        while size < hashed.count &* 2 { size <<= 1 }
        table = [Int32](repeating: 0, count: size)
        for (j, h) in hs.enumerated() { insertSlot(h, j) }
    }

    /// The value for `key`, or nil when absent (or unhashable).
    public subscript(key: Value) -> Value? {
        get {
            guard let k = key.key, let i = position(k) else { return nil }
            return values[i]
        }
        set {
            guard let k = key.key else { return }
            set(k, key, newValue)
        }
    }

    private func set(_ k: ValueKey, _ key: Value, _ newValue: Value?) {
        if let v = newValue {
            if let i = position(k) { values[i] = v; return }
            keys.append(key); values.append(v); hashed.append(k)
            let n = hashed.count
            if !table.isEmpty {
                if let h = DictHash.of(k), n &* 2 <= table.count {
                    hashes.append(h)
                    insertSlot(h, n &- 1)
                } else {
                    rebuildIndex()
                }
            } else if general != nil {
                general![k] = n &- 1
            } else if n > Self.linearLimit {
                rebuildIndex()
            }
        } else if let i = position(k) {
            keys.remove(at: i); values.remove(at: i); hashed.remove(at: i)
            if !table.isEmpty || general != nil { rebuildIndex() }
        }
    }

    /// Where in `values` the value of string key `name` is, or nil when absent.
    func position(ofName name: String) -> Int? { position(.string(name)) }

    /// The value of a string key.
    public subscript(name: String) -> Value? {
        get { position(.string(name)).map { values[$0] } }
        set { set(.string(name), .string(name), newValue) }
    }

    /// Removes every entry.
    public func removeAll() { keys.removeAll(); values.removeAll(); hashed.removeAll(); table = []; hashes = []; general = nil }

    /// A shallow copy.
    public func copy() -> DictRef {
        let d = DictRef()
        d.keys = keys; d.values = values; d.hashed = hashed; d.table = table; d.hashes = hashes; d.general = general
        return d
    }
}

/// The hash of a dict key for `DictRef`'s table: FNV-1a over an ASCII string's bytes, a mix of
/// an integer's bits; nil for any other key (those dicts use Swift's dictionary).
enum DictHash {
    @inline(__always)
    static func of(_ k: ValueKey) -> UInt64? {
        switch k {
        case .int(let i):
            var x = UInt64(bitPattern: Int64(i)) &* 0x9E37_79B9_7F4A_7C15
            x ^= x >> 32
            return x
        case .string(let s): return ascii(s)
        default: return nil
        }
    }

    static func ascii(_ s: String) -> UInt64? {
        var s = s
        return s.withUTF8 { b -> UInt64? in
            var h: UInt64 = 0xCBF2_9CE4_8422_2325
            var high: UInt8 = 0
            for c in b {
                high |= c
                h = (h ^ UInt64(c)) &* 0x0000_0100_0000_01B3
            }
            return high < 0x80 ? h ^ (h >> 29) : nil
        }
    }
}

/// A datetime: an instant in microseconds and the UTC offset it is read in (nil: a naive datetime,
/// which prints and formats without a zone, as Python's `datetime.fromtimestamp()` does).
public struct DateTimeValue: Sendable, Equatable {
    public var micros: Int64
    public var offset: Int?
    public init(micros: Int64, offset: Int?) { self.micros = micros; self.offset = offset }

    /// The wall-clock reading.
    public var civil: CivilTime {
        let t = EventTime(micros: micros)
        return CivilDate.civil(localSeconds: t.seconds + Int64(offset ?? 0), microsecond: Int(t.microsecond),
                               offset: offset ?? 0, abbreviation: offset == nil ? "" : (offset == 0 ? "UTC" : ""))
    }
}

/// A function implemented in Swift (a global like `range`, or a module function given to a template).
public final class NativeFunction {
    public let name: String
    public let body: (inout CallArguments, RenderState) throws -> Value
    public init(_ name: String, _ body: @escaping (inout CallArguments, RenderState) throws -> Value) {
        self.name = name
        self.body = body
    }
}

/// An object from outside the engine (a module, a sample set, a state store): attributes, items,
/// methods and iteration as the object defines them. Unknown attributes give nil (undefined).
public protocol TemplateObject: AnyObject {
    /// The type name in error messages.
    var typeName: String { get }
    /// The attribute `name`, or nil.
    func attribute(_ name: String) -> Value?
    /// The item `key` (`obj[key]`), or nil.
    func item(_ key: Value) -> Value?
    /// Calls method `name`; nil when there is no such method.
    func callMethod(_ name: String, _ args: inout CallArguments, _ state: RenderState) throws -> Value?
    /// The elements when iterated, or nil when not iterable.
    var elements: [Value]? { get }
    /// Truth value.
    var truthy: Bool { get }
    /// Appends `str(self)`.
    func appendText(to out: inout [UInt8])
}

extension TemplateObject {
    public func item(_ key: Value) -> Value? {
        if case .string(let s) = key { return attribute(s) }
        return nil
    }
    public func callMethod(_ name: String, _ args: inout CallArguments, _ state: RenderState) throws -> Value? {
        if case .function(let f)? = attribute(name) { return try f.body(&args, state) }
        return nil
    }
    public var elements: [Value]? { nil }
    public var truthy: Bool { true }
    public func appendText(to out: inout [UInt8]) { out.append(contentsOf: "<\(typeName) object>".utf8) }
}

/// The arguments of one call: positional values, then keyword values in order.
public struct CallArguments {
    public var positional: [Value]
    public var keywords: [(String, Value)]
    /// Where the call is, for errors.
    public var position: SourcePosition

    public init(_ positional: [Value] = [], keywords: [(String, Value)] = [], position: SourcePosition = SourcePosition()) {
        self.positional = positional
        self.keywords = keywords
        self.position = position
    }

    /// Argument `i` by position, or by keyword `name`; nil when absent.
    public func get(_ i: Int, _ name: String) -> Value? {
        if i < positional.count { return positional[i] }
        for (k, v) in keywords where k == name { return v }
        return nil
    }

    /// The keyword argument `name`, if given.
    public func keyword(_ name: String) -> Value? {
        for (k, v) in keywords where k == name { return v }
        return nil
    }

    /// Argument `i`/`name`, required.
    public func require(_ i: Int, _ name: String, _ function: String) throws -> Value {
        guard let v = get(i, name) else { throw TemplateError(position, "\(function)() missing required argument '\(name)'") }
        return v
    }

    /// An integer argument (bools count), required unless `default` is given.
    public func int(_ i: Int, _ name: String, _ function: String, default d: Int? = nil) throws -> Int {
        guard let v = get(i, name) else {
            if let d { return d }
            throw TemplateError(position, "\(function)() missing required argument '\(name)'")
        }
        switch v {
        case .int(let x): return x
        case .bool(let b): return b ? 1 : 0
        case .float(let f) where f == f.rounded() && abs(f) < 9e18: return Int(f)
        // An int beyond Int is past any count or width: the nearest end of Int.
        case .bigint(let b): return b.negative ? Int.min : Int.max
        default: throw TemplateError(position, "\(function)(): '\(name)' must be an integer, not \(v.typeName)")
        }
    }

    /// A numeric argument as a Double.
    public func double(_ i: Int, _ name: String, _ function: String, default d: Double? = nil) throws -> Double {
        guard let v = get(i, name) else {
            if let d { return d }
            throw TemplateError(position, "\(function)() missing required argument '\(name)'")
        }
        guard let x = v.number else { throw TemplateError(position, "\(function)(): '\(name)' must be a number, not \(v.typeName)") }
        return x
    }
}
