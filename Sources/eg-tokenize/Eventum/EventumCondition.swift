import Core
import Foundation

/// An fsm transition condition (Eventum's checks), compiled from the stanza record: comparisons,
/// `matches`, `len_*`, `contains` and `in` over `locals.`/`shared.`/`globals.` fields, `defined`,
/// `has_tags`, `before`/`after` (the timestamp's time of day), `always`, `never`, `and`, `or`, `not`.
indirect enum EventumCondition {
    enum Scope { case locals, shared, globals }
    enum Op: String { case eq, gt, ge, lt, le }

    case compare(Op, Scope, String, Value)
    case length(Op, Scope, String, Double)
    case matches(Scope, String, NSRegularExpression)
    case contains(Scope, String, Value)
    case isIn(Scope, String, [Value])
    case defined(Scope, String)
    case hasTags([String])
    case before(Int), after(Int)
    case always, never
    case all([EventumCondition]), any([EventumCondition]), not(EventumCondition)

    /// What a condition sees: the current template's locals, shared, globals, tags and time of day.
    struct Facts {
        var locals: EventumState, shared: EventumState, globals: EventumState
        var tags: [String]
        var secondOfDay: Int
        func value(_ scope: Scope, _ field: String) -> Value? {
            switch scope {
            case .locals: return locals.value(field)
            case .shared: return shared.value(field)
            case .globals: return globals.value(field)
            }
        }
    }

    static func field(_ s: String, at: String) throws -> (Scope, String) {
        for (p, scope) in [("locals.", Scope.locals), ("shared.", .shared), ("globals.", .globals)] where s.hasPrefix(p) {
            return (scope, String(s.dropFirst(p.count)))
        }
        throw EgError.config(at: at, "condition field '\(s)' must be locals.<name>, shared.<name> or globals.<name>")
    }

    static func timeOfDay(_ v: JSONValue, at: String) throws -> Int {
        let parts = (v.text ?? "").split(separator: ":").compactMap { Int($0) }
        guard parts.count >= 2, parts.count <= 3, parts[0] < 24, parts[1] < 60 else {
            throw EgError.config(at: at, "before/after take a time of day such as \"18:00\"")
        }
        return parts[0] * 3600 + parts[1] * 60 + (parts.count == 3 ? parts[2] : 0)
    }

    static func compile(_ json: JSONValue, at: String) throws -> EventumCondition {
        guard case .object(let f) = json, f.count == 1 else { throw EgError.config(at: at, "a condition is a mapping with one check") }
        let (name, v) = (f[0].key, f[0].value)
        func single() throws -> (Scope, String, JSONValue) {
            guard case .object(let g) = v, g.count == 1 else { throw EgError.config(at: at, "\(name) takes one field: value pair") }
            let (scope, field) = try field(g[0].key, at: at)
            return (scope, field, g[0].value)
        }
        switch name {
        case "eq", "gt", "ge", "lt", "le":
            let (s, k, x) = try single()
            return .compare(Op(rawValue: name)!, s, k, Value(json: x))
        case "len_eq", "len_gt", "len_ge", "len_lt", "len_le":
            let (s, k, x) = try single()
            guard let n = x.doubleValue else { throw EgError.config(at: at, "\(name) compares with a number") }
            return .length(Op(rawValue: String(name.dropFirst(4)))!, s, k, n)
        case "matches":
            let (s, k, x) = try single()
            return .matches(s, k, try PythonRegex.compile(x.text ?? "", context: "condition matches"))
        case "contains":
            let (s, k, x) = try single()
            return .contains(s, k, Value(json: x))
        case "in":
            let (s, k, x) = try single()
            guard case .array(let a) = x else { throw EgError.config(at: at, "in takes a list of values") }
            return .isIn(s, k, a.map(Value.init(json:)))
        case "defined":
            let (s, k) = try field(v.text ?? "", at: at)
            return .defined(s, k)
        case "has_tags":
            if case .array(let a) = v { return .hasTags(a.compactMap(\.text)) }
            return .hasTags([v.text ?? ""])
        case "before": return .before(try timeOfDay(v, at: at))
        case "after": return .after(try timeOfDay(v, at: at))
        case "always": return .always
        case "never": return .never
        case "and", "or":
            guard case .array(let a) = v else { throw EgError.config(at: at, "\(name) takes a list of conditions") }
            let parts = try a.map { try compile($0, at: at) }
            return name == "and" ? .all(parts) : .any(parts)
        case "not": return .not(try compile(v, at: at))
        default: throw EgError.config(at: at, "unknown condition '\(name)'")
        }
    }

    static func order(_ a: Value, _ b: Value) -> Int? {
        if let x = a.number, let y = b.number { return x < y ? -1 : x > y ? 1 : 0 }
        if case .string(let x) = a, case .string(let y) = b { return x < y ? -1 : x > y ? 1 : 0 }
        return nil
    }

    static func holds(_ op: Op, _ c: Int) -> Bool {
        switch op {
        case .eq: return c == 0
        case .gt: return c > 0
        case .ge: return c >= 0
        case .lt: return c < 0
        case .le: return c <= 0
        }
    }

    func evaluate(_ f: Facts) -> Bool {
        switch self {
        case .compare(let op, let s, let k, let x):
            guard let v = f.value(s, k) else { return false }
            if op == .eq, EventumCondition.order(v, x) == nil { return v.text == x.text && v.typeName == x.typeName }
            return EventumCondition.order(v, x).map { EventumCondition.holds(op, $0) } ?? false
        case .length(let op, let s, let k, let n):
            guard let v = f.value(s, k), let items = v.iterate() else { return false }
            let c = Double(items.count)
            return EventumCondition.holds(op, c < n ? -1 : c > n ? 1 : 0)
        case .matches(let s, let k, let re):
            guard case .string(let str)? = f.value(s, k) else { return false }
            return re.firstMatch(in: str, range: NSRange(str.startIndex..., in: str)) != nil
        case .contains(let s, let k, let x):
            guard let v = f.value(s, k) else { return false }
            if case .string(let str) = v { return str.contains(x.text) }
            return (v.iterate() ?? []).contains { EventumCondition.order($0, x) == 0 || $0.text == x.text }
        case .isIn(let s, let k, let list):
            guard let v = f.value(s, k) else { return false }
            return list.contains { EventumCondition.order($0, v) == 0 || ($0.text == v.text && $0.typeName == v.typeName) }
        case .defined(let s, let k): return f.value(s, k) != nil
        case .hasTags(let t): return t.allSatisfy(f.tags.contains)
        case .before(let s): return f.secondOfDay < s
        case .after(let s): return f.secondOfDay >= s
        case .always: return true
        case .never: return false
        case .all(let c): return c.allSatisfy { $0.evaluate(f) }
        case .any(let c): return c.contains { $0.evaluate(f) }
        case .not(let c): return !c.evaluate(f)
        }
    }
}
