import Foundation

/// Methods of the built-in value types, as Python defines them: `str`, `list`, `dict`, `bytes`,
/// `datetime`, `timedelta`. `call` returns nil when the type has no such method.
public enum Methods {
    static func call(_ v: Value, _ name: String, _ args: inout CallArguments, _ state: RenderState) throws -> Value? {
        switch v {
        case .string(let s): return try stringMethod(s, name, &args)
        case .list(let l): return try listMethod(l, name, &args)
        case .tuple(let t):
            switch name {
            case "index": return try indexOf(t, try args.require(0, "value", "index"), args.position)
            case "count": let x = try args.require(0, "value", "count"); return .int(try t.filter { try Operators.equal($0, x, args.position) }.count)
            default: return nil
            }
        case .dict(let d): return try dictMethod(d, name, &args)
        case .bytes(let b):
            switch name {
            case "decode": return .string(String(decoding: b, as: UTF8.self))
            case "hex": return .string(b.map { String(format: "%02x", $0) }.joined())
            case "upper": return .bytes(b.map { $0 >= 97 && $0 <= 122 ? $0 - 32 : $0 })
            case "lower": return .bytes(b.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 })
            default: return nil
            }
        case .datetime(let d): return try dateMethod(d, name, &args, state)
        case .timedelta(let t):
            switch name {
            case "total_seconds": return .float(Double(t) / 1_000_000)
            default: return nil
            }
        case .int(let i):
            switch name {
            case "bit_length": return .int(i == 0 ? 0 : Int.bitWidth - i.magnitude.leadingZeroBitCount)
            default: return nil
            }
        case .float(let d):
            switch name {
            case "is_integer": return .bool(d == d.rounded())
            default: return nil
            }
        default: return nil
        }
    }

    static func indexOf(_ items: [Value], _ x: Value, _ pos: SourcePosition) throws -> Value {
        guard let i = try items.firstIndex(where: { try Operators.equal($0, x, pos) }) else { throw TemplateError(pos, "\(x.repr) is not in list") }
        return .int(i)
    }

    static func str(_ args: CallArguments, _ i: Int, _ name: String, _ fn: String) throws -> String? {
        guard let v = args.get(i, name) else { return nil }
        if case .none = v { return nil }
        guard case .string(let s) = v else { throw TemplateError(args.position, "\(fn)() argument must be str, not \(v.typeName)") }
        return s
    }

    /// Python's whitespace split.
    static func whitespaceSplit(_ s: String, max: Int) -> [Value] {
        if let ascii = asciiWhitespaceSplit(s, max: max) { return ascii }
        var out: [Value] = []
        var rest = Substring(s)
        while true {
            rest = rest.drop(while: { $0.isWhitespace })
            if rest.isEmpty { break }
            if max >= 0 && out.count == max { out.append(.string(String(rest))); break }
            let word = rest.prefix(while: { !$0.isWhitespace })
            out.append(.string(String(word)))
            rest = rest.dropFirst(word.count)
        }
        return out
    }

    /// `whitespaceSplit` of an ASCII string, by bytes (the same whitespace: tab to carriage return
    /// and space); nil when `s` is not ASCII.
    static func asciiWhitespaceSplit(_ s: String, max: Int) -> [Value]? {
        var s = s
        return s.withUTF8 { b -> [Value]? in
            if b.contains(where: { $0 >= 0x80 }) { return nil }
            var out: [Value] = []
            let n = b.count
            var i = 0
            @inline(__always) func space(_ c: UInt8) -> Bool { c == 0x20 || (c >= 0x09 && c <= 0x0D) }
            while true {
                while i < n, space(b[i]) { i += 1 }
                if i == n { break }
                var j = i
                if max >= 0 && out.count == max { j = n } else { while j < n, !space(b[j]) { j += 1 } }
                out.append(.string(String(decoding: UnsafeBufferPointer(rebasing: b[i..<j]), as: UTF8.self)))
                i = j
            }
            return out
        }
    }

    static func stringMethod(_ s: String, _ name: String, _ args: inout CallArguments) throws -> Value? {
        let pos = args.position
        switch name {
        case "upper": return .string(s.uppercased())
        case "lower": return .string(s.lowercased())
        case "title": return .string(Filters.title(s))
        case "capitalize": return .string(s.prefix(1).uppercased() + s.dropFirst().lowercased())
        case "swapcase": return .string(String(s.map { $0.isUppercase ? Character($0.lowercased()) : Character($0.uppercased()) }))
        case "strip", "lstrip", "rstrip":
            let chars = try str(args, 0, "chars", name)
            let set: (Character) -> Bool = chars.map { cs in { cs.contains($0) } } ?? { $0.isWhitespace }
            var sub = Substring(s)
            if name != "rstrip" { sub = sub.drop(while: set) }
            if name != "lstrip" { while let l = sub.last, set(l) { sub = sub.dropLast() } }
            return .string(String(sub))
        case "split", "rsplit":
            let sep = try str(args, 0, "sep", name)
            let maxsplit = try args.int(1, "maxsplit", name, default: -1)
            guard let sep else {
                if name == "split" || maxsplit < 0 { return .list(ListRef(whitespaceSplit(s, max: maxsplit))) }
                let rev = whitespaceSplit(String(s.reversed()), max: maxsplit).reversed().map { Value.string(String($0.text.reversed())) }
                return .list(ListRef(Array(rev)))
            }
            guard !sep.isEmpty else { throw TemplateError(pos, "empty separator") }
            var parts = s.components(separatedBy: sep)
            if maxsplit >= 0 && maxsplit < parts.count - 1 {
                if name == "split" {
                    let head = parts[0..<maxsplit]
                    parts = Array(head) + [parts[maxsplit...].joined(separator: sep)]
                } else {
                    let cut = parts.count - maxsplit
                    parts = [parts[0..<cut].joined(separator: sep)] + Array(parts[cut...])
                }
            }
            return .list(ListRef(parts.map { .string($0) }))
        case "splitlines":
            var lines: [Value] = []
            s.enumerateLines { line, _ in lines.append(.string(line)) }
            return .list(ListRef(lines))
        case "replace":
            guard let old = try str(args, 0, "old", name), let new = try str(args, 1, "new", name) else {
                throw TemplateError(pos, "replace() takes at least 2 arguments")
            }
            let count = try args.int(2, "count", name, default: -1)
            return .string(replace(s, old, new, count: count))
        case "startswith", "endswith":
            guard let x = args.get(0, "prefix") else { throw TemplateError(pos, "\(name)() takes at least 1 argument") }
            let options: [String]
            switch x {
            case .string(let p): options = [p]
            case .tuple(let t): options = t.map { $0.text }
            default: throw TemplateError(pos, "\(name) first arg must be str or a tuple of str, not \(x.typeName)")
            }
            return .bool(options.contains { name == "startswith" ? s.hasPrefix($0) : s.hasSuffix($0) })
        case "join":
            guard let items = args.get(0, "iterable")?.iterate() else { throw TemplateError(pos, "join() needs an iterable") }
            var parts: [String] = []
            for x in items {
                guard case .string(let t) = x else { throw TemplateError(pos, "sequence item \(parts.count): expected str instance, \(x.typeName) found") }
                parts.append(t)
            }
            return .string(parts.joined(separator: s))
        case "encode": return .bytes(Array(s.utf8))
        case "format": return .string(try BraceFormat.format(s, args, pos))
        case "count":
            guard let sub = try str(args, 0, "sub", name) else { return .int(0) }
            if sub.isEmpty { return .int(s.count + 1) }
            return .int(s.components(separatedBy: sub).count - 1)
        case "find", "index", "rfind", "rindex":
            guard let sub = try str(args, 0, "sub", name) else { return .int(-1) }
            let range = name.hasPrefix("r") ? s.range(of: sub, options: .backwards) : s.range(of: sub)
            guard let r = range else {
                if name.hasSuffix("index") { throw TemplateError(pos, "substring not found") }
                return .int(-1)
            }
            return .int(s.distance(from: s.startIndex, to: r.lowerBound))
        case "isdigit", "isnumeric", "isdecimal": return .bool(!s.isEmpty && s.allSatisfy { $0.isNumber })
        case "isalpha": return .bool(!s.isEmpty && s.allSatisfy { $0.isLetter })
        case "isalnum": return .bool(!s.isEmpty && s.allSatisfy { $0.isLetter || $0.isNumber })
        case "isspace": return .bool(!s.isEmpty && s.allSatisfy { $0.isWhitespace })
        case "isupper": return .bool(s.contains { $0.isLetter } && !s.contains { $0.isLowercase })
        case "islower": return .bool(s.contains { $0.isLetter } && !s.contains { $0.isUppercase })
        case "zfill":
            let w = try args.int(0, "width", name)
            guard s.count < w else { return .string(s) }
            var body = s
            var sign = ""
            if let f = s.first, f == "-" || f == "+" { sign = String(f); body.removeFirst() }
            return .string(sign + (try Operators.repeated("0", w - s.count, pos)) + body)
        case "ljust", "rjust", "center":
            let w = try args.int(0, "width", name)
            let fill = try str(args, 1, "fillchar", name) ?? " "
            guard s.count < w else { return .string(s) }
            let n = w - s.count
            if name == "ljust" { return .string(s + (try Operators.repeated(fill, n, pos))) }
            if name == "rjust" { return .string((try Operators.repeated(fill, n, pos)) + s) }
            let left = n / 2 + (n & w & 1)
            return .string((try Operators.repeated(fill, left, pos)) + s + (try Operators.repeated(fill, n - left, pos)))
        case "partition", "rpartition":
            guard let sep = try str(args, 0, "sep", name) else { return nil }
            if let r = name == "partition" ? s.range(of: sep) : s.range(of: sep, options: .backwards) {
                return .tuple([.string(String(s[..<r.lowerBound])), .string(sep), .string(String(s[r.upperBound...]))])
            }
            return name == "partition" ? .tuple([.string(s), .string(""), .string("")]) : .tuple([.string(""), .string(""), .string(s)])
        case "removeprefix":
            let p = try str(args, 0, "prefix", name) ?? ""
            return .string(s.hasPrefix(p) ? String(s.dropFirst(p.count)) : s)
        case "removesuffix":
            let p = try str(args, 0, "suffix", name) ?? ""
            return .string(s.hasSuffix(p) && !p.isEmpty ? String(s.dropLast(p.count)) : s)
        default: return nil
        }
    }

    /// Replaces the first `count` (all when negative) occurrences of `old`.
    static func replace(_ s: String, _ old: String, _ new: String, count: Int) -> String {
        if count < 0 { return old.isEmpty ? insertEverywhere(s, new) : s.replacingOccurrences(of: old, with: new) }
        if count == 0 { return s }
        var out = ""
        var rest = Substring(s)
        var n = 0
        while n < count, let r = rest.range(of: old), !old.isEmpty {
            out += rest[..<r.lowerBound] + new
            rest = rest[r.upperBound...]
            n += 1
        }
        return out + rest
    }

    static func insertEverywhere(_ s: String, _ new: String) -> String {
        var out = new
        for c in s { out.append(c); out += new }
        return out
    }

    static func listMethod(_ l: ListRef, _ name: String, _ args: inout CallArguments) throws -> Value? {
        let pos = args.position
        switch name {
        case "append":
            l.items.append(try args.require(0, "object", "append"))
            return Value.none
        case "extend":
            guard let items = try args.require(0, "iterable", "extend").iterate() else { throw TemplateError(pos, "extend() needs an iterable") }
            l.items.append(contentsOf: items)
            return Value.none
        case "pop":
            guard !l.items.isEmpty else { throw TemplateError(pos, "pop from empty list") }
            var i = try args.int(0, "index", "pop", default: -1)
            if i < 0 { i += l.items.count }
            guard i >= 0 && i < l.items.count else { throw TemplateError(pos, "pop index out of range") }
            return l.items.remove(at: i)
        case "insert":
            var i = try args.int(0, "index", "insert")
            let x = try args.require(1, "object", "insert")
            if i < 0 { i = max(0, i + l.items.count) }
            l.items.insert(x, at: min(i, l.items.count))
            return Value.none
        case "remove":
            let x = try args.require(0, "value", "remove")
            guard let i = try l.items.firstIndex(where: { try Operators.equal($0, x, pos) }) else { throw TemplateError(pos, "list.remove(x): x not in list") }
            l.items.remove(at: i)
            return Value.none
        case "index": return try indexOf(l.items, try args.require(0, "value", "index"), pos)
        case "count": let x = try args.require(0, "value", "count"); return .int(try l.items.filter { try Operators.equal($0, x, pos) }.count)
        case "reverse": l.items.reverse(); return Value.none
        case "clear": l.items.removeAll(); return Value.none
        case "copy": return .list(ListRef(l.items))
        case "sort":
            let reverse = args.keyword("reverse")?.truthy ?? false
            var err: TemplateError? = nil
            l.items.sort { a, b in
                do { let o = try Operators.order(a, b, pos, "<"); return reverse ? o > 0 : o < 0 } catch { err = error as? TemplateError; return false }
            }
            if let err { throw err }
            return Value.none
        default: return nil
        }
    }

    static func dictMethod(_ d: DictRef, _ name: String, _ args: inout CallArguments) throws -> Value? {
        let pos = args.position
        switch name {
        case "get":
            let k = try args.require(0, "key", "get")
            return d[k] ?? args.get(1, "default") ?? Value.none
        case "items": return .list(ListRef((0..<d.count).map { .tuple([d.keys[$0], d.values[$0]]) }))
        case "keys": return .list(ListRef(d.keys))
        case "values": return .list(ListRef(d.values))
        case "update":
            if let other = args.positional.first {
                switch other {
                case .dict(let o): for i in 0..<o.count { d[o.keys[i]] = o.values[i] }
                default:
                    guard let items = other.iterate() else { throw TemplateError(pos, "update() needs a dict or pairs") }
                    for p in items {
                        guard let kv = p.iterate(), kv.count == 2 else { throw TemplateError(pos, "dictionary update sequence element has the wrong length") }
                        d[kv[0]] = kv[1]
                    }
                }
            }
            for (k, v) in args.keywords { d[k] = v }
            return Value.none
        case "pop":
            let k = try args.require(0, "key", "pop")
            if let v = d[k] { d[k] = nil; return v }
            if let def = args.get(1, "default") { return def }
            throw TemplateError(pos, "KeyError: \(k.repr)")
        case "setdefault":
            let k = try args.require(0, "key", "setdefault")
            if let v = d[k] { return v }
            let v = args.get(1, "default") ?? Value.none
            d[k] = v
            return v
        case "copy": return .dict(d.copy())
        case "clear": d.removeAll(); return Value.none
        default: return nil
        }
    }

    static func offsetText(_ o: Int) -> String {
        var b: [UInt8] = []
        StrftimeWriter.offset(o, colon: true, to: &b)
        return String(decoding: b, as: UTF8.self)
    }

    static func dateMethod(_ d: DateTimeValue, _ name: String, _ args: inout CallArguments, _ state: RenderState) throws -> Value? {
        switch name {
        case "isoformat":
            var sep: UInt8 = 84
            if !args.positional.isEmpty || !args.keywords.isEmpty { sep = try str(args, 0, "sep", name).flatMap { $0.utf8.first } ?? 84 }
            if let c = state.isoformatCache, c.micros == d.micros, c.offset == d.offset, c.separator == sep { return .string(c.text) }
            var b: [UInt8] = []
            b.reserveCapacity(32)
            ValueText.appendDateTime(d, separator: sep, to: &b)
            let text = String(decoding: b, as: UTF8.self)
            state.isoformatCache = (d.micros, d.offset, sep, text)
            return .string(text)
        case "strftime":
            guard let fmt = try str(args, 0, "format", name) else { throw TemplateError(args.position, "strftime() missing required argument 'format'") }
            var b: [UInt8] = []
            b.reserveCapacity(64)
            let f = state.strftime(d.offset == nil ? naiveFormat(fmt) : fmt)
            f.append(civil: d.civil, epoch: EventTime(micros: d.micros), to: &b)
            return .string(String(decoding: b, as: UTF8.self))
        case "timestamp":
            // A naive datetime is read in UTC (the tools' zone for naive times).
            return .float(Double(d.micros) / 1_000_000)
        case "weekday": return .int((d.civil.weekday + 6) % 7)
        case "isoweekday": return .int(d.civil.weekday == 0 ? 7 : d.civil.weekday)
        case "date":
            let c = d.civil
            let days = CivilDate.daysFromCivil(c.year, c.month, c.day)
            return .datetime(DateTimeValue(micros: days * 86_400_000_000 - Int64(d.offset ?? 0) * 1_000_000, offset: d.offset))
        case "utctimetuple", "timetuple":
            let c = name == "utctimetuple" ? DateTimeValue(micros: d.micros, offset: 0).civil : d.civil
            return .tuple([.int(c.year), .int(c.month), .int(c.day), .int(c.hour), .int(c.minute), .int(c.second),
                           .int((c.weekday + 6) % 7), .int(c.yearday), .int(name == "utctimetuple" ? 0 : -1)])
        case "replace":
            var c = d.civil
            for (k, v) in args.keywords {
                guard let n = v.intValue else { continue }
                switch k {
                case "year": c.year = n
                case "month": c.month = n
                case "day": c.day = n
                case "hour": c.hour = n
                case "minute": c.minute = n
                case "second": c.second = n
                case "microsecond": c.microsecond = n
                default: break
                }
            }
            let local = c.localEpochSeconds
            return .datetime(DateTimeValue(micros: (local - Int64(d.offset ?? 0)) * 1_000_000 + Int64(c.microsecond), offset: d.offset))
        case "astimezone":
            return .datetime(DateTimeValue(micros: d.micros, offset: d.offset ?? 0))
        default: return nil
        }
    }

    /// A naive datetime has no zone: `%z` and `%Z` print nothing (Python's behaviour).
    static func naiveFormat(_ f: String) -> String {
        guard f.contains("%z") || f.contains("%Z") else { return f }
        var out = ""
        var it = Array(f)
        var i = 0
        while i < it.count {
            if it[i] == "%", i + 1 < it.count {
                if it[i + 1] == "z" || it[i + 1] == "Z" { i += 2; continue }
                out.append(it[i]); out.append(it[i + 1]); i += 2; continue
            }
            out.append(it[i]); i += 1
        }
        it = []
        return out
    }
}
