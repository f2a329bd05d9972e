import Core

/// The whole input stream, read before generating: the stanza records in order, and the pool of
/// each sample (events whose `sample` names a stanza record), plus bare events for the ad-hoc sample.
public struct StreamInput {
    /// Stanza records as read, to pass through first.
    public var stanzaRecords: [Record] = []
    /// Parsed stanza records, in order (the last record for a sample wins).
    public var stanzas: [StanzaRecord] = []
    /// Pool records and their locations by sample name.
    public var pools: [String: (records: [Record], locations: [String])] = [:]
    /// Events that belong to no stanza record.
    public var bare: (records: [Record], locations: [String]) = ([], [])

    public init() {}

    /// Reads every record of `inputs`.
    public init(inputs: RecordInputs) throws {
        var events: [(Record, String)] = []
        while let r = try inputs.next() {
            let location = inputs.location
            if r.isStanza {
                let s = try StanzaRecord(record: r, location: location)
                stanzaRecords.append(r)
                stanzas.removeAll { $0.sample == s.sample }
                stanzas.append(s)
            } else {
                guard r.raw != nil else {
                    throw EgError.input(at: location, "event record has no \"_raw\" string (expected a stanza record or an event with \"_raw\")")
                }
                events.append((r, location))
            }
        }
        let names = Set(stanzas.map(\.sample))
        for (r, location) in events {
            if let s = r.sample, names.contains(s) {
                pools[s, default: ([], [])].records.append(r)
                pools[s, default: ([], [])].locations.append(location)
            } else {
                bare.records.append(r)
                bare.locations.append(location)
            }
        }
    }
}
