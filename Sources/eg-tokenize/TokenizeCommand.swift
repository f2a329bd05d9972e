import Core
import Foundation

/// eg-tokenize's command line: one `Tokenizer` over the input, or `--jobs N` of them
/// (`JobRunner`).
enum TokenizeCommand {
    static let spec = CommandSpec(
        name: "eg-tokenize",
        usage: ["[OPTIONS] [FILE...]"],
        summary: "Replaces the tokens of each event's _raw (and host) as eventgen's token settings describe: static, timestamp, replaytimestamp, random, rated, file, mvfile, seqfile and integerid. Reads the record stream from the FILEs or standard input; stanza records configure each sample and pass through; events come out in the same order with _raw substituted. Each distinct sample line is compiled once, so no regex runs per event.",
        options: [
            OptionSpec("t", "token", value: "REGEX", help: "Add an ad-hoc token: a Python regex whose group 1 (or whole match) is replaced. Repeatable; each --token takes the --type and --replacement that follow it. Ad-hoc tokens run after the stanza's tokens."),
            OptionSpec("type", value: "TYPE", help: "The replacement type of the preceding --token: static, timestamp, replaytimestamp, random, rated, file, mvfile, seqfile or integerid."),
            OptionSpec("r", "replacement", value: "R", help: "The replacement of the preceding --token, as token.N.replacement would give it (a format, integer[a:b], a file path, ...)."),
            OptionSpec("s", "sample", value: "NAME", help: "Apply the ad-hoc tokens only to events of sample NAME (default: every event); also the sample name used for events that have none."),
            OptionSpec("timezone", value: "TZ", help: "Read and write times in TZ (local, UTC, or an offset like -0500), overriding the stanza's timezone setting."),
            OptionSpec("template", value: "FILE", help: "Render the Jinja template FILE for every event instead of substituting tokens: the event's fields (and _time as epoch seconds) are its variables, the output becomes _raw; an empty rendering drops the event. Templates FILE includes or imports are read from its directory."),
            OptionSpec("state", value: "DIR", help: "Keep integerid counters in DIR: read at start, saved at the end, so the next run continues the sequence."),
            OptionSpec("j", "jobs", value: "N", help: "Run N tokenizers in parallel over the input (1 to 256; default 1) and write their events in the input's order: the output is byte-identical to one tokenizer's. Every event needs its _seq (eg-rate writes it). A generator that keeps state from one timestamp to the next, or a bundle over 64 MiB, makes the rest of the stream run in one tokenizer."),
        ])

    /// The ad-hoc tokens of the command line, grouped in order.
    static func adHocTokens(_ args: ParsedArguments) throws -> [TokenSpec] {
        var specs: [TokenSpec] = []
        var current: (pattern: String, type: String?, replacement: String?)?
        func finish() throws {
            guard let c = current else { return }
            guard let type = c.type else { throw EgError.usage("--token '\(c.pattern)' needs a --type") }
            guard let rep = c.replacement else { throw EgError.usage("--token '\(c.pattern)' needs a --replacement") }
            specs.append(TokenSpec(number: specs.count, pattern: c.pattern, type: type, replacement: rep))
        }
        for (name, value) in args.options {
            switch name {
            case "token":
                try finish()
                current = (value ?? "", nil, nil)
            case "type", "replacement":
                guard current != nil else { throw EgError.usage("--\(name) must follow a --token") }
                if name == "type" {
                    if current!.type != nil { throw EgError.usage("--token '\(current!.pattern)' has two --type options") }
                    current!.type = value
                } else {
                    if current!.replacement != nil { throw EgError.usage("--token '\(current!.pattern)' has two --replacement options") }
                    current!.replacement = value
                }
            default: break
            }
        }
        try finish()
        return specs
    }

    static func run(_ args: ParsedArguments) throws {
        let state = try args.value("state").map { try TokenState(directory: $0) }
        let jobs = try args.int("jobs") ?? 1
        guard (1...JobRunner.maxJobs).contains(jobs) else {
            throw EgError.usage("--jobs expects a number of tokenizers from 1 to \(JobRunner.maxJobs), got \(jobs)")
        }
        if jobs > 1 {
            try JobRunner(args: args, count: jobs, state: state).run()
            return
        }
        let out = OutputBuffer()
        let tokenizer = try Tokenizer(args, state: state, out: out)
        // A reader that has gone (`| head`) ends the work early; the state is saved all the same.
        try OutputClosed.absorb {
            let inputs = RecordInputs(paths: args.positionals)
            // Live input: when it goes quiet, what is buffered goes out. The fast path's local
            // buffer is handed over before a read that would wait, so the idle flush sees it
            // all; while input keeps coming it drains only when full.
            inputs.onIdle = { try out.flush() }
            do {
                while true {
                    guard let line = try inputs.nextBufferedLine() ?? {
                        if !inputs.inputReady() { try tokenizer.drainLocal() }
                        return try inputs.nextLine()
                    }() else { break }
                    if try !tokenizer.take(line, from: inputs) { break }
                }
                try tokenizer.endOfInput()
            } catch let e where !(e is OutputClosed) {
                // What the events before a bad record made still goes out.
                try? tokenizer.drainLocal()
                try? out.flush()
                throw e
            }
            try out.flush()
            try tokenizer.report()
        }
        try tokenizer.saveState()
    }
}
