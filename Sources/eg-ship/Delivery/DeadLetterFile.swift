#if canImport(Glibc)
import Glibc
#endif
import Core

/// The `--dead-letter FILE` writer: every undeliverable event as its NDJSON record, preceded (the
/// first time one of its sample's events lands here, and again after its stanza changed) by a
/// stanza record holding the output settings it was shipped with (the stanza's keys with the
/// command line's applied, `outputMode` included), so `eg-ship FILE` sends the events where they
/// were going. Settings are written as they were given: `${secrets.NAME}` references stay
/// references. The file is created with mode 0600.
///
/// Each call's records are written at once; on a write error the records written whole count as
/// kept, a torn one is cut back, and the rest are counted as lost.
final class DeadLetterFile {
    let path: String
    private let fd: FileDescriptor
    private var size = 0
    private var regular = true
    /// Each sample's stanza record line; "" holds the settings of events without a stanza record.
    /// An Eventum generator's carries its configuration (`eventum`).
    private var stanzas: [String: (stanza: String, settings: [(String, String)], eventum: JSONValue?)] = [:]
    /// An Eventum generator's configuration with only one of its outputs, by sample and output
    /// name: its events that output could not deliver go back to that output alone.
    private var outputs: [String: JSONValue] = [:]
    /// Which stanza record of each sample is the last one in the file ("" the sample's own, else
    /// the output's name).
    private var written: [String: String] = [:]
    /// Events written, and events that could not be written.
    private(set) var kept = 0
    private(set) var lost = 0

    init(path: String) throws {
        self.path = path
        fd = try FileDescriptor.openForWriting(path, append: true, mode: 0o600)
        var st = stat()
        if fstat(fd.rawValue, &st) == 0 {
            regular = (st.st_mode & S_IFMT) == S_IFREG
            size = regular ? Int(st.st_size) : 0
        }
    }

    /// Records the output settings events of `sample` are shipped with ("" for events without a
    /// stanza record of their own).
    func remember(sample: String, stanza: String, settings: [(String, String)], eventum: JSONValue? = nil) {
        stanzas[sample] = (stanza, settings, eventum)
        outputs = outputs.filter { !$0.key.hasPrefix(sample + "\u{0}") }
        written[sample] = nil
    }

    /// Records the configuration that sends `sample`'s events to the generator output `output` only.
    func remember(sample: String, output: String, eventum: JSONValue) {
        outputs[sample + "\u{0}" + output] = eventum
        written[sample] = nil
    }

    /// Appends the events (and the stanza records they need); reports a write error on stderr.
    func write(_ failed: [Undelivered], output: String = "") {
        var bytes: [UInt8] = []
        var ends: [(end: Int, event: Bool)] = []
        for f in failed {
            let sample = f.event.sample
            let only = outputs[sample + "\u{0}" + output]
            let which = only == nil ? "" : output
            if written[sample] != which, let st = stanzas[sample] ?? stanzas[""] {
                StanzaRecord(sample: sample, stanza: st.stanza, settings: st.settings.map { (key: $0.0, value: $0.1) },
                             eventum: only ?? st.eventum)
                    .record.append(to: &bytes)
                ends.append((bytes.count, false))
                written[sample] = which
            }
            f.event.record.append(to: &bytes)
            ends.append((bytes.count, true))
        }
        let (n, err) = bytes.withUnsafeBytes { fd.writeSome($0) }
        var whole = 0
        for e in ends where e.end <= n {
            whole = e.end
            if e.event { kept += 1 }
        }
        size += whole
        guard let err else { return }
        let events = ends.filter(\.event).count
        let missing = events - ends.filter { $0.event && $0.end <= n }.count
        lost += missing
        // Stanza records may not have made it: write them again before the next events.
        written.removeAll()
        var message = "eg-ship: \(path): write failed: \(err): \(missing) undelivered event\(missing == 1 ? "" : "s") not kept in the dead letter"
        if n > whole {
            if regular, ftruncate(fd.rawValue, off_t(size)) == 0 {
                message += " (the partly written record was removed)"
            } else {
                message += "; \(n - whole) bytes of a partly written record remain at its end"
            }
        }
        Diagnostics.write(message + "\n")
    }

    func close() { fd.close() }
}
