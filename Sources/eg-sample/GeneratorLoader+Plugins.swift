import Core
import Foundation

/// The input, event and output sections of a generator file.
extension GeneratorLoader {
    func input(_ node: YAMLNode) throws -> JSONValue {
        let (name, key, s) = try plugin(node, "input")
        if let why = GeneratorSchema.unsupportedInputs[name] { throw fail(key, "input \(name) is not supported: \(why)") }
        guard let schema = GeneratorSchema.inputs[name] else {
            throw fail(key, "unknown input plugin '\(name)' (eg runs \(GeneratorSchema.inputs.keys.sorted().joined(separator: ", ")))")
        }
        let what = "input \(name)"
        try checkKeys(s, schema, what)
        _ = try strings(s["tags"], "\(what) tags")
        var extra: [JSONField] = []
        switch name {
        case "cron":
            guard s["expression"]?.string != nil else { throw fail(s["expression"]!, "\(what) expression must be a string such as \"*/5 * * * *\"") }
            _ = try integer(s["count"], "\(what) count", min: 1)
            try timeValue(s["start"], "\(what) start"); try timeValue(s["end"], "\(what) end")
        case "timer":
            _ = try number(s["seconds"], "\(what) seconds", min: 0.1)
            _ = try integer(s["count"], "\(what) count", min: 1)
            _ = try integer(s["repeat"], "\(what) repeat", min: 1)
            try timeValue(s["start"], "\(what) start")
        case "linspace":
            _ = try integer(s["count"], "\(what) count", min: 1)
            try bool(s["endpoint"], "\(what) endpoint")
            try timeValue(s["start"], "\(what) start"); try timeValue(s["end"], "\(what) end")
        case "static":
            _ = try integer(s["count"], "\(what) count", min: 1)
        case "timestamps":
            let src = s["source"]!
            if src.items != nil {
                _ = try strings(src, "\(what) source")
            } else {
                extra.append(JSONField("source", .string(try existingFile(src, "\(what) source"))))
            }
        case "time_patterns":
            let files = try strings(s["patterns"], "\(what) patterns")
            if files.isEmpty { throw fail(s["patterns"]!, "\(what) patterns lists at least one pattern file") }
            extra.append(JSONField("patterns", .array(try s["patterns"]!.items!.map(pattern))))
        default:
            break
        }
        return annotated(name, key, s, extra)
    }

    /// A time pattern file, checked and embedded so that eg-rate needs no YAML.
    func pattern(_ ref: YAMLNode) throws -> JSONValue {
        let p = try existingFile(ref, "time pattern")
        let root: YAMLNode
        do { root = try YAML.load(path: p).expandingDottedKeys() } catch let e as YAMLError { throw e.egError }
        let sub = GeneratorLoader(file: p, dir: (p as NSString).deletingLastPathComponent)
        try sub.checkKeys(root, GeneratorSchema.pattern, "time pattern")
        let osc = root["oscillator"]!, mul = root["multiplier"]!, rnd = root["randomizer"]!, spr = root["spreader"]!
        try sub.checkKeys(osc, .init(required: ["period", "unit", "start", "end"], optional: []), "oscillator")
        _ = try sub.number(osc["period"], "oscillator period", min: 0, minOpen: true)
        let units = ["weeks", "days", "hours", "minutes", "seconds", "milliseconds", "microseconds"]
        guard let u = osc["unit"]?.string, units.contains(u) else {
            throw sub.fail(osc["unit"]!, "oscillator unit must be one of \(units.joined(separator: ", "))")
        }
        try sub.timeValue(osc["start"], "oscillator start"); try sub.timeValue(osc["end"], "oscillator end")
        try sub.checkKeys(mul, .init(required: ["ratio"], optional: []), "multiplier")
        _ = try sub.integer(mul["ratio"], "multiplier ratio", min: 1, max: 100_000_000)
        try sub.checkKeys(rnd, .init(required: ["deviation", "direction"], optional: ["sampling"]), "randomizer")
        _ = try sub.number(rnd["deviation"], "randomizer deviation", min: 0, max: 1)
        guard let d = rnd["direction"]?.string, ["decrease", "increase", "mixed"].contains(d) else {
            throw sub.fail(rnd["direction"]!, "randomizer direction must be decrease, increase or mixed")
        }
        _ = try sub.integer(rnd["sampling"], "randomizer sampling", min: 16, max: 1 << 20)
        try sub.checkKeys(spr, .init(required: ["distribution", "parameters"], optional: []), "spreader")
        let params = spr["parameters"]!
        switch spr["distribution"]?.string {
        case "uniform":
            try sub.checkKeys(params, .init(required: ["low", "high"], optional: []), "uniform spreader")
            let lo = try sub.number(params["low"], "uniform low", min: 0, max: 1)!
            let hi = try sub.number(params["high"], "uniform high", min: 0, max: 1, minOpen: true)!
            if lo >= hi { throw sub.fail(params, "uniform low must be below high") }
        case "triangular":
            try sub.checkKeys(params, .init(required: ["left", "mode", "right"], optional: []), "triangular spreader")
            let l = try sub.number(params["left"], "triangular left", min: 0, max: 1)!
            let m = try sub.number(params["mode"], "triangular mode", min: 0, max: 1)!
            let r = try sub.number(params["right"], "triangular right", min: 0, max: 1, minOpen: true)!
            if !(l <= m && m <= r && l < r) { throw sub.fail(params, "triangular needs left <= mode <= right and left < right") }
        case "beta":
            try sub.checkKeys(params, .init(required: ["a", "b"], optional: []), "beta spreader")
            _ = try sub.number(params["a"], "beta a", min: 0, minOpen: true)
            _ = try sub.number(params["b"], "beta b", min: 0, minOpen: true)
        default:
            throw sub.fail(spr["distribution"]!, "spreader distribution must be uniform, triangular or beta")
        }
        var fields = [JSONField("path", .string(p)), JSONField("_at", .string(root.mark.description))]
        for pair in root.pairs ?? [] { fields.append(JSONField(pair.key.keyText, pair.value.json)) }
        return .object(fields)
    }

    func event(_ node: YAMLNode) throws -> JSONValue {
        let (name, key, s) = try plugin(node, "event plugin")
        guard name == "template" else {
            throw fail(key, "event plugin '\(name)' is not supported: eg renders the template plugin (replay and script are not supported yet)")
        }
        try checkKeys(s, GeneratorSchema.templatePlugin, "event template")
        guard let mode = s["mode"]?.string, GeneratorSchema.modes.contains(mode) else {
            throw fail(s["mode"]!, "mode must be one of \(GeneratorSchema.modes.joined(separator: ", "))")
        }
        if let p = s["params"], !p.isNull, p.pairs == nil { throw fail(p, "params must be a mapping of names to values") }
        guard let entries = s["templates"]?.items, !entries.isEmpty else {
            throw fail(s["templates"]!, "templates is a list of '- alias: {template: FILE}' entries, at least one")
        }
        var aliases: [String] = []
        var templates: [JSONValue] = []
        for e in entries {
            let (alias, aliasKey, t) = try plugin(e, "template")
            if aliases.contains(alias) { throw fail(aliasKey, "template alias '\(alias)' is used twice") }
            aliases.append(alias)
            try checkKeys(t, GeneratorSchema.templateEntry, "template \(alias)")
            let file = try existingFile(t["template"]!, "template \(alias)")
            if mode == "chance" {
                guard t["chance"] != nil else { throw fail(t, "template \(alias) needs 'chance' (a weight > 0) in chance mode") }
                _ = try number(t["chance"], "template \(alias) chance", min: 0, minOpen: true)
            }
            if let v = t["vars"], !v.isNull, v.pairs == nil { throw fail(v, "template \(alias) vars must be a mapping") }
            try bool(t["initial"], "template \(alias) initial")
            templates.append(annotated(alias, aliasKey, t, [JSONField("alias", .string(alias)), JSONField("template", .string(file))]))
        }
        try checkModes(mode, s, entries, aliases)
        var fields = [JSONField("plugin", .string("template")), JSONField("_at", .string(key.mark.description)),
                      JSONField("mode", .string(mode)),
                      JSONField("params", s["params"].map { $0.isNull ? .object([]) : $0.json } ?? .object([])),
                      JSONField("samples", try samples(s["samples"])),
                      JSONField("templates", .array(templates))]
        if let c = s["chain"] { fields.append(JSONField("chain", c.json)) }
        return .object(fields)
    }

    /// chain names known aliases; fsm has exactly one initial state and transitions to known aliases.
    func checkModes(_ mode: String, _ s: YAMLNode, _ entries: [YAMLNode], _ aliases: [String]) throws {
        if mode == "chain" {
            let chain = try strings(s["chain"], "chain")
            guard let c = s["chain"], !chain.isEmpty else { throw fail(s, "chain mode needs 'chain': a list of template aliases") }
            for (i, a) in chain.enumerated() where !aliases.contains(a) {
                throw fail(c.items![i], "chain names '\(a)', which is not a template alias (\(aliases.joined(separator: ", ")))")
            }
        } else if let c = s["chain"] {
            throw fail(c, "'chain' belongs to chain mode (mode is \(mode))")
        }
        guard mode == "fsm" else { return }
        var initial = 0
        for e in entries {
            let t = e.pairs![0].value
            if case .bool(true)? = t["initial"]?.value { initial += 1 }
            guard let tr = t["transitions"], !tr.isNull else { continue }
            guard let list = tr.items else { throw fail(tr, "transitions is a list of {to: ALIAS, when: CONDITION}") }
            for x in list {
                try checkKeys(x, GeneratorSchema.transition, "transition")
                guard let to = x["to"]?.string, aliases.contains(to) else {
                    throw fail(x["to"]!, "transition to '\(x["to"]?.scalarText ?? "")' names no template alias (\(aliases.joined(separator: ", ")))")
                }
                try condition(x["when"]!)
            }
        }
        if initial != 1 { throw fail(s, "fsm mode needs exactly one template with 'initial: true' (found \(initial))") }
    }

    /// An FSM condition: one of GeneratorSchema's checks.
    func condition(_ node: YAMLNode) throws {
        guard let pairs = node.pairs, pairs.count == 1 else {
            throw fail(node, "a condition is a mapping with one check, e.g. {eq: {shared.state: ready}}")
        }
        let (name, value) = (pairs[0].key.keyText, pairs[0].value)
        if GeneratorSchema.fieldConditions.contains(name) {
            guard let fields = value.pairs, fields.count == 1 else {
                throw fail(value, "\(name) takes one '<scope>.<field>: value' pair, e.g. \(name): {locals.count: 3}")
            }
            let field = fields[0].key.keyText
            guard ["locals.", "shared.", "globals."].contains(where: { field.hasPrefix($0) && field.count > $0.count }) else {
                throw fail(fields[0].key, "'\(field)' must name locals.<field>, shared.<field> or globals.<field>")
            }
            return
        }
        switch name {
        case "and", "or":
            guard let list = value.items, !list.isEmpty else { throw fail(value, "\(name) takes a list of conditions") }
            for c in list { try condition(c) }
        case "not": try condition(value)
        case "always", "never": return
        case "defined":
            guard let f = value.string, ["locals.", "shared.", "globals."].contains(where: { f.hasPrefix($0) }) else {
                throw fail(value, "defined takes a field such as locals.user")
            }
        case "has_tags":
            guard value.string != nil || value.items != nil else { throw fail(value, "has_tags takes a tag or a list of tags") }
        case "before", "after":
            guard let t = value.scalarText, t.contains(":") else { throw fail(value, "\(name) takes a time of day such as \"18:00\"") }
        default:
            throw fail(pairs[0].key, "unknown condition '\(name)' (\((GeneratorSchema.fieldConditions + GeneratorSchema.otherConditions).joined(separator: ", ")))")
        }
    }

    func samples(_ node: YAMLNode?) throws -> JSONValue {
        guard let node, !node.isNull else { return .object([]) }
        guard let pairs = node.pairs else { throw fail(node, "samples is a mapping of names to {type, source}") }
        var out: [JSONField] = []
        for p in pairs {
            let name = p.key.keyText, s = p.value
            guard let type = s["type"]?.string, let schema = GeneratorSchema.samples[type] else {
                throw fail(s["type"] ?? s, "sample \(name) needs type: items, csv or json")
            }
            try checkKeys(s, schema, "sample \(name)")
            var fields = [JSONField("type", .string(type)), JSONField("_at", .string(p.key.mark.description))]
            switch type {
            case "items":
                guard let items = s["source"]?.items, !items.isEmpty else { throw fail(s["source"]!, "sample \(name) source is a list of values, at least one") }
                fields += [JSONField("source", s["source"]!.json), JSONField("rows", .int(items.count))]
            case "csv":
                let file = try existingFile(s["source"]!, "sample \(name) source")
                try bool(s["header"], "sample \(name) header")
                let header: Bool
                if case .bool(true)? = s["header"]?.value { header = true } else { header = false }
                let delimiter = try oneCharacter(s["delimiter"], "sample \(name) delimiter", default: ",")
                let quote = try oneCharacter(s["quotechar"], "sample \(name) quotechar", default: "\"")
                let rows = try EventumCSV.rows(try YAML.readText(file), delimiter: delimiter, quote: quote, file: file)
                if header && rows.isEmpty { throw fail(s["source"]!, "sample \(name): \(file) has no header row") }
                fields += [JSONField("source", .string(file)), JSONField("header", .bool(header)),
                           JSONField("delimiter", .string(String(UnicodeScalar(delimiter)))),
                           JSONField("quotechar", .string(String(UnicodeScalar(quote)))),
                           JSONField("rows", .int(rows.count - (header ? 1 : 0)))]
                if header { fields.append(JSONField("columns", .array(rows[0].map { .string($0) }))) }
            default:
                let file = try existingFile(s["source"]!, "sample \(name) source")
                let value: JSONValue
                do { value = try JSONParser.parse(try YAML.readText(file)) } catch let e as EgError { throw e } catch {
                    throw EgError.config(at: file, "sample \(name) is not valid JSON (\(error))")
                }
                guard case .array(let items) = value else { throw EgError.config(at: file, "sample \(name) must be a JSON array of objects") }
                fields += [JSONField("source", .string(file)), JSONField("rows", .int(items.count))]
            }
            out.append(JSONField(name, .object(fields)))
        }
        return .object(out)
    }

    func oneCharacter(_ node: YAMLNode?, _ what: String, default d: String) throws -> UInt8 {
        let s = node?.scalarText ?? d
        guard s.utf8.count == 1 else { throw fail(node!, "\(what) must be one ASCII character, got '\(s)'") }
        return s.utf8.first!
    }

    func output(_ node: YAMLNode) throws -> JSONValue {
        let (name, key, s) = try plugin(node, "output")
        guard GeneratorSchema.outputs.contains(name) else {
            throw fail(key, "unknown output plugin '\(name)' (\(GeneratorSchema.outputs.joined(separator: ", ")))")
        }
        for p in s.pairs ?? [] {
            if let problem = EventumOutputSchema.keyProblem(plugin: name, key: p.key.keyText) { throw fail(p.key, problem) }
        }
        var extra: [JSONField] = []
        for k in GeneratorSchema.outputPathKeys where s[k] != nil {
            extra.append(JSONField(k, .string(try path(s[k]!, "output \(name) \(k)"))))
        }
        if let f = s["formatter"] {
            guard let format = f["format"]?.string, GeneratorSchema.formats.contains(format) else {
                throw fail(f["format"] ?? f, "formatter format must be one of \(GeneratorSchema.formats.joined(separator: ", "))")
            }
            for p in f.pairs ?? [] {
                if let problem = EventumOutputSchema.formatterKeyProblem(format: format, key: p.key.keyText) { throw fail(p.key, problem) }
            }
        }
        return annotated(name, key, s, extra)
    }
}
