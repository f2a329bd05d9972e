import Core
import Foundation

/// One Eventum generator read from its generator.yml: variables rendered, YAML parsed, every plugin
/// checked against `GeneratorSchema`, paths made absolute, samples counted, time patterns embedded.
/// `eventum` is what the stanza record carries (see eg-stream(5)).
struct LoadedGenerator {
    var name: String
    var file: String
    var dir: String
    var eventum: JSONValue
    /// `${params.x}` names the file uses, with whether a value was given.
    var params: [(name: String, given: Bool)] = []
    /// `${secrets.x}` names the file uses, with whether the environment or --secrets has them.
    var secrets: [(name: String, given: Bool)] = []
    /// The template params (defaults) that a given param replaced.
    var defaultsReplaced: [String] = []
    /// In --list mode, why the generator could not be checked completely (missing params).
    var problem: String?
}

/// Stand-ins for `${secrets.x}` while the YAML is parsed: plain words that are safe anywhere in YAML,
/// turned back into `${secrets.x}` afterwards, so that no secret value enters the stream; the tool
/// that needs a secret resolves it (`VariableSubstitution.resolveSecrets`).
struct SecretPlaceholders {
    var names: [String] = []

    mutating func placeholder(for name: String) -> String {
        if !names.contains(name) { names.append(name) }
        return "__eg_secret_\(names.firstIndex(of: name)!)__"
    }

    func restore(in node: YAMLNode) -> YAMLNode {
        if names.isEmpty { return node }
        var n = node
        switch node.value {
        case .string(var s):
            for (i, name) in names.enumerated() { s = s.replacingOccurrences(of: "__eg_secret_\(i)__", with: "${secrets.\(name)}") }
            n.value = .string(s)
        case .sequence(let items): n.value = .sequence(items.map(restore))
        case .mapping(let pairs): n.value = .mapping(pairs.map { YAMLPair(key: restore(in: $0.key), value: restore(in: $0.value)) })
        default: break
        }
        return n
    }
}

/// Reads generator.yml files into `LoadedGenerator`s; every error names file:line:col.
struct GeneratorLoader {
    let file: String
    let dir: String

    /// Loads one generator. In `listing` mode a missing variable is recorded, not thrown.
    static func load(_ path: String, params: GeneratorParams, listing: Bool = false) throws -> LoadedGenerator {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        let dir = (absolute as NSString).deletingLastPathComponent
        let loader = GeneratorLoader(file: path, dir: dir)
        let text = try YAML.readText(path)
        var seenParams: [(String, Bool)] = [], seenSecrets: [(String, Bool)] = []
        var secrets = SecretPlaceholders()
        let rendered = try VariableSubstitution.render(text, file: path) { ref in
            switch ref.scope {
            case .params:
                let v = params.text(ref.name)
                if !seenParams.contains(where: { $0.0 == ref.name }) { seenParams.append((ref.name, v != nil)) }
                return v ?? (listing ? "" : nil)
            case .secrets:
                // Checked here, resolved by the tool that uses it: secrets never travel in the stream.
                let given = Secrets.value(named: ref.name) != nil
                if !seenSecrets.contains(where: { $0.0 == ref.name }) { seenSecrets.append((ref.name, given)) }
                return given || listing ? secrets.placeholder(for: ref.name) : nil
            }
        }
        let root: YAMLNode
        do { root = try secrets.restore(in: YAML.parse(rendered, file: path)) } catch { throw error.egError }
        let name = ((dir as NSString).lastPathComponent)
        var g = LoadedGenerator(name: name, file: absolute, dir: dir, eventum: .null)
        g.params = seenParams.map { (name: $0.0, given: $0.1) }
        g.secrets = seenSecrets.map { (name: $0.0, given: $0.1) }
        do {
            let (eventum, replaced) = params.overridingDefaults(in: try loader.generator(root))
            g.eventum = eventum
            g.defaultsReplaced = replaced
        } catch let e as EgError where listing && g.params.contains(where: { !$0.given }) {
            g.problem = "not fully checked without its params: \(e)"
        }
        return g
    }

    // MARK: - structure

    func fail(_ node: YAMLNode, _ message: String) -> EgError {
        EgError.config(at: node.mark.description, message)
    }

    func generator(_ root: YAMLNode) throws -> JSONValue {
        guard let pairs = root.pairs else {
            throw fail(root, "a generator file is a mapping with the keys input, event and output")
        }
        for p in pairs where !["input", "event", "output"].contains(p.key.keyText) {
            throw fail(p.key, "unknown top-level key '\(p.key.keyText)': a generator has exactly input, event and output")
        }
        for k in ["input", "event", "output"] where root[k] == nil {
            throw fail(root, "the generator has no '\(k)' section (it needs input, event and output)")
        }
        return .object([
            JSONField("dir", .string(dir)),
            JSONField("input", .array(try list(root["input"]!, "input").map(input))),
            JSONField("event", try event(root["event"]!)),
            JSONField("output", .array(try list(root["output"]!, "output").map(output))),
        ])
    }

    func list(_ node: YAMLNode, _ what: String) throws -> [YAMLNode] {
        guard let items = node.items, !items.isEmpty else {
            throw fail(node, "'\(what)' is a list of plugins such as '- \(what == "input" ? "cron" : "stdout"): {...}', with at least one")
        }
        return items
    }

    /// A `{plugin: {settings}}` mapping with one key.
    func plugin(_ node: YAMLNode, _ what: String) throws -> (name: String, key: YAMLNode, settings: YAMLNode) {
        guard let pairs = node.pairs, pairs.count == 1 else {
            throw fail(node, "each \(what) is a mapping with one key, the plugin name, e.g. '- \(what == "input" ? "cron" : "file"): {...}'")
        }
        var settings = pairs[0].value.isNull ? YAMLNode(.mapping([]), mark: pairs[0].value.mark) : pairs[0].value
        guard settings.pairs != nil else {
            throw fail(settings, "the settings of \(what) '\(pairs[0].key.keyText)' must be a mapping")
        }
        if what == "input" || what == "output" {
            // Plugin settings may be written with dotted keys (`formatter.format: json`).
            do { settings = try settings.expandingDottedKeys() } catch { throw error.egError }
        }
        return (pairs[0].key.keyText, pairs[0].key, settings)
    }

    /// Checks the keys of a settings mapping against `schema`.
    func checkKeys(_ settings: YAMLNode, _ schema: GeneratorSchema.Plugin, _ what: String) throws {
        for p in settings.pairs ?? [] where !schema.all.contains(p.key.keyText) {
            throw fail(p.key, "\(what) has no setting '\(p.key.keyText)' (it takes \(schema.all.joined(separator: ", ")))")
        }
        for k in schema.required where settings[k] == nil || settings[k]!.isNull {
            throw fail(settings, "\(what) needs '\(k)'")
        }
    }

    /// The settings as JSON plus the plugin name and where each key was written (`_at`, `_keys`).
    func annotated(_ name: String, _ key: YAMLNode, _ settings: YAMLNode, _ extra: [JSONField] = []) -> JSONValue {
        var fields = [JSONField("plugin", .string(name)), JSONField("_at", .string(key.mark.description))]
        fields.append(JSONField("_keys", .object((settings.pairs ?? []).map { JSONField($0.key.keyText, .string($0.key.mark.description)) })))
        var seen = Set(extra.map(\.key))
        fields += extra
        for p in settings.pairs ?? [] where seen.insert(p.key.keyText).inserted {
            fields.append(JSONField(p.key.keyText, p.value.json))
        }
        return .object(fields)
    }

    func path(_ node: YAMLNode, _ what: String) throws -> String {
        guard let s = node.string, !s.isEmpty else { throw fail(node, "\(what) must be a file path") }
        if s.hasPrefix("/") { return s }
        return URL(fileURLWithPath: (dir as NSString).appendingPathComponent(s)).standardizedFileURL.path
    }

    func existingFile(_ node: YAMLNode, _ what: String) throws -> String {
        let p = try path(node, what)
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: p, isDirectory: &isDir), !isDir.boolValue else {
            throw fail(node, "\(what) \(node.string ?? "") does not exist (looked for \(p))")
        }
        return p
    }

    func integer(_ node: YAMLNode?, _ what: String, min: Int64, max: Int64 = Int64(Int32.max)) throws -> Int64? {
        guard let node, !node.isNull else { return nil }
        guard case .int(let v) = node.value, v >= min, v <= max else {
            throw fail(node, "\(what) must be a whole number from \(min) to \(max), got \(node.scalarText ?? "a collection")")
        }
        return v
    }

    func number(_ node: YAMLNode?, _ what: String, min: Double, max: Double = 1e12, minOpen: Bool = false) throws -> Double? {
        guard let node, !node.isNull else { return nil }
        var v: Double
        switch node.value {
        case .int(let i): v = Double(i)
        case .float(let d): v = d
        default: throw fail(node, "\(what) must be a number, got \(node.scalarText ?? "a collection")")
        }
        guard v.isFinite, minOpen ? v > min : v >= min, v <= max else {
            func shown(_ d: Double) -> String { d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : "\(d)" }
            throw fail(node, "\(what) must be \(minOpen ? "greater than" : "at least") \(shown(min)) and at most \(shown(max)), got \(node.scalarText ?? "")")
        }
        return v
    }

    func bool(_ node: YAMLNode?, _ what: String) throws {
        guard let node, !node.isNull else { return }
        guard case .bool = node.value else { throw fail(node, "\(what) must be true or false") }
    }

    func strings(_ node: YAMLNode?, _ what: String) throws -> [String] {
        guard let node, !node.isNull else { return [] }
        guard let items = node.items else { throw fail(node, "\(what) must be a list of strings") }
        return try items.map { i in
            guard let s = i.scalarText else { throw fail(i, "\(what) must be a list of strings") }
            return s
        }
    }

    func timeValue(_ node: YAMLNode?, _ what: String) throws {
        guard let node, !node.isNull else { return }
        guard node.scalarText != nil else { throw fail(node, "\(what) must be a time: ISO 8601, now, never or a relative offset like +1h") }
    }
}
