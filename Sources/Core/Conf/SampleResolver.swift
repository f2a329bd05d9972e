import Foundation

/// One sample eventgen would run: a sample file (or, for file-less generators such as windbag or
/// jinja, a stanza) with the merged settings of every stanza that matched it and `[global]`.
public struct ResolvedSample: Sendable, Equatable {
    /// The sample file name, or the stanza name when there is no file.
    public var name: String
    /// Absolute path of the sample file; nil for a stanza whose generator needs no file.
    public var path: String?
    /// The master stanza: the exact-name match, else the longest matching pattern.
    public var stanzaName: String
    /// Every stanza that matched, master first, then the others in conf order.
    public var matchedStanzas: [String]
    /// Merged settings: the master's, then keys only the other stanzas set, their tokens and
    /// anomalies appended (renumbered after the master's highest number), then `[global]` defaults.
    public var settings: Settings
    /// The conf file that last defined the master stanza.
    public var confPath: String
    /// The directory the sample was looked for in.
    public var sampleDir: String
}

/// The samples of a `ConfSet`, and what to tell the user about stanzas that produced none.
public struct SampleResolution: Sendable, Equatable {
    public var samples: [ResolvedSample]
    public var warnings: [String]
}

/// Matches stanzas against sample files as eventgen does (`lib/eventgenconfig.py`):
///
/// - a stanza name is a Python regex that must match the whole file name (`re.match` whose span
///   is the whole name); a name that is not a valid regex is matched literally, with a warning;
/// - disabled stanzas (`disabled` true in the stanza, else in `[global]`) are skipped;
/// - several stanzas matching one file: the master is the exact-name match, else the longest
///   pattern (first in conf order on a tie); the others only fill unset keys and append their tokens;
/// - `[global]` fills what is still unset (its `token.<n>.*` keys are not applied, as in eventgen);
/// - a stanza matching no file is dropped with a warning when its generator reads files
///   (`default`, `replay` via `mode = replay`, `perdayvolumegenerator`); with any other
///   generator it becomes a sample named after the stanza, with no file;
/// - hidden files and directories are never samples.
public enum SampleResolver {
    /// Generators that read a sample file; a stanza using one needs a matching file.
    public static let fileGenerators: Set<String> = ["default", "replay", "perdayvolumegenerator"]

    /// Resolves the samples; `listing` returns the file names of a sample directory
    /// (default: `listSampleDir`, reading the disk).
    public static func resolve(_ conf: ConfSet,
                               listing: (String) -> [String] = listSampleDir) -> SampleResolution {
        var warnings: [String] = []
        if conf.global.keys.contains(where: { Settings.numberedParts($0)?.prefix == "token" }) {
            warnings.append("[global]: token settings in [global] are not applied to samples (as in eventgen)")
        }

        struct Active {
            var stanza: ConfStanza
            var dir: String
            var matches: (String) -> Bool
        }
        var active: [Active] = []
        for stanza in conf.stanzas {
            let disabled = stanza.settings.bool("disabled") ?? conf.global.bool("disabled") ?? false
            if disabled { continue }
            let name = stanza.name
            let matcher: (String) -> Bool
            if let regex = try? PythonRegex.compile(name, context: "stanza [\(name)]") {
                matcher = { regex.matchesWhole($0) || $0 == name }
            } else {
                warnings.append("[\(name)]: stanza name is not a valid regex; matched as a literal file name")
                matcher = { $0 == name }
            }
            active.append(Active(stanza: stanza, dir: conf.sampleDir(for: stanza), matches: matcher))
        }

        var listings: [String: [String]] = [:]
        func files(in dir: String) -> [String] {
            if let cached = listings[dir] { return cached }
            let names = listing(dir).sorted()
            listings[dir] = names
            return names
        }

        var samples: [ResolvedSample] = []
        var done: Set<String> = []
        for a in active {
            let matched = files(in: a.dir).filter(a.matches)
            if matched.isEmpty {
                let generator = effectiveGenerator(a.stanza.settings, global: conf.global)
                if fileGenerators.contains(generator) {
                    warnings.append("[\(a.stanza.name)]: no sample file in \(a.dir) matches the stanza name; stanza skipped")
                } else {
                    var settings = a.stanza.settings
                    fillGlobal(&settings, conf.global)
                    samples.append(ResolvedSample(name: a.stanza.name, path: nil, stanzaName: a.stanza.name,
                                                  matchedStanzas: [a.stanza.name], settings: settings,
                                                  confPath: confPath(of: a.stanza, in: conf), sampleDir: a.dir))
                }
                continue
            }
            for file in matched {
                let path = PathExpansion.resolve(file, relativeTo: a.dir)
                if done.contains(path) { continue }
                done.insert(path)
                let candidates = active.filter { $0.dir == a.dir && $0.matches(file) }.map(\.stanza)
                let master = candidates.first { $0.name == file }
                    ?? candidates.reduce(candidates[0]) { $1.name.count > $0.name.count ? $1 : $0 }
                let others = candidates.filter { $0.name != master.name }
                var settings = master.settings
                for other in others { fillFrom(&settings, other.settings) }
                fillGlobal(&settings, conf.global)
                samples.append(ResolvedSample(name: file, path: path, stanzaName: master.name,
                                              matchedStanzas: [master.name] + others.map(\.name),
                                              settings: settings, confPath: confPath(of: master, in: conf),
                                              sampleDir: a.dir))
            }
        }
        return SampleResolution(samples: samples, warnings: warnings)
    }

    /// The generator a stanza runs: `perdayvolumegenerator` when `perDayVolume` is set, `replay`
    /// for `mode = replay`, else `generator` (stanza, then `[global]`), else `default`.
    public static func effectiveGenerator(_ settings: Settings, global: Settings) -> String {
        func value(_ key: String) -> String? {
            if let v = settings[key], !v.isEmpty { return v }
            if let v = global[key], !v.isEmpty { return v }
            return nil
        }
        if value("perDayVolume") != nil { return "perdayvolumegenerator" }
        if value("mode") == "replay" { return "replay" }
        return value("generator") ?? "default"
    }

    /// Non-hidden regular files (or links to them) in a directory, sorted; empty if unreadable.
    public static func listSampleDir(_ dir: String) -> [String] {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: dir) else { return [] }
        return names.filter { name in
            guard !name.hasPrefix(".") else { return false }
            var isDir: ObjCBool = false
            return fm.fileExists(atPath: dir + "/" + name, isDirectory: &isDir) && !isDir.boolValue
        }.sorted()
    }

    /// Adds the keys of a non-master stanza: plain keys only where unset; its token and anomaly
    /// groups appended, renumbered after the highest number already present.
    static func fillFrom(_ settings: inout Settings, _ other: Settings) {
        for key in other.keys where !Settings.isNumberedKey(key) {
            settings.setIfAbsent(key, other[key]!, source: other.source(of: key))
        }
        for prefix in ["token", "anomaly"] {
            var next = (settings.numberedGroups(prefix: prefix).last?.number ?? -1) + 1
            for group in other.numberedGroups(prefix: prefix) {
                for key in other.keys {
                    guard let parts = Settings.numberedParts(key), parts.prefix == prefix,
                          parts.number == group.number else { continue }
                    settings.set("\(prefix).\(next).\(parts.rest)", other[key]!, source: other.source(of: key))
                }
                next += 1
            }
        }
    }

    /// `[global]` defaults: every plain key not set yet.
    static func fillGlobal(_ settings: inout Settings, _ global: Settings) {
        for key in global.keys where !Settings.isNumberedKey(key) {
            settings.setIfAbsent(key, global[key]!, source: global.source(of: key))
        }
    }

    static func confPath(of stanza: ConfStanza, in conf: ConfSet) -> String {
        guard conf.inputs.indices.contains(stanza.inputIndex) else { return stanza.source.file }
        return conf.inputs[stanza.inputIndex].files.last { $0[section: stanza.name] != nil }?.path ?? stanza.source.file
    }
}
