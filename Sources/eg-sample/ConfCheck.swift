import Core
import Foundation

/// `eg-sample --check`: everything eg-sample, eg-rate, eg-tokenize and eg-ship would refuse in a
/// configuration, found without generating anything and reported all at once, one line per
/// problem (`conf:line: [stanza] key = value: problem`, with a "did you mean" for misspelt keys,
/// values and token types).
enum ConfCheck {
    /// The problems of every sample of the plan, each reported once (a `[global]` line shared by
    /// several samples is one problem, named after the first sample's stanza), in sample order.
    static func problems(_ plan: SamplePlan, workingDirectory: String) -> [EgError] {
        let files = ReplacementFiles()
        files.workingDirectory = workingDirectory
        var seen = Set<String>()
        var out: [EgError] = []
        func add(_ e: EgError, stanza: String = "") {
            var what = e.message
            if !stanza.isEmpty, what.hasPrefix("[\(stanza)] ") { what.removeFirst(stanza.count + 3) }
            if seen.insert("\(e.location ?? "")|\(what)").inserted { out.append(e) }
        }
        if plan.samples.isEmpty {
            add(EgError.config(at: nil, "no samples to generate: no enabled stanza matched a sample file"))
        }
        for s in plan.samples {
            if let p = s.problem { add(EgError.config(at: nil, p)) }
            for e in problems(s, files: files) { add(e, stanza: s.stanza) }
        }
        return out
    }

    /// The problems of one sample's merged settings (`SettingCheck`), with its pool for the
    /// volume limit.
    static func problems(_ s: PlannedSample, files: ReplacementFiles) -> [EgError] {
        let smallest = s.windbagCount != nil ? Windbag.eventText(1, of: s.eventCount).utf8.count + 1
            : (s.events.lazy.map { $0.raw.utf8.count + 1 }.min() ?? 1)
        let ctx = SettingCheck.Context(confDir: s.confPath.map { ($0 as NSString).deletingLastPathComponent },
                                       sampleDir: s.sampleDir, poolCount: s.eventCount, smallestEvent: smallest,
                                       files: files)
        return SettingCheck.problems(s.settings, ctx)
    }

    /// Problems in conf order: by file, then line (problems without a line keep their place last).
    static func sorted(_ problems: [EgError]) -> [EgError] {
        let keyed = problems.enumerated().map { (k, e) -> (String, Int, Int, EgError) in
            let loc = e.location.flatMap(SourceLocation.init(parsing:))
            return (loc?.file ?? "\u{10FFFF}", loc?.line ?? Int.max, k, e)
        }
        return keyed.sorted { ($0.0, $0.1, $0.2) < ($1.0, $1.1, $1.2) }.map(\.3)
    }

    /// Runs the check: problems on standard error and exit 2, or one OK line on standard output.
    static func run(_ plan: SamplePlan, options: SampleOptions, out: OutputBuffer) throws {
        for w in plan.warnings { Diagnostics.warning(w, tool: SampleCommand.spec.name) }
        let found = problems(plan, workingDirectory: options.workingDirectory)
        for e in sorted(found) { Diagnostics.error(e, tool: SampleCommand.spec.name) }
        let stanzas = plan.conf?.stanzas.count ?? 0
        let what = "\(plan.samples.count) sample\(plan.samples.count == 1 ? "" : "s")"
            + (plan.conf == nil ? "" : " of \(stanzas) stanza\(stanzas == 1 ? "" : "s")")
        if !found.isEmpty {
            throw EgError.config(at: nil, "check: \(found.count) problem\(found.count == 1 ? "" : "s") in \(what)")
        }
        try out.write("eg-sample: check: ok, \(what), no problems\n")
        try out.flush()
    }
}
