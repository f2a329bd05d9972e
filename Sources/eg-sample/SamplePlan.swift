import Core
import Foundation

/// The command-line choices that shape what eg-sample reads and emits.
struct SampleOptions {
    /// Conf files, app directories and log files, as given (`-` is standard input).
    var inputs: [String] = []
    /// `--sample-dir`: the sample directory for every stanza, winning over `sampleDir`.
    var sampleDir: String?
    /// `-s/--sample`: keep only samples whose file name, master stanza or a matching stanza is one of these.
    var selections: [String] = []
    /// Settings given on the command line (`--index`, `--breaker`, ...), overriding every sample's.
    var overrides: [(key: String, value: String)] = []
    /// `--list`: describe instead of emitting; per-sample problems are reported, not thrown.
    var list = false
    /// `--check`: validate instead of emitting (implies `list`'s lenient loading).
    var check = false
    /// `--seed`: written as the `seed` setting of every stanza record, for the later tools.
    var seed: UInt64?
    /// Working directory for relative paths.
    var workingDirectory = FileManager.default.currentDirectoryPath
}

/// One sample eg-sample will emit: where it came from, its merged settings (what goes into the
/// stanza record) and its pool of events.
struct PlannedSample {
    var name: String
    var path: String?
    var stanza: String
    var matchedStanzas: [String]
    var confPath: String?
    var sampleDir: String?
    var settings: Settings
    var events: [PoolEvent] = []
    /// How the pool was made, for `--list`: `raw, one event per line`, `csv`, `windbag`, ...
    var kind = ""
    /// True when the file was not valid UTF-8 and was read as Latin-1.
    var latin1 = false
    /// Timestamp tokens added by `autotimestamp`.
    var autoTokens: [AutoTimestamp.Pattern] = []
    /// True when `RawFileStream` writes the pool from the file (`events` stays empty).
    var streamed = false
    /// windbag: the number of synthetic events `Windbag` writes (`events` stays empty).
    var windbagCount: Int?
    /// The pool's size, for `--list`.
    var eventCount: Int { windbagCount ?? events.count }
    /// In `--list` mode, the error that would stop a real run (unsupported feature, bad file).
    var problem: String?

    /// The stanza record that precedes the sample's events.
    var stanzaRecord: StanzaRecord {
        var sources: [String: String] = [:]
        for k in settings.keys { if let src = settings.source(of: k) { sources[k] = src.description } }
        return StanzaRecord(sample: name, stanza: stanza, conf: confPath, sampleDir: sampleDir,
                            settings: settings.pairs.map { (key: $0.0, value: $0.1) }, sources: sources)
    }
}

/// Everything eg-sample found: the samples in output order and the warnings for the user.
struct SamplePlan {
    var samples: [PlannedSample] = []
    /// Samples left out because of an error in their stanza (the others still run).
    var refused: [RefusedSample] = []
    var warnings: [String] = []
    /// The merged configuration, when any conf or app was given.
    var conf: ConfSet?
    /// The log files given in plain-file mode.
    var logFiles: [String] = []

    /// Generators eg supports (`perdayvolumegenerator` is what `perDayVolume` selects).
    static let supportedGenerators: Set<String> = ["default", "replay", "windbag", "perdayvolumegenerator", "jinja"]

    /// Reads the inputs, resolves and loads the samples.
    static func build(_ options: SampleOptions, streamRawFiles: Bool = false, readStdin: () throws -> [UInt8] = { try FileDescriptor.readAll(path: "/dev/stdin") }) throws -> SamplePlan {
        var plan = SamplePlan()
        var confPaths: [String] = []
        for input in (options.inputs.isEmpty ? ["-"] : options.inputs) {
            let abs = input == "-" ? input : PathExpansion.resolve(input, relativeTo: options.workingDirectory)
            switch InputKind.classify(abs) {
            case .app, .conf: confPaths.append(input)
            case .logFile, .stdin: plan.logFiles.append(input)
            }
        }

        var candidates: [PlannedSample] = []
        if !confPaths.isEmpty {
            let conf = try ConfSet.load(confPaths, sampleDirOverride: options.sampleDir,
                                        workingDirectory: options.workingDirectory)
            plan.conf = conf
            let resolution = SampleResolver.resolve(conf)
            plan.warnings += resolution.warnings
            for r in resolution.samples {
                candidates.append(PlannedSample(name: r.name, path: r.path, stanza: r.stanzaName,
                                                matchedStanzas: r.matchedStanzas, confPath: r.confPath,
                                                sampleDir: r.sampleDir, settings: r.settings))
            }
        }
        for file in plan.logFiles {
            if file == "-" {
                candidates.append(PlannedSample(name: "stdin", path: nil, stanza: "stdin", matchedStanzas: [],
                                                confPath: nil, sampleDir: nil, settings: Settings(stanza: "stdin")))
            } else {
                let abs = PathExpansion.resolve(file, relativeTo: options.workingDirectory)
                let name = (abs as NSString).lastPathComponent
                candidates.append(PlannedSample(name: name, path: abs, stanza: name, matchedStanzas: [],
                                                confPath: nil, sampleDir: (abs as NSString).deletingLastPathComponent,
                                                settings: Settings(stanza: name)))
            }
        }

        if !options.selections.isEmpty {
            for s in options.selections where !candidates.contains(where: { matches($0, s) }) {
                let known = candidates.map(\.name).joined(separator: ", ")
                throw EgError.usage("--sample \(s): no sample file or stanza of that name (samples: \(known.isEmpty ? "none" : known))")
            }
            candidates = candidates.filter { c in options.selections.contains { matches(c, $0) } }
        }

        for var sample in candidates {
            for o in options.overrides { sample.settings.set(o.key, o.value) }
            do {
                if streamRawFiles, !options.list, RawFileStream.eligible(sample) {
                    try prepareStream(&sample)
                } else {
                    try load(&sample, stdin: readStdin)
                }
            } catch let e as EgError where options.list {
                sample.problem = e.description
            } catch let e as EgError where e.kind == .config || e.kind == .input {
                // One stanza's problem does not stop the others: reported, left out, summed up at the end.
                plan.refused.append(RefusedSample(name: sample.name, error: e))
                continue
            }
            if let w = noTimestampWarning(sample) { plan.warnings.append(w) }
            plan.samples.append(sample)
        }
        if !options.list {
            plan.warnings += unknownKeyWarnings(plan.samples)
        }
        return plan
    }

    /// Whether `-s name` selects a sample: its name, its master stanza or any stanza that matched it.
    static func matches(_ sample: PlannedSample, _ name: String) -> Bool {
        sample.name == name || sample.stanza == name || sample.matchedStanzas.contains(name)
    }

    /// The error for a feature not supported yet, or nil.
    static func unsupported(_ sample: PlannedSample) -> EgError? {
        let s = sample.settings
        let generator = SampleResolver.effectiveGenerator(s, global: Settings())
        if !supportedGenerators.contains(generator) {
            return EgError.config(at: s.location(of: "generator") ?? "stanza [\(sample.stanza)]",
                                  "[\(sample.stanza)] generator = \(generator) is not supported yet (eg supports default, replay, windbag, jinja and perDayVolume)")
        }
        if let mode = s["outputMode"], SettingSchema.unsupportedOutputModes.contains(mode) {
            return EgError.config(at: s.location(of: "outputMode") ?? "stanza [\(sample.stanza)]",
                                  "[\(sample.stanza)] outputMode = \(mode) is not supported yet")
        }
        return nil
    }

    /// Checks a sample `RawFileStream` will write (supported, readable) instead of loading it.
    static func prepareStream(_ sample: inout PlannedSample) throws {
        if let e = unsupported(sample) { throw e }
        guard let path = sample.path else { return }
        do {
            // Open and read a byte: a directory or unreadable file fails here, before any output.
            let fd = try FileDescriptor.openForReading(path)
            defer { fd.close() }
            var byte: UInt8 = 0
            _ = try fd.read(into: &byte, count: 1)
        } catch {
            throw EgError.input(at: path, "cannot read sample file: \(error)")
        }
        sample.streamed = true
    }

    /// Fills the sample's pool (and settings for windbag and autotimestamp).
    static func load(_ sample: inout PlannedSample, stdin: () throws -> [UInt8]) throws {
        if let e = unsupported(sample) { throw e }
        let generator = SampleResolver.effectiveGenerator(sample.settings, global: Settings())
        if generator == "jinja" {
            try JinjaSample.prepare(&sample)
            return
        }
        if generator == "windbag" {
            let n = try Windbag.eventCount(sample.settings)
            sample.windbagCount = n
            Windbag.addSettings(&sample.settings)
            sample.kind = "windbag, \(n) synthetic events"
            return
        }
        let label = sample.path ?? "stdin"
        let bytes: [UInt8]
        do {
            bytes = sample.path == nil ? try stdin() : try FileDescriptor.readAll(path: sample.path!)
        } catch {
            throw EgError.input(at: label, "cannot read sample file: \(error)")
        }
        let decoded = TextDecoding.decode(bytes)
        sample.latin1 = decoded.latin1
        let type = sample.settings["sampletype"].flatMap { $0.isEmpty ? nil : $0 } ?? "raw"
        switch type {
        case "raw":
            let breaker = sample.settings["breaker"]
            sample.events = try SampleLoader.splitRaw(decoded.text, breaker: breaker,
                                                      context: sample.settings.location(of: "breaker") ?? "breaker of [\(sample.stanza)]")
            let byLines = breaker == nil || breaker!.isEmpty || breaker == SampleLoader.defaultBreaker
            sample.kind = byLines ? "raw, one event per line" : "raw, events start at breaker \(breaker!)"
        case "csv":
            sample.events = try SampleLoader.parseCSV(decoded.text, file: label)
            sample.kind = "csv"
        default:
            throw sample.settings.invalid("sampletype", type, "raw or csv")
        }
        if sample.latin1 { sample.kind += ", read as Latin-1 (not valid UTF-8)" }

        if sample.settings.bool("autotimestamp") == true && generator == "default" {
            var patterns: [AutoTimestamp.Pattern] = []
            if sample.events.first?.columns.contains(where: { $0.key == "_time" }) == true {
                patterns.append(AutoTimestamp.csvTimePattern)
            }
            let catalogue = try AutoTimestamp.catalogue(for: sample.settings)
            for p in try AutoTimestamp.detect(lines: sample.events.map(\.raw), patterns: catalogue,
                                              context: "autotimestamps of [\(sample.stanza)]") where !patterns.contains(p) {
                patterns.append(p)
            }
            sample.autoTokens = AutoTimestamp.addTokens(patterns, to: &sample.settings)
        }
    }

    /// The warning for a sample where `autotimestamp` found nothing to replace (and no token
    /// writes a timestamp): its events would keep their old times.
    static func noTimestampWarning(_ sample: PlannedSample) -> String? {
        guard sample.problem == nil, sample.settings.bool("autotimestamp") == true, sample.autoTokens.isEmpty,
              SampleResolver.effectiveGenerator(sample.settings, global: Settings()) == "default" else { return nil }
        let tokens = (try? sample.settings.tokens()) ?? []
        guard !tokens.contains(where: { $0.type == "timestamp" || $0.type == "replaytimestamp" }) else { return nil }
        return "\(sample.path ?? "stdin"): autotimestamp found no timestamp it knows in [\(sample.stanza)]: its events are replayed with their text as it is (add a timestamp token, or an autotimestamps catalogue)"
    }

    /// One warning per setting no eg tool reads (per conf line, so a `[global]` typo is reported once).
    static func unknownKeyWarnings(_ samples: [PlannedSample]) -> [String] {
        var seen: Set<String> = []
        var out: [String] = []
        for s in samples {
            for key in KnownSettings.unknownKeys(in: s.settings) {
                let at = s.settings.location(of: key) ?? "stanza [\(s.stanza)]"
                guard seen.insert("\(at)|\(key)").inserted else { continue }
                out.append("\(at): [\(s.stanza)] setting '\(key)' is not read by any eg tool (a typo?)")
            }
        }
        return out
    }

    /// The event records of a sample's pool: `_raw`, `sample`, `index`, `host`, `source`,
    /// `sourcetype`, then (csv) the row's other columns as strings; a non-empty csv `index`,
    /// `host`, `source` or `sourcetype` cell overrides the stanza's value.
    static func records(_ sample: PlannedSample) -> [Record] {
        func setting(_ key: String, _ fallback: String) -> String {
            if let v = sample.settings[key], !v.isEmpty { return v }
            return fallback
        }
        let index = setting("index", "main"), host = setting("host", "127.0.0.1")
        let source = setting("source", sample.name), sourcetype = setting("sourcetype", "eventgen")
        return sample.events.map { e in
            var meta = (index: index, host: host, source: source, sourcetype: sourcetype)
            var extra: [JSONField] = []
            for c in e.columns {
                switch c.key {
                case "index": if !c.value.isEmpty { meta.index = c.value }
                case "host": if !c.value.isEmpty { meta.host = c.value }
                case "source": if !c.value.isEmpty { meta.source = c.value }
                case "sourcetype": if !c.value.isEmpty { meta.sourcetype = c.value }
                case "sample", "_kind": break
                default: extra.append(JSONField(c.key, .string(c.value)))
                }
            }
            return Record(fields: [JSONField("_raw", .string(e.raw)), JSONField("sample", .string(sample.name)),
                                   JSONField("index", .string(meta.index)), JSONField("host", .string(meta.host)),
                                   JSONField("source", .string(meta.source)),
                                   JSONField("sourcetype", .string(meta.sourcetype))] + extra)
        }
    }
}
