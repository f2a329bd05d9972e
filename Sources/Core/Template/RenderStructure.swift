/// Rendering of the structural statements compiled by `Parser`: block inheritance with
/// `super()`, dynamic includes, filter chains and recursive loops.

/// One template's version of a block in an `extends` chain, with the frame it runs in.
struct BlockLevel {
    let block: BlockDefinition
    let frame: Frame
    let globals: Globals
    /// The template defining this version (nil when not known: a block of an imported module).
    let template: CompiledTemplate?
}

extension RenderState {
    /// Runs block `b` of the template being rendered: the most derived template's version of it,
    /// whose `super()` renders the next one up the chain.
    func runBlock(_ b: BlockDefinition, _ f: Frame, _ g: Globals) throws -> Flow {
        guard let overrides = blockOverrides[b.name] else {
            if b.required { throw TemplateError(b.position, "required block '\(b.name)' not found (no template extending this one defines it)") }
            return try runLevel([BlockLevel(block: b, frame: f, globals: g, template: baseLevel?.template)], 0)
        }
        let own = BlockLevel(block: b, frame: f, globals: g, template: baseLevel?.template)
        if b.scoped && !b.scopedLocals.isEmpty {
            _ = try runLevel(try overrides.map { try scopedLevel($0, b, f, g) } + [own], 0)
        } else {
            _ = try runLevel(overrides + [own], 0)
        }
        return .normal
    }

    /// An extending template's version of a scoped block, seeing the loop and `with` variables
    /// around the block where the parent places it (as globals of that template).
    func scopedLevel(_ level: BlockLevel, _ b: BlockDefinition, _ f: Frame, _ g: Globals) throws -> BlockLevel {
        var values = level.globals.values
        for (name, ref) in b.scopedLocals {
            if let s = level.template?.globalSlot(name) { values[s] = try load(ref, name, f, g, b.position) }
        }
        return BlockLevel(block: level.block, frame: level.frame, globals: Globals(values), template: level.template)
    }

    /// The levels of block `name` in the template being rendered, the most derived first; nil
    /// when no template of the chain defines it.
    func blockChain(_ name: String) -> [BlockLevel]? {
        var chain = blockOverrides[name] ?? []
        if let base = baseLevel, let b = base.template.blocks[name] {
            chain.append(BlockLevel(block: b, frame: base.frame, globals: base.globals, template: base.template))
        }
        return chain.isEmpty ? nil : chain
    }

    func runLevel(_ chain: [BlockLevel], _ i: Int) throws -> Flow {
        let level = chain[i]
        guard let slot = level.block.superSlot else { return try exec(level.block.body[...], level.frame, level.globals) }
        let saved = level.frame.slots[slot]
        level.frame.slots[slot] = .function(NativeFunction("super") { args, state in
            guard i + 1 < chain.count else {
                throw TemplateError(args.position, "super(): block '\(level.block.name)' has no parent block")
            }
            guard args.positional.isEmpty, args.keywords.isEmpty else { throw TemplateError(args.position, "super() takes no arguments") }
            return try state.captured { _ = try state.runLevel(chain, i + 1) }
        })
        defer { level.frame.slots[slot] = saved }
        return try exec(level.block.body[...], level.frame, level.globals)
    }

    /// What `body` writes, as a string (written into a spare buffer swapped in for `out`).
    func captured(_ body: () throws -> Void) throws -> Value {
        var buffer = spareBuffers.popLast() ?? RenderOutput()
        buffer.count = 0
        swap(&buffer, &out)
        defer {
            swap(&buffer, &out)
            if spareBuffers.count < 16 { spareBuffers.append(buffer) } else { buffer.deallocate() }
        }
        try body()
        return .string(out.string())
    }

    /// `include` of a name known only now: a string, or a list of them (the first that exists).
    func includeDynamic(_ step: IncludeStep, _ d: DynamicInclude, _ f: Frame, _ g: Globals) throws {
        let value = try eval(d.name, f, g)
        var names: [String] = []
        switch value {
        case .string(let s): names = [s]
        case .list, .tuple:
            for v in value.iterate() ?? [] {
                guard case .string(let s) = v else {
                    throw TemplateError(step.position, "include: a template name must be a string, not \(v.typeName)")
                }
                names.append(s)
            }
        case .undefined:
            throw undefinedError(value, step.position, "the template name")
        default:
            throw TemplateError(step.position, "include: expected a template name or a list of them, not \(value.typeName)")
        }
        var template: CompiledTemplate? = nil
        for n in names {
            if let t = try environment.templateIfExists(named: n) { template = t; break }
        }
        guard let t = template else {
            if step.ignoreMissing { return }
            throw TemplateError(step.position, names.isEmpty ? "include: the list of template names is empty"
                                : "template '\(names.joined(separator: "', '"))' not found")
        }
        var values: [Value] = []
        values.reserveCapacity(t.globalNames.count)
        for name in t.globalNames { values.append(try dynamicBinding(name, d, f, g, step.position)) }
        try run(t, Globals(values))
    }

    /// What variable `name` of a dynamically included template sees: with context the includer's
    /// variable in scope, its globals, the root context; else (and last) the environment's globals.
    func dynamicBinding(_ name: String, _ d: DynamicInclude, _ f: Frame, _ g: Globals, _ pos: SourcePosition) throws -> Value {
        if d.withContext {
            if let ref = d.visible[name] { return try load(ref, name, f, g, pos) }
            if let s = d.includer.globalSlot(name), s < g.values.count { return g.values[s] }
            if let (t, rg) = root, let s = t.globalSlot(name), s < rg.values.count { return rg.values[s] }
            if let v = extraContext[name] { return v }
        }
        return environment.globals[name] ?? .undefined(name)
    }

    /// `value` through the filters of a `filter` block or a block `set`, in order.
    func applyFilters(_ calls: [FilterCall], _ value: Value, _ f: Frame, _ g: Globals) throws -> Value {
        var v = value
        for c in calls {
            var args = try arguments(c.arguments, c.keywords, f, g, c.position)
            v = try Filters.apply(c.filter, v, &args, self)
        }
        return v
    }

    /// `loop(items)` in a recursive loop: the loop's body over `items` one level deeper, as a
    /// string; the loop's own variables are as they were afterwards.
    func recurse(_ loop: ForLoop, _ items: Value, depth level: Int, _ f: Frame, _ g: Globals, _ pos: SourcePosition) throws -> Value {
        depth += 1
        defer { depth -= 1 }
        if depth > 200 { throw TemplateError(pos, "loop() calls itself more than 200 levels deep") }
        let own = loop.ownSlots
        let saved = Array(UnsafeBufferPointer(start: f.slots + own.lowerBound, count: own.count))
        defer { for (k, v) in saved.enumerated() { f.slots[own.lowerBound + k] = v } }
        return try captured { try runLoop(loop, items, depth: level, f, g) }
    }
}

/// `self` in a template: its blocks by name; `self.name()` renders one as the most derived
/// template of the `extends` chain defines it (Jinja's `TemplateReference`).
final class TemplateReference: TemplateObject {
    unowned let state: RenderState
    let name: String
    init(state: RenderState, name: String) {
        self.state = state
        self.name = name
    }
    var typeName: String { "TemplateReference" }

    func attribute(_ block: String) -> Value? {
        guard let chain = state.blockChain(block) else { return nil }
        return .function(NativeFunction(block) { args, state in try TemplateReference.render(chain, block, args, state) })
    }

    func callMethod(_ block: String, _ args: inout CallArguments, _ state: RenderState) throws -> Value? {
        guard let chain = state.blockChain(block) else {
            throw TemplateError(args.position, "self.\(block)(): template '\(name)' has no block '\(block)'")
        }
        return try TemplateReference.render(chain, block, args, state)
    }

    static func render(_ chain: [BlockLevel], _ block: String, _ args: CallArguments, _ state: RenderState) throws -> Value {
        guard args.positional.isEmpty, args.keywords.isEmpty else { throw TemplateError(args.position, "self.\(block)() takes no arguments") }
        return try state.captured { _ = try state.runLevel(chain, 0) }
    }

    func appendText(to out: inout [UInt8]) { out.append(contentsOf: "<TemplateReference '\(name)'>".utf8) }
}
