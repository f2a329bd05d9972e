/// A JSON value as the stream codec sees it.
///
/// Numbers keep their literal text, so a value passed through any tool comes out byte-identical
/// (no binary floating-point round trip). Objects keep their key order.
public enum JSONValue: Equatable, Sendable {
    case string(String)
    /// The number's JSON text, e.g. `1700000000.25`.
    case number(String)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([JSONField])

    /// The string, if this is a string.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// A string or a number's text, for settings that arrive either way.
    public var text: String? {
        switch self {
        case .string(let s), .number(let s): return s
        case .bool(let b): return b ? "true" : "false"
        default: return nil
        }
    }

    /// The number as a Double (strings holding a number are accepted too).
    public var doubleValue: Double? {
        switch self {
        case .number(let s), .string(let s): return Double(s)
        default: return nil
        }
    }

    /// The member named `key`, if this is an object.
    public subscript(key: String) -> JSONValue? {
        if case .object(let fields) = self {
            for f in fields where f.key == key { return f.value }
        }
        return nil
    }

    /// Builds a number value from an integer.
    public static func int<I: BinaryInteger>(_ i: I) -> JSONValue { .number(String(i)) }

    /// Builds a number value from a double (integral values print without a fraction).
    public static func double(_ d: Double) -> JSONValue {
        if d.isFinite, d == d.rounded(), abs(d) < 1e15 { return .number(String(Int64(d))) }
        return d.isFinite ? .number(String(d)) : .null
    }
}

/// One member of a JSON object: a key and its value.
public struct JSONField: Equatable, Sendable {
    public var key: String
    public var value: JSONValue
    public init(_ key: String, _ value: JSONValue) {
        self.key = key
        self.value = value
    }
}
