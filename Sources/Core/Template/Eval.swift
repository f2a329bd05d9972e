/// Expression evaluation: variables, access with Jinja's attribute/item fallback, calls.
extension RenderState {
    @inline(__always)
    func load(_ ref: VarRef, _ name: String, _ f: Frame, _ g: Globals, _ pos: SourcePosition) throws -> Value {
        let v: Value
        switch ref {
        case .local(let s): v = f.slots[s]
        case .outer(let d, let s): v = f.outer(d).slots[s]
        case .global(let s):
            v = s >= 0 ? g.values[s] : (environment.globals[name] ?? .undefined(name))
        }
        if case .undefined(let n) = v, n.isEmpty { return .undefined(name) }
        return v
    }

    /// The value of variable `e` (a `.variable` of `ref`): the slot's value when it is defined,
    /// else what `load` gives (the name, kept in `e`, is read only then).
    @inline(__always)
    func variable(_ ref: VarRef, _ e: Expr, _ f: Frame, _ g: Globals) throws -> Value {
        let v: Value
        switch ref {
        case .local(let s): v = f.slots[s]
        case .outer(let d, let s): v = f.outer(d).slots[s]
        case .global(let s):
            guard s >= 0 else { return try namedVariable(e, f, g) }
            v = g.values[s]
        }
        if case .undefined = v { return try namedVariable(e, f, g) }
        return v
    }

    @inline(never)
    func namedVariable(_ e: Expr, _ f: Frame, _ g: Globals) throws -> Value {
        guard case .variable(let ref, let name, let pos) = e else { return .missing }
        return try load(ref, name, f, g, pos)
    }

    func eval(_ e: Expr, _ f: Frame, _ g: Globals) throws -> Value {
        switch e {
        case .constant(let v): return v
        case .variable(let ref, _, _): return try variable(ref, e, f, g)
        case .list(let items):
            var vs: [Value] = []
            vs.reserveCapacity(items.count)
            for x in items { vs.append(try eval(x, f, g)) }
            return .list(ListRef(vs))
        case .tuple(let items):
            var vs: [Value] = []
            vs.reserveCapacity(items.count)
            for x in items { vs.append(try eval(x, f, g)) }
            return .tuple(vs)
        case .dict(let pairs):
            let d = DictRef(capacity: pairs.count)
            for (k, v) in pairs {
                let key = try eval(k, f, g)
                guard key.key != nil else { throw TemplateError(SourcePosition(), "unhashable type: '\(key.typeName)'") }
                d[key] = try eval(v, f, g)
            }
            return .dict(d)
        case .attribute(let base, let name, let pos):
            return try attribute(try eval(base, f, g), name, pos, describe(base))
        case .item(let base, let key, let pos):
            return try item(try eval(base, f, g), try eval(key, f, g), pos, describe(base))
        case .slice(let base, let a, let b, let c, let pos):
            let v = try eval(base, f, g)
            return try Operators.slice(v, try a.map { try eval($0, f, g) }, try b.map { try eval($0, f, g) },
                                       try c.map { try eval($0, f, g) }, pos)
        case .call(let callee, let argExprs, let kwExprs, let pos):
            let fn = try eval(callee, f, g)
            var args = try arguments(argExprs, kwExprs, f, g, pos)
            let v = try callValue(fn, &args, name: describe(callee))
            recycle(&args)
            return v
        case .macroCall(let callee, let argExprs, let kwExprs, let pos):
            let fn = try eval(callee, f, g)
            var args = try arguments(argExprs, kwExprs, f, g, pos)
            return try callValue(fn, &args, name: describe(callee))
        case .method(let base, let name, let argExprs, let kwExprs, let pos):
            let obj = try eval(base, f, g)
            var args = try arguments(argExprs, kwExprs, f, g, pos)
            let v = try callMethod(obj, name, &args, describe(base))
            recycle(&args)
            return v
        case .filter(let filter, let base, let argExprs, let kwExprs, let pos):
            let v = try eval(base, f, g)
            var args = try arguments(argExprs, kwExprs, f, g, pos)
            let r = try Filters.apply(filter, v, &args, self)
            recycle(&args)
            return r
        case .test(let test, let base, let argExprs, let negated, let pos):
            let v = try eval(base, f, g)
            var args: [Value] = []
            for a in argExprs { args.append(try eval(a, f, g)) }
            let r = try Tests.apply(test, v, args, pos, self)
            return .bool(negated ? !r : r)
        case .binary(.concat, let l, let r, let pos) where l.isConcatenation:
            do { return try concatenation(l, r, f, g) } catch is ValueWalk.TooDeep { throw ValueWalk.reprError(pos) }
        case .binary(let op, let l, let r, let pos):
            let a = try eval(l, f, g)
            let b = try eval(r, f, g)
            return try Operators.binary(op, a, b, pos)
        case .negate(let x, let pos): return try Operators.negate(try eval(x, f, g), pos)
        case .plus(let x, let pos):
            let v = try eval(x, f, g)
            guard v.number != nil else { throw TemplateError(pos, "bad operand type for unary +: '\(v.typeName)'") }
            return v
        case .not(let x): return .bool(!(try eval(x, f, g)).truthy)
        case .and(let l, let r):
            let a = try eval(l, f, g)
            return a.truthy ? try eval(r, f, g) : a
        case .or(let l, let r):
            let a = try eval(l, f, g)
            return a.truthy ? a : try eval(r, f, g)
        case .compare(let first, let rest, let pos):
            var left = try eval(first, f, g)
            for (op, re) in rest {
                let right = try eval(re, f, g)
                if !(try Operators.compare(op, left, right, pos)) { return .bool(false) }
                left = right
            }
            return .bool(true)
        case .conditional(let cond, let a, let b):
            if try eval(cond, f, g).truthy { return try eval(a, f, g) }
            return try b.map { try eval($0, f, g) } ?? .undefined("")
        case .selfReference:
            return .object(TemplateReference(state: self, name: contextName))
        case .loopField(let ref, let field, let pos):
            let v = try load(ref, "loop", f, g, pos)
            guard case .object(let o) = v, let s = o as? LoopState else {
                return try attribute(v, "\(field)", pos, "loop")
            }
            switch field {
            case .index: return .int(s.index0 + 1)
            case .index0: return .int(s.index0)
            case .revindex: return .int(s.length - s.index0)
            case .revindex0: return .int(s.length - s.index0 - 1)
            case .first: return .bool(s.index0 == 0)
            case .last: return .bool(s.index0 == s.length - 1)
            case .length: return .int(s.length)
            case .depth: return .int(s.depth)
            case .depth0: return .int(s.depth - 1)
            }
        }
    }

    /// A short text naming an expression in messages (`user`, `user.name`).
    func describe(_ e: Expr) -> String {
        switch e {
        case .variable(_, let n, _): return n
        case .attribute(let b, let n, _): return describe(b) + "." + n
        case .item(let b, .constant(let k), _): return describe(b) + "[" + k.repr + "]"
        case .method(let b, let n, _, _, _): return describe(b) + "." + n + "()"
        default: return "the value"
        }
    }

    func arguments(_ argExprs: [Expr], _ kwExprs: [(String, Expr)], _ f: Frame, _ g: Globals, _ pos: SourcePosition) throws -> CallArguments {
        var args = CallArguments(position: pos)
        if !argExprs.isEmpty {
            if let spare = spareArguments.popLast() { args.positional = spare }
            args.positional.reserveCapacity(argExprs.count)
            for a in argExprs { args.positional.append(try eval(a, f, g)) }
        }
        for (k, e) in kwExprs { args.keywords.append((k, try eval(e, f, g))) }
        return args
    }

    /// Keeps the positional array of a finished call for the next call's arguments (no
    /// allocation per call). A callee that kept the values holds its own copy of the array, and
    /// emptying this one then leaves that copy alone.
    @inline(__always)
    func recycle(_ args: inout CallArguments) {
        guard args.positional.capacity > 0, spareArguments.count < 16 else { return }
        args.positional.removeAll(keepingCapacity: true)
        spareArguments.append(args.positional)
        args.positional = []
    }

    func undefinedError(_ v: Value, _ pos: SourcePosition, _ what: String) -> TemplateError {
        if case .undefined(let n) = v, !n.isEmpty { return TemplateError(pos, "'\(n)' is undefined") }
        return TemplateError(pos, "\(what) is undefined")
    }

    /// `x.name`: attributes of the value's type, else its item `name` (Jinja's fallback).
    public func attribute(_ v: Value, _ name: String, _ pos: SourcePosition, _ what: @autoclosure () -> String = "the value") throws -> Value {
        switch v {
        case .undefined: throw undefinedError(v, pos, what())
        case .dict(let d): return d[name] ?? .undefined(name)
        case .object(let o): return o.attribute(name) ?? o.item(.string(name)) ?? .undefined(name)
        case .datetime(let d):
            let c = d.civil
            switch name {
            case "year": return .int(c.year)
            case "month": return .int(c.month)
            case "day": return .int(c.day)
            case "hour": return .int(c.hour)
            case "minute": return .int(c.minute)
            case "second": return .int(c.second)
            case "microsecond": return .int(c.microsecond)
            case "tzinfo": return d.offset == nil ? .none : .string(d.offset == 0 ? "UTC" : "UTC" + Methods.offsetText(d.offset!))
            default: return .undefined(name)
            }
        case .timedelta(let t):
            let (days, secs, us) = ValueText.timedeltaParts(t)
            switch name {
            case "days": return .int(Int(days))
            case "seconds": return .int(Int(secs))
            case "microseconds": return .int(Int(us))
            default: return .undefined(name)
            }
        case .macro(let m):
            switch name {
            case "name": return .string(m.definition.name)
            case "arguments": return .tuple(m.definition.parameters.map { .string($0) })
            case "catch_varargs": return .bool(m.definition.varargsSlot != nil)
            case "catch_kwargs": return .bool(m.definition.kwargsSlot != nil)
            case "caller": return .bool(m.definition.callerSlot != nil)
            default: return .undefined(name)
            }
        default:
            return .undefined(name)
        }
    }

    /// `x[key]`: the item, else the attribute named by a string key.
    public func item(_ v: Value, _ key: Value, _ pos: SourcePosition, _ what: @autoclosure () -> String = "the value") throws -> Value {
        switch v {
        case .undefined: throw undefinedError(v, pos, what())
        case .list(let l): return Operators.index(l.items, key) ?? .undefined("")
        case .tuple(let t): return Operators.index(t, key) ?? .undefined("")
        case .dict(let d): return d[key] ?? .undefined(key.text)
        case .string(let s):
            guard let i = key.intValue else { return .undefined("") }
            let chars = Array(s)
            let j = i < 0 ? chars.count + i : i
            return j >= 0 && j < chars.count ? .string(String(chars[j])) : .undefined("")
        case .bytes(let b):
            guard let i = key.intValue else { return .undefined("") }
            let j = i < 0 ? b.count + i : i
            return j >= 0 && j < b.count ? .int(Int(b[j])) : .undefined("")
        case .object(let o):
            if let x = o.item(key) { return x }
            if case .string(let s) = key { return o.attribute(s) ?? .undefined(s) }
            return .undefined("")
        default:
            if case .string(let s) = key { return try attribute(v, s, pos, what()) }
            return .undefined("")
        }
    }

    /// Calls a macro or function value.
    public func callValue(_ fn: Value, _ args: inout CallArguments, name: @autoclosure () -> String) throws -> Value {
        switch fn {
        case .macro(let m): return try callMacro(m, &args)
        case .function(let nf): return try nf.body(&args, self)
        case .undefined: throw undefinedError(fn, args.position, name())
        default: throw TemplateError(args.position, "'\(fn.typeName)' object is not callable")
        }
    }

    /// `obj.name(args)`: the type's method, else a callable attribute.
    /// Calls method `name` of `obj` (a built-in type's method, or an object's).
    public func callMethod(_ obj: Value, _ name: String, _ args: inout CallArguments, _ what: @autoclosure () -> String = "the value") throws -> Value {
        switch obj {
        case .undefined: throw undefinedError(obj, args.position, what())
        case .object(let o):
            if let r = try o.callMethod(name, &args, self) { return r }
            if let a = o.attribute(name) { return try callValue(a, &args, name: what() + "." + name) }
            throw TemplateError(args.position, "'\(o.typeName)' object has no attribute '\(name)'")
        case .dict(let d):
            if let r = try Methods.call(obj, name, &args, self) { return r }
            if let a = d[name] { return try callValue(a, &args, name: what() + "." + name) }
        default:
            if let r = try Methods.call(obj, name, &args, self) { return r }
        }
        throw TemplateError(args.position, "'\(obj.typeName)' object has no attribute '\(name)'")
    }

    /// Calls a macro: binds positional and keyword arguments to parameters (missing ones get their
    /// default, else undefined), extra ones to `varargs` / `kwargs` when the body uses them.
    func callMacro(_ m: MacroRef, _ args: inout CallArguments) throws -> Value {
        let d = m.definition
        depth += 1
        defer { depth -= 1 }
        if depth > 200 { throw TemplateError(args.position, "macro '\(d.name)' calls itself more than 200 levels deep") }
        let f = Frame(count: d.slotCount, parent: m.frame)
        let n = d.parameters.count
        var set = [Bool](repeating: false, count: n)
        for (i, v) in args.positional.enumerated() {
            if i < n { f.slots[d.parameterSlots[i]] = v; set[i] = true }
            else if d.varargsSlot == nil {
                throw TemplateError(args.position, "macro '\(d.name)' takes not more than \(n) argument(s)")
            }
        }
        if let vs = d.varargsSlot { f.slots[vs] = .tuple(args.positional.count > n ? Array(args.positional[n...]) : []) }
        var extra: [(String, Value)] = []
        for (k, v) in args.keywords {
            if let i = d.parameters.firstIndex(of: k) {
                if set[i] { throw TemplateError(args.position, "macro '\(d.name)' got multiple values for argument '\(k)'") }
                f.slots[d.parameterSlots[i]] = v; set[i] = true
            } else if k == "caller" {
                if let cs = d.callerSlot { f.slots[cs] = v }
            } else if d.kwargsSlot != nil {
                extra.append((k, v))
            } else {
                throw TemplateError(args.position, "macro '\(d.name)' takes no keyword argument '\(k)'")
            }
        }
        if let ks = d.kwargsSlot { f.slots[ks] = .dict(extra) }
        for i in 0..<n where !set[i] {
            if let de = d.defaults[i] { f.slots[d.parameterSlots[i]] = try eval(de, f, m.globals) }
            else { f.slots[d.parameterSlots[i]] = .undefined(d.parameters[i]) }
        }
        return try captured { _ = try exec(d.body[...], f, m.globals) }
    }

    /// A compiled strftime format, cached by its text.
    func strftime(_ format: String) -> Strftime {
        if let s = strftimeCache[format] { return s }
        let s = Strftime(format)
        if strftimeCache.count < 256 { strftimeCache[format] = s }
        return s
    }
}
