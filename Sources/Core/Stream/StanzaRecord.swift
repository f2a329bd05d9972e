/// The stanza record: one sample's resolved configuration, carried in the stream.
///
/// `eg-sample` writes one before a sample's events; every later tool reads it to configure itself
/// and passes it on, so a pipeline needs the conf only once. On the wire:
/// `{"_kind":"stanza","sample":"cisco.log","stanza":"cisco\\.log","conf":"/x/eventgen.conf",
///   "sampleDir":"/x/samples","settings":{"interval":"15",...}}`.
public struct StanzaRecord: Equatable, Sendable {
    /// The sample's name: its file name, or the stanza name for generators without a file.
    public var sample: String
    /// The master stanza's name as written in the conf.
    public var stanza: String
    /// The conf file the stanza came from, if any.
    public var conf: String?
    /// The sample directory, if any.
    public var sampleDir: String?
    /// Every key of the merged stanza, as strings, in conf order.
    public var settings: [(key: String, value: String)]
    /// An Eventum generator's configuration (inputs, template set, samples, outputs), as eg-sample
    /// writes it from generator.yml; nil for eventgen stanzas. Its keys are documented in eg-stream(5).
    public var eventum: JSONValue?

    public init(sample: String, stanza: String, conf: String? = nil, sampleDir: String? = nil,
                settings: [(key: String, value: String)], eventum: JSONValue? = nil) {
        self.sample = sample
        self.eventum = eventum
        self.stanza = stanza
        self.conf = conf
        self.sampleDir = sampleDir
        self.settings = settings
    }

    /// Reads a stanza record; `location` (e.g. `stdin:4`) is used in error messages.
    public init(record: Record, location: String) throws {
        guard let sample = record.string("sample") else {
            throw EgError.input(at: location, "stanza record has no \"sample\" string")
        }
        self.sample = sample
        self.stanza = record.string("stanza") ?? sample
        self.conf = record.string("conf")
        self.sampleDir = record.string("sampleDir")
        var settings: [(key: String, value: String)] = []
        switch record["settings"] {
        case .object(let fields)?:
            for f in fields {
                guard let v = f.value.text else {
                    throw EgError.input(at: location, "stanza setting \"\(f.key)\" must be a string")
                }
                Secrets.registerSetting(f.key, v)
                settings.append((f.key, v))
            }
        case nil: break
        default: throw EgError.input(at: location, "stanza record \"settings\" must be an object of strings")
        }
        self.settings = settings
        self.eventum = record["eventum"]
    }

    /// The value of a setting, last one winning.
    public func setting(_ key: String) -> String? {
        settings.last(where: { $0.key == key })?.value
    }

    /// The record as it travels in the stream.
    public var record: Record {
        var fields: [JSONField] = [JSONField("_kind", .string("stanza")), JSONField("sample", .string(sample)),
                                   JSONField("stanza", .string(stanza))]
        if let conf { fields.append(JSONField("conf", .string(conf))) }
        if let sampleDir { fields.append(JSONField("sampleDir", .string(sampleDir))) }
        fields.append(JSONField("settings", .object(settings.map { JSONField($0.key, .string($0.value)) })))
        if let eventum { fields.append(JSONField("eventum", eventum)) }
        return Record(fields: fields)
    }

    public static func == (a: StanzaRecord, b: StanzaRecord) -> Bool {
        a.sample == b.sample && a.stanza == b.stanza && a.conf == b.conf && a.sampleDir == b.sampleDir
            && a.settings.elementsEqual(b.settings, by: { $0 == $1 }) && a.eventum == b.eventum
    }
}
