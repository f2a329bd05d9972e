import Foundation

/// Python's arithmetic, comparison, indexing and slicing on template values.
enum Operators {
    static func typeError(_ op: String, _ a: Value, _ b: Value, _ pos: SourcePosition) -> TemplateError {
        TemplateError(pos, "unsupported operand type(s) for \(op): '\(a.typeName)' and '\(b.typeName)'")
    }

    static func checkDefined(_ a: Value, _ b: Value, _ pos: SourcePosition) throws {
        if case .undefined(let n) = a { throw TemplateError(pos, n.isEmpty ? "an undefined value was used in arithmetic" : "'\(n)' is undefined") }
        if case .undefined(let n) = b { throw TemplateError(pos, n.isEmpty ? "an undefined value was used in arithmetic" : "'\(n)' is undefined") }
    }

    /// `x + y` built at its final size in one allocation (a long result; a short one is a small
    /// string either way).
    static func joined(_ x: String, _ y: String) -> String {
        if x.isEmpty { return y }
        if y.isEmpty { return x }
        var x = x, y = y
        return x.withUTF8 { a in
            y.withUTF8 { b in
                let n = a.count &+ b.count
                return String(unsafeUninitializedCapacity: n) { d in
                    UnsafeMutableRawPointer(d.baseAddress!).copyMemory(from: a.baseAddress!, byteCount: a.count)
                    UnsafeMutableRawPointer(d.baseAddress! + a.count).copyMemory(from: b.baseAddress!, byteCount: b.count)
                    return n
                }
            }
        }
    }

    static func binary(_ op: BinaryOp, _ a: Value, _ b: Value, _ pos: SourcePosition) throws -> Value {
        if op == .concat {
            if case .string(let x) = a, case .string(let y) = b { return .string(joined(x, y)) }
            var out: [UInt8] = []
            out.reserveCapacity(32)
            guard ValueText.appendStr(a, to: &out), ValueText.appendStr(b, to: &out) else { throw ValueWalk.reprError(pos) }
            return .string(String(decoding: out, as: UTF8.self))
        }
        try checkDefined(a, b, pos)
        // int op int
        if let x = a.intValue, let y = b.intValue, !isFloat(a), !isFloat(b) {
            switch op {
            case .add: let (r, o) = x.addingReportingOverflow(y); return o ? try BigInt.binary(op, a, b, pos)! : .int(r)
            case .sub: let (r, o) = x.subtractingReportingOverflow(y); return o ? try BigInt.binary(op, a, b, pos)! : .int(r)
            case .mul: let (r, o) = x.multipliedReportingOverflow(by: y); return o ? try BigInt.binary(op, a, b, pos)! : .int(r)
            case .div:
                guard y != 0 else { throw TemplateError(pos, "division by zero") }
                // Beyond 2**53 an int is not a Double: divide exactly, as Python does.
                if x.magnitude > 1 << 53 || y.magnitude > 1 << 53 { return try BigInt.binary(op, a, b, pos)! }
                return .float(Double(x) / Double(y))
            case .floordiv:
                guard y != 0 else { throw TemplateError(pos, "integer division or modulo by zero") }
                if x == Int.min && y == -1 { return try BigInt.binary(op, a, b, pos)! }
                let q = x / y
                return .int((x % y != 0 && ((x < 0) != (y < 0))) ? q - 1 : q)
            case .mod:
                guard y != 0 else { throw TemplateError(pos, "integer division or modulo by zero") }
                if y == -1 { return .int(0) }
                let r = x % y
                return .int(r != 0 && ((r < 0) != (y < 0)) ? r + y : r)
            case .pow:
                if y < 0 { return .float(pow(Double(x), Double(y))) }
                var result = 1, base = x, e = y
                var overflow = false
                while e > 0 {
                    if e & 1 == 1 { let (r, o) = result.multipliedReportingOverflow(by: base); result = r; overflow = overflow || o }
                    e >>= 1
                    if e > 0 { let (r, o) = base.multipliedReportingOverflow(by: base); base = r; overflow = overflow || o }
                }
                return overflow ? try BigInt.binary(op, a, b, pos)! : .int(result)
            case .concat: break
            }
        }
        if isBig(a) || isBig(b) {
            if let r = try BigInt.binary(op, a, b, pos) { return r }
            // With a float, Python converts the int to a float first.
            if case .bigint(let x) = a, b.number != nil, !isText(b) { return try binary(op, .float(try x.double(pos)), b, pos) }
            if case .bigint(let y) = b, a.number != nil, !isText(a) { return try binary(op, a, .float(try y.double(pos)), pos) }
            if op == .mul, isText(a) || isText(b) || isList(a) || isList(b) { throw TemplateError(pos, "cannot fit 'int' into an index-sized integer") }
        }
        if let x = a.number, let y = b.number, !isText(a), !isText(b) {
            switch op {
            case .add: return .float(x + y)
            case .sub: return .float(x - y)
            case .mul: return .float(x * y)
            case .div:
                guard y != 0 else { throw TemplateError(pos, "float division by zero") }
                return .float(x / y)
            case .floordiv:
                guard y != 0 else { throw TemplateError(pos, "float floor division by zero") }
                return .float((x / y).rounded(.down) == x / y ? x / y : pyFloorDiv(x, y))
            case .mod:
                guard y != 0 else { throw TemplateError(pos, "float modulo") }
                return .float(pyMod(x, y))
            case .pow:
                if x < 0 && y != y.rounded() { throw TemplateError(pos, "negative number cannot be raised to a fractional power") }
                if x == 0 && y < 0 { throw TemplateError(pos, "0.0 cannot be raised to a negative power") }
                return .float(pow(x, y))
            case .concat: break
            }
        }
        switch (op, a, b) {
        case (.add, .string(let x), .string(let y)): return .string(x + y)
        case (.add, .list(let x), .list(let y)): return .list(ListRef(x.items + y.items))
        case (.add, .tuple(let x), .tuple(let y)): return .tuple(x + y)
        case (.add, .bytes(let x), .bytes(let y)): return .bytes(x + y)
        case (.add, .datetime(let d), .timedelta(let t)), (.add, .timedelta(let t), .datetime(let d)):
            return .datetime(DateTimeValue(micros: try checked(d.micros.addingReportingOverflow(t), "date value out of range", pos), offset: d.offset))
        case (.add, .timedelta(let x), .timedelta(let y)): return .timedelta(try checked(x.addingReportingOverflow(y), "timedelta overflow", pos))
        case (.sub, .datetime(let d), .timedelta(let t)):
            return .datetime(DateTimeValue(micros: try checked(d.micros.subtractingReportingOverflow(t), "date value out of range", pos), offset: d.offset))
        case (.sub, .datetime(let x), .datetime(let y)):
            if (x.offset == nil) != (y.offset == nil) { throw TemplateError(pos, "can't subtract offset-naive and offset-aware datetimes") }
            return .timedelta(try checked(x.micros.subtractingReportingOverflow(y.micros), "timedelta overflow", pos))
        case (.sub, .timedelta(let x), .timedelta(let y)): return .timedelta(try checked(x.subtractingReportingOverflow(y), "timedelta overflow", pos))
        case (.mul, .string(let s), _), (.mul, _, .string(let s)):
            guard let n = (isText(a) ? b : a).intValue else { throw typeError("*", a, b, pos) }
            return .string(try repeated(s, n, pos))
        case (.mul, .list(let l), _), (.mul, _, .list(let l)):
            guard let n = (b.intValue ?? a.intValue) else { throw typeError("*", a, b, pos) }
            guard n > 0 else { return .list([]) }
            let (total, overflow) = l.items.count.multipliedReportingOverflow(by: n)
            guard !overflow, total <= 10_000_000 else { throw TemplateError(pos, "list repetition too large") }
            return .list(ListRef(Array([[Value]](repeating: l.items, count: n).joined())))
        case (.mul, .timedelta(let t), _), (.mul, _, .timedelta(let t)):
            let other = (isTimedelta(a) ? b : a)
            if let n = other.intValue {
                let (r, overflow) = t.multipliedReportingOverflow(by: Int64(n))
                guard !overflow else { throw TemplateError(pos, "timedelta overflow") }
                return .timedelta(r)
            }
            if let x = other.number { return .timedelta(try micros(Double(t) * x, pos)) }
        case (.div, .timedelta(let t), _):
            if case .timedelta(let u) = b {
                guard u != 0 else { throw TemplateError(pos, "division by zero") }
                return .float(Double(t) / Double(u))
            }
            if let x = b.number {
                guard x != 0 else { throw TemplateError(pos, "division by zero") }
                return .timedelta(try micros(Double(t) / x, pos))
            }
        case (.floordiv, .timedelta(let t), .int(let n)):
            guard n != 0 else { throw TemplateError(pos, "integer division or modulo by zero") }
            return .timedelta(Int64((Double(t) / Double(n)).rounded(.down)))
        case (.mod, .string(let fmt), _):
            return .string(try PercentFormat.format(fmt, b, pos))
        default: break
        }
        let symbol: [BinaryOp: String] = [.add: "+", .sub: "-", .mul: "*", .div: "/", .floordiv: "//", .mod: "%", .pow: "** or pow()"]
        throw typeError(symbol[op] ?? "?", a, b, pos)
    }

    /// Microseconds of a timedelta computed as a float, rounded half to even.
    static func micros(_ d: Double, _ pos: SourcePosition) throws -> Int64 {
        let r = d.rounded(.toNearestOrEven)
        guard r.isFinite, Swift.abs(r) < 9.2e18 else { throw TemplateError(pos, "timedelta overflow") }
        return Int64(r)
    }

    static func checked(_ r: (partialValue: Int64, overflow: Bool), _ message: String, _ pos: SourcePosition) throws -> Int64 {
        guard !r.overflow else { throw TemplateError(pos, message) }
        return r.partialValue
    }

    /// The most text a repetition or padding may build, in bytes.
    static let maxTextBytes = 100_000_000

    /// `s * n` (nothing for n <= 0); an error past `maxTextBytes`.
    static func repeated(_ s: String, _ n: Int, _ pos: SourcePosition) throws -> String {
        guard n > 0, !s.isEmpty else { return "" }
        let (total, overflow) = s.utf8.count.multipliedReportingOverflow(by: n)
        guard !overflow, total <= maxTextBytes else { throw TemplateError(pos, "string repetition too large (over \(maxTextBytes) bytes)") }
        return String(repeating: s, count: n)
    }

    @inline(__always) static func isBig(_ v: Value) -> Bool { if case .bigint = v { return true }; return false }
    @inline(__always) static func isList(_ v: Value) -> Bool { if case .list = v { return true }; return false }
    @inline(__always) static func isFloat(_ v: Value) -> Bool { if case .float = v { return true }; return false }
    @inline(__always) static func isText(_ v: Value) -> Bool { if case .string = v { return true }; return false }
    @inline(__always) static func isTimedelta(_ v: Value) -> Bool { if case .timedelta = v { return true }; return false }

    /// Python's float `%`: the result has the sign of the divisor.
    static func pyMod(_ x: Double, _ y: Double) -> Double {
        var m = fmod(x, y)
        if m != 0 { if (y < 0) != (m < 0) { m += y } } else { m = (y.sign == .minus ? -0.0 : 0.0) }
        return m
    }

    static func pyFloorDiv(_ x: Double, _ y: Double) -> Double {
        let m = pyMod(x, y)
        var div = (x - m) / y
        if div != 0 { let f = div.rounded(.down); if div - f > 0.5 { div = f + 1 } else { div = f } } else { div = ((x / y).sign == .minus ? -0.0 : 0.0) }
        return div
    }

    static func negate(_ v: Value, _ pos: SourcePosition) throws -> Value {
        switch v {
        case .int(let i): return i == Int.min ? try BigInt.value(negative: false, BigInt.magnitude(UInt64(i.magnitude)), pos) : .int(-i)
        case .bigint(let b): return try BigInt.value(negative: !b.negative, b.limbs, pos)
        case .bool(let b): return .int(b ? -1 : 0)
        case .float(let d): return .float(-d)
        case .timedelta(let t): return .timedelta(-t)
        case .undefined(let n): throw TemplateError(pos, "'\(n)' is undefined")
        default: throw TemplateError(pos, "bad operand type for unary -: '\(v.typeName)'")
        }
    }

    /// Python's `==`. Lists (or tuples) that are one object are equal without looking inside,
    /// as Python's element comparison finds them; comparing deeper than `ValueWalk.depthLimit`
    /// (two lists that contain themselves) is Python's RecursionError, at `pos`.
    static func equal(_ a: Value, _ b: Value, _ pos: SourcePosition, depth: Int = 0) throws -> Bool {
        switch (a, b) {
        case (.undefined, .undefined), (.none, .none): return true
        case (.string(let x), .string(let y)): return x == y
        case (.bytes(let x), .bytes(let y)): return x == y
        case (.list(let x), .list(let y)):
            if x === y { return true }
            return try equalItems(x.items, y.items, pos, depth)
        case (.tuple(let x), .tuple(let y)):
            return try equalItems(x, y, pos, depth)
        case (.dict(let x), .dict(let y)):
            if x === y { return true }
            guard x.count == y.count else { return false }
            if depth >= ValueWalk.depthLimit { throw ValueWalk.comparisonError(pos) }
            for i in 0..<x.count { guard let v = y[x.keys[i]], try equal(x.values[i], v, pos, depth: depth &+ 1) else { return false } }
            return true
        case (.datetime(let x), .datetime(let y)): return x.micros == y.micros && (x.offset == nil) == (y.offset == nil)
        case (.timedelta(let x), .timedelta(let y)): return x == y
        case (.object(let x), .object(let y)): return x === y
        case (.macro(let x), .macro(let y)): return x === y
        case (.bigint, _), (_, .bigint): return bigOrder(a, b) == 0
        default:
            if let x = a.number, let y = b.number, !isText(a), !isText(b) {
                if let i = a.intValue, let j = b.intValue { return i == j }
                if let o = exactOrder(a, b) { return o == 0 }
                return x == y
            }
            return false
        }
    }

    /// The elements of two lists or tuples pairwise equal (one array's storage is equal at once).
    static func equalItems(_ x: [Value], _ y: [Value], _ pos: SourcePosition, _ depth: Int) throws -> Bool {
        guard x.count == y.count else { return false }
        if sameStorage(x, y) { return true }
        if depth >= ValueWalk.depthLimit { throw ValueWalk.comparisonError(pos) }
        for i in 0..<x.count where !(try equal(x[i], y[i], pos, depth: depth &+ 1)) { return false }
        return true
    }

    /// Whether two arrays are one storage (a tuple held twice is one object, as in Python).
    @inline(__always) static func sameStorage(_ x: [Value], _ y: [Value]) -> Bool {
        x.withUnsafeBufferPointer { a in y.withUnsafeBufferPointer { b in a.baseAddress == b.baseAddress } }
    }

    /// Python's ordering; mismatched types are a TypeError.
    static func order(_ a: Value, _ b: Value, _ pos: SourcePosition, _ op: String, depth: Int = 0) throws -> Int {
        switch (a, b) {
        case (.string(let x), .string(let y)):
            return x == y ? 0 : (x.unicodeScalars.lexicographicallyPrecedes(y.unicodeScalars) ? -1 : 1)
        case (.list, .list), (.tuple, .tuple):
            let xs = a.iterate()!, ys = b.iterate()!
            if depth >= ValueWalk.depthLimit { throw ValueWalk.comparisonError(pos) }
            for (x, y) in zip(xs, ys) where !(try equal(x, y, pos, depth: depth &+ 1)) { return try order(x, y, pos, op, depth: depth &+ 1) }
            return xs.count == ys.count ? 0 : (xs.count < ys.count ? -1 : 1)
        case (.datetime(let x), .datetime(let y)): return x.micros == y.micros ? 0 : (x.micros < y.micros ? -1 : 1)
        case (.timedelta(let x), .timedelta(let y)): return x == y ? 0 : (x < y ? -1 : 1)
        case (.bytes(let x), .bytes(let y)): return x == y ? 0 : (x.lexicographicallyPrecedes(y) ? -1 : 1)
        case (.bigint, _), (_, .bigint):
            if let o = bigOrder(a, b) { return o }
            if case .float(let d) = a, d.isNaN { return 1 }
            if case .float(let d) = b, d.isNaN { return 1 }
            throw TemplateError(pos, "'\(op)' not supported between instances of '\(a.typeName)' and '\(b.typeName)'")
        default:
            if let i = a.intValue, let j = b.intValue, !isFloat(a), !isFloat(b) { return i == j ? 0 : (i < j ? -1 : 1) }
            if let x = a.number, let y = b.number, !isText(a), !isText(b) {
                if let o = exactOrder(a, b) { return o }
                return x == y ? 0 : (x < y ? -1 : 1)
            }
            if case .undefined(let n) = a { throw TemplateError(pos, "'\(n)' is undefined") }
            if case .undefined(let n) = b { throw TemplateError(pos, "'\(n)' is undefined") }
            throw TemplateError(pos, "'\(op)' not supported between instances of '\(a.typeName)' and '\(b.typeName)'")
        }
    }

    /// `a <=> b` when one is a BigInt and the other a number, exactly as Python compares an int
    /// with an int or a float; nil otherwise (and for NaN).
    static func bigOrder(_ a: Value, _ b: Value) -> Int? {
        if let x = BigInt.parts(a) {
            if let y = BigInt.parts(b) { return BigInt.compare(x, y) }
            if case .float(let d) = b { return BigInt.compare(x, d) }
        } else if let y = BigInt.parts(b), case .float(let d) = a {
            return BigInt.compare(y, d).map { -$0 }
        }
        return nil
    }

    /// `a <=> b` for an int beyond 2**53 and a float, which a Double cannot compare exactly.
    @inline(__always) static func exactOrder(_ a: Value, _ b: Value) -> Int? {
        if case .int(let i) = a, i.magnitude > 1 << 53, case .float = b { return bigOrder(a, b) }
        if case .int(let i) = b, i.magnitude > 1 << 53, case .float = a { return bigOrder(a, b) }
        return nil
    }

    static func compare(_ op: CompareOp, _ a: Value, _ b: Value, _ pos: SourcePosition) throws -> Bool {
        switch op {
        case .eq: return try equal(a, b, pos)
        case .ne: return !(try equal(a, b, pos))
        case .lt: return try order(a, b, pos, "<") < 0
        case .le: return try order(a, b, pos, "<=") <= 0
        case .gt: return try order(a, b, pos, ">") > 0
        case .ge: return try order(a, b, pos, ">=") >= 0
        case .isIn: return try contains(b, a, pos)
        case .notIn: return !(try contains(b, a, pos))
        }
    }

    /// Python's `x in container`.
    static func contains(_ container: Value, _ x: Value, _ pos: SourcePosition) throws -> Bool {
        switch container {
        case .string(let s):
            guard case .string(let sub) = x else { throw TemplateError(pos, "'in <string>' requires string as left operand, not \(x.typeName)") }
            return sub.isEmpty || s.contains(sub)
        case .dict(let d): return d[x] != nil
        case .bytes(let b):
            if let i = x.intValue { return b.contains(UInt8(truncatingIfNeeded: i)) }
            if case .bytes(let sub) = x { return sub.isEmpty || String(decoding: b, as: UTF8.self).contains(String(decoding: sub, as: UTF8.self)) }
            return false
        case .undefined: return false
        case .object(let r as RangeObject):
            guard let i = x.intValue else { return false }
            return r.contains(i)
        case .object(let o):
            if let items = o.elements { return try items.contains { try equal($0, x, pos) } }
            return o.item(x) != nil
        default:
            guard let items = container.iterate() else { throw TemplateError(pos, "argument of type '\(container.typeName)' is not iterable") }
            return try items.contains { try equal($0, x, pos) }
        }
    }

    /// `items[key]` with Python's negative indices; nil when out of range or not an int.
    static func index(_ items: [Value], _ key: Value) -> Value? {
        guard let i = key.intValue else { return nil }
        let j = i < 0 ? items.count + i : i
        return j >= 0 && j < items.count ? items[j] : nil
    }

    /// Python's slice indices for a sequence of `n` elements.
    static func sliceIndices(_ n: Int, _ a: Value?, _ b: Value?, _ c: Value?, _ pos: SourcePosition) throws -> [Int] {
        func intOf(_ v: Value?) throws -> Int? {
            guard let v else { return nil }
            if case .none = v { return nil }
            // An int beyond Int is past either end, as Python clamps it.
            if case .bigint(let b) = v { return b.negative ? Int.min : Int.max }
            guard let i = v.intValue else { throw TemplateError(pos, "slice indices must be integers or None, not \(v.typeName)") }
            return i
        }
        let step = try intOf(c) ?? 1
        guard step != 0 else { throw TemplateError(pos, "slice step cannot be zero") }
        func clamp(_ i: Int?, _ def: Int) -> Int {
            guard var i else { return def }
            if i < 0 { i += n }
            if step > 0 { return min(max(i, 0), n) }
            return min(max(i, -1), n - 1)
        }
        let start = clamp(try intOf(a), step > 0 ? 0 : n - 1)
        let stop = clamp(try intOf(b), step > 0 ? n : -1)
        var out: [Int] = []
        var i = start
        while step > 0 ? i < stop : i > stop { out.append(i); i += step }
        return out
    }

    static func slice(_ v: Value, _ a: Value?, _ b: Value?, _ c: Value?, _ pos: SourcePosition) throws -> Value {
        switch v {
        case .list(let l): return .list(ListRef(try sliceIndices(l.items.count, a, b, c, pos).map { l.items[$0] }))
        case .tuple(let t): return .tuple(try sliceIndices(t.count, a, b, c, pos).map { t[$0] })
        case .string(let s):
            let chars = Array(s.unicodeScalars)
            var r = String.UnicodeScalarView()
            for i in try sliceIndices(chars.count, a, b, c, pos) { r.append(chars[i]) }
            return .string(String(r))
        case .bytes(let bs): return .bytes(try sliceIndices(bs.count, a, b, c, pos).map { bs[$0] })
        case .undefined(let n): throw TemplateError(pos, "'\(n)' is undefined")
        default: throw TemplateError(pos, "'\(v.typeName)' object is not subscriptable")
        }
    }
}
