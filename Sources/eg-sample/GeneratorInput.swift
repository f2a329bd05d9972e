import Foundation

/// Which positionals of eg-sample are Eventum generators, and their generator.yml files:
/// - a directory holding `generator.yml` is one generator;
/// - a directory whose subdirectories hold `generator.yml` (and that is not a Splunk app) is several,
///   in name order;
/// - a file named `generator.yml`, or any `*.yml`/`*.yaml` file, is one generator;
/// - a bare name that is no file or folder here is a generator of eg's library (`GeneratorLibrary`).
enum GeneratorInput {
    static func files(for path: String) throws -> [String]? {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDir) else {
            if path.hasSuffix(".yml") || path.hasSuffix(".yaml") { return [path] }
            if let dir = GeneratorLibrary.find(path) { return [(dir as NSString).appendingPathComponent("generator.yml")] }
            // A bare word without an extension is meant as a generator name: say where it was looked for.
            if GeneratorLibrary.isName(path) && !path.contains(".") { throw GeneratorLibrary.notFound(path) }
            return nil
        }
        if !isDir.boolValue {
            return path.hasSuffix(".yml") || path.hasSuffix(".yaml") ? [path] : nil
        }
        let own = (path as NSString).appendingPathComponent("generator.yml")
        if fm.fileExists(atPath: own) { return [own] }
        for app in ["default", "local"] where fm.fileExists(atPath: (path as NSString).appendingPathComponent(app)) {
            return nil
        }
        let subs = ((try? fm.contentsOfDirectory(atPath: path)) ?? []).sorted().compactMap { name -> String? in
            let f = ((path as NSString).appendingPathComponent(name) as NSString).appendingPathComponent("generator.yml")
            return fm.fileExists(atPath: f) ? f : nil
        }
        return subs.isEmpty ? nil : subs
    }
}
