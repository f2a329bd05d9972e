import Core

/// The `--list` report: a human-readable description of what eg-sample would emit.
///
/// For every stanza of the configuration (conf order, `[global]` first): where it was defined,
/// whether it is disabled, and the samples it matched (as master or filling in). Then every
/// sample: file, master stanza, sample directory, how it was read and how many events it has,
/// its merged settings with the conf line each came from, settings no eg tool reads (possible
/// typos), tokens added by autotimestamp or windbag, and any problem a real run would stop on.
/// Warnings come last.
enum ListReport {
    static func render(_ plan: SamplePlan, workingDirectory: String) -> String {
        let files = ReplacementFiles()
        files.workingDirectory = workingDirectory
        var out = ""
        if let conf = plan.conf {
            out += "Configuration:\n"
            for input in conf.inputs {
                out += "  \(input.path)\n"
                for f in input.files where f.path != input.path { out += "    reads \(f.path)\n" }
            }
            if !conf.global.isEmpty {
                out += "\n[global]\n"
                out += settingsLines(conf.global, indent: "    ")
            }
            out += "\nStanzas:\n"
            for stanza in conf.stanzas {
                let disabled = stanza.settings.bool("disabled") ?? conf.global.bool("disabled") ?? false
                out += "  [\(stanza.name)]  (\(stanza.source))\n"
                if disabled { out += "    disabled\n"; continue }
                let matched = plan.samples.filter { $0.matchedStanzas.contains(stanza.name) }
                if matched.isEmpty {
                    if plan.samples.contains(where: { $0.stanza == stanza.name }) {
                        out += "    no sample file (generator needs none)\n"
                    } else {
                        out += "    matched no file in \(conf.sampleDir(for: stanza))\n"
                    }
                }
                for s in matched {
                    out += "    matched \(s.name)" + (s.stanza == stanza.name ? " (master)" : " (fills in settings and tokens for [\(s.stanza)])") + "\n"
                }
            }
        }
        out += "\nSamples: \(plan.samples.count)\n"
        for s in plan.samples {
            out += "\n  \(s.name)\n"
            out += "    stanza: [\(s.stanza)]"
            if s.matchedStanzas.count > 1 { out += ", also " + s.matchedStanzas.dropFirst().map { "[\($0)]" }.joined(separator: ", ") }
            out += "\n"
            if let p = s.path { out += "    file: \(p)\n" } else if s.name == "stdin" { out += "    file: standard input\n" }
            if let d = s.sampleDir { out += "    sample dir: \(d)\n" }
            if let problem = s.problem {
                out += "    ERROR: \(problem)\n"
            } else {
                out += "    events: \(s.eventCount) (\(s.kind))\n"
            }
            if s.settings.bool("bundlelines") == true {
                out += "    bundlelines: the whole pool is one bundle (eg-rate marks each copy with _bundle)\n"
            }
            out += "    settings:\n"
            out += s.settings.isEmpty ? "      (none)\n" : settingsLines(s.settings, indent: "      ")
            for p in s.autoTokens { out += "    autotimestamp added: \(p.regex) -> \(p.format)\n" }
            let unknown = KnownSettings.unknownKeys(in: s.settings)
            if !unknown.isEmpty {
                out += "    unknown settings (no eg tool reads them; typos?): " + unknown.joined(separator: ", ") + "\n"
            }
            let problems = ConfCheck.problems(s, files: files)
            if !problems.isEmpty {
                out += "    problems (--check):\n"
                for e in problems { out += "      \(e.description)\n" }
            }
        }
        let warnings = plan.warnings + SamplePlan.unknownKeyWarnings(plan.samples)
        if !warnings.isEmpty {
            out += "\nWarnings:\n"
            for w in warnings { out += "  \(w)\n" }
        }
        return out
    }

    static func settingsLines(_ settings: Settings, indent: String) -> String {
        var out = ""
        for (k, v) in settings.pairs {
            let value = v.replacingOccurrences(of: "\n", with: "\\n")
            out += "\(indent)\(k) = \(value)"
            if let src = settings.source(of: k) { out += "    (\(src))" }
            if !KnownSettings.isKnown(k) { out += "    <- unknown" }
            out += "\n"
        }
        return out
    }
}
