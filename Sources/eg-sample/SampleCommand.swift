import Core
import Foundation

/// eg-sample's command line and its run: read eventgen configurations (or plain log files),
/// find their samples as eventgen does, and write the record stream: for each sample its stanza
/// record, then its pool of events.
enum SampleCommand {
    static let spec = CommandSpec(
        name: "eg-sample",
        usage: ["[OPTIONS] [CONF|APPDIR|LOGFILE...]", "[OPTIONS] GENERATOR...", "--list [OPTIONS] CONF|APPDIR|GENERATOR...", "--check [OPTIONS] CONF|APPDIR|GENERATOR...", "--generators"],
        summary: "Reads eventgen.conf files, Splunk app directories (default/ then local/ eventgen.conf, merged key by key) or plain log files, finds each stanza's sample files as Splunk's eventgen does, and writes the eg record stream: for each sample a stanza record carrying its merged settings, then the sample's events in file order. A positional that is a directory is an app; a file named *.conf or eventgen.conf* or whose first non-comment line is a [stanza] header is a conf; anything else is a log file. A folder with generator.yml is an Eventum generator, and a bare name that is no file here (windows-security) is one of eg's own generators, found on EG_PATH, then in <executable dir>/../share/eg/generators, then in the source tree's generators/. With no positional, standard input is read as a log file.",
        options: [
            OptionSpec("s", "sample", value: "NAME",
                       help: "Emit only the sample whose file name, or whose stanza name, is NAME. Repeat to select several."),
            OptionSpec("sample-dir", value: "DIR",
                       help: "Look for every stanza's sample files in DIR, overriding sampleDir and the default sample directory."),
            OptionSpec("list",
                       help: "Describe instead of emitting: every stanza, the sample files it matched, each sample's merged settings and event count, settings no eg tool reads (possible typos), the problems --check finds, unsupported features and warnings."),
            OptionSpec("check",
                       help: "Validate instead of emitting: every setting against its type and range, rate tables, token types, regexes, replacements (files found, columns in range, strftime directives known), output modes and the keys they need, and the per-interval volume; print every problem as conf:line: [stanza] key = value: problem (with a did-you-mean for misspelt keys, values and types) and exit 2, or print one ok line and exit 0."),
            OptionSpec("autotimestamp",
                       help: "Find the timestamps in every sample with eg's autotimestamp patterns and add a timestamp token for each format found (as autotimestamp = true does), so eg-tokenize writes current times in their place: eg-sample --autotimestamp access.log | eg-rate | eg-tokenize | eg-ship replays a plain log file live."),
            OptionSpec("breaker", value: "REGEX",
                       help: "Split raw samples into events where REGEX matches (each match starts an event) instead of by lines; overrides the breaker setting."),
            OptionSpec("sampletype", value: "raw|csv",
                       help: "Read samples as raw (default) or csv; overrides the sampletype setting."),
            OptionSpec("index", value: "NAME", help: "Set the index of every event (default: the stanza's, else main)."),
            OptionSpec("host", value: "NAME", help: "Set the host of every event (default: the stanza's, else 127.0.0.1)."),
            OptionSpec("source", value: "NAME", help: "Set the source of every event (default: the stanza's, else the sample file name)."),
            OptionSpec("sourcetype", value: "NAME", help: "Set the sourcetype of every event (default: the stanza's, else eventgen)."),
            OptionSpec("params", value: "JSON", help: "Eventum generators: values for ${params.NAME} in generator.yml, as a JSON object, e.g. '{\"host\": \"es1\"}'."),
            OptionSpec("param", value: "NAME=VALUE", help: "Eventum generators: one value for ${params.NAME} (JSON if it parses as JSON, else a string); repeatable, wins over --params."),
            OptionSpec("generators",
                       help: "List the generators eg-sample finds by name (EG_PATH, <executable dir>/../share/eg/generators, the source tree's generators/ when run from a build folder), one per line with its description from about.yml, and exit."),
            OptionSpec("secrets", value: "FILE", help: "Read secrets (name = value lines) for ${secrets.NAME} in generator.yml; EG_SECRET_<NAME> in the environment wins."),
        ])

    /// The options that become settings of every sample.
    static let overrideKeys = ["breaker", "sampletype", "index", "host", "source", "sourcetype"]

    static func options(from args: ParsedArguments) throws -> SampleOptions {
        var o = SampleOptions()
        o.seed = try args.seed()   // eg-sample draws no random numbers: the seed travels in the stanza records
        o.inputs = args.positionals
        o.sampleDir = args.value("sample-dir")
        o.selections = args.values("sample")
        o.list = args.has("list") || args.has("check")
        o.check = args.has("check")
        for key in overrideKeys {
            if let v = args.value(key) { o.overrides.append((key, v)) }
        }
        if args.has("autotimestamp") { o.overrides.append(("autotimestamp", "true")) }
        if let t = args.value("sampletype"), t != "raw", t != "csv" {
            throw EgError.usage("--sampletype expects raw or csv, got '\(t)'")
        }
        return o
    }

    static func run(_ args: ParsedArguments) throws {
        if let f = args.value("secrets") { try Secrets.load(file: f) }
        if args.has("generators") {
            if !args.positionals.isEmpty { throw EgError.usage("--generators lists the library and takes no positional arguments") }
            let path = GeneratorLibrary.searchPath()
            let entries = GeneratorLibrary.all(in: path)
            if entries.isEmpty {
                throw EgError.usage("no generators found in \(path.joined(separator: ", ")) (EG_PATH adds folders)")
            }
            let out = OutputBuffer()
            try out.write(GeneratorLibrary.listing(entries))
            try out.flush()
            return
        }
        if try GeneratorCommand.handle(args) { return }
        let options = try options(from: args)
        let plan = try SamplePlan.build(options, streamRawFiles: true)
        let out = OutputBuffer()
        if options.check {
            try ConfCheck.run(plan, options: options, out: out)
            return
        }
        if options.list {
            try out.write(Secrets.redact(ListReport.render(plan, workingDirectory: options.workingDirectory)))
            try out.flush()
            return
        }
        for w in plan.warnings { Diagnostics.warning(w, tool: spec.name) }
        // A lone refused stanza is the run's error; with others, each is reported and summed up.
        if plan.samples.isEmpty && plan.refused.count == 1 { throw plan.refused[0].error }
        for r in plan.refused { Diagnostics.error(r.error, tool: spec.name) }
        if plan.samples.isEmpty && !plan.refused.isEmpty { throw RefusedSample.summary(plan.refused, ran: []) }
        if plan.samples.isEmpty {
            let dirs = plan.conf.map { c in Set(c.stanzas.map { c.sampleDir(for: $0) }).sorted().joined(separator: ", ") } ?? ""
            throw EgError.config(at: nil, "no samples to generate: no enabled stanza matched a sample file"
                                 + (dirs.isEmpty ? "" : " (searched: \(dirs))"))
        }
        // SIGINT/SIGTERM: stop before the next sample (and, in a streamed file, at the next full
        // buffer), writing whole records only.
        for sample in plan.samples where !StopRequest.isRequested {
            let stanza = sample.stanzaRecord.record
            try out.write(options.seed.map { StanzaRecord.withSeed(stanza, $0) } ?? stanza)
            if sample.windbagCount != nil {
                try Windbag.write(sample, to: out)
            } else if sample.streamed {
                try RawFileStream.write(sample, to: out)
            } else {
                for r in SamplePlan.records(sample) { try out.write(r) }
            }
        }
        try out.flush()
        if !plan.refused.isEmpty { throw RefusedSample.summary(plan.refused, ran: plan.samples.map(\.name)) }
    }
}
