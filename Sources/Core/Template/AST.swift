/// The compiled form of a template: statements over literal byte runs and expressions whose
/// variables are already resolved to frame slots, filters and tests to their functions.

/// Where a variable lives: a slot of the current frame, of an enclosing frame, or of the
/// template's globals (the render context).
enum VarRef {
    case local(Int)
    case outer(Int, Int)
    case global(Int)

    var isGlobal: Bool { if case .global = self { return true }; return false }
}

/// Binary operators.
enum BinaryOp { case add, sub, mul, div, floordiv, mod, pow, concat }

/// Comparison operators.
enum CompareOp { case eq, ne, lt, le, gt, ge, isIn, notIn }

/// An expression.
indirect enum Expr {
    case constant(Value)
    case variable(VarRef, String, SourcePosition)
    case list([Expr])
    case tuple([Expr])
    case dict([(Expr, Expr)])
    case attribute(Expr, String, SourcePosition)
    case item(Expr, Expr, SourcePosition)
    case slice(Expr, Expr?, Expr?, Expr?, SourcePosition)
    case call(Expr, [Expr], [(String, Expr)], SourcePosition)
    case method(Expr, String, [Expr], [(String, Expr)], SourcePosition)
    case filter(Filter, Expr, [Expr], [(String, Expr)], SourcePosition)
    case test(Test, Expr, [Expr], Bool, SourcePosition)
    case binary(BinaryOp, Expr, Expr, SourcePosition)
    case negate(Expr, SourcePosition)
    case plus(Expr, SourcePosition)
    case not(Expr)
    case and(Expr, Expr)
    case or(Expr, Expr)
    case compare(Expr, [(CompareOp, Expr)], SourcePosition)
    case conditional(Expr, Expr, Expr?)
    /// `loop.index` and friends, read straight from the loop state.
    case loopField(VarRef, LoopField, SourcePosition)
    /// `caller()` inside a macro called by a `call` block, and other special calls.
    case macroCall(Expr, [Expr], [(String, Expr)], SourcePosition)
    /// `self` (unless a variable of that name is in scope): the rendered template's blocks,
    /// `self.name()` renders block `name` as the most derived template defines it.
    case selfReference(SourcePosition)
}

extension Expr {
    /// Whether this is a `~`.
    var isConcatenation: Bool { if case .binary(.concat, _, _, _) = self { return true }; return false }

    /// Where the expression is, for an error found after evaluating it (that of its first
    /// located part; none for a constant).
    var position: SourcePosition {
        switch self {
        case .variable(_, _, let p), .attribute(_, _, let p), .item(_, _, let p), .slice(_, _, _, _, let p),
             .call(_, _, _, let p), .method(_, _, _, _, let p), .filter(_, _, _, _, let p), .test(_, _, _, _, let p),
             .binary(_, _, _, let p), .negate(_, let p), .plus(_, let p), .compare(_, _, let p), .loopField(_, _, let p),
             .macroCall(_, _, _, let p), .selfReference(let p): return p
        case .list(let xs), .tuple(let xs): return xs.first?.position ?? SourcePosition()
        case .dict(let pairs): return pairs.first?.0.position ?? SourcePosition()
        case .not(let x), .and(let x, _), .or(let x, _), .conditional(let x, _, _): return x.position
        case .constant: return SourcePosition()
        }
    }
}

/// The fields of `loop` that compile to direct reads.
enum LoopField { case index, index0, revindex, revindex0, first, last, length, depth, depth0 }

/// An assignment target.
indirect enum Target {
    case slot(Int, String)
    case tuple([Target], SourcePosition)
    case attribute(Expr, String, SourcePosition)
}

/// A statement.
indirect enum Stmt {
    case text([UInt8])
    case output(Expr)
    /// Texts and outputs that follow one another, run as one statement.
    case run(OutputRun)
    case set(Target, Expr)
    case setBlock(Target, [Stmt], [FilterCall], SourcePosition)
    case expression(Expr)
    case ifChain([(Expr, [Stmt])], [Stmt])
    case forLoop(ForLoop)
    case breakLoop
    case continueLoop
    case macro(Int, MacroDefinition)
    case callBlock(Expr, MacroDefinition, SourcePosition)
    case include(IncludeStep)
    case importModule(Int, ImportStep)
    case fromImport(ImportStep, [(String, Int, SourcePosition)])
    case block(BlockDefinition)
    case extends(ExtendsStep)
    case with([(Int, Expr)], [Stmt])
    case custom(CustomStep)
    /// `{% filter f(args) | g %}...{% endfilter %}`: the body's text through the filters in order.
    case filterBlock([FilterCall], [Stmt], SourcePosition)
}

/// Literal texts and outputs that follow one another in a body (`text {{ e }} text {{ f }}`),
/// run as one statement: each part is a text (maybe empty), then an expression's output (maybe
/// none). The texts live in one allocation of the run's own, stable while it lives (what the
/// JSON compactor's notes of them need); a part is three integers, so walking the parts copies
/// no statement.
final class OutputRun {
    struct Part {
        let start: Int32
        let count: Int32
        /// The index in `exprs`, or -1.
        let expr: Int32
    }
    let text: UnsafeMutableBufferPointer<UInt8>
    let parts: [Part]
    let exprs: [Expr]

    init(text: [UInt8], parts: [Part], exprs: [Expr]) {
        self.text = .allocate(capacity: max(text.count, 1))
        _ = self.text.initialize(from: text)
        self.parts = parts
        self.exprs = exprs
    }

    deinit { text.deallocate() }

    /// The same run with each expression rewritten.
    func mapExpressions(_ transform: (Expr) -> Expr) -> OutputRun {
        OutputRun(text: Array(text), parts: parts, exprs: exprs.map(transform))
    }

    /// `stmts` with each stretch of two or more texts and outputs made one `.run`.
    static func grouped(_ stmts: [Stmt]) -> [Stmt] {
        var result: [Stmt] = []
        var stretch: [Stmt] = []
        func flush() {
            if stretch.count >= 2 { result.append(.run(OutputRun(stretch))) } else { result += stretch }
            stretch.removeAll()
        }
        for s in stmts {
            switch s {
            case .text, .output: stretch.append(s)
            default:
                flush()
                result.append(s)
            }
        }
        flush()
        return result
    }

    /// The run of a stretch of `.text` and `.output` statements.
    convenience init(_ stmts: [Stmt]) {
        var text: [UInt8] = [], parts: [Part] = [], exprs: [Expr] = []
        for s in stmts {
            switch s {
            case .text(let b):
                parts.append(Part(start: Int32(text.count), count: Int32(b.count), expr: -1))
                text += b
            case .output(let e):
                if let last = parts.last, last.expr < 0 {
                    parts[parts.count - 1] = Part(start: last.start, count: last.count, expr: Int32(exprs.count))
                } else {
                    parts.append(Part(start: Int32(text.count), count: 0, expr: Int32(exprs.count)))
                }
                exprs.append(e)
            default: break
            }
        }
        self.init(text: text, parts: parts, exprs: exprs)
    }
}

/// A `for` loop.
final class ForLoop {
    var target: Target
    var iterable: Expr
    var condition: Expr?
    var body: [Stmt] = []
    var elseBody: [Stmt] = []
    /// The slot of `loop`, when the body uses it.
    var loopSlot: Int?
    /// `recursive`: `loop(items)` runs the body again over `items`, one level deeper.
    var recursive = false
    /// The slots the loop's scope owns (target, `loop`, the body's sets): a recursive call
    /// saves and restores them, as Jinja's call gives each level its own variables.
    var ownSlots: Range<Int> = 0..<0
    var position: SourcePosition
    init(target: Target, iterable: Expr, condition: Expr?, position: SourcePosition) {
        self.target = target
        self.iterable = iterable
        self.condition = condition
        self.position = position
    }
}

/// A macro: parameters with defaults, body, and the frame layout of a call.
public final class MacroDefinition {
    public let name: String
    var parameters: [String] = []
    var parameterSlots: [Int] = []
    var defaults: [Expr?] = []
    var body: [Stmt] = []
    var slotCount = 0
    /// Slots of the implicit `caller`, `varargs` and `kwargs`, when the body uses them.
    var callerSlot: Int?
    var varargsSlot: Int?
    var kwargsSlot: Int?
    var position: SourcePosition
    init(name: String, position: SourcePosition) {
        self.name = name
        self.position = position
    }
}

/// A macro value: its definition and the frame it was defined in.
public final class MacroRef {
    public let definition: MacroDefinition
    let frame: Frame
    let globals: Globals
    init(_ definition: MacroDefinition, frame: Frame, globals: Globals) {
        self.definition = definition
        self.frame = frame
        self.globals = globals
    }
}

/// `include`: the included template and how its globals bind to the includer's variables.
/// A name that is not a string literal (a variable, a list meaning "the first that exists") is
/// `dynamic`: evaluated when it runs, the template loaded then, its globals bound through
/// `visible` (the names the include sees, as compiled) and the includer's own globals.
struct IncludeStep {
    var template: CompiledTemplate?
    var bindings: [Expr]
    var ignoreMissing: Bool
    var position: SourcePosition
    var dynamic: DynamicInclude? = nil
}

/// What a dynamic `include` needs at run time.
final class DynamicInclude {
    let name: Expr
    let withContext: Bool
    /// Variables in scope at the include, by name (the innermost wins).
    let visible: [String: VarRef]
    /// The template holding the include (its globals are the `Globals` the include runs with).
    unowned let includer: CompiledTemplate
    init(name: Expr, withContext: Bool, visible: [String: VarRef], includer: CompiledTemplate) {
        self.name = name
        self.withContext = withContext
        self.visible = visible
        self.includer = includer
    }
}

/// A filter applied by a `filter` block: the filter and its arguments.
struct FilterCall {
    var filter: Filter
    var arguments: [Expr]
    var keywords: [(String, Expr)]
    var position: SourcePosition
}

/// A `block`: its name, body, and the slot of `super` when the body calls it. A `scoped` block
/// also sees the variables of the loops and `with` blocks around it, and passes them to the
/// versions of it that extending templates define; a `required` one must be overridden.
final class BlockDefinition {
    let name: String
    var body: [Stmt] = []
    var superSlot: Int?
    var scoped = false
    var required = false
    /// For a scoped block: the enclosing loop and `with` variables, by name.
    var scopedLocals: [(String, VarRef)] = []
    let position: SourcePosition
    init(name: String, position: SourcePosition) {
        self.name = name
        self.position = position
    }
}

/// `import ... as m` / `from ... import`: the module template; with context, its bindings.
struct ImportStep {
    var template: CompiledTemplate
    var withContext: Bool
    var bindings: [Expr]
    var position: SourcePosition
}

/// `extends`: the parent template and how its globals bind to the child's variables.
struct ExtendsStep {
    var parent: CompiledTemplate
    var bindings: [Expr]
}

/// A statement an environment adds (eventgen's `time_now`, `time_slice`): evaluated arguments
/// in, values for its output slots out.
struct CustomStep {
    var tag: CustomTag
    var arguments: [Expr]
    var keywords: [(String, Expr)]
    var outputSlots: [Int]
    var position: SourcePosition
}

/// A custom statement tag: its name, the variables it sets, and what computes them.
public struct CustomTag {
    public var name: String
    public var outputs: [String]
    public var run: (inout CallArguments, RenderState) throws -> [Value]
    public init(name: String, outputs: [String], run: @escaping (inout CallArguments, RenderState) throws -> [Value]) {
        self.name = name
        self.outputs = outputs
        self.run = run
    }
}

/// A template after compilation: its statements, frame size, and global names (the variables it
/// reads from its context), with the names its top level exports to importers.
public final class CompiledTemplate {
    public let name: String
    let index: Int32
    var body: [Stmt] = []
    var slotCount = 0
    /// The context names the template reads, by global slot.
    public internal(set) var globalNames: [String] = []
    /// Top-level names (sets, macros, imports) and their slots, for `import`.
    var exports: [String: Int] = [:]
    /// Blocks defined in this template (for `extends` children).
    var blocks: [String: BlockDefinition] = [:]
    init(name: String, index: Int32) {
        self.name = name
        self.index = index
    }

    /// The global slot of context variable `name`, if the template reads it.
    public func globalSlot(_ name: String) -> Int? { globalNames.firstIndex(of: name) }
}
