import Core

/// The values for `${params.x}`: `--params JSON` (an object) overlaid by each `--param k=v`
/// (the value is JSON when it parses as JSON, else a string).
struct GeneratorParams {
    var values: JSONValue = .object([])

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
            fields.append(JSONField(name, value))
        }
        values = .object(fields)
    }

    func text(_ name: String) -> String? { VariableSubstitution.paramText(name, in: values) }
}
