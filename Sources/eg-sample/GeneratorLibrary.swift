import Core
import Foundation

/// eg's library of generators, found by name (`eg-sample windows-security`) on a search path:
/// 1. each folder of `EG_PATH` (colon-separated), in order;
/// 2. `<executable dir>/../share/eg/generators` (where `make install` puts them);
/// 3. the source tree's `generators/` when the executable runs from a build folder
///    (`<root>/.build*/...`), so a fresh clone's `make demo` finds them.
/// A generator is a subfolder holding `generator.yml`; its `about.yml` gives the one-line
/// `description` that `eg-sample --generators` shows. The first folder that has a name wins.
enum GeneratorLibrary {
    /// One generator of the library.
    struct Entry {
        var name: String
        var dir: String
        var description: String
    }

    /// The folders searched, in order (existing or not, so an error can name them all).
    static func searchPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        var dirs: [String] = []
        if let p = environment["EG_PATH"] {
            dirs += p.split(separator: ":").map(String.init).filter { !$0.isEmpty }
        }
        let exe = executablePath()
        let exeDir = (exe as NSString).deletingLastPathComponent
        dirs.append(URL(fileURLWithPath: exeDir).appendingPathComponent("../share/eg/generators").standardizedFileURL.path)
        if let root = sourceRoot(of: exe) { dirs.append(root + "/generators") }
        var seen = Set<String>()
        return dirs.filter { seen.insert($0).inserted }
    }

    /// The running executable with symbolic links resolved.
    static func executablePath() -> String {
        if let p = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return p }
        return URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path
    }

    /// The package root when `exe` lies in one of its build folders (a path component `.build*`).
    static func sourceRoot(of exe: String) -> String? {
        let parts = exe.split(separator: "/", omittingEmptySubsequences: false)
        guard let i = parts.lastIndex(where: { $0.hasPrefix(".build") }), i > 0 else { return nil }
        let root = parts[..<i].joined(separator: "/")
        return root.isEmpty ? nil : root
    }

    /// Whether a positional could name a library generator: a bare name, no path separator.
    static func isName(_ s: String) -> Bool {
        !s.isEmpty && !s.hasPrefix(".") && s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") }
    }

    /// The folder of the generator called `name`, or nil.
    static func find(_ name: String, in path: [String] = searchPath()) -> String? {
        guard isName(name) else { return nil }
        for dir in path {
            let g = (dir as NSString).appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: (g as NSString).appendingPathComponent("generator.yml")) { return g }
        }
        return nil
    }

    /// Every generator on the path, by name (the first of each name), with its description.
    static func all(in path: [String] = searchPath()) -> [Entry] {
        var out: [Entry] = []
        for dir in path {
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted()
            for n in names where isName(n) && !out.contains(where: { $0.name == n }) {
                let g = (dir as NSString).appendingPathComponent(n)
                guard FileManager.default.fileExists(atPath: (g as NSString).appendingPathComponent("generator.yml")) else { continue }
                out.append(Entry(name: n, dir: g, description: description(of: g)))
            }
        }
        return out.sorted { $0.name < $1.name }
    }

    /// `description` from the generator's about.yml, or a note saying why there is none.
    static func description(of dir: String) -> String {
        let about = (dir as NSString).appendingPathComponent("about.yml")
        guard FileManager.default.fileExists(atPath: about) else { return "(no about.yml)" }
        guard let node = try? YAML.load(path: about) else { return "(about.yml does not parse: eg-sample --list shows why)" }
        return node["description"]?.scalarText ?? "(about.yml has no description)"
    }

    /// The error for a name found nowhere, listing the folders searched.
    static func notFound(_ name: String, path: [String] = searchPath()) -> EgError {
        EgError.usage("\(name): no such file, conf or app directory, and no generator of that name in "
                      + path.joined(separator: ", ")
                      + " (EG_PATH adds folders; eg-sample --generators lists the generators found)")
    }

    /// `eg-sample --generators`: one line per generator, its name and description.
    static func listing(_ entries: [Entry]) -> String {
        if entries.isEmpty { return "" }
        let width = entries.map(\.name.count).max()! + 2
        return entries.map { $0.name.padding(toLength: width, withPad: " ", startingAt: 0) + $0.description + "\n" }.joined()
    }
}
