/// An object whose attributes never change: the same name gives the same value for the object's
/// life, and a method call `obj.name(args)` calls its function attribute `name`. A compiled
/// template may then read `obj.name` once, when its host binds the object (`bindConstants`),
/// instead of looking the name up on every render. `module.rand.number` is such a chain.
public protocol TemplateNamespace: TemplateObject {}

/// An object that may hold elements which never change, nor anything read from them (a CSV
/// sample's rows): `select`, `reject`, `selectattr` and `rejectattr` of it with constant
/// arguments then give the same items every render, and a bound template filters it once.
public protocol TemplateConstantElements: TemplateObject {
    /// Whether the elements and everything read from them stay the same for the object's life.
    var elementsAreConstant: Bool { get }
}

extension TemplateEnvironment {
    /// Binds context values that stay the same for every render into the compiled templates:
    /// a read of `name` (a key of `constants`) becomes the value itself, and an attribute of a
    /// `TemplateNamespace` read from it becomes the attribute's value (a method call on one, a
    /// direct call of the function). `constants` must be what every render of `roots` gives
    /// those names and what the environment's globals hold for them (imports without context
    /// read those). A root template's own context reads are bound only when no template reaches
    /// it another way (include, import, extends: those bind its variables from the includer's);
    /// with a dynamic include anywhere only the environment's globals are bound.
    public func bindConstants(_ constants: [String: Value], roots: [CompiledTemplate]) {
        var reached = Set<Int32>()
        var dynamic = false
        for t in templates.values { TemplateConstants.references(t.body, &reached, &dynamic) }
        let state = RenderState(environment: self, rng: SeededRandom(seed: 0))
        for t in templates.values {
            let root = !dynamic && !reached.contains(t.index) && roots.contains { $0 === t }
            let folder = TemplateConstants(constants: constants, bindsContext: root, state: state)
            t.body = t.body.map(folder.fold)
        }
    }
}

extension TemplateEnvironment {
    /// Whether a template loaded so far includes one named only when it runs: that template reads
    /// what its includer does not from `RenderState.extraContext`, which a host then keeps current.
    public var hasDynamicInclude: Bool {
        var reached = Set<Int32>()
        var dynamic = false
        for t in templates.values { TemplateConstants.references(t.body, &reached, &dynamic) }
        return dynamic
    }
}

/// The rewriting behind `TemplateEnvironment.bindConstants`.
struct TemplateConstants {
    let constants: [String: Value]
    /// Whether the template's own context reads (global slots) are bound, not only the
    /// environment's (`.global(-1)`).
    let bindsContext: Bool
    /// What a filter folded at bind time runs with (those folded draw nothing).
    let state: RenderState

    /// The templates `stmts` reach by include, import or extends, and whether any include is dynamic.
    static func references(_ stmts: [Stmt], _ reached: inout Set<Int32>, _ dynamic: inout Bool) {
        for s in stmts {
            switch s {
            case .include(let step):
                if step.dynamic != nil { dynamic = true }
                if let t = step.template { reached.insert(t.index) }
            case .importModule(_, let step): reached.insert(step.template.index)
            case .fromImport(let step, _): reached.insert(step.template.index)
            case .extends(let step): reached.insert(step.parent.index)
            case .setBlock(_, let body, _, _), .filterBlock(_, let body, _), .with(_, let body):
                references(body, &reached, &dynamic)
            case .ifChain(let branches, let elseBody):
                for (_, b) in branches { references(b, &reached, &dynamic) }
                references(elseBody, &reached, &dynamic)
            case .forLoop(let loop):
                references(loop.body, &reached, &dynamic)
                references(loop.elseBody, &reached, &dynamic)
            case .macro(_, let def), .callBlock(_, let def, _): references(def.body, &reached, &dynamic)
            case .block(let b): references(b.body, &reached, &dynamic)
            default: break
            }
        }
    }

    func fold(_ s: Stmt) -> Stmt {
        switch s {
        case .text, .breakLoop, .continueLoop, .extends: return s
        case .output(let e): return .output(fold(e))
        case .run(let r): return .run(r.mapExpressions(fold))
        case .set(let t, let e): return .set(fold(t), fold(e))
        case .setBlock(let t, let body, let filters, let pos): return .setBlock(fold(t), body.map(fold), filters.map(fold), pos)
        case .expression(let e): return .expression(fold(e))
        case .ifChain(let branches, let elseBody):
            return .ifChain(branches.map { (fold($0.0), $0.1.map(fold)) }, elseBody.map(fold))
        case .forLoop(let loop):
            loop.target = fold(loop.target)
            loop.iterable = fold(loop.iterable)
            loop.condition = loop.condition.map(fold)
            loop.body = loop.body.map(fold)
            loop.elseBody = loop.elseBody.map(fold)
            return s
        case .macro(_, let def):
            fold(def)
            return s
        case .callBlock(let call, let def, let pos):
            fold(def)
            // The call stays a `.call` (a method call folded into one would change what runs).
            guard case .call(let callee, let args, let kws, let p) = call else { return s }
            return .callBlock(.call(fold(callee), args.map(fold), kws.map { ($0.0, fold($0.1)) }, p), def, pos)
        case .include(var step):
            step.bindings = step.bindings.map(fold)
            return .include(step)
        case .importModule(let slot, var step):
            step.bindings = step.bindings.map(fold)
            return .importModule(slot, step)
        case .fromImport(var step, let names):
            step.bindings = step.bindings.map(fold)
            return .fromImport(step, names)
        case .block(let b):
            b.body = b.body.map(fold)
            return s
        case .with(let values, let body): return .with(values.map { ($0.0, fold($0.1)) }, body.map(fold))
        case .custom(var step):
            step.arguments = step.arguments.map(fold)
            step.keywords = step.keywords.map { ($0.0, fold($0.1)) }
            return .custom(step)
        case .filterBlock(let filters, let body, let pos): return .filterBlock(filters.map(fold), body.map(fold), pos)
        }
    }

    func fold(_ def: MacroDefinition) {
        def.defaults = def.defaults.map { $0.map(fold) }
        def.body = def.body.map(fold)
    }

    func fold(_ f: FilterCall) -> FilterCall {
        var f = f
        f.arguments = f.arguments.map(fold)
        f.keywords = f.keywords.map { ($0.0, fold($0.1)) }
        return f
    }

    func fold(_ t: Target) -> Target {
        switch t {
        case .slot: return t
        case .tuple(let ts, let pos): return .tuple(ts.map(fold), pos)
        case .attribute(let e, let name, let pos): return .attribute(fold(e), name, pos)
        }
    }

    /// The namespace a folded expression is, if it is one.
    func namespace(_ e: Expr) -> TemplateNamespace? {
        if case .constant(.object(let o)) = e { return o as? TemplateNamespace }
        return nil
    }

    /// The items of `select`/`reject`/`selectattr`/`rejectattr` over an object of constant
    /// elements with constant arguments, filtered now; nil when not such a call, or when it
    /// fails (the render then runs it and reports the error).
    func selected(_ filter: Filter, _ base: Expr, _ args: [Expr], _ kws: [(String, Expr)], _ pos: SourcePosition) -> [Value]? {
        guard filter == .select || filter == .reject || filter == .selectattr || filter == .rejectattr, kws.isEmpty,
              case .constant(.object(let o)) = base, let c = o as? TemplateConstantElements, c.elementsAreConstant else { return nil }
        var values: [Value] = []
        for a in args {
            guard case .constant(let v) = a else { return nil }
            values.append(v)
        }
        var call = CallArguments(values, position: pos)
        guard case .list(let l)? = try? Filters.apply(filter, .object(o), &call, state) else { return nil }
        return l.items
    }

    func fold(_ e: Expr) -> Expr {
        switch e {
        case .constant, .loopField, .selfReference: return e
        case .variable(let ref, let name, _):
            guard case .global(let s) = ref, s < 0 || bindsContext, let v = constants[name] else { return e }
            return .constant(v)
        case .list(let items): return .list(items.map(fold))
        case .tuple(let items): return .tuple(items.map(fold))
        case .dict(let pairs): return .dict(pairs.map { (fold($0.0), fold($0.1)) })
        case .attribute(let base, let name, let pos):
            let b = fold(base)
            if let o = namespace(b), let v = o.attribute(name) { return .constant(v) }
            return .attribute(b, name, pos)
        case .item(let base, let key, let pos): return .item(fold(base), fold(key), pos)
        case .slice(let base, let a, let b, let c, let pos): return .slice(fold(base), a.map(fold), b.map(fold), c.map(fold), pos)
        case .call(let callee, let args, let kws, let pos): return .call(fold(callee), args.map(fold), kws.map { ($0.0, fold($0.1)) }, pos)
        case .macroCall(let callee, let args, let kws, let pos):
            return .macroCall(fold(callee), args.map(fold), kws.map { ($0.0, fold($0.1)) }, pos)
        case .method(let base, let name, let args, let kws, let pos):
            let b = fold(base), a = args.map(fold), k = kws.map { ($0.0, fold($0.1)) }
            if let o = namespace(b), case .function(let f)? = o.attribute(name) { return .call(.constant(.function(f)), a, k, pos) }
            return .method(b, name, a, k, pos)
        case .filter(let filter, let base, let args, let kws, let pos):
            let b = fold(base), a = args.map(fold), k = kws.map { ($0.0, fold($0.1)) }
            // The items selected once, made a new list on every render as the filter makes one.
            if let items = selected(filter, b, a, k, pos) { return .filter(.list, .constant(.tuple(items)), [], [], pos) }
            return .filter(filter, b, a, k, pos)
        case .test(let test, let base, let args, let negated, let pos): return .test(test, fold(base), args.map(fold), negated, pos)
        case .binary(let op, let l, let r, let pos): return .binary(op, fold(l), fold(r), pos)
        case .negate(let x, let pos): return .negate(fold(x), pos)
        case .plus(let x, let pos): return .plus(fold(x), pos)
        case .not(let x): return .not(fold(x))
        case .and(let l, let r): return .and(fold(l), fold(r))
        case .or(let l, let r): return .or(fold(l), fold(r))
        case .compare(let first, let rest, let pos): return .compare(fold(first), rest.map { ($0.0, fold($0.1)) }, pos)
        case .conditional(let c, let a, let b): return .conditional(fold(c), fold(a), b.map(fold))
        }
    }
}
