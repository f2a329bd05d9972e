import Core

/// An Eventum formatter: what a generator's output does to each event's text before delivery.
/// `plain` leaves it as it is; `json` validates it and lays it out (`JSONLayout`); `template`
/// renders a Jinja template (Core/Template) with the text as `event`; `json-batch` validates each
/// event and makes the whole batch one JSON array. An event a formatter refuses (invalid JSON, a
/// template error) is not delivered: it is reported and dead-lettered like any undelivered event.
final class EventumFormatter {
    enum Kind: Equatable {
        case plain
        case json(indent: Int)
        case jsonBatch(indent: Int)
        case template
    }

    let kind: Kind
    /// How the formatter was configured, for output identities.
    let identity: String
    private let template: CompiledTemplate?
    private let render: RenderState?

    /// `plain`: events as they are.
    static var plain: EventumFormatter { EventumFormatter(kind: .plain, identity: "plain") }

    private init(kind: Kind, identity: String, template: CompiledTemplate? = nil, render: RenderState? = nil) {
        self.kind = kind
        self.identity = identity
        self.template = template
        self.render = render
    }

    /// The formatter a generator's `formatter:` mapping describes (nil: the plugin's default).
    /// `dir` is the generator's folder (`template_path` is relative to it); `at` locates errors.
    static func make(_ spec: JSONValue?, plugin: String, dir: String, at location: String) throws -> EventumFormatter {
        let format: String
        if let spec {
            guard case .object(let fields) = spec else {
                throw EgError.config(at: location, "output \(plugin) formatter must be a mapping such as {format: json}")
            }
            guard let f = spec["format"]?.stringValue else {
                throw EgError.config(at: location, "output \(plugin) formatter needs format (\(EventumOutputSchema.formatters.keys.sorted().joined(separator: ", ")))")
            }
            format = f
            if let problem = EventumOutputSchema.formatProblem(format) { throw EgError.config(at: location, "output \(plugin): \(problem)") }
            for field in fields {
                if let problem = EventumOutputSchema.formatterKeyProblem(format: format, key: field.key) {
                    throw EgError.config(at: location, "output \(plugin): \(problem)")
                }
            }
        } else {
            format = EventumOutputSchema.defaultFormatter(plugin)
        }
        func indent() throws -> Int {
            guard let v = spec?["indent"], v != .null else { return 0 }
            guard case .number(let t) = v, let n = Int(t), (0...64).contains(n) else {
                throw EgError.config(at: location, "output \(plugin) formatter indent must be a whole number from 0 to 64, got \(v.text ?? "a collection")")
            }
            return n
        }
        switch format {
        case "plain": return .plain
        case "json":
            let n = try indent()
            return EventumFormatter(kind: .json(indent: n), identity: "json/\(n)")
        case "json-batch":
            let n = try indent()
            return EventumFormatter(kind: .jsonBatch(indent: n), identity: "json-batch/\(n)")
        default:
            return try makeTemplate(spec, plugin: plugin, dir: dir, at: location)
        }
    }

    private static func makeTemplate(_ spec: JSONValue?, plugin: String, dir: String, at location: String) throws -> EventumFormatter {
        let inline = spec?["template"].flatMap { $0 == .null ? nil : $0 }
        let file = spec?["template_path"].flatMap { $0 == .null ? nil : $0 }
        let what = "output \(plugin) formatter template"
        let env = TemplateEnvironment(directories: [dir])
        env.displayPrefix = dir + "/"
        let compiled: CompiledTemplate
        let identity: String
        do {
            switch (inline, file) {
            case (let t?, nil):
                guard let text = t.stringValue, !text.isEmpty else { throw EgError.config(at: location, "\(what) must be a non-empty string") }
                compiled = try env.compile(text, name: "formatter template")
                identity = "template=" + text
            case (nil, let p?):
                guard let path = p.stringValue, !path.isEmpty else {
                    throw EgError.config(at: location, "\(what)_path must be a path relative to the generator's folder")
                }
                guard !path.hasPrefix("/") else {
                    throw EgError.config(at: location, "\(what)_path must be relative to the generator's folder, got \(path)")
                }
                compiled = try env.template(named: path)
                identity = "template_path=" + dir + "/" + path
            case (nil, nil):
                throw EgError.config(at: location, "\(what) needs template or template_path")
            default:
                throw EgError.config(at: location, "\(what): give template or template_path, not both")
            }
        } catch let e as TemplateError {
            throw EgError.config(at: location, "\(what): \(e)")
        }
        let state = RenderState(environment: env, rng: SeededRandom(seed: 0, stream: "eg-ship/formatter"))
        return EventumFormatter(kind: .template, identity: identity, template: compiled, render: state)
    }

    /// Whether the formatter makes one text of a whole batch.
    var batches: Bool {
        if case .jsonBatch = kind { return true }
        return false
    }

    /// Appends the formatted text of one event to `out`; throws why it cannot be formatted (`out`
    /// is then as it was).
    func append(_ raw: String, to out: inout [UInt8]) throws {
        switch kind {
        case .plain:
            out.append(contentsOf: raw.utf8)
        case .json(let indent):
            var r = raw
            try r.withUTF8 { try JSONLayout(indent: indent).append($0, to: &out) }
        case .jsonBatch:
            var r = raw
            try r.withUTF8 { try JSONLayout(indent: -1).append($0, to: &out) }
        case .template:
            let start = out.count
            do {
                try render!.render(template!, context: ["event": .string(raw)], into: &out)
            } catch {
                out.removeSubrange(start...)
                throw error
            }
        }
    }

    /// `[a,b,...]` of events already formatted compactly (`append` of a json-batch formatter),
    /// laid out with the formatter's indent.
    func batchArray(_ compact: [UInt8]) -> [UInt8] {
        guard case .jsonBatch(let indent) = kind, indent >= 0 else { return compact }
        var out: [UInt8] = []
        out.reserveCapacity(compact.count + compact.count / 8)
        compact.withUnsafeBufferPointer { try? JSONLayout(indent: indent).append($0, to: &out) }
        return out
    }
}
