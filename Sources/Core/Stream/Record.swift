/// One line of the eg record stream: a JSON object with its members in order.
///
/// An *event record* has `_raw` and usually `_time`, `index`, `host`, `source`, `sourcetype`, `sample`;
/// a *stanza record* has `"_kind": "stanza"` (see `StanzaRecord`). Members a tool does not know
/// are kept, in place, and written back unchanged.
public struct Record: Equatable, Sendable {
    public var fields: [JSONField]

    public init(fields: [JSONField] = []) { self.fields = fields }

    /// The value of member `key`; setting `nil` removes it, setting a new key appends it.
    public subscript(key: String) -> JSONValue? {
        get {
            for f in fields where f.key == key { return f.value }
            return nil
        }
        set {
            if let k = fields.firstIndex(where: { $0.key == key }) {
                if let newValue { fields[k].value = newValue } else { fields.remove(at: k) }
            } else if let newValue {
                fields.append(JSONField(key, newValue))
            }
        }
    }

    /// The member as text: a string, or a number's literal text.
    public func string(_ key: String) -> String? { self[key]?.text }

    /// `_raw`, the event text.
    public var raw: String? {
        get { self["_raw"]?.stringValue }
        set { self["_raw"] = newValue.map(JSONValue.string) }
    }

    /// `_time` as an exact instant; setting writes epoch seconds with microseconds kept.
    public var time: EventTime? {
        get {
            switch self["_time"] {
            case .number(let s)?, .string(let s)?: return EpochText.parse(s)
            default: return nil
            }
        }
        set { self["_time"] = newValue.map { .number(EpochText.format($0)) } }
    }

    /// `_seq`, the event's number in its sample's unsharded stream (eg-rate writes it), when it
    /// holds a non-negative integer.
    public var eventNumber: UInt64? {
        if case .number(let s)? = self["_seq"] { return UInt64(s) }
        return nil
    }

    /// `sample`, the sample (or stanza) the event came from.
    public var sample: String? { string("sample") }

    /// True for stanza records (`"_kind": "stanza"`).
    public var isStanza: Bool { self["_kind"]?.stringValue == "stanza" }

    /// Appends the record as one compact JSON line, newline included.
    public func append(to out: inout [UInt8]) {
        JSONWriter.appendObject(fields, to: &out)
        out.append(0x0A)
    }

    /// The record as one JSON line without the newline.
    public var jsonText: String {
        var out: [UInt8] = []
        JSONWriter.appendObject(fields, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
