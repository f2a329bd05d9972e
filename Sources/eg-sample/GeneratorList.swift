import Core
import Foundation

/// `eg-sample --list` for Eventum generators: per generator its inputs, template set (with weights
/// as percentages, fsm transitions or the chain), samples with row counts, outputs, and the params
/// and secrets it needs.
enum GeneratorList {
    static func render(_ generators: [LoadedGenerator]) -> String {
        var out = ""
        for g in generators {
            if !out.isEmpty { out += "\n" }
            out += "Generator \(g.name)  (\(g.file))\n"
            if let p = g.problem { out += "  \(p)\n" }
            let e = g.eventum
            out += "  inputs:\n"
            for i in e["input"].arrayItems { out += "    " + plugin(i, g.dir) + "\n" }
            let ev = e["event"] ?? .null
            let mode = ev["mode"]?.stringValue ?? ""
            out += "  templates (mode \(mode)):\n"
            let templates = ev["templates"].arrayItems
            let total = templates.reduce(0.0) { $0 + ($1["chance"]?.doubleValue ?? 0) }
            for t in templates {
                var line = "    \(t["alias"]?.stringValue ?? "")  \(relative(t["template"]?.stringValue ?? "", g.dir))"
                if mode == "chance", let c = t["chance"]?.doubleValue, total > 0 {
                    line += "  chance \(t["chance"]!.text ?? "") (\(percent(c / total)))"
                }
                if case .bool(true)? = t["initial"] { line += "  initial" }
                out += line + "\n"
                for tr in t["transitions"].arrayItems {
                    out += "      -> \(tr["to"]?.stringValue ?? "") when \(JSONWriter.string(tr["when"] ?? .null))\n"
                }
                if let v = t["vars"], case .object(let f) = v, !f.isEmpty { out += "      vars \(JSONWriter.string(v))\n" }
            }
            if let chain = ev["chain"] { out += "    chain: \(chain.arrayItems.compactMap(\.stringValue).joined(separator: " -> "))\n" }
            if let p = ev["params"], case .object(let f) = p, !f.isEmpty { out += "  params: \(JSONWriter.string(p))\n" }
            if case .object(let samples)? = ev["samples"], !samples.isEmpty {
                out += "  samples:\n"
                for s in samples {
                    let v = s.value
                    let type = v["type"]?.stringValue ?? ""
                    var line = "    \(s.key)  \(type)"
                    if type != "items" { line += " \(relative(v["source"]?.stringValue ?? "", g.dir))" }
                    if case .bool(true)? = v["header"] { line += ", header" }
                    if let d = v["delimiter"]?.stringValue, d != "," { line += ", delimiter '\(d)'" }
                    let rows = v["rows"]?.text ?? "0"
                    line += ", \(rows) \(type == "items" ? "items" : "rows")"
                    if let cols = v["columns"] { line += " (\(cols.arrayItems.compactMap(\.stringValue).joined(separator: ", ")))" }
                    out += line + "\n"
                }
            }
            out += "  outputs:\n"
            for o in e["output"].arrayItems { out += "    " + plugin(o, g.dir) + "\n" }
            if g.params.isEmpty && g.secrets.isEmpty {
                out += "  needs: no params or secrets\n"
            } else {
                for p in g.params {
                    out += "  needs param \(p.name): \(p.given ? "given" : "MISSING (--param \(p.name)=VALUE)")\n"
                }
                for s in g.secrets {
                    out += "  needs secret \(s.name): \(s.given ? "set" : "MISSING (\(Secrets.environmentName(s.name)) or --secrets FILE)")\n"
                }
            }
        }
        return out
    }

    /// `cron  expression "* * * * * *", count 5`: the plugin and its settings, paths shortened.
    static func plugin(_ p: JSONValue, _ dir: String) -> String {
        guard case .object(let fields) = p else { return "" }
        var parts: [String] = []
        for f in fields where !["plugin", "_at", "_keys"].contains(f.key) {
            if f.key == "patterns" {
                for pat in f.value.arrayItems {
                    let label = pat["label"]?.text ?? ((pat["path"]?.stringValue ?? "") as NSString).lastPathComponent
                    let osc = pat["oscillator"] ?? .null
                    parts.append("pattern \(label): \(pat["multiplier"]?["ratio"]?.text ?? "?") per \(osc["period"]?.text ?? "?") \(osc["unit"]?.text ?? "")")
                }
                continue
            }
            let shown = f.value.text.map { relative($0, dir) }.map { $0.contains(" ") ? "\"\($0)\"" : $0 }
            parts.append("\(f.key) \(shown ?? JSONWriter.string(f.value))")
        }
        return (p["plugin"]?.stringValue ?? "") + "  " + parts.joined(separator: ", ")
    }

    static func relative(_ path: String, _ dir: String) -> String {
        path.hasPrefix(dir + "/") ? String(path.dropFirst(dir.count + 1)) : path
    }

    static func percent(_ f: Double) -> String {
        let tenths = (f * 1000).rounded()
        return "\(Int(tenths) / 10).\(Int(tenths) % 10)%"
    }
}

extension Optional where Wrapped == JSONValue {
    /// The items of an array value, or none.
    var arrayItems: [JSONValue] { self?.arrayItems ?? [] }
}

extension JSONValue {
    /// The items of an array value, or none.
    var arrayItems: [JSONValue] {
        if case .array(let a) = self { return a }
        return []
    }
}
