import Foundation

/// One input given to a tool: a conf file or an app directory, with the conf files read for it
/// (an app: `default/eventgen.conf` then `local/eventgen.conf`) and the sample directory eventgen
/// would use when no `sampleDir` is set.
public struct ConfInput: Sendable, Equatable {
    /// The path as given (a file or an app directory), made absolute.
    public var path: String
    /// The parsed conf files of this input, in layering order (later wins).
    public var files: [ConfFile]
    /// Absolute default sample directory: `<app>/samples` for an app directory;
    /// `<parent of the conf's directory>/samples` for a conf file if it exists, else
    /// `./samples` if that exists, else the former.
    public var defaultSampleDir: String

    public init(path: String, files: [ConfFile], defaultSampleDir: String) {
        self.path = path
        self.files = files
        self.defaultSampleDir = defaultSampleDir
    }

    /// Reads one input. `workingDirectory` resolves relative paths and the `./samples` fallback.
    public static func load(_ path: String, workingDirectory: String) throws -> ConfInput {
        let abs = PathExpansion.resolve(path, relativeTo: workingDirectory)
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: abs, isDirectory: &isDir) else {
            throw EgError.config(at: path, "no such conf file or app directory")
        }
        if isDir.boolValue {
            let candidates = ["default", "local"].map { "\(abs)/\($0)/eventgen.conf" }
            let existing = candidates.filter { fm.fileExists(atPath: $0) }
            if existing.isEmpty {
                throw EgError.config(at: path, "app directory has neither default/eventgen.conf nor local/eventgen.conf")
            }
            return ConfInput(path: abs, files: try existing.map { try ConfFile.load(path: $0) },
                             defaultSampleDir: abs + "/samples")
        }
        let confDir = (abs as NSString).deletingLastPathComponent
        let primary = PathExpansion.resolve("../samples", relativeTo: confDir)
        let cwdSamples = PathExpansion.resolve("samples", relativeTo: workingDirectory)
        var chosen = primary
        if !isDirectory(primary) && isDirectory(cwdSamples) { chosen = cwdSamples }
        return ConfInput(path: abs, files: [try ConfFile.load(path: abs)], defaultSampleDir: chosen)
    }

    static func isDirectory(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }
}

/// A merged stanza of a `ConfSet`: its settings after layering (each key keeping the conf line
/// that won), and the input that last contributed to it (whose default sample directory applies).
public struct ConfStanza: Sendable, Equatable {
    public var name: String
    public var settings: Settings
    /// Index into `ConfSet.inputs` of the last input that defined this stanza.
    public var inputIndex: Int
    /// Where the stanza header first appeared.
    public var source: SourceLocation
}

/// All configuration given to a tool: one or more inputs merged in order, stanza by stanza and
/// key by key (later files win), as eventgen and Splunk layer `default` and `local`.
/// `[global]` is kept apart from the sample stanzas.
public struct ConfSet: Sendable, Equatable {
    public var inputs: [ConfInput]
    /// Merged sample stanzas (everything but `[global]`), in order of first appearance.
    public var stanzas: [ConfStanza]
    /// The merged `[global]` stanza (empty when there is none).
    public var global: Settings
    /// A caller-supplied sample directory (`--sample-dir`), winning over every `sampleDir`.
    public var sampleDirOverride: String?

    /// Merges already-read inputs.
    public init(inputs: [ConfInput], sampleDirOverride: String? = nil) {
        self.inputs = inputs
        self.sampleDirOverride = sampleDirOverride
        self.global = Settings(stanza: "global")
        self.stanzas = []
        for (index, input) in inputs.enumerated() {
            for file in input.files {
                for section in file.sections {
                    if section.name == "global" {
                        global.merge(section.settings)
                    } else if let k = stanzas.firstIndex(where: { $0.name == section.name }) {
                        stanzas[k].settings.merge(section.settings)
                        stanzas[k].inputIndex = index
                    } else {
                        stanzas.append(ConfStanza(name: section.name, settings: section.settings,
                                                  inputIndex: index, source: section.source))
                    }
                }
            }
        }
    }

    /// Reads and merges the given conf files / app directories, in order.
    public static func load(_ paths: [String], sampleDirOverride: String? = nil,
                            workingDirectory: String = FileManager.default.currentDirectoryPath) throws -> ConfSet {
        let inputs = try paths.map { try ConfInput.load($0, workingDirectory: workingDirectory) }
        let override = sampleDirOverride.map { PathExpansion.resolve(PathExpansion.expand($0), relativeTo: workingDirectory) }
        return ConfSet(inputs: inputs, sampleDirOverride: override)
    }

    public subscript(stanza name: String) -> ConfStanza? {
        stanzas.first { $0.name == name }
    }

    /// The absolute sample directory for a stanza: the override, else the stanza's `sampleDir`,
    /// else `[global]`'s (a relative `sampleDir` is resolved against the directory of the conf file
    /// that set it, after `$VAR` expansion), else the default of the stanza's input.
    public func sampleDir(for stanza: ConfStanza) -> String {
        if let sampleDirOverride { return sampleDirOverride }
        for settings in [stanza.settings, global] {
            if let dir = settings["sampleDir"], !dir.isEmpty {
                let base: String
                if let file = settings.source(of: "sampleDir")?.file {
                    base = (PathExpansion.resolve(file, relativeTo: FileManager.default.currentDirectoryPath) as NSString)
                        .deletingLastPathComponent
                } else {
                    base = inputs.isEmpty ? FileManager.default.currentDirectoryPath
                                          : inputs[stanza.inputIndex].defaultSampleDir
                }
                return PathExpansion.resolve(PathExpansion.expand(dir), relativeTo: base)
            }
        }
        if inputs.isEmpty { return PathExpansion.resolve("samples", relativeTo: FileManager.default.currentDirectoryPath) }
        return inputs[stanza.inputIndex].defaultSampleDir
    }
}
