/// The stanza record: one sample's resolved configuration, carried in the stream.
///
/// `eg-sample` writes one before a sample's events; every later tool reads it to configure itself
/// and passes it on, so a pipeline needs the conf only once. On the wire:
/// `{"_kind":"stanza","sample":"cisco.log","stanza":"cisco\\.log","conf":"/x/eventgen.conf",
///   "sampleDir":"/x/samples","settings":{"interval":"15",...},
///   "sources":{"interval":"/x/eventgen.conf:4",...}}` (`sources`: the conf line of each setting,
/// so later tools' errors point at `conf:line`).
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
    /// The conf line (`file:line`) each setting came from, where known.
    public var sources: [String: String]
    /// An Eventum generator's configuration (inputs, template set, samples, outputs), as eg-sample
    /// writes it from generator.yml; nil for eventgen stanzas. Its keys are documented in eg-stream(5).
    public var eventum: JSONValue?

    public init(sample: String, stanza: String, conf: String? = nil, sampleDir: String? = nil,
                settings: [(key: String, value: String)], sources: [String: String] = [:], eventum: JSONValue? = nil) {
        self.sample = sample
        self.eventum = eventum
        self.stanza = stanza
        self.conf = conf
        self.sampleDir = sampleDir
        self.settings = settings
        self.sources = sources
    }

    /// The record's settings, each located at its conf line.
    public var located: Settings {
        var s = Settings(stanza: stanza)
        for (k, v) in settings { s.set(k, v, source: sources[k].flatMap(SourceLocation.init(parsing:))) }
        return s
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
        var sources: [String: String] = [:]
        if case .object(let fields)? = record["sources"] {
            for f in fields { if let v = f.value.text { sources[f.key] = v } }
        }
        self.sources = sources
        self.eventum = record["eventum"]
    }

    /// `record` (a stanza record line) with its `seed` setting replaced by `seed`: how one
    /// `--seed` on eg-sample or eg-rate travels down the pipe to the later tools, which use a
    /// stanza's seed unless their own `--seed` overrides it.
    public static func withSeed(_ record: Record, _ seed: UInt64) -> Record {
        var settings: [JSONField] = []
        if case .object(let fields)? = record["settings"] { settings = fields.filter { $0.key != "seed" } }
        settings.append(JSONField("seed", .string(String(seed))))
        var out = record
        out["settings"] = .object(settings)
        return out
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
        if !sources.isEmpty {
            fields.append(JSONField("sources", .object(settings.compactMap { kv in
                sources[kv.key].map { JSONField(kv.key, .string($0)) }
            })))
        }
        if let eventum { fields.append(JSONField("eventum", eventum)) }
        return Record(fields: fields)
    }

    public static func == (a: StanzaRecord, b: StanzaRecord) -> Bool {
        a.sample == b.sample && a.stanza == b.stanza && a.conf == b.conf && a.sampleDir == b.sampleDir
            && a.settings.elementsEqual(b.settings, by: { $0 == $1 }) && a.sources == b.sources && a.eventum == b.eventum
    }
}
