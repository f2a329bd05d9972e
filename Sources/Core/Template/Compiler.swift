import Foundation

/// Name resolution while compiling: a frame (a template's top level or a macro body) with a stack
/// of block scopes. A name read resolves to the innermost scope that has declared it so far, then
/// to enclosing frames, then to the template's globals; an assignment declares it in the
/// innermost block scope. So `set` inside a `for` body does not leak out, as in Jinja.
final class FrameScope {
    let parent: FrameScope?
    var blocks: [[String: Int]] = [[:]]
    var slotCount = 0
    /// The macro being compiled in this frame, for its implicit `caller`, `varargs`, `kwargs`.
    let macro: MacroDefinition?
    /// The top frame's global names.
    var globalNames: [String] = []
    var globalIndex: [String: Int] = [:]
    /// Slots that were read (to know whether a loop uses `loop`).
    var read: Set<Int> = []

    init(parent: FrameScope?, macro: MacroDefinition?) {
        self.parent = parent
        self.macro = macro
    }

    var top: FrameScope { parent?.top ?? self }

    /// Declares `name` in the innermost block scope (a new slot unless already there).
    func declare(_ name: String) -> Int {
        if let s = blocks[blocks.count - 1][name] { return s }
        let s = slotCount
        slotCount += 1
        blocks[blocks.count - 1][name] = s
        return s
    }

    /// A fresh slot no name refers to.
    func anonymous() -> Int {
        let s = slotCount
        slotCount += 1
        return s
    }

    func push() { blocks.append([:]) }
    func pop() { blocks.removeLast() }

    /// Where `name` lives, as seen from this frame.
    func lookup(_ name: String) -> VarRef {
        var frame: FrameScope? = self
        var depth = 0
        while let f = frame {
            for b in f.blocks.reversed() {
                if let s = b[name] {
                    if depth == 0 { read.insert(s) }
                    return depth == 0 ? .local(s) : .outer(depth, s)
                }
            }
            if let m = f.macro {
                switch name {
                case "caller", "varargs", "kwargs":
                    let s = f.anonymous()
                    f.blocks[0][name] = s
                    if name == "caller" { m.callerSlot = s } else if name == "varargs" { m.varargsSlot = s } else { m.kwargsSlot = s }
                    return depth == 0 ? .local(s) : .outer(depth, s)
                default: break
                }
            }
            frame = f.parent
            depth += 1
        }
        return .global(top.global(name))
    }

    /// True when `name` is a variable declared in this frame or an enclosing one (not a global).
    func declares(_ name: String) -> Bool {
        var frame: FrameScope? = self
        while let f = frame {
            for b in f.blocks where b[name] != nil { return true }
            frame = f.parent
        }
        return false
    }

    /// Every variable this frame sees so far, by name (the innermost declaration wins), for a
    /// dynamic `include`, whose template's names are known only when it runs.
    func visibleNames() -> [String: VarRef] {
        var out: [String: VarRef] = [:]
        var frame: FrameScope? = self
        var depth = 0
        while let f = frame {
            for b in f.blocks.reversed() {
                for (name, s) in b where out[name] == nil { out[name] = depth == 0 ? .local(s) : .outer(depth, s) }
            }
            frame = f.parent
            depth += 1
        }
        return out
    }

    func global(_ name: String) -> Int {
        if let g = globalIndex[name] { return g }
        let g = globalNames.count
        globalNames.append(name)
        globalIndex[name] = g
        return g
    }
}

/// A set of templates loaded from one place, compiled once: syntax options, custom tags, the
/// environment globals (what imports without context see), and the cache of imported modules.
public final class TemplateEnvironment {
    public let syntax: TemplateSyntax
    /// Reads a template's source by name; nil when there is none.
    let loader: (String) throws -> [UInt8]?
    var templates: [String: CompiledTemplate] = [:]
    /// The templates loaded so far, in the order they were first read.
    public private(set) var names: [String] = []
    var compiling: Set<String> = []
    var customTags: [String: CustomTag] = [:]
    /// Values every template can read (and the only ones imports without context see).
    public var globals: [String: Value] = [:]
    /// Put before template names in messages (the template directory as the user wrote it).
    public var displayPrefix = ""
    /// Modules imported without context, evaluated once until `resetModules()`.
    var moduleCache: [Int32: Value] = [:]

    /// An environment reading templates through `loader` (name → bytes, nil if absent).
    public init(syntax: TemplateSyntax = TemplateSyntax(), loader: @escaping (String) throws -> [UInt8]?) {
        self.syntax = syntax
        self.loader = loader
        GlobalFunctions.install(in: self)
    }

    /// An environment reading templates from the directories `searchPath`, in order.
    public convenience init(directories searchPath: [String], syntax: TemplateSyntax = TemplateSyntax()) {
        self.init(syntax: syntax) { name in
            if name.hasPrefix("/") || name.split(separator: "/").contains("..") {
                if name.hasPrefix("/"), FileManager.default.isReadableFile(atPath: name) { return try FileDescriptor.readAll(path: name) }
                return nil
            }
            for dir in searchPath {
                let path = (dir as NSString).appendingPathComponent(name)
                var isDir: ObjCBool = false
                if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), !isDir.boolValue {
                    return try FileDescriptor.readAll(path: path)
                }
            }
            return nil
        }
    }

    /// Adds a statement tag such as eventgen's `time_now`.
    public func addTag(_ tag: CustomTag) { customTags[tag.name] = tag }

    /// Forgets imported modules, so the next render evaluates them again.
    public func resetModules() { moduleCache.removeAll(keepingCapacity: true) }

    /// The file name of template number `index`.
    public func name(of index: Int32) -> String { index >= 0 && Int(index) < names.count ? names[Int(index)] : "<template>" }

    /// Fills in the file name of an error's template.
    public func located(_ e: TemplateError) -> TemplateError {
        var e = e
        if e.file.isEmpty { e.file = displayPrefix + name(of: e.position.template) }
        else if !displayPrefix.isEmpty && !e.file.hasPrefix("/") && !e.file.hasPrefix(displayPrefix) { e.file = displayPrefix + e.file }
        return e
    }

    /// The compiled template `name`, loading and compiling it (and what it includes) on first use.
    public func template(named name: String) throws -> CompiledTemplate {
        guard let t = try templateIfExists(named: name) else { throw TemplateError(SourcePosition(), "template not found", file: name) }
        return t
    }

    /// The compiled template `name`, or nil when there is no such template (a compile error
    /// still throws).
    public func templateIfExists(named name: String) throws -> CompiledTemplate? {
        if let t = templates[name] { return t }
        let source: [UInt8]?
        do { source = try loader(name) } catch { throw TemplateError(SourcePosition(), "cannot read template: \(error)", file: name) }
        guard let source else { return nil }
        return try compile(source, name: name)
    }

    /// Compiles `source` as template `name` (cached under that name).
    public func compile(_ source: [UInt8], name: String) throws -> CompiledTemplate {
        if compiling.contains(name) { throw TemplateError(SourcePosition(), "template includes or imports itself", file: name) }
        compiling.insert(name)
        defer { compiling.remove(name) }
        let index = Int32(names.count)
        names.append(name)
        let t = CompiledTemplate(name: name, index: index)
        do {
            let tokens = try Lexer.tokenize(source, syntax: syntax, template: index)
            var parser = Parser(tokens: tokens, environment: self, template: t)
            try parser.parseTemplate()
        } catch let e as TemplateError {
            throw located(e)
        }
        templates[name] = t
        return t
    }

    /// Compiles template text given directly (tests, `--template` with inline text).
    public func compile(_ text: String, name: String = "<string>") throws -> CompiledTemplate {
        try compile(Array(text.utf8), name: name)
    }
}
