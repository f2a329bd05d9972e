/// Mapping construction as PyYAML's safe loader does it: `<<` merge keys (one mapping or a list of
/// them; explicit keys win, earlier sources win over later ones) and duplicate keys (the last value
/// wins, at the first key's place).
enum YAMLMerge {
    static func apply(_ pairs: [YAMLPair]) throws -> [YAMLPair] {
        var merged: [YAMLPair] = []
        var explicit: [YAMLPair] = []
        explicit.reserveCapacity(pairs.count)
        for p in pairs {
            guard isMergeKey(p.key) else { explicit.append(p); continue }
            switch p.value.value {
            case .mapping(let src):
                merged += src
            case .sequence(let sources):
                var lists: [[YAMLPair]] = []
                for s in sources {
                    guard let m = s.pairs else {
                        throw YAMLError("a '<<' merge list holds mappings (aliases of them) only", at: s.mark)
                    }
                    lists.append(m)
                }
                for m in lists.reversed() { merged += m }
            default:
                throw YAMLError("'<<' merges a mapping or a list of mappings into this one", at: p.value.mark)
            }
        }
        let all = merged + explicit
        if all.count < 2 || merged.isEmpty && !hasDuplicates(all) { return all }
        var index: [String: Int] = [:]
        var out: [YAMLPair] = []
        for p in all {
            let k = identity(p.key)
            if let i = index[k] { out[i].value = p.value } else { index[k] = out.count; out.append(p) }
        }
        return out
    }

    /// An untagged plain `<<` key.
    static func isMergeKey(_ key: YAMLNode) -> Bool {
        key.tag == nil && key.string == "<<"
    }

    private static func hasDuplicates(_ pairs: [YAMLPair]) -> Bool {
        var seen = Set<String>()
        for p in pairs where !seen.insert(identity(p.key)).inserted { return true }
        return false
    }

    /// Keys are equal when their type and value are: `1` and `"1"` are different keys.
    private static func identity(_ key: YAMLNode) -> String {
        switch key.value {
        case .string(let s): return "s" + s
        case .int(let i): return "i\(i)"
        case .float(let d): return "f\(d)"
        case .bool(let b): return b ? "b1" : "b0"
        case .null: return "n"
        case .sequence, .mapping: return "c" + JSONWriter.string(key.json)
        }
    }
}
