/// Turns tokens into compiled statements, resolving names to slots as it goes (see `FrameScope`).
struct Parser {
    let tokens: [Token]
    var k = 0
    let env: TemplateEnvironment
    let template: CompiledTemplate
    var scope: FrameScope
    /// Open loops (for `break`/`continue` checks).
    var loopDepth = 0
    var extends: ExtendsStep?

    init(tokens: [Token], environment: TemplateEnvironment, template: CompiledTemplate) {
        self.tokens = tokens
        self.env = environment
        self.template = template
        self.scope = FrameScope(parent: nil, macro: nil)
    }

    // MARK: tokens

    var current: Token { tokens[k] }
    func peek(_ n: Int = 1) -> Token { tokens[min(k + n, tokens.count - 1)] }
    mutating func advance() -> Token { let t = tokens[k]; if k < tokens.count - 1 { k += 1 }; return t }

    func isOp(_ s: String) -> Bool { current.kind == .op && current.text == s }
    func isName(_ s: String) -> Bool { current.kind == .name && current.text == s }

    func fail(_ message: String, _ t: Token? = nil) -> TemplateError {
        TemplateError((t ?? current).position, message)
    }

    mutating func expectOp(_ s: String, _ context: String) throws {
        guard isOp(s) else { throw fail("expected '\(s)' \(context), found \(current.described)") }
        _ = advance()
    }

    mutating func expectName(_ context: String) throws -> String {
        guard current.kind == .name else { throw fail("expected a name \(context), found \(current.described)") }
        return advance().text
    }

    mutating func expectBlockEnd(_ context: String) throws {
        guard current.kind == .blockEnd else { throw fail("expected '%}' \(context), found \(current.described)") }
        _ = advance()
    }

    // MARK: template

    mutating func parseTemplate() throws {
        let body = try parseBody(until: [])
        template.body = body
        template.slotCount = scope.slotCount
        template.globalNames = scope.globalNames
        template.exports = scope.blocks[0]
        if var e = extends {
            // The parent sees the child's top-level variables as they are at the end.
            e.bindings = bindings(e.parent, withContext: true)
            template.body = body + [.extends(e)]
        }
        template.slotCount = scope.slotCount
        template.globalNames = scope.globalNames
    }

    /// Statements until a block tag named in `end` (left as the current token after `{%`), or eof.
    mutating func parseBody(until end: Set<String>) throws -> [Stmt] {
        var out: [Stmt] = []
        while true {
            let t = current
            switch t.kind {
            case .data:
                _ = advance()
                out.append(.text(Array(t.text.utf8)))
            case .variableBegin:
                _ = advance()
                let e = try parseTuple()
                guard current.kind == .variableEnd else { throw fail("expected '}}' after the expression, found \(current.described)") }
                _ = advance()
                out.append(.output(e))
            case .blockBegin:
                let begin = advance()
                guard current.kind == .name else { throw fail("expected a statement name after '{%', found \(current.described)") }
                if end.contains(current.text) { return OutputRun.grouped(out) }
                if let s = try parseStatement(begin) { out.append(s) }
            case .eof:
                if !end.isEmpty {
                    let names = end.sorted().map { "'\($0)'" }.joined(separator: " or ")
                    throw fail("unexpected end of template: expected \(names)")
                }
                return OutputRun.grouped(out)
            default:
                throw fail("unexpected \(t.described)")
            }
        }
    }

    /// Consumes `{% name %}` closing a construct (`endfor`, optionally followed by a name for `endblock`).
    mutating func closeTag(_ name: String, allowName: Bool = false) throws {
        guard isName(name) else { throw fail("expected '\(name)', found \(current.described)") }
        _ = advance()
        if allowName, current.kind == .name { _ = advance() }
        try expectBlockEnd("after '\(name)'")
    }

    // MARK: statements

    mutating func parseStatement(_ begin: Token) throws -> Stmt? {
        let name = current
        switch name.text {
        case "for": return try parseFor()
        case "if": return try parseIf()
        case "set": return try parseSet()
        case "do":
            _ = advance()
            let e = try parseTuple()
            try expectBlockEnd("after the do expression")
            return .expression(e)
        case "print":
            _ = advance()
            let e = try parseTuple()
            try expectBlockEnd("after the print expression")
            return .output(e)
        case "macro": return try parseMacro()
        case "call": return try parseCallBlock()
        case "include": return try parseInclude()
        case "import": return try parseImport()
        case "from": return try parseFromImport()
        case "block": return try parseBlock()
        case "extends": return try parseExtends()
        case "with": return try parseWith()
        case "filter": return try parseFilterBlock()
        case "autoescape":
            _ = advance()
            _ = try parseExpression()
            try expectBlockEnd("after autoescape")
            let body = try parseBody(until: ["endautoescape"])
            try closeTag("endautoescape")
            return .with([], body)
        case "break", "continue":
            _ = advance()
            guard loopDepth > 0 else { throw fail("'\(name.text)' outside a for loop", name) }
            try expectBlockEnd("after '\(name.text)'")
            return name.text == "break" ? .breakLoop : .continueLoop
        default:
            if let tag = env.customTags[name.text] { return try parseCustom(tag) }
            throw fail("unknown statement '\(name.text)'", name)
        }
    }

    mutating func parseFor() throws -> Stmt {
        let pos = advance().position
        // The target and iterable are resolved before the body's scope opens.
        let targetStart = k
        try skipTarget()
        guard isName("in") else { throw fail("expected 'in' after the for loop's variables, found \(current.described)") }
        _ = advance()
        let iterable = Parser.folded(try parseTuple(allowConditional: false))
        var condition: Expr? = nil
        scope.push()
        let firstSlot = scope.slotCount
        let afterIterable = k
        k = targetStart
        let target = try parseAssignTarget()
        k = afterIterable
        if isName("if") {
            _ = advance()
            condition = try parseExpression()
        }
        let loop = ForLoop(target: target, iterable: iterable, condition: condition, position: pos)
        if isName("recursive") { _ = advance(); loop.recursive = true }
        try expectBlockEnd("after the for loop")
        let loopSlot = scope.declare("loop")
        scope.read.remove(loopSlot)
        loopDepth += 1
        loop.body = try parseBody(until: ["endfor", "else"])
        loopDepth -= 1
        if scope.read.contains(loopSlot) { loop.loopSlot = loopSlot }
        loop.ownSlots = firstSlot..<scope.slotCount
        scope.pop()
        if isName("else") {
            _ = advance()
            try expectBlockEnd("after 'else'")
            loop.elseBody = try parseBody(until: ["endfor"])
        }
        try closeTag("endfor")
        return .forLoop(loop)
    }

    /// Skips an assignment target (names, commas, parentheses) without resolving it.
    mutating func skipTarget() throws {
        var depth = 0
        while true {
            if current.kind == .name && !(depth == 0 && current.text == "in") { _ = advance(); continue }
            if isOp(",") { _ = advance(); continue }
            if isOp("(") { depth += 1; _ = advance(); continue }
            if isOp(")") && depth > 0 { depth -= 1; _ = advance(); continue }
            if isOp(".") { _ = advance(); continue }
            return
        }
    }

    /// `a`, `a, b`, `(a, b), c`, or `ns.attr`: declares the names in the innermost scope.
    mutating func parseAssignTarget() throws -> Target {
        let pos = current.position
        var items: [Target] = []
        var sawComma = false
        repeat {
            if isOp("(") {
                _ = advance()
                items.append(try parseAssignTarget())
                try expectOp(")", "after the parenthesised variables")
            } else {
                let name = try expectName("to assign to")
                if isOp(".") {
                    _ = advance()
                    let attr = try expectName("after '.'")
                    items.append(.attribute(.variable(scope.lookup(name), name, pos), attr, pos))
                } else {
                    if ["true", "false", "none", "True", "False", "None"].contains(name) { throw fail("cannot assign to '\(name)'") }
                    items.append(.slot(scope.declare(name), name))
                }
            }
            if isOp(",") { _ = advance(); sawComma = true } else { break }
        } while current.kind == .name || isOp("(")
        return items.count == 1 && !sawComma ? items[0] : .tuple(items, pos)
    }

    mutating func parseIf() throws -> Stmt {
        _ = advance()
        var branches: [(Expr, [Stmt])] = []
        var cond = try parseTuple()
        try expectBlockEnd("after the if condition")
        while true {
            let body = try parseBody(until: ["elif", "else", "endif"])
            branches.append((cond, body))
            if isName("elif") {
                _ = advance()
                cond = try parseTuple()
                try expectBlockEnd("after the elif condition")
                continue
            }
            if isName("else") {
                _ = advance()
                try expectBlockEnd("after 'else'")
                let elseBody = try parseBody(until: ["endif"])
                try closeTag("endif")
                return .ifChain(branches, elseBody)
            }
            try closeTag("endif")
            return .ifChain(branches, [])
        }
    }

    mutating func parseSet() throws -> Stmt {
        let pos = advance().position
        let targetStart = k
        try skipTarget()
        if isOp("=") {
            _ = advance()
            let value = try parseTuple()
            try expectBlockEnd("after the set expression")
            let after = k
            k = targetStart
            let target = try parseAssignTarget()
            k = after
            return .set(target, value)
        }
        // Block set: {% set x %}...{% endset %}, with optional filters.
        k = targetStart
        let name = try expectName("after 'set'")
        var filters: [FilterCall] = []
        if isOp("|") {
            _ = advance()
            filters = try parseFilterCalls()
        }
        try expectBlockEnd("after the set name")
        let body = try parseBody(until: ["endset"])
        try closeTag("endset")
        return .setBlock(.slot(scope.declare(name), name), body, filters, pos)
    }

    mutating func parseMacro() throws -> Stmt {
        let pos = advance().position
        let name = try expectName("after 'macro'")
        let slot = scope.declare(name)
        let def = MacroDefinition(name: name, position: pos)
        let outer = scope
        scope = FrameScope(parent: outer, macro: def)
        try parseSignature(def)
        try expectBlockEnd("after the macro signature")
        let savedLoops = loopDepth
        loopDepth = 0
        def.body = try parseBody(until: ["endmacro"])
        loopDepth = savedLoops
        def.slotCount = scope.slotCount
        scope = outer
        try closeTag("endmacro", allowName: true)
        return .macro(slot, def)
    }

    /// `(a, b=1, c='x')`: parameters declared in the macro's frame, defaults compiled there.
    mutating func parseSignature(_ def: MacroDefinition) throws {
        guard isOp("(") else {
            if def.name == "caller" { return }
            throw fail("expected '(' after the macro name, found \(current.described)")
        }
        _ = advance()
        while !isOp(")") {
            let p = try expectName("as a macro parameter")
            var d: Expr? = nil
            if isOp("=") { _ = advance(); d = try parseExpression() }
            else if def.defaults.contains(where: { $0 != nil }) { throw fail("parameter '\(p)' without a default follows one with a default") }
            def.parameters.append(p)
            def.defaults.append(d)
            def.parameterSlots.append(scope.declare(p))
            if isOp(",") { _ = advance() } else { break }
        }
        try expectOp(")", "after the macro parameters")
    }

    mutating func parseCallBlock() throws -> Stmt {
        let pos = advance().position
        let def = MacroDefinition(name: "caller", position: pos)
        let outer = scope
        scope = FrameScope(parent: outer, macro: def)
        if isOp("(") { try parseSignature(def) }
        let callerScope = scope
        scope = outer
        let call = try parseExpression()
        guard case .call = call else { throw fail("expected a macro call after 'call'") }
        try expectBlockEnd("after the call expression")
        scope = callerScope
        def.body = try parseBody(until: ["endcall"])
        def.slotCount = scope.slotCount
        scope = outer
        try closeTag("endcall")
        return .callBlock(call, def, pos)
    }

    /// A template name: a string literal (or a list of them: the first that exists).
    mutating func parseTemplateName(_ what: String) throws -> [String] {
        if current.kind == .string { return [advance().text] }
        if isOp("[") {
            _ = advance()
            var names: [String] = []
            while current.kind == .string {
                names.append(advance().text)
                if isOp(",") { _ = advance() } else { break }
            }
            try expectOp("]", "after the template names")
            if !names.isEmpty { return names }
        }
        throw fail("expected a template name in quotes after '\(what)', found \(current.described)")
    }

    /// Loads a template referenced by this one (errors point at the referencing statement).
    mutating func load(_ names: [String], at t: Token, ignoreMissing: Bool = false) throws -> CompiledTemplate? {
        var last: TemplateError?
        for n in names {
            do { return try env.template(named: n) } catch let e as TemplateError {
                if e.message == "template not found" { last = e; continue }
                throw e
            }
        }
        if ignoreMissing { return nil }
        _ = last
        throw TemplateError(t.position, "template '\(names.joined(separator: "', '"))' not found")
    }

    /// Binds the included template's globals to what this scope sees under the same names.
    mutating func bindings(_ t: CompiledTemplate, withContext: Bool) -> [Expr] {
        t.globalNames.map { name in
            withContext ? Expr.variable(scope.lookup(name), name, SourcePosition()) : Expr.variable(.global(-1), name, SourcePosition())
        }
    }

    /// `with context` / `without context` after an include or import.
    mutating func parseContextModifier(default d: Bool) throws -> Bool {
        if (isName("with") || isName("without")) && peek().kind == .name && peek().text == "context" {
            let with = advance().text == "with"
            _ = advance()
            return with
        }
        return d
    }

    mutating func parseInclude() throws -> Stmt {
        let t = advance()
        let nameStart = current
        let nameExpr = try parseExpression()
        var ignore = false
        if isName("ignore") && peek().kind == .name && peek().text == "missing" { _ = advance(); _ = advance(); ignore = true }
        let withContext = try parseContextModifier(default: true)
        try expectBlockEnd("after the include")
        guard let names = Parser.literalNames(nameExpr) else {
            // A name known only when it runs: the template is loaded then.
            let dynamic = DynamicInclude(name: nameExpr, withContext: withContext, visible: scope.visibleNames(), includer: template)
            return .include(IncludeStep(template: nil, bindings: [], ignoreMissing: ignore, position: t.position, dynamic: dynamic))
        }
        if names.isEmpty { throw fail("expected a template name after 'include', found an empty list", nameStart) }
        let included = try load(names, at: t, ignoreMissing: ignore)
        let b = included.map { bindings($0, withContext: withContext) } ?? []
        return .include(IncludeStep(template: included, bindings: b, ignoreMissing: ignore, position: t.position))
    }

    /// The template names of a string literal or a literal list or tuple of strings; nil otherwise.
    static func literalNames(_ e: Expr) -> [String]? {
        func names(_ values: [Value]) -> [String]? {
            var out: [String] = []
            for v in values { guard case .string(let s) = v else { return nil }; out.append(s) }
            return out
        }
        switch e {
        case .constant(.string(let s)): return [s]
        case .constant(.tuple(let vs)): return names(vs)
        case .constant(.list(let l)): return names(l.items)
        case .list(let items), .tuple(let items):
            var out: [String] = []
            for x in items { guard case .constant(.string(let s)) = x else { return nil }; out.append(s) }
            return out
        default: return nil
        }
    }

    mutating func parseImport() throws -> Stmt {
        let t = advance()
        let names = try parseTemplateName("import")
        guard isName("as") else { throw fail("expected 'as' after the imported template's name, found \(current.described)") }
        _ = advance()
        let alias = try expectName("after 'as'")
        let withContext = try parseContextModifier(default: false)
        try expectBlockEnd("after the import")
        let module = try load(names, at: t)!
        let step = ImportStep(template: module, withContext: withContext, bindings: bindings(module, withContext: withContext), position: t.position)
        return .importModule(scope.declare(alias), step)
    }

    mutating func parseFromImport() throws -> Stmt {
        let t = advance()
        let names = try parseTemplateName("from")
        guard isName("import") else { throw fail("expected 'import' after the template's name, found \(current.described)") }
        _ = advance()
        var imported: [(String, String, SourcePosition)] = []
        var withContext = false
        while current.kind == .name {
            if (isName("with") || isName("without")) && peek().kind == .name && peek().text == "context" {
                withContext = try parseContextModifier(default: false)
                break
            }
            let p = current.position
            let name = advance().text
            var alias = name
            if isName("as") { _ = advance(); alias = try expectName("after 'as'") }
            imported.append((name, alias, p))
            if isOp(",") { _ = advance() } else {
                withContext = try parseContextModifier(default: false)
                break
            }
        }
        try expectBlockEnd("after the imported names")
        let module = try load(names, at: t)!
        for (name, _, p) in imported where module.exports[name] == nil {
            throw TemplateError(p, "template '\(module.name)' does not export '\(name)'")
        }
        let step = ImportStep(template: module, withContext: withContext, bindings: bindings(module, withContext: withContext), position: t.position)
        return .fromImport(step, imported.map { ($0.0, scope.declare($0.1), $0.2) })
    }

    /// `{% block name [scoped] [required] %}...{% endblock [name] %}`. A block that is not
    /// scoped sees the template's top-level variables only, not those of the loops around it.
    mutating func parseBlock() throws -> Stmt {
        let begin = advance()
        let name = try expectName("after 'block'")
        let block = BlockDefinition(name: name, position: begin.position)
        if isName("scoped") { _ = advance(); block.scoped = true }
        if isName("required") { _ = advance(); block.required = true }
        if isOp("-") { throw fail("block names may not contain hyphens, use an underscore instead") }
        try expectBlockEnd("after the block name")
        if template.blocks[name] != nil { throw fail("block '\(name)' defined twice", begin) }
        template.blocks[name] = block
        let enclosing = scope.blocks
        if block.scoped {
            // The top level of a template is the context every block sees anyway.
            for b in (scope.parent == nil ? enclosing.dropFirst() : enclosing[...]) {
                for (n, s) in b where !block.scopedLocals.contains(where: { $0.0 == n }) { block.scopedLocals.append((n, .local(s))) }
            }
            block.scopedLocals.sort { $0.0 < $1.0 }
        } else {
            scope.blocks = [enclosing[0]]
        }
        scope.push()
        // `super()` renders the parent template's version of the block.
        let superSlot = scope.declare("super")
        scope.read.remove(superSlot)
        let bodyStart = k
        block.body = try parseBody(until: ["endblock"])
        if scope.read.contains(superSlot) { block.superSlot = superSlot }
        scope.pop()
        if !block.scoped {
            var restored = enclosing
            restored[0] = scope.blocks[0]
            scope.blocks = restored
        }
        if block.required {
            // Only whitespace and comments: the lexer dropped the comments, so only data tokens.
            for t in tokens[bodyStart..<k - 1] where t.kind != .data || !t.text.allSatisfy(\.isWhitespace) {
                throw TemplateError(t.position, "required block '\(name)' can only contain comments or whitespace")
            }
        }
        guard isName("endblock") else { throw fail("expected 'endblock', found \(current.described)") }
        _ = advance()
        if current.kind == .name {
            guard current.text == name else { throw fail("'endblock \(current.text)' closes block '\(name)'") }
            _ = advance()
        }
        try expectBlockEnd("after 'endblock'")
        return .block(block)
    }

    mutating func parseExtends() throws -> Stmt? {
        let t = advance()
        let names = try parseTemplateName("extends")
        try expectBlockEnd("after the extends")
        if extends != nil { throw TemplateError(t.position, "a template can extend only one template") }
        let parent = try load(names, at: t)!
        extends = ExtendsStep(parent: parent, bindings: bindings(parent, withContext: true))
        return nil
    }

    mutating func parseWith() throws -> Stmt {
        _ = advance()
        var values: [(String, Expr)] = []
        while current.kind == .name {
            let n = advance().text
            try expectOp("=", "after '\(n)' in with")
            values.append((n, try parseExpression()))
            if isOp(",") { _ = advance() } else { break }
        }
        try expectBlockEnd("after 'with'")
        scope.push()
        let assigned = values.map { (scope.declare($0.0), $0.1) }
        let body = try parseBody(until: ["endwith"])
        scope.pop()
        try closeTag("endwith")
        return .with(assigned, body)
    }

    mutating func parseFilterBlock() throws -> Stmt {
        let pos = advance().position
        let filters = try parseFilterCalls()
        try expectBlockEnd("after the filter")
        let body = try parseBody(until: ["endfilter"])
        try closeTag("endfilter")
        return .filterBlock(filters, body, pos)
    }

    /// `f`, `f(args)`, `f | g(args)`: the filters of a `filter` block or a block `set`.
    mutating func parseFilterCalls() throws -> [FilterCall] {
        var calls: [FilterCall] = []
        repeat {
            if !calls.isEmpty { _ = advance() }
            let t = current
            let fname = try expectName("as a filter name")
            guard let f = Filter.named(fname) else { throw TemplateError(t.position, "no filter named '\(fname)'") }
            var args: [Expr] = [], kwargs: [(String, Expr)] = []
            if isOp("(") { (args, kwargs) = try parseCallArguments() }
            calls.append(FilterCall(filter: f, arguments: args, keywords: kwargs, position: t.position))
        } while isOp("|")
        return calls
    }

    mutating func parseCustom(_ tag: CustomTag) throws -> Stmt {
        let pos = advance().position
        var args: [Expr] = [], kwargs: [(String, Expr)] = []
        while current.kind != .blockEnd {
            if !args.isEmpty || !kwargs.isEmpty { try expectOp(",", "between the arguments of '\(tag.name)'") }
            if current.kind == .name, peek().kind == .op, peek().text == "=" {
                let n = advance().text
                _ = advance()
                kwargs.append((n, try parseExpression()))
            } else {
                if !kwargs.isEmpty { throw fail("positional argument after keyword arguments in '\(tag.name)'") }
                args.append(try parseExpression())
            }
        }
        try expectBlockEnd("after '\(tag.name)'")
        let slots = tag.outputs.map { scope.declare($0) }
        return .custom(CustomStep(tag: tag, arguments: args, keywords: kwargs, outputSlots: slots, position: pos))
    }

    // MARK: constant folding

    /// A literal of scalar constants as one constant value, where no one can mutate it: as the
    /// operand of a filter, a subscript, `in`, or a for loop (tuples anywhere: they are immutable).
    static func folded(_ e: Expr) -> Expr {
        func scalar(_ x: Expr) -> Value? {
            guard case .constant(let v) = x else { return nil }
            switch v {
            case .none, .bool, .int, .float, .string: return v
            default: return nil
            }
        }
        switch e {
        case .list(let items):
            let vs = items.compactMap(scalar)
            return vs.count == items.count ? .constant(.list(ListRef(vs))) : e
        case .tuple(let items):
            let vs = items.compactMap(scalar)
            return vs.count == items.count ? .constant(.tuple(vs)) : e
        case .dict(let pairs):
            let d = DictRef()
            for (k, v) in pairs {
                guard let kv = scalar(k), let vv = scalar(v) else { return e }
                d[kv] = vv
            }
            return .constant(.dict(d))
        default: return e
        }
    }

    /// Filters that may return their operand itself (so a folded literal could escape).
    static let passThroughFilters: Set<Filter> = [.default, .safe, .attr]

    // MARK: expressions

    /// An expression, or a tuple of them when separated by commas.
    mutating func parseTuple(allowConditional: Bool = true) throws -> Expr {
        let first = allowConditional ? try parseExpression() : try parseOr()
        guard isOp(",") else { return first }
        var items = [first]
        while isOp(",") {
            _ = advance()
            if current.kind == .blockEnd || current.kind == .variableEnd || isOp(")") || isName("if") { break }
            items.append(allowConditional ? try parseExpression() : try parseOr())
        }
        return .tuple(items)
    }

    mutating func parseExpression() throws -> Expr {
        let value = try parseOr()
        guard isName("if") else { return value }
        _ = advance()
        let cond = try parseOr()
        var other: Expr? = nil
        if isName("else") { _ = advance(); other = try parseExpression() }
        return .conditional(cond, value, other)
    }

    mutating func parseOr() throws -> Expr {
        var left = try parseAnd()
        while isName("or") { _ = advance(); left = .or(left, try parseAnd()) }
        return left
    }

    mutating func parseAnd() throws -> Expr {
        var left = try parseNot()
        while isName("and") { _ = advance(); left = .and(left, try parseNot()) }
        return left
    }

    mutating func parseNot() throws -> Expr {
        if isName("not") { _ = advance(); return .not(try parseNot()) }
        return try parseCompare()
    }

    mutating func parseCompare() throws -> Expr {
        let pos = current.position
        let left = try parseMath1()
        var ops: [(CompareOp, Expr)] = []
        while true {
            let op: CompareOp
            if current.kind == .op {
                switch current.text {
                case "==": op = .eq
                case "!=": op = .ne
                case "<": op = .lt
                case "<=": op = .le
                case ">": op = .gt
                case ">=": op = .ge
                default: return ops.isEmpty ? left : .compare(left, ops, pos)
                }
                _ = advance()
            } else if isName("in") {
                _ = advance(); op = .isIn
            } else if isName("not"), peek().kind == .name, peek().text == "in" {
                _ = advance(); _ = advance(); op = .notIn
            } else {
                return ops.isEmpty ? left : .compare(left, ops, pos)
            }
            let right = try parseMath1()
            ops.append((op, op == .isIn || op == .notIn ? Parser.folded(right) : right))
        }
    }

    mutating func parseMath1() throws -> Expr {
        var left = try parseConcat()
        while current.kind == .op && (current.text == "+" || current.text == "-") {
            let t = advance()
            let right = try parseConcat()
            left = .binary(t.text == "+" ? .add : .sub, left, right, t.position)
        }
        return left
    }

    mutating func parseConcat() throws -> Expr {
        var left = try parseMath2()
        while isOp("~") {
            let t = advance()
            left = .binary(.concat, left, try parseMath2(), t.position)
        }
        return left
    }

    mutating func parseMath2() throws -> Expr {
        var left = try parsePow()
        while current.kind == .op, let op = ["*": BinaryOp.mul, "/": .div, "//": .floordiv, "%": .mod][current.text] {
            let t = advance()
            left = .binary(op, left, try parsePow(), t.position)
        }
        return left
    }

    mutating func parsePow() throws -> Expr {
        var left = try parseUnary(withFilter: true)
        while isOp("**") {
            let t = advance()
            left = .binary(.pow, left, try parseUnary(withFilter: true), t.position)
        }
        return left
    }

    mutating func parseUnary(withFilter: Bool) throws -> Expr {
        var node: Expr
        if isOp("-") {
            let t = advance()
            node = .negate(try parseUnary(withFilter: false), t.position)
        } else if isOp("+") {
            let t = advance()
            node = .plus(try parseUnary(withFilter: false), t.position)
        } else {
            node = try parsePrimary()
        }
        node = try parsePostfix(node)
        if withFilter { node = try parseFilterExpression(node) }
        return node
    }

    mutating func parsePrimary() throws -> Expr {
        let t = current
        switch t.kind {
        case .name:
            _ = advance()
            switch t.text {
            case "true", "True": return .constant(.bool(true))
            case "false", "False": return .constant(.bool(false))
            case "none", "None": return .constant(.none)
            case "self" where !scope.declares("self"): return .selfReference(t.position)
            default: return .variable(scope.lookup(t.text), t.text, t.position)
            }
        case .string:
            var s = advance().text
            while current.kind == .string { s += advance().text }
            return .constant(.string(s))
        case .int: _ = advance(); return .constant(t.big.map(Value.bigint) ?? .int(t.int))
        case .float: _ = advance(); return .constant(.float(t.float))
        case .op:
            switch t.text {
            case "(":
                _ = advance()
                if isOp(")") { _ = advance(); return .constant(.tuple([])) }
                let e = try parseTuple()
                try expectOp(")", "to close the '(' at \(t.position.line):\(t.position.column)")
                if case .tuple = e { return Parser.folded(e) }
                return e
            case "[":
                _ = advance()
                var items: [Expr] = []
                while !isOp("]") {
                    items.append(try parseExpression())
                    if isOp(",") { _ = advance() } else { break }
                }
                try expectOp("]", "to close the list")
                return .list(items)
            case "{":
                _ = advance()
                var pairs: [(Expr, Expr)] = []
                while !isOp("}") {
                    let key = try parseExpression()
                    try expectOp(":", "after a dict key")
                    pairs.append((key, try parseExpression()))
                    if isOp(",") { _ = advance() } else { break }
                }
                try expectOp("}", "to close the dict")
                return .dict(pairs)
            default: break
            }
        default: break
        }
        throw fail("expected an expression, found \(t.described)")
    }

    mutating func parsePostfix(_ start: Expr) throws -> Expr {
        var node = start
        while true {
            if isOp(".") {
                let t = advance()
                if current.kind == .int {
                    let k = advance()
                    node = .item(node, .constant(k.big.map(Value.bigint) ?? .int(k.int)), t.position)
                    continue
                }
                let name = try expectName("after '.'")
                if isOp("(") {
                    let (args, kwargs) = try parseCallArguments()
                    node = .method(node, name, args, kwargs, t.position)
                    continue
                }
                if case .variable(let ref, "loop", _) = node, let f = Parser.loopFields[name] {
                    node = .loopField(ref, f, t.position)
                } else {
                    node = .attribute(node, name, t.position)
                }
            } else if isOp("[") {
                let t = advance()
                node = try parseSubscript(Parser.folded(node), t.position)
            } else if isOp("(") {
                let t = current
                let (args, kwargs) = try parseCallArguments()
                if case .variable(let ref, "loop", _) = node, !ref.isGlobal {
                    // `loop(items)` in a recursive loop: the loop state runs the body again.
                    node = .method(node, LoopState.recurseMethod, args, kwargs, t.position)
                } else {
                    node = .call(node, args, kwargs, t.position)
                }
            } else {
                return node
            }
        }
    }

    static let loopFields: [String: LoopField] = [
        "index": .index, "index0": .index0, "revindex": .revindex, "revindex0": .revindex0,
        "first": .first, "last": .last, "length": .length, "depth": .depth, "depth0": .depth0,
    ]

    mutating func parseSubscript(_ base: Expr, _ pos: SourcePosition) throws -> Expr {
        var parts: [Expr?] = [nil]
        var isSlice = false
        if !isOp(":") { parts[0] = try parseExpression() }
        while isOp(":") {
            isSlice = true
            _ = advance()
            if isOp(":") || isOp("]") { parts.append(nil) } else { parts.append(try parseExpression()) }
        }
        if !isSlice && parts[0] == nil { throw fail("expected an expression in the subscript, found \(current.described)") }
        if isOp(","), let first = parts[0] {
            var items: [Expr] = [first]
            while isOp(",") { _ = advance(); if isOp("]") { break }; items.append(try parseExpression()) }
            parts[0] = .tuple(items)
        }
        try expectOp("]", "to close the subscript")
        if !isSlice, let key = parts[0] { return .item(base, key, pos) }
        guard parts.count <= 3 else { throw TemplateError(pos, "a slice takes at most start:stop:step") }
        return .slice(base, parts[0], parts.count > 1 ? parts[1] : nil, parts.count > 2 ? parts[2] : nil, pos)
    }

    mutating func parseCallArguments() throws -> ([Expr], [(String, Expr)]) {
        try expectOp("(", "before the arguments")
        var args: [Expr] = []
        var kwargs: [(String, Expr)] = []
        while !isOp(")") {
            if current.kind == .name, peek().kind == .op, peek().text == "=" {
                let n = advance().text
                _ = advance()
                kwargs.append((n, try parseExpression()))
            } else {
                if !kwargs.isEmpty { throw fail("positional argument after keyword arguments") }
                args.append(try parseExpression())
            }
            if isOp(",") { _ = advance() } else { break }
        }
        try expectOp(")", "after the arguments")
        return (args, kwargs)
    }

    mutating func parseFilterExpression(_ start: Expr) throws -> Expr {
        var node = start
        while true {
            if isOp("|") {
                let t = advance()
                var fname = try expectName("after '|'")
                while isOp(".") { _ = advance(); fname += "." + (try expectName("after '.'")) }
                guard let f = Filter.named(fname) else { throw TemplateError(t.position, "no filter named '\(fname)'") }
                var args: [Expr] = [], kwargs: [(String, Expr)] = []
                if isOp("(") { (args, kwargs) = try parseCallArguments() }
                node = .filter(f, Parser.passThroughFilters.contains(f) ? node : Parser.folded(node), args, kwargs, t.position)
            } else if isName("is") {
                let t = advance()
                var negated = false
                if isName("not") { _ = advance(); negated = true }
                let tname: String
                if current.kind == .name { tname = advance().text }
                else if current.kind == .op, ["==", "!=", "<", "<=", ">", ">="].contains(current.text) { tname = advance().text }
                else { throw fail("expected a test name after 'is', found \(current.described)") }
                guard let test = Test.named(tname) else { throw TemplateError(t.position, "no test named '\(tname)'") }
                var args: [Expr] = []
                if isOp("(") {
                    let (a, kw) = try parseCallArguments()
                    args = a + kw.map { $0.1 }
                } else if [.name, .string, .int, .float].contains(current.kind) || isOp("[") || isOp("{") || isOp("(") || isOp("-") {
                    if !(current.kind == .name && ["else", "or", "and", "if", "is", "in", "not"].contains(current.text)) {
                        args = [try parsePostfix(try parsePrimary())]
                    }
                }
                node = .test(test, node, args, negated, t.position)
            } else if isOp("(") {
                let t = current
                let (args, kwargs) = try parseCallArguments()
                node = .call(node, args, kwargs, t.position)
            } else {
                return node
            }
        }
    }
}
