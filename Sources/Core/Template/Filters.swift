import Foundation

/// Jinja's built-in filters, resolved by name when a template compiles.
public enum Filter: String, CaseIterable, Sendable {
    case abs, attr, batch, capitalize, center, `default`, dictsort, escape, filesizeformat, first, float
    case forceescape, format, groupby, indent, int, items, join, last, length, list, lower, map, max, min
    case pprint, random, reject, rejectattr, replace, reverse, round, safe, select, selectattr, slice, sort
    case string, striptags, sum, title, tojson, trim, truncate, unique, upper, urlencode, urlize, wordcount
    case wordwrap, xmlattr

    /// The filter called `name` (aliases: `d`, `count`, `e`).
    public static func named(_ name: String) -> Filter? {
        switch name {
        case "d": return .default
        case "count": return .length
        case "e": return .escape
        default: return Filter(rawValue: name)
        }
    }
}

/// The implementations behind `Filter`.
enum Filters {
    static func items(_ v: Value, _ pos: SourcePosition, _ name: String) throws -> [Value] {
        if case .object(let r as RangeObject) = v, r.count > 10_000_000 {
            throw TemplateError(pos, "\(name): range of \(r.count) items is too large to build (the limit is 10,000,000)")
        }
        guard let items = v.iterate() else { throw TemplateError(pos, "\(name): '\(v.typeName)' object is not iterable") }
        return items
    }

    /// Reads a dotted attribute path (`user.name`, `0`) the way Jinja's `attribute=` does.
    static func path(_ v: Value, _ attribute: String, _ state: RenderState, _ pos: SourcePosition) throws -> Value {
        try AttributePath(attribute).read(v, state, pos)
    }

    /// A dotted attribute path split once into its keys (an integer part is an index), for
    /// filters that read it from every item.
    struct AttributePath {
        let keys: [Value]

        init(_ attribute: String) {
            keys = attribute.split(separator: ".", omittingEmptySubsequences: false).map { part in
                let p = String(part)
                return Int(p).map(Value.int) ?? .string(p)
            }
        }

        func read(_ v: Value, _ state: RenderState, _ pos: SourcePosition) throws -> Value {
            var x = v
            for k in keys {
                if case .undefined = x { return x }
                x = try state.item(x, k, pos)
            }
            return x
        }
    }

    /// A sort key that ignores case for strings unless `caseSensitive`.
    static func folded(_ v: Value, _ caseSensitive: Bool) -> Value {
        if !caseSensitive, case .string(let s) = v { return .string(s.lowercased()) }
        return v
    }

    static func sorted(_ items: [Value], key: (Value) throws -> Value, reverse: Bool, _ pos: SourcePosition) throws -> [Value] {
        let keyed = try items.map { (try key($0), $0) }
        var err: TemplateError? = nil
        // A stable sort, as Python's.
        let order = keyed.enumerated().sorted { a, b in
            do {
                let o = try Operators.order(a.element.0, b.element.0, pos, "<")
                if o == 0 { return a.offset < b.offset }
                return reverse ? o > 0 : o < 0
            } catch { err = error as? TemplateError; return a.offset < b.offset }
        }
        if let err { throw err }
        return order.map { $0.element.1 }
    }

    static func title(_ s: String) -> String {
        var out = ""
        var start = true
        for c in s {
            if c.isWhitespace || "-([{<".contains(c) { out.append(c); start = true; continue }
            out += start ? c.uppercased() : c.lowercased()
            start = false
        }
        return out
    }

    static func escapeHTML(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&#34;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    static func urlQuote(_ s: String, safe: String) -> String {
        var out = ""
        for b in s.utf8 {
            let c = Character(UnicodeScalar(b))
            if (b >= 48 && b <= 57) || (b | 0x20 >= 97 && b | 0x20 <= 122) || "_.-~".contains(c) || (b < 0x80 && safe.contains(c)) {
                out.append(c)
            } else {
                out += String(format: "%%%02X", b)
            }
        }
        return out
    }

    /// Quoting for a query string: spaces become `+`.
    static func queryQuote(_ s: String) -> String { urlQuote(s, safe: "").replacingOccurrences(of: "%20", with: "+") }

    /// The test named by a `select`/`reject` argument, with its extra arguments.
    static func testPredicate(_ args: [Value], from start: Int, _ pos: SourcePosition, _ state: RenderState) throws -> (Value) throws -> Bool {
        guard start < args.count else { return { $0.truthy } }
        guard case .string(let name) = args[start], let test = Test.named(name) else {
            throw TemplateError(pos, "no test named \(args[start].repr)")
        }
        let rest = Array(args[(start + 1)...])
        return { try Tests.apply(test, $0, rest, pos, state) }
    }

    static func apply(_ filter: Filter, _ v: Value, _ args: inout CallArguments, _ state: RenderState) throws -> Value {
        let pos = args.position
        let name = filter.rawValue
        switch filter {
        case .abs:
            switch v {
            case .int(let i): return i == Int.min ? try Operators.negate(v, pos) : .int(Swift.abs(i))
            case .bigint(let b): return b.negative ? try Operators.negate(v, pos) : v
            case .bool(let b): return .int(b ? 1 : 0)
            case .float(let d): return .float(Swift.abs(d))
            case .timedelta(let t): return .timedelta(Swift.abs(t))
            default: throw TemplateError(pos, "bad operand type for abs(): '\(v.typeName)'")
            }
        case .attr:
            guard case .string(let a)? = args.get(0, "name") else { throw TemplateError(pos, "attr() needs an attribute name") }
            return try state.attribute(v, a, pos)
        case .batch:
            let n = try args.int(0, "linecount", name)
            guard n > 0 else { throw TemplateError(pos, "batch(): linecount must be positive") }
            let fill = args.get(1, "fill_with")
            var out: [Value] = []
            var cur: [Value] = []
            for x in try items(v, pos, name) {
                cur.append(x)
                if cur.count == n { out.append(.list(ListRef(cur))); cur = [] }
            }
            if !cur.isEmpty {
                if let fill, !isNone(fill) { while cur.count < n { cur.append(fill) } }
                out.append(.list(ListRef(cur)))
            }
            return .list(ListRef(out))
        case .capitalize:
            let s = v.text
            return .string(s.prefix(1).uppercased() + s.dropFirst().lowercased())
        case .center:
            let w = try args.int(0, "width", name, default: 80)
            let s = v.text
            guard s.count < w else { return .string(s) }
            let n = w - s.count
            let left = n / 2 + (n & w & 1)
            return .string((try Operators.repeated(" ", left, pos)) + s + (try Operators.repeated(" ", n - left, pos)))
        case .default:
            let def = args.get(0, "default_value") ?? .string("")
            let boolean = args.get(1, "boolean")?.truthy ?? false
            if case .undefined = v { return def }
            if boolean && !v.truthy { return def }
            return v
        case .dictsort:
            guard case .dict(let d) = v else { throw TemplateError(pos, "dictsort: expected a dict, got \(v.typeName)") }
            let cs = args.get(0, "case_sensitive")?.truthy ?? false
            let by = args.get(1, "by")?.text ?? "key"
            let reverse = args.get(2, "reverse")?.truthy ?? false
            guard by == "key" || by == "value" else { throw TemplateError(pos, "dictsort: You can only sort by either 'key' or 'value'") }
            let pairs: [Value] = (0..<d.count).map { .tuple([d.keys[$0], d.values[$0]]) }
            return .list(ListRef(try sorted(pairs, key: { p in
                guard case .tuple(let t) = p else { return p }
                return folded(t[by == "key" ? 0 : 1], cs)
            }, reverse: reverse, pos)))
        case .escape, .forceescape:
            return .string(escapeHTML(v.text))
        case .first:
            if case .object(let o) = v, o.elements == nil { return .undefined("first") }
            return (try items(v, pos, name)).first ?? .undefined("first")
        case .last:
            return (try items(v, pos, name)).last ?? .undefined("last")
        case .float:
            let def = args.get(0, "default") ?? .float(0)
            switch v {
            case .float: return v
            case .int(let i): return .float(Double(i))
            case .bigint(let b): return .float(try b.double(pos))
            case .bool(let b): return .float(b ? 1 : 0)
            case .string(let s):
                return Double(s.trimmingCharacters(in: .whitespaces)).map { .float($0) } ?? def
            default: return def
            }
        case .format:
            let fmt = v.text
            if !args.keywords.isEmpty {
                return .string(try PercentFormat.format(fmt, .dict(args.keywords), pos))
            }
            return .string(try PercentFormat.format(fmt, .tuple(args.positional), pos))
        case .groupby:
            guard let attr = args.get(0, "attribute") else { throw TemplateError(pos, "groupby() needs an attribute") }
            let def = args.get(1, "default")
            let key: (Value) throws -> Value = { x in
                let k = try path(x, attr.text, state, pos)
                if case .undefined = k, let def { return def }
                return k
            }
            let sortedItems = try sorted(try items(v, pos, name), key: key, reverse: false, pos)
            var groups: [Value] = []
            var curKey: Value? = nil
            var cur: [Value] = []
            for x in sortedItems {
                let k = try key(x)
                if let ck = curKey, try Operators.equal(ck, k, pos) { cur.append(x); continue }
                if let ck = curKey { groups.append(.object(Group(grouper: ck, list: cur))) }
                curKey = k
                cur = [x]
            }
            if let ck = curKey { groups.append(.object(Group(grouper: ck, list: cur))) }
            return .list(ListRef(groups))
        case .indent:
            let w: String
            switch args.get(0, "width") {
            case .string(let s)?: w = s
            case let x?: w = try Operators.repeated(" ", x.intValue ?? 4, pos)
            case nil: w = "    "
            }
            let first = args.get(1, "first")?.truthy ?? false
            let blank = args.get(2, "blank")?.truthy ?? false
            var lines = v.text.components(separatedBy: "\n")
            for i in lines.indices where i > 0 || first {
                if blank || !lines[i].isEmpty { lines[i] = w + lines[i] }
            }
            return .string(lines.joined(separator: "\n"))
        case .int:
            let def = args.get(0, "default") ?? .int(0)
            let base = try args.int(1, "base", name, default: 10)
            switch v {
            case .int, .bigint: return v
            case .bool(let b): return .int(b ? 1 : 0)
            case .float(let d): return d.isFinite ? (try? BigInt.fromDouble(d.rounded(.towardZero), pos)) ?? def : def
            case .string(let s):
                // Digits and letters only (the common case) need no trimming and no `_` removal.
                let plain = s.utf8.allSatisfy { ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A || ($0 >= 0x30 && $0 <= 0x39) }
                var t = plain ? s : s.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "_", with: "")
                var b = base
                if base != 10 {
                    let low = t.lowercased()
                    for (p, r) in [("0x", 16), ("0o", 8), ("0b", 2)] where low.hasPrefix(p) && (base == r || base == 0) { t = String(t.dropFirst(2)); b = r }
                }
                if let i = Int(t, radix: b == 0 ? 10 : b) { return .int(i) }
                if (2...36).contains(b == 0 ? 10 : b), let big = try? BigInt.parse(Substring(t), radix: b == 0 ? 10 : b, pos) { return big }
                if base == 10, let d = Double(t), d.isFinite, let i = try? BigInt.fromDouble(d.rounded(.towardZero), pos) { return i }
                return def
            default: return def
            }
        case .items:
            switch v {
            case .dict(let d): return .list(ListRef((0..<d.count).map { .tuple([d.keys[$0], d.values[$0]]) }))
            case .undefined: return .list([])
            default: throw TemplateError(pos, "items: expected a mapping, got \(v.typeName)")
            }
        case .join:
            let sep = args.get(0, "d")?.text ?? ""
            var list = try items(v, pos, name)
            if let a = args.get(1, "attribute") {
                let attribute = AttributePath(a.text)
                list = try list.map { try attribute.read($0, state, pos) }
            }
            var out: [UInt8] = []
            for (i, x) in list.enumerated() {
                if i > 0 { out.append(contentsOf: sep.utf8) }
                if !ValueText.appendStr(x, to: &out) { throw ValueWalk.reprError(pos) }
            }
            return .string(String(decoding: out, as: UTF8.self))
        case .length:
            switch v {
            case .object(let r as RangeObject): return .int(r.count)
            case .string(let s): return .int(s.count)
            case .dict(let d): return .int(d.count)
            case .bytes(let b): return .int(b.count)
            case .undefined: return .int(0)
            default:
                guard let items = v.iterate() else { throw TemplateError(pos, "object of type '\(v.typeName)' has no len()") }
                return .int(items.count)
            }
        case .list:
            return .list(ListRef(try items(v, pos, name)))
        case .lower: return .string(ValueText.asciiCased(v.text, upper: false) ?? v.text.lowercased())
        case .upper: return .string(ValueText.asciiCased(v.text, upper: true) ?? v.text.uppercased())
        case .map:
            let list = try items(v, pos, name)
            if let a = args.keyword("attribute") {
                let def = args.keyword("default")
                return .list(ListRef(try list.map { x in
                    let r = try path(x, a.text, state, pos)
                    if case .undefined = r, let def { return def }
                    return r
                }))
            }
            guard case .string(let fname)? = args.positional.first, let f = Filter.named(fname) else {
                throw TemplateError(pos, "map() needs a filter name or attribute=")
            }
            var rest = CallArguments(Array(args.positional.dropFirst()), keywords: args.keywords, position: pos)
            return .list(ListRef(try list.map { try apply(f, $0, &rest, state) }))
        case .max, .min:
            let cs = args.get(0, "case_sensitive")?.truthy ?? false
            let attribute = args.get(1, "attribute")
            let list = try items(v, pos, name)
            guard !list.isEmpty else { return .undefined(name) }
            let s = try sorted(list, key: { x in folded(try attribute.map { try path(x, $0.text, state, pos) } ?? x, cs) }, reverse: false, pos)
            return filter == .max ? (try maxStable(list, attribute, cs, state, pos)) : s.first!
        case .random:
            switch v {
            case .dict(let d):
                guard d.count > 0 else { throw TemplateError(pos, "random: Cannot choose from an empty sequence") }
                return d.keys[state.rng.index(d.count)]
            case .object(let r as RangeObject):
                guard r.count > 0 else { throw TemplateError(pos, "random: Cannot choose from an empty sequence") }
                return r.at(state.rng.index(r.count))
            case .string(var s):
                guard !s.isEmpty else { throw TemplateError(pos, "random: Cannot choose from an empty sequence") }
                // ASCII text: pick a byte; otherwise a character.
                if let byte = s.withUTF8({ b -> UInt8? in
                    for c in b where c >= 0x80 { return nil }
                    return b[state.rng.index(b.count)]
                }) { return .string(String(UnicodeScalar(byte))) }
                let chars = Array(s)
                return .string(String(chars[state.rng.index(chars.count)]))
            default:
                let list = try items(v, pos, name)
                guard !list.isEmpty else { throw TemplateError(pos, "random: Cannot choose from an empty sequence") }
                return list[state.rng.index(list.count)]
            }
        case .select, .reject:
            let pred = try testPredicate(args.positional, from: 0, pos, state)
            return .list(ListRef(try items(v, pos, name).filter { try pred($0) == (filter == .select) }))
        case .selectattr, .rejectattr:
            guard let a = args.positional.first else { throw TemplateError(pos, "\(name)() needs an attribute") }
            let pred = try testPredicate(args.positional, from: 1, pos, state)
            let attribute = AttributePath(a.text)
            return .list(ListRef(try items(v, pos, name).filter { try pred(try attribute.read($0, state, pos)) == (filter == .selectattr) }))
        case .replace:
            guard let old = args.get(0, "old"), let new = args.get(1, "new") else { throw TemplateError(pos, "replace() needs old and new") }
            let count = try args.int(2, "count", name, default: -1)
            return .string(Methods.replace(v.text, old.text, new.text, count: count))
        case .reverse:
            switch v {
            case .string(let s): return .string(String(s.reversed()))
            default: return .list(ListRef(try items(v, pos, name).reversed()))
            }
        case .round:
            let precision = try args.int(0, "precision", name, default: 0)
            let method = args.get(1, "method")?.text ?? "common"
            guard let d = v.number else { throw TemplateError(pos, "round: expected a number, got \(v.typeName)") }
            switch method {
            case "common" where v.intValue != nil || Operators.isBig(v):
                // Python's round() of an int is an int: itself, or the nearest multiple of 10**-precision, ties to even.
                if case .bool(let b) = v { return .int(b ? 1 : 0) }
                guard precision < 0 else { return v }
                // 10**4933 is more than twice any int the engine holds.
                guard precision > -4933 else { return .int(0) }
                let m = try Operators.binary(.pow, .int(10), .int(-precision), pos)
                let q = try Operators.binary(.floordiv, v, m, pos), r = try Operators.binary(.mod, v, m, pos)
                let o = try Operators.order(r, try Operators.binary(.sub, m, r, pos), pos, ">")
                let odd = try Operators.equal(try Operators.binary(.mod, q, .int(2), pos), .int(1), pos)
                let up = o > 0 || (o == 0 && odd)
                return try Operators.binary(.mul, up ? try Operators.binary(.add, q, .int(1), pos) : q, m, pos)
            case "common":
                guard d.isFinite else { return .float(d) }
                if precision >= 0 {
                    return .float(Double(String(format: "%.\(Swift.min(precision, 300))f", d)) ?? d)
                }
                let m = pow(10.0, -Double(precision))
                // Rounding to a power of ten beyond any float leaves a zero of the value's sign.
                guard m.isFinite else { return .float(d.sign == .minus ? -0.0 : 0.0) }
                return .float((d / m).rounded(.toNearestOrEven) * m)
            case "floor", "ceil":
                let m = pow(10.0, Double(precision))
                return .float(((d * m).rounded(method == "floor" ? .down : .up)) / m)
            default: throw TemplateError(pos, "round: method must be common, ceil or floor")
            }
        case .safe: return v
        case .slice:
            let n = try args.int(0, "slices", name)
            guard n > 0 else { throw TemplateError(pos, "slice(): slices must be positive") }
            guard n <= 10_000_000 else { throw TemplateError(pos, "slice(): \(n) slices are too many to build (the limit is 10,000,000)") }
            let fill = args.get(1, "fill_with")
            let list = try items(v, pos, name)
            let per = list.count / n, extra = list.count % n
            var out: [Value] = []
            var offset = 0
            for k in 0..<n {
                let start = offset + k * per
                if k < extra { offset += 1 }
                let end = offset + (k + 1) * per
                var part = Array(list[Swift.min(start, list.count)..<Swift.min(end, list.count)])
                if let fill, !isNone(fill), k >= extra, extra > 0 { part.append(fill) }
                out.append(.list(ListRef(part)))
            }
            return .list(ListRef(out))
        case .sort:
            let reverse = args.get(0, "reverse")?.truthy ?? false
            let cs = args.get(1, "case_sensitive")?.truthy ?? false
            let attribute = args.get(2, "attribute")
            return .list(ListRef(try sorted(try items(v, pos, name), key: { x in
                folded(try attribute.map { try path(x, $0.text, state, pos) } ?? x, cs)
            }, reverse: reverse, pos)))
        case .string: return .string(try v.text(at: pos))
        case .striptags:
            var out = ""
            var inTag = false
            for c in v.text { if c == "<" { inTag = true } else if c == ">" { inTag = false } else if !inTag { out.append(c) } }
            return .string(out.split(whereSeparator: { $0.isWhitespace }).joined(separator: " "))
        case .sum:
            let attribute = args.get(0, "attribute")
            var total = args.get(1, "start") ?? .int(0)
            for x in try items(v, pos, name) {
                total = try Operators.binary(.add, total, try attribute.map { try path(x, $0.text, state, pos) } ?? x, pos)
            }
            return total
        case .title: return .string(title(v.text))
        case .tojson:
            if case .string(let s) = v { return .string(PythonJSON.stringText(s, ensureASCII: true, htmlSafe: true)) }
            var out: [UInt8] = []
            try appendJSON(v, &args, to: &out)
            return .string(String(decoding: out, as: UTF8.self))
        case .trim:
            let s = v.text
            if let chars = args.get(0, "chars"), !isNone(chars) {
                let set = chars.text
                var sub = Substring(s).drop(while: { set.contains($0) })
                while let l = sub.last, set.contains(l) { sub = sub.dropLast() }
                return .string(String(sub))
            }
            return .string(s.trimmingCharacters(in: .whitespacesAndNewlines))
        case .truncate:
            let s = v.text
            let length = try args.int(0, "length", name, default: 255)
            let killwords = args.get(1, "killwords")?.truthy ?? false
            let end = args.get(2, "end")?.text ?? "..."
            let leeway = try args.int(3, "leeway", name, default: 5)
            guard length >= end.count else { throw TemplateError(pos, "truncate: expected length >= \(end.count), got \(length)") }
            guard leeway >= 0 else { throw TemplateError(pos, "truncate: expected leeway >= 0, got \(leeway)") }
            if s.count <= length || s.count - length <= leeway { return .string(s) }
            if killwords { return .string(String(s.prefix(Swift.max(0, length - end.count))) + end) }
            var result = String(s.prefix(Swift.max(0, length - end.count)))
            if let space = result.lastIndex(of: " ") { result = String(result[..<space]) }
            return .string(result + end)
        case .unique:
            let cs = args.get(0, "case_sensitive")?.truthy ?? false
            let attribute = args.get(1, "attribute")
            var seen = Set<ValueKey>()
            var out: [Value] = []
            for x in try items(v, pos, name) {
                let k = folded(try attribute.map { try path(x, $0.text, state, pos) } ?? x, cs)
                guard let hk = k.key else { throw TemplateError(pos, "unique: unhashable type '\(k.typeName)'") }
                if seen.insert(hk).inserted { out.append(x) }
            }
            return .list(ListRef(out))
        case .urlencode:
            switch v {
            case .dict(let d):
                return .string((0..<d.count).map { queryQuote(d.keys[$0].text) + "=" + queryQuote(d.values[$0].text) }.joined(separator: "&"))
            case .string(let s): return .string(urlQuote(s, safe: "/"))
            default:
                if let list = v.iterate(), !isText(v) {
                    return .string(list.compactMap { p -> String? in
                        guard let kv = p.iterate(), kv.count == 2 else { return nil }
                        return queryQuote(kv[0].text) + "=" + queryQuote(kv[1].text)
                    }.joined(separator: "&"))
                }
                return .string(urlQuote(v.text, safe: "/"))
            }
        case .wordcount:
            return .int(v.text.split(whereSeparator: { !($0.isLetter || $0.isNumber || $0 == "_") }).count)
        case .filesizeformat: return .string(try TextFilters.fileSize(v, binary: args.get(0, "binary")?.truthy ?? false, pos))
        case .pprint:
            var printer = PrettyPrint(pos)
            return .string(try printer.format(v))
        case .urlize: return .string(try Urlize(args, pos).apply(v.text))
        case .wordwrap: return .string(try TextFilters.wordwrap(v, args))
        case .xmlattr: return .string(try TextFilters.xmlAttributes(v, autospace: args.get(0, "autospace")?.truthy ?? true, pos))
        }
    }

    /// Appends `v | tojson(args)`: a string's JSON text straight from its bytes.
    static func appendJSON(_ v: Value, _ args: inout CallArguments, to out: inout [UInt8]) throws {
        if case .string(var s) = v {
            s.withUTF8 { PythonJSON.appendString(bytes: $0, ensureASCII: true, htmlSafe: true, to: &out) }
            return
        }
        let indent = args.get(0, "indent").flatMap { $0.intValue }
        try ValueText.appendJSON(v, indent: indent, to: &out, position: args.position)
    }

    static func maxStable(_ list: [Value], _ attribute: Value?, _ cs: Bool, _ state: RenderState, _ pos: SourcePosition) throws -> Value {
        var best = list[0]
        var bestKey = folded(try attribute.map { try path(best, $0.text, state, pos) } ?? best, cs)
        for x in list.dropFirst() {
            let k = folded(try attribute.map { try path(x, $0.text, state, pos) } ?? x, cs)
            if try Operators.order(k, bestKey, pos, ">") > 0 { best = x; bestKey = k }
        }
        return best
    }

    static func isNone(_ v: Value) -> Bool { if case .none = v { return true }; return false }
    static func isText(_ v: Value) -> Bool { if case .string = v { return true }; return false }
}

/// One group of the `groupby` filter: unpacks as `(grouper, list)` and has those attributes.
final class Group: TemplateObject {
    let grouper: Value
    let list: [Value]
    init(grouper: Value, list: [Value]) { self.grouper = grouper; self.list = list }
    var typeName: String { "_GroupTuple" }
    func attribute(_ name: String) -> Value? {
        switch name {
        case "grouper": return grouper
        case "list": return .list(ListRef(list))
        default: return nil
        }
    }
    func item(_ key: Value) -> Value? {
        guard let i = key.intValue else { return nil }
        return i == 0 ? grouper : (i == 1 ? .list(ListRef(list)) : nil)
    }
    var elements: [Value]? { [grouper, .list(ListRef(list))] }
    func appendText(to out: inout [UInt8]) { ValueText.appendRepr(.tuple([grouper, .list(ListRef(list))]), to: &out) }
}

