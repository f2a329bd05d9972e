/// Where a YAML node or error is: a 1-based line and column in a named file.
public struct YAMLMark: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:col`, the form every eg diagnostic uses.
    public var description: String { "\(file):\(line):\(column)" }
}

/// One parsed YAML node: a typed value (YAML 1.2 core schema), its explicit tag if any, and where it starts.
public struct YAMLNode: Sendable {
    /// The value of a node after tag resolution.
    public enum Value: Sendable {
        case null
        case bool(Bool)
        case int(Int64)
        case float(Double)
        case string(String)
        case sequence([YAMLNode])
        case mapping([YAMLPair])
    }

    public var value: Value
    /// The explicit tag as written (`!!str` is stored as `tag:yaml.org,2002:str`), nil when untagged.
    public var tag: String?
    public var mark: YAMLMark

    public init(_ value: Value, tag: String? = nil, mark: YAMLMark) {
        self.value = value
        self.tag = tag
        self.mark = mark
    }

    /// The string, if this is a string scalar.
    public var string: String? {
        if case .string(let s) = value { return s }
        return nil
    }

    /// A scalar as text, as a setting reads it (`5`, `true`, `0.5`, `abc`); nil for null and collections.
    public var scalarText: String? {
        switch value {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .float(let d): return YAMLNode.pythonFloatText(d)
        case .bool(let b): return b ? "true" : "false"
        case .null, .sequence, .mapping: return nil
        }
    }

    /// The pairs, if this is a mapping.
    public var pairs: [YAMLPair]? {
        if case .mapping(let p) = value { return p }
        return nil
    }

    /// The items, if this is a sequence.
    public var items: [YAMLNode]? {
        if case .sequence(let s) = value { return s }
        return nil
    }

    public var isNull: Bool {
        if case .null = value { return true }
        return false
    }

    /// The value stored under a scalar key equal to `key`, if this is a mapping holding one.
    public subscript(key: String) -> YAMLNode? {
        guard case .mapping(let pairs) = value else { return nil }
        for p in pairs where p.key.keyText == key { return p.value }
        return nil
    }

    /// The key as a mapping lookup sees it: scalars as their text, null as `null`.
    public var keyText: String {
        if case .null = value { return "null" }
        return scalarText ?? JSONWriter.string(json)
    }

    /// The node as a JSON value: numbers keep Python's float text (`1.0`, `1e-05`); infinities and NaN,
    /// which JSON cannot hold, become the strings `inf`, `-inf` and `nan`; keys become their text.
    public var json: JSONValue {
        switch value {
        case .null: return .null
        case .bool(let b): return .bool(b)
        case .int(let i): return .number(String(i))
        case .float(let d):
            return d.isFinite ? .number(YAMLNode.pythonFloatText(d)) : .string(YAMLNode.pythonFloatText(d))
        case .string(let s): return .string(s)
        case .sequence(let items): return .array(items.map(\.json))
        case .mapping(let pairs): return .object(pairs.map { JSONField($0.key.keyText, $0.value.json) })
        }
    }

    /// A double as Python's `str()` prints it: `1.0`, `0.1`, `1e-05`, `1e+16`, `inf`, `nan`.
    public static func pythonFloatText(_ d: Double) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        return "\(d)"
    }
}

/// One key and value of a YAML mapping, in the order written.
public struct YAMLPair: Sendable {
    public var key: YAMLNode
    public var value: YAMLNode

    public init(key: YAMLNode, value: YAMLNode) {
        self.key = key
        self.value = value
    }
}
