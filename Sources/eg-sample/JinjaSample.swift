import Core
import Foundation

/// eventgen's `generator = jinja` as eg-sample prepares it: the template directory resolved
/// (`jinja_template_dir` relative to the conf's directory, as eventgen does, else to the sample
/// directory; default `<conf dir>/../samples/templates`), the template set compiled once so a
/// syntax error stops the run before any event, `jinja_variables` checked, and a pool of one
/// cycle event that eg-rate repeats `count` times per interval (once, carrying the count, for
/// `jinja_count_type = perDayVolume`) and eg-tokenize renders.
enum JinjaSample {

    static func prepare(_ sample: inout PlannedSample) throws {
        let s = sample.settings
        let stanza = sample.stanza
        func at(_ key: String) -> String { s.location(of: key) ?? "stanza [\(stanza)]" }
        guard let target = s["jinja_target_template"], !target.isEmpty else {
            throw EgError.config(at: at("generator"),
                                 "[\(sample.stanza)] generator = jinja needs jinja_target_template (the root template's file name)")
        }
        let confDir = sample.confPath.map { ($0 as NSString).deletingLastPathComponent } ?? FileManager.default.currentDirectoryPath
        let dir = templateDirectory(s["jinja_template_dir"], confDir: confDir, sampleDir: sample.sampleDir)
        sample.settings.set("jinja_template_dir", dir)
        if let type = s["jinja_count_type"], !type.isEmpty, type != "cycles", type != "perDayVolume" {
            throw EgError.config(at: at("jinja_count_type"), "[\(sample.stanza)] jinja_count_type = \(type): "
                                 + "expected cycles or perDayVolume (eventgen accepts line_count but fails when it runs)")
        }
        if let text = s["jinja_variables"], !text.trimmingCharacters(in: .whitespaces).isEmpty {
            let value = try? JSONParser.parse(text)
            guard case .object? = value else {
                throw EgError.config(at: at("jinja_variables"), "[\(sample.stanza)] jinja_variables = \(text): expected a JSON object")
            }
        }
        let env = TemplateEnvironment(directories: [dir, confDir], syntax: .eventgen)
        env.displayPrefix = display(dir)
        EventgenTags.install(in: env, zone: .utc) { EventTime.now() }
        do {
            _ = try env.template(named: target)
        } catch let e as TemplateError {
            if e.message == "template not found" && e.file.hasSuffix(target) {
                throw EgError.config(at: at("jinja_target_template"),
                                     "[\(sample.stanza)] jinja_target_template = \(target): no such template in \(dir)")
            }
            throw EgError.config(at: e.location, e.message)
        }
        sample.events = [PoolEvent(raw: "", line: 1)]
        let others = env.names.filter { $0 != target }
        sample.kind = "jinja template \(display(dir))\(target)" + (others.isEmpty ? "" : " (with \(others.joined(separator: ", ")))")
            + (s["jinja_count_type"] == "perDayVolume" ? ", cycles until count fields per interval" : ", one cycle per event")
    }

    static func templateDirectory(_ setting: String?, confDir: String, sampleDir: String?) -> String {
        guard let d = setting, !d.isEmpty else {
            return ((confDir as NSString).deletingLastPathComponent as NSString).appendingPathComponent("samples/templates")
        }
        let fromConf = PathExpansion.resolve(d, relativeTo: confDir)
        if FileManager.default.fileExists(atPath: fromConf) { return fromConf }
        if let sampleDir {
            let fromSamples = PathExpansion.resolve(d, relativeTo: sampleDir)
            if FileManager.default.fileExists(atPath: fromSamples) { return fromSamples }
        }
        return fromConf
    }

    /// A directory as messages show it: relative to the working directory when inside it.
    static func display(_ dir: String) -> String {
        let cwd = FileManager.default.currentDirectoryPath
        if dir.hasPrefix(cwd + "/") { return String(dir.dropFirst(cwd.count + 1)) + "/" }
        return dir + "/"
    }
}
