/// The variable slots of one template render or macro call; macros reach their defining frame
/// through `parent`. The slots are memory of the frame's own, not an array: a write is a store,
/// with no uniqueness check (the compiler gives every slot index below `count`).
final class Frame {
    let slots: UnsafeMutablePointer<Value>
    let count: Int
    let parent: Frame?
    init(count: Int, parent: Frame?) {
        self.count = count
        slots = .allocate(capacity: max(count, 1))
        slots.initialize(repeating: .missing, count: count)
        self.parent = parent
    }
    deinit {
        slots.deinitialize(count: count)
        slots.deallocate()
    }

    /// The frame `depth` levels out (the compiler resolved the variable there).
    @inline(__always)
    func outer(_ depth: Int) -> Frame {
        var fr = self
        for _ in 0..<depth { fr = fr.parent! }
        return fr
    }
}

/// The context values of one template render, by global slot.
final class Globals {
    @exclusivity(unchecked) var values: [Value]
    init(_ values: [Value]) { self.values = values }
}

/// What a statement list did: ran to its end, or hit `break` / `continue`.
enum Flow { case normal, breakLoop, continueLoop }

/// The state of `loop` inside a for loop (one object per loop, updated per iteration).
final class LoopState: TemplateObject {
    var index0 = 0
    var length = 0
    var depth = 1
    var items: [Value] = []
    /// Set instead of `items` when the loop runs over a range.
    var range: RangeObject? = nil
    var lastChanged: [Value]? = nil
    /// Set for a `recursive` loop: what `loop(items)` runs again (see `RenderState.recurse`).
    var recursion: (loop: ForLoop, frame: Frame, globals: Globals)? = nil
    /// The method name `loop(items)` compiles to.
    static let recurseMethod = "__call__"
    var typeName: String { "LoopContext" }
    func attribute(_ name: String) -> Value? {
        switch name {
        case "index": return .int(index0 + 1)
        case "index0": return .int(index0)
        case "revindex": return .int(length - index0)
        case "revindex0": return .int(length - index0 - 1)
        case "first": return .bool(index0 == 0)
        case "last": return .bool(index0 == length - 1)
        case "length": return .int(length)
        case "depth": return .int(depth)
        case "depth0": return .int(depth - 1)
        case "previtem": return index0 > 0 ? element(index0 - 1) : .undefined("previtem")
        case "nextitem": return index0 + 1 < length ? element(index0 + 1) : .undefined("nextitem")
        default: return nil
        }
    }
    func element(_ i: Int) -> Value { range.map { $0.at(i) } ?? items[i] }
    func callMethod(_ name: String, _ args: inout CallArguments, _ state: RenderState) throws -> Value? {
        switch name {
        case "cycle":
            guard !args.positional.isEmpty else { throw TemplateError(args.position, "loop.cycle() needs at least one value") }
            return args.positional[index0 % args.positional.count]
        case "changed":
            let now = args.positional
            defer { lastChanged = now }
            guard let last = lastChanged else { return .bool(true) }
            return .bool(!(try Operators.equalItems(last, now, args.position, 0)))
        case LoopState.recurseMethod:
            guard let (loop, frame, globals) = recursion else {
                throw TemplateError(args.position, "'LoopContext' object is not callable (only a loop marked 'recursive' can be called)")
            }
            guard args.positional.count == 1, args.keywords.isEmpty else {
                throw TemplateError(args.position, "loop() takes exactly one argument, the items to loop over")
            }
            return try state.recurse(loop, args.positional[0], depth: depth + 1, frame, globals, args.position)
        default: return nil
        }
    }
}

/// Renders compiled templates: one per event, into an output buffer of its own. Holds the random
/// substream every draw comes from, so a seed makes output byte-identical.
public final class RenderState {
    public let environment: TemplateEnvironment
    /// The draws of the event being rendered (hosts seed it per event from a `RandomKey`). It
    /// lives behind a pointer of the state's own: a host's functions in another module reach
    /// it there directly (as a stored property it took a run-time exclusivity check per draw).
    @inlinable public var rng: SeededRandom {
        get { rngCell.pointee }
        set { rngCell.pointee = newValue }
        _modify { yield &rngCell.pointee }
    }
    @usableFromInline let rngCell: UnsafeMutablePointer<SeededRandom>
    /// When set, an imported module evaluated once and cached (imported without context) draws
    /// from `RandomKey(moduleKey ^ hash(module name)).generator(event: moduleUnit)` instead of
    /// `rng`, so its values do not depend on which event happened to import it first.
    public var moduleKey: RandomKey?
    public var moduleUnit: UInt64 = 0
    /// What the render writes (a captured body, a macro call: a spare buffer swapped in).
    @exclusivity(unchecked) var out = RenderOutput(capacity: 4096)
    /// Where a value not written by `RenderOutput` itself gets its text first (`write`).
    @exclusivity(unchecked) var scratch: [UInt8] = []
    /// Per block name, the blocks of the templates being extended, the most derived first.
    @exclusivity(unchecked) var blockOverrides: [String: [BlockLevel]] = [:]
    /// The template at the top of the current `extends` chain (the one that places the blocks),
    /// with its frame: what `self.name()` renders the least derived level of a block in.
    @exclusivity(unchecked) var baseLevel: (template: CompiledTemplate, frame: Frame, globals: Globals)? = nil
    /// The template whose render (or include) is running, as `self` prints it.
    @exclusivity(unchecked) var contextName = ""
    /// The root template of the render and its globals (what a dynamic include reads from).
    @exclusivity(unchecked) var root: (template: CompiledTemplate, globals: Globals)? = nil
    /// Context values a dynamically included template may read although the root template does
    /// not (`render(_:context:)` sets them; a host rendering by slots may too).
    @exclusivity(unchecked) public var extraContext: [String: Value] = [:]
    @exclusivity(unchecked) var depth = 0
    @exclusivity(unchecked) var strftimeCache: [String: Strftime] = [:]
    /// The last `isoformat()` text, by instant, offset and separator (a timestamp is formatted
    /// several times per event, and events of one second share it).
    @exclusivity(unchecked) var isoformatCache: (micros: Int64, offset: Int?, separator: UInt8, text: String)? = nil
    /// Output buffers of finished captures and macro calls, reused by the next ones.
    @exclusivity(unchecked) var spareBuffers: [RenderOutput] = []
    /// Positional argument arrays of finished calls, reused by the next ones (`recycle`).
    @exclusivity(unchecked) var spareArguments: [[Value]] = []
    /// Values a host may hang on the state (Eventum's per-template locals and the like).
    public var userInfo: [String: Value] = [:]
    /// When set, each render notes where the template's literal texts land in its output
    /// (`textSpans`), for a `JSONSegmentCompactor` to reuse its work on them.
    @exclusivity(unchecked) public var notesText = false
    /// The literal texts of the last render, in output order, at offsets of `output` (with `notesText`).
    @exclusivity(unchecked) public private(set) var textSpans: [JSONSegmentCompactor.TextSpan] = []

    public init(environment: TemplateEnvironment, rng: SeededRandom) {
        self.environment = environment
        rngCell = .allocate(capacity: 1)
        rngCell.initialize(to: rng)
    }

    deinit {
        rngCell.deallocate()
        out.deallocate()
        for b in spareBuffers { b.deallocate() }
    }

    /// The bytes of the last render (valid until the next render starts).
    public var output: UnsafeBufferPointer<UInt8> { out.bytes }

    /// Renders `template` with its globals (`globals[i]` is `template.globalNames[i]`) into
    /// `output`, in place of the last render's bytes. Errors are `TemplateError`s with the file
    /// name filled in (`output` then holds what was written before the error).
    public func render(_ template: CompiledTemplate, globals: [Value]) throws {
        out.count = 0
        blockOverrides.removeAll(keepingCapacity: true)
        textSpans.removeAll(keepingCapacity: true)
        depth = 0
        let g = Globals(globals)
        root = (template, g)
        contextName = template.name
        defer { root = nil; baseLevel = nil }
        do {
            try run(template, g, inheriting: true)
        } catch let e as TemplateError {
            throw environment.located(e)
        } catch is ValueWalk.TooDeep {
            throw environment.located(ValueWalk.reprError(SourcePosition(template: template.index)))
        }
    }

    /// Renders `template` with its globals, appending the output to `buffer` (also when the
    /// render fails part way).
    public func render(_ template: CompiledTemplate, globals: [Value], into buffer: inout [UInt8]) throws {
        defer { buffer.append(contentsOf: out.bytes) }
        try render(template, globals: globals)
    }

    /// Renders `template` with globals looked up by name in `context` (then the environment's).
    public func render(_ template: CompiledTemplate, context: [String: Value], into buffer: inout [UInt8]) throws {
        let g = template.globalNames.map { context[$0] ?? environment.globals[$0] ?? .undefined($0) }
        extraContext = context
        defer { extraContext = [:] }
        try render(template, globals: g, into: &buffer)
    }

    /// Renders to a String (tests and small uses).
    public func render(_ template: CompiledTemplate, context: [String: Value] = [:]) throws -> String {
        var b: [UInt8] = []
        try render(template, context: context, into: &b)
        return String(decoding: b, as: UTF8.self)
    }

    /// Runs template `t`: with `inheriting`, as a parent in the `extends` chain being rendered
    /// (or as the root); otherwise (an include) with blocks of its own, as Jinja gives an
    /// included template a new context.
    func run(_ t: CompiledTemplate, _ g: Globals, inheriting: Bool = false) throws {
        depth += 1
        defer { depth -= 1 }
        if depth > 64 { throw TemplateError(SourcePosition(template: t.index), "templates include each other more than 64 levels deep") }
        var savedOverrides: [String: [BlockLevel]] = [:]
        var savedName = ""
        if !inheriting {
            swap(&savedOverrides, &blockOverrides)
            swap(&savedName, &contextName)
            contextName = t.name
        }
        defer {
            if !inheriting {
                swap(&savedOverrides, &blockOverrides)
                swap(&savedName, &contextName)
            }
        }
        let f = Frame(count: t.slotCount, parent: nil)
        if case .extends(let step)? = t.body.last {
            for (name, b) in t.blocks { blockOverrides[name, default: []].append(BlockLevel(block: b, frame: f, globals: g, template: t)) }
            _ = try discarding { try exec(t.body.dropLast(), f, g, skipBlocks: true) }
            try run(step.parent, Globals(try evalBindings(step.bindings, f, g)), inheriting: true)
            return
        }
        let savedBase = baseLevel
        defer { baseLevel = savedBase }
        baseLevel = (t, f, g)
        _ = try exec(t.body[...], f, g)
    }

    func evalBindings(_ bindings: [Expr], _ f: Frame, _ g: Globals) throws -> [Value] {
        var values: [Value] = []
        values.reserveCapacity(bindings.count)
        for b in bindings {
            if case .variable(.global(-1), let name, _) = b { values.append(environment.globals[name] ?? .undefined(name)) }
            else { values.append(try eval(b, f, g)) }
        }
        return values
    }

    // MARK: statements

    func exec(_ stmts: ArraySlice<Stmt>, _ f: Frame, _ g: Globals, skipBlocks: Bool = false) throws -> Flow {
        for s in stmts {
            switch s {
            case .text(let bytes):
                if notesText { noteText(bytes) }
                out.append(bytes)
            case .output(let e):
                do { try output(e, f, g) } catch is ValueWalk.TooDeep { throw ValueWalk.reprError(e.position) }
            case .run(let r):
                try runOutputs(r, f, g)
            case .set(let target, let e):
                try assign(target, try eval(e, f, g), f, g)
            case .setBlock(let target, let body, let filters, _):
                try assign(target, try applyFilters(filters, try capture(body, f, g), f, g), f, g)
            case .expression(let e):
                _ = try eval(e, f, g)
            case .ifChain(let branches, let elseBody):
                var done = false
                for (cond, body) in branches where try eval(cond, f, g).truthy {
                    let flow = try exec(body[...], f, g)
                    if flow != .normal { return flow }
                    done = true
                    break
                }
                if !done {
                    let flow = try exec(elseBody[...], f, g)
                    if flow != .normal { return flow }
                }
            case .forLoop(let loop):
                try runFor(loop, f, g)
            case .breakLoop: return .breakLoop
            case .continueLoop: return .continueLoop
            case .macro(let slot, let def):
                f.slots[slot] = .macro(MacroRef(def, frame: f, globals: g))
            case .callBlock(let call, let def, let pos):
                guard case .call(let callee, let argExprs, let kwExprs, _) = call else { break }
                let fn = try eval(callee, f, g)
                var args = try arguments(argExprs, kwExprs, f, g, pos)
                args.keywords.append(("caller", .macro(MacroRef(def, frame: f, globals: g))))
                try write(try callValue(fn, &args, name: describe(callee)))
            case .include(let step):
                if let d = step.dynamic { try includeDynamic(step, d, f, g); break }
                guard let t = step.template else { break }
                try run(t, Globals(try evalBindings(step.bindings, f, g)))
            case .importModule(let slot, let step):
                f.slots[slot] = try module(step, f, g)
            case .fromImport(let step, let names):
                let m = try module(step, f, g)
                guard case .object(let mod) = m else { break }
                for (name, slot, _) in names { f.slots[slot] = mod.attribute(name) ?? .undefined(name) }
            case .block(let b):
                if skipBlocks { continue }
                let flow = try runBlock(b, f, g)
                if flow != .normal { return flow }
            case .extends:
                break
            case .with(let values, let body):
                var evaluated: [(Int, Value)] = []
                for (slot, e) in values { evaluated.append((slot, try eval(e, f, g))) }
                for (slot, v) in evaluated { f.slots[slot] = v }
                let flow = try exec(body[...], f, g)
                if flow != .normal { return flow }
            case .custom(let step):
                var args = try arguments(step.arguments, step.keywords, f, g, step.position)
                let values = try step.tag.run(&args, self)
                for (k, slot) in step.outputSlots.enumerated() { f.slots[slot] = k < values.count ? values[k] : .none }
            case .filterBlock(let filters, let body, _):
                try write(try applyFilters(filters, try capture(body, f, g), f, g))
            }
        }
        return .normal
    }

    /// Notes where literal `bytes` lands in the output (a hint: text written into a captured
    /// buffer is noted too, at an offset of that buffer, which the compactor finds not to match).
    func noteText(_ bytes: [UInt8]) {
        let offset = out.count
        bytes.withUnsafeBufferPointer { b in
            if let p = b.baseAddress { textSpans.append(JSONSegmentCompactor.TextSpan(offset: offset, text: p, count: b.count)) }
        }
    }

    /// Runs an `OutputRun`: each part's text, then its expression's output.
    func runOutputs(_ r: OutputRun, _ f: Frame, _ g: Globals) throws {
        let base = r.text.baseAddress!
        for p in r.parts {
            if p.count > 0 {
                let t = UnsafeBufferPointer(start: base + Int(p.start), count: Int(p.count))
                if notesText { textSpans.append(JSONSegmentCompactor.TextSpan(offset: out.count, text: base + Int(p.start), count: t.count)) }
                out.append(t)
            }
            if p.expr >= 0 {
                let e = r.exprs[Int(p.expr)]
                do { try output(e, f, g) } catch is ValueWalk.TooDeep { throw ValueWalk.reprError(e.position) }
            }
        }
    }

    /// Runs `body` with what it writes, and the literal texts it notes, taken off afterwards.
    func discarding<T>(_ body: () throws -> T) rethrows -> T {
        let start = out.count, spans = textSpans.count
        defer { out.count = start; textSpans.removeSubrange(spans...) }
        return try body()
    }

    /// Runs `body` into a string (block set, filter block).
    func capture(_ body: [Stmt], _ f: Frame, _ g: Globals) throws -> Value {
        try captured { _ = try exec(body[...], f, g) }
    }

    /// Writes Python's `str(v)` (undefined writes nothing): strings and integers straight into
    /// the output, other values through `scratch`.
    @inline(__always)
    func write(_ v: Value) throws {
        switch v {
        case .string(let s): out.appendUTF8(s)
        case .int(let i): out.appendInt(i)
        case .undefined: return
        default: try writeOther(v)
        }
    }

    /// Writes `v | tojson(args)`: a string's JSON text escaped straight into the output, a list's
    /// or tuple's (without `indent`) item by item.
    func writeJSON(_ v: Value, _ args: inout CallArguments) throws {
        switch v {
        case .string(let s):
            out.appendJSONString(s)
        case .list(let l) where args.positional.isEmpty && args.keywords.isEmpty:
            try writeJSONItems(l.items, args.position)
        case .tuple(let items) where args.positional.isEmpty && args.keywords.isEmpty:
            try writeJSONItems(items, args.position)
        default:
            scratch.removeAll(keepingCapacity: true)
            try Filters.appendJSON(v, &args, to: &scratch)
            out.append(scratch)
        }
    }

    /// `[a, b, ...]` as `ValueText.appendJSON` writes a list without indent: strings and
    /// integers written here, other items through `scratch`.
    func writeJSONItems(_ items: [Value], _ pos: SourcePosition) throws {
        out.append(91)
        for (k, x) in items.enumerated() {
            if k > 0 { out.append(44); out.append(32) }
            switch x {
            case .string(let s): out.appendJSONString(s)
            case .int(let i): out.appendInt(i)
            default:
                scratch.removeAll(keepingCapacity: true)
                try ValueText.appendJSON(x, indent: nil, level: 1, to: &scratch, position: pos)
                out.append(scratch)
            }
        }
        out.append(93)
    }

    /// Writes the value at `p` where it lies (no copy of it taken); false, writing nothing,
    /// when it is undefined (the caller then writes what the variable's name resolves to).
    @inline(__always)
    func writeInPlace(_ p: UnsafePointer<Value>) throws -> Bool {
        switch p.pointee {
        case .string(let s): out.appendUTF8(s)
        case .int(let i): out.appendInt(i)
        case .undefined: return false
        default: try writeOther(p.pointee)
        }
        return true
    }

    /// Writes variable `ref`'s value from its slot; false when the slot holds no defined value.
    @inline(__always)
    func writeVariable(_ ref: VarRef, _ f: Frame, _ g: Globals) throws -> Bool {
        switch ref {
        case .local(let s): return try writeInPlace(f.slots + s)
        case .outer(let d, let s): return try writeInPlace(f.outer(d).slots + s)
        case .global(let s):
            guard s >= 0 else { return false }
            return try g.values.withUnsafeBufferPointer { try writeInPlace($0.baseAddress! + s) }
        }
    }

    /// Writes `x.name` for variable `x` holding a dict with key `name` (the value written where
    /// the dict holds it) or an object with attribute `name`; false, writing nothing, otherwise
    /// (the caller then evaluates `x.name`, with Jinja's fallbacks and errors).
    @inline(__always)
    func writeAttribute(_ ref: VarRef, _ name: String, _ f: Frame, _ g: Globals) throws -> Bool {
        switch ref {
        case .local(let s): return try writeAttribute(of: f.slots + s, name)
        case .outer(let d, let s): return try writeAttribute(of: f.outer(d).slots + s, name)
        case .global(let s):
            guard s >= 0 else { return false }
            return try g.values.withUnsafeBufferPointer { try writeAttribute(of: $0.baseAddress! + s, name) }
        }
    }

    func writeAttribute(of p: UnsafePointer<Value>, _ name: String) throws -> Bool {
        switch p.pointee {
        case .dict(let d):
            guard let i = d.position(ofName: name) else { return false }
            return try d.values.withUnsafeBufferPointer { try writeInPlace($0.baseAddress! + i) }
        case .object(let o):
            guard let v = o.attribute(name) else { return false }
            try write(v)
            return true
        default:
            return false
        }
    }

    /// Writes `str(v)` of a value other than a string or int; a container nested too deeply to
    /// print throws `ValueWalk.TooDeep` (the statement makes it an error at its position).
    @inline(never)
    func writeOther(_ v: Value) throws {
        scratch.removeAll(keepingCapacity: true)
        guard ValueText.appendStr(v, to: &scratch) else { throw ValueWalk.TooDeep() }
        out.append(scratch)
    }

    @inline(__always)
    func output(_ e: Expr, _ f: Frame, _ g: Globals) throws {
        switch e {
        case .variable(let ref, _, _):
            if !(try writeVariable(ref, f, g)) { try write(try variable(ref, e, f, g)) }
        case .attribute(.variable(let ref, _, _), let name, _):
            if !(try writeAttribute(ref, name, f, g)) { try write(try eval(e, f, g)) }
        case .constant(let v):
            try write(v)
        case .binary(.concat, let l, let r, _):
            try outputPart(l, f, g)
            try outputPart(r, f, g)
        case .filter(.tojson, let base, let argExprs, let kwExprs, let pos):
            let v = try eval(base, f, g)
            var args = try arguments(argExprs, kwExprs, f, g, pos)
            try writeJSON(v, &args)
        case .filter(let filter, let base, let argExprs, let kwExprs, let pos)
            where (filter == .lower || filter == .upper) && argExprs.isEmpty && kwExprs.isEmpty:
            let v = try eval(base, f, g)
            if case .string(let s) = v, out.appendASCIICased(s, upper: filter == .upper) { return }
            // Anything else is the filter applied to the value already evaluated (evaluating the
            // expression again would repeat its calls: `{{ l.pop() | upper }}`).
            var args = try arguments(argExprs, kwExprs, f, g, pos)
            let r = try Filters.apply(filter, v, &args, self)
            recycle(&args)
            try write(r)
        default:
            try write(try eval(e, f, g))
        }
    }

    /// Writes one operand of a `~` being output (`{{ a ~ b }}`): each operand's text goes
    /// straight to the output, in order, as the joined string would.
    func outputPart(_ e: Expr, _ f: Frame, _ g: Globals) throws {
        if case .binary(.concat, let l, let r, _) = e {
            try outputPart(l, f, g)
            try outputPart(r, f, g)
        } else {
            try output(e, f, g)
        }
    }

    /// `a ~ b ~ c ...` (three operands or more): the operands written one after another at the
    /// end of the output, then taken off it as one string (no string per intermediate `~`).
    func concatenation(_ l: Expr, _ r: Expr, _ f: Frame, _ g: Globals) throws -> Value {
        let start = out.count
        try outputPart(l, f, g)
        try outputPart(r, f, g)
        let s = out.string(from: start)
        out.count = start
        return .string(s)
    }

    func assign(_ target: Target, _ v: Value, _ f: Frame, _ g: Globals) throws {
        switch target {
        case .slot(let s, _): f.slots[s] = v
        case .tuple(let targets, let pos):
            guard let items = v.iterate(), !isUndefined(v) else { throw TemplateError(pos, "cannot unpack \(v.typeName) into \(targets.count) variables") }
            guard items.count == targets.count else {
                throw TemplateError(pos, items.count > targets.count ? "too many values to unpack (expected \(targets.count))"
                                    : "not enough values to unpack (expected \(targets.count), got \(items.count))")
            }
            for (t, x) in zip(targets, items) { try assign(t, x, f, g) }
        case .attribute(let obj, let name, let pos):
            let o = try eval(obj, f, g)
            guard case .object(let ns as Namespace) = o else { throw TemplateError(pos, "cannot assign attribute '\(name)' on \(o.typeName) (only on a namespace)") }
            ns.values[name] = v
        }
    }

    func isUndefined(_ v: Value) -> Bool { if case .undefined = v { return true }; return false }

    func runFor(_ loop: ForLoop, _ f: Frame, _ g: Globals) throws {
        try runLoop(loop, try eval(loop.iterable, f, g), depth: 1, f, g)
    }

    /// Runs `loop` over `iterable` at recursion depth `depth` (1 unless `loop(...)` called it).
    func runLoop(_ loop: ForLoop, _ iterable: Value, depth: Int, _ f: Frame, _ g: Globals) throws {
        if case .object(let r as RangeObject) = iterable, loop.condition == nil {
            try runRange(loop, r, depth, f, g)
            return
        }
        guard var items = iterable.iterate() else {
            throw TemplateError(loop.position, "'\(iterable.typeName)' object is not iterable")
        }
        if let cond = loop.condition {
            var kept: [Value] = []
            for x in items {
                try assign(loop.target, x, f, g)
                if try eval(cond, f, g).truthy { kept.append(x) }
            }
            items = kept
        }
        if items.isEmpty {
            _ = try exec(loop.elseBody[...], f, g)
            return
        }
        var state: LoopState? = nil
        if let slot = loop.loopSlot {
            let s = LoopState()
            s.length = items.count
            s.items = items
            s.depth = depth
            if loop.recursive { s.recursion = (loop, f, g) }
            let saved = f.slots[slot]
            f.slots[slot] = .object(s)
            state = s
            defer { f.slots[slot] = saved; s.recursion = nil }
            try iterate(loop, items, state, f, g)
            return
        }
        try iterate(loop, items, state, f, g)
    }

    /// A loop over `range()`: the numbers are made one at a time, not as a list.
    func runRange(_ loop: ForLoop, _ r: RangeObject, _ depth: Int, _ f: Frame, _ g: Globals) throws {
        if r.count == 0 { _ = try exec(loop.elseBody[...], f, g); return }
        var state: LoopState? = nil
        var saved: Value = .missing
        if let slot = loop.loopSlot {
            let s = LoopState()
            s.length = r.count
            s.range = r
            s.depth = depth
            if loop.recursive { s.recursion = (loop, f, g) }
            saved = f.slots[slot]
            f.slots[slot] = .object(s)
            state = s
        }
        defer { if let slot = loop.loopSlot { f.slots[slot] = saved; state?.recursion = nil } }
        for i in 0..<r.count {
            state?.index0 = i
            let x = r.at(i)
            if case .slot(let s, _) = loop.target { f.slots[s] = x } else { try assign(loop.target, x, f, g) }
            if try exec(loop.body[...], f, g) == .breakLoop { break }
        }
    }

    @inline(__always)
    func iterate(_ loop: ForLoop, _ items: [Value], _ state: LoopState?, _ f: Frame, _ g: Globals) throws {
        for (i, x) in items.enumerated() {
            state?.index0 = i
            if case .slot(let s, _) = loop.target { f.slots[s] = x } else { try assign(loop.target, x, f, g) }
            let flow = try exec(loop.body[...], f, g)
            if flow == .breakLoop { break }
        }
    }

    /// An imported module: without context evaluated once per environment (until `resetModules`).
    func module(_ step: ImportStep, _ f: Frame, _ g: Globals) throws -> Value {
        let t = step.template
        if !step.withContext, let m = environment.moduleCache[t.index] { return m }
        let globals = Globals(try evalBindings(step.bindings, f, g))
        let frame = Frame(count: t.slotCount, parent: nil)
        let start = out.count, spans = textSpans.count
        let savedOverrides = blockOverrides
        blockOverrides = [:]
        defer { out.count = start; textSpans.removeSubrange(spans...); blockOverrides = savedOverrides }
        depth += 1
        defer { depth -= 1 }
        if depth > 64 { throw TemplateError(step.position, "templates import each other more than 64 levels deep") }
        if !step.withContext, let key = moduleKey {
            var own = RandomKey(value: key.value ^ SeededRandom.hash(t.name)).generator(event: moduleUnit)
            swap(&own, &rng)
            defer { swap(&own, &rng) }
            _ = try exec(t.body[...], frame, globals, skipBlocks: false)
        } else {
            _ = try exec(t.body[...], frame, globals, skipBlocks: false)
        }
        let m = Value.object(TemplateModule(name: t.name, frame: frame, exports: t.exports))
        if !step.withContext { environment.moduleCache[t.index] = m }
        return m
    }
}

/// A template imported as a module: its top-level variables and macros as attributes.
final class TemplateModule: TemplateObject {
    let name: String
    let frame: Frame
    let exports: [String: Int]
    init(name: String, frame: Frame, exports: [String: Int]) {
        self.name = name
        self.frame = frame
        self.exports = exports
    }
    var typeName: String { "TemplateModule" }
    func attribute(_ name: String) -> Value? { exports[name].map { frame.slots[$0] } }
    func appendText(to out: inout [UInt8]) { out.append(contentsOf: "<TemplateModule '\(name)'>".utf8) }
}

/// Jinja's `namespace(...)`: attributes assignable from inside loops.
final class Namespace: TemplateObject {
    var values: [String: Value] = [:]
    var typeName: String { "Namespace" }
    func attribute(_ name: String) -> Value? { values[name] }
    func appendText(to out: inout [UInt8]) { out.append(contentsOf: "<Namespace>".utf8) }
}
