/// Reading YAML text or files into `YAMLNode`s (YAML 1.2, core schema; see YAMLParser).
public enum YAML {
    /// Every document in `text`; `file` names it in errors.
    public static func parseDocuments(_ text: String, file: String = "<yaml>") throws(YAMLError) -> [YAMLNode] {
        do {
            var p = try YAMLParser(text: text, file: file)
            return try p.parseStream()
        } catch let e as YAMLError {
            throw e
        } catch {
            throw YAMLError("\(error)", at: YAMLMark(file: file, line: 1, column: 1))
        }
    }

    /// The single document in `text` (null when empty); several documents are an error.
    public static func parse(_ text: String, file: String = "<yaml>") throws(YAMLError) -> YAMLNode {
        let docs = try parseDocuments(text, file: file)
        if docs.count > 1 {
            throw YAMLError("expected one YAML document, found \(docs.count) (a second '---')", at: docs[1].mark)
        }
        return docs.first ?? YAMLNode(.null, mark: YAMLMark(file: file, line: 1, column: 1))
    }
}

extension YAMLNode {
    /// The mapping with dotted keys spread into nested mappings, as Eventum reads them: `batch.size: 10`
    /// becomes `batch: {size: 10}`, merged with a `batch` mapping written beside it. Recurses into values.
    public func expandingDottedKeys() throws(YAMLError) -> YAMLNode {
        switch value {
        case .sequence(let items):
            var n = self
            var out: [YAMLNode] = []
            for i in items { out.append(try i.expandingDottedKeys()) }
            n.value = .sequence(out)
            return n
        case .mapping(let pairs):
            var out: [YAMLPair] = []
            for p in pairs {
                let v = try p.value.expandingDottedKeys()
                guard let k = p.key.string, k.contains("."), !k.hasPrefix("."), !k.hasSuffix("."),
                      !k.contains("..") else {
                    try YAMLNode.insert(YAMLPair(key: p.key, value: v), into: &out)
                    continue
                }
                let parts = k.split(separator: ".").map(String.init)
                var nested = v
                for part in parts.dropFirst().reversed() {
                    nested = YAMLNode(.mapping([YAMLPair(key: YAMLNode(.string(part), mark: p.key.mark), value: nested)]),
                                      mark: p.key.mark)
                }
                try YAMLNode.insert(YAMLPair(key: YAMLNode(.string(parts[0]), mark: p.key.mark), value: nested), into: &out)
            }
            var n = self
            n.value = .mapping(out)
            return n
        default:
            return self
        }
    }

    /// Adds a pair, merging two mappings under the same key; two scalars under one key are an error.
    private static func insert(_ pair: YAMLPair, into pairs: inout [YAMLPair]) throws(YAMLError) {
        guard let i = pairs.firstIndex(where: { $0.key.keyText == pair.key.keyText }) else {
            pairs.append(pair)
            return
        }
        guard case .mapping(let old) = pairs[i].value.value, case .mapping(let new) = pair.value.value else {
            throw YAMLError("key '\(pair.key.keyText)' is given twice (once as a dotted key)", at: pair.key.mark)
        }
        var merged = old
        for p in new { try insert(p, into: &merged) }
        pairs[i].value.value = .mapping(merged)
    }
}

extension YAML {
    /// Reads and parses a YAML file (one document).
    public static func load(path: String) throws -> YAMLNode {
        let text = try readText(path)
        do { return try parse(text, file: path) } catch { throw error.egError }
    }

    /// A file's contents as UTF-8 text, or a config error naming it.
    public static func readText(_ path: String) throws -> String {
        do {
            return String(decoding: try FileDescriptor.readAll(path: path), as: UTF8.self)
        } catch {
            throw EgError.config(at: path, "cannot read the file: \(error)")
        }
    }
}
