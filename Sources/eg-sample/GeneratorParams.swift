import Core

/// The values for `${params.x}`: `--params JSON` (an object) overlaid by each `--param k=v`
/// (the value is JSON when it parses as JSON, else a string). They also replace the template
/// plugin's `params` of the same name, which are thus the generator's defaults (eg's addition).
struct GeneratorParams {
    var values: JSONValue = .object([])
    /// The names given with `--param` (each must be used by some generator of the run).
    var named: [String] = []

    init(json: String?, pairs: [String]) throws {
        var fields: [JSONField] = []
        if let json {
            guard case .object(let f)? = try? JSONParser.parse(json) else {
                throw EgError.usage("--params expects a JSON object such as '{\"host\": \"es1\", \"port\": 9200}', got \(json)")
            }
            fields = f
        }
        for p in pairs {
            guard let eq = p.firstIndex(of: "="), eq != p.startIndex else {
                throw EgError.usage("--param expects NAME=VALUE, got '\(p)'")
            }
            let name = String(p[..<eq])
            let text = String(p[p.index(after: eq)...])
            let value = (try? JSONParser.parse(text)) ?? .string(text)
            fields.removeAll { $0.key == name }
            if !named.contains(name) { named.append(name) }
            fields.append(JSONField(name, value))
        }
        values = .object(fields)
    }

    func text(_ name: String) -> String? { VariableSubstitution.paramText(name, in: values) }

    /// A loaded generator's configuration with each given param in place of the template
    /// plugin's default of the same name, and the names it replaced.
    func overridingDefaults(in eventum: JSONValue) -> (eventum: JSONValue, replaced: [String]) {
        guard case .object(let given) = values, !given.isEmpty,
              case .object(var top) = eventum, let e = top.firstIndex(where: { $0.key == "event" }),
              case .object(var event) = top[e].value, let p = event.firstIndex(where: { $0.key == "params" }),
              case .object(var defaults) = event[p].value else { return (eventum, []) }
        var replaced: [String] = []
        for i in defaults.indices {
            if let v = given.first(where: { $0.key == defaults[i].key }) {
                defaults[i].value = v.value
                replaced.append(v.key)
            }
        }
        event[p].value = .object(defaults)
        top[e].value = .object(event)
        return (.object(top), replaced)
    }
}
