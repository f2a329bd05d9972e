import Testing
@testable import Core

@Suite struct CLITests {
    let spec = CommandSpec(name: "eg-test", usage: ["[OPTIONS] [FILE...]"], summary: "Tests things.",
                           options: [OptionSpec("s", "sample", value: "NAME", help: "Select a sample."),
                                     OptionSpec("burst", help: "Release at once.")])

    @Test func parsesLongShortInlineAndPositionals() throws {
        let p = try spec.parse(["-s", "a", "--sample=b", "-sc", "--burst", "x", "-", "--", "--burst"])
        #expect(p.values("sample") == ["a", "b", "c"])
        #expect(p.has("burst"))
        #expect(p.positionals == ["x", "-", "--burst"])
        #expect(try spec.parse(["--seed", "42"]).seed() == 42)
    }

    @Test func rejectsUnknownAndMalformedOptions() {
        #expect(throws: EgError.self) { try spec.parse(["--nope"]) }
        #expect(throws: EgError.self) { try spec.parse(["-x"]) }
        #expect(throws: EgError.self) { try spec.parse(["--sample"]) }
        #expect(throws: EgError.self) { try spec.parse(["--burst=1"]) }
        #expect(throws: EgError.self) { try spec.parse(["--seed", "x"]).seed() }
    }

    @Test func helpAndManSectionsComeFromTheSameSpec() {
        #expect(spec.helpText.hasPrefix("usage: eg-test [OPTIONS] [FILE...]\n\nTests things.\n\nOptions:\n"))
        #expect(spec.helpText.contains("  -s, --sample NAME         Select a sample."))
        #expect(spec.manSections.contains(".TP\n\\fB\\-s\\fR, \\fB\\-\\-sample\\fR \\fINAME\\fR\nSelect a sample.\n"))
    }

    @Test func seededStreamsAreStableAndIndependent() {
        var a = SeededRandom(seed: 7, stream: "x")
        var b = SeededRandom(seed: 7, stream: "x")
        var c = SeededRandom(seed: 7, stream: "y")
        let va = (0..<5).map { _ in a.next() }
        #expect(va == (0..<5).map { _ in b.next() })
        #expect(va != (0..<5).map { _ in c.next() })
        var r = SeededRandom(seed: 1)
        var seen = Set<Int64>()
        for _ in 0..<2000 { let v = r.int(in: 3...7); #expect((3...7).contains(v)); seen.insert(v) }
        #expect(seen == [3, 4, 5, 6, 7])
    }
}

/// Completion scripts come from the spec: what each placeholder completes to, and exact script lines.
@Suite struct CompletionTests {
    @Test func placeholdersDecideWhatAValueCompletesTo() {
        #expect(CommandSpec.valueCompletion("FILE") == .files)
        #expect(CommandSpec.valueCompletion("PATH") == .files)
        #expect(CommandSpec.valueCompletion("DIR") == .directories)
        #expect(CommandSpec.valueCompletion("jsonl|nab") == .words(["jsonl", "nab"]))
        #expect(CommandSpec.valueCompletion("rpush|publish") == .words(["rpush", "publish"]))
        for none in ["N", "N|TIME", "I/N", "KEY=VALUE", "raw", "|", "a||b", "Raw|json"] {
            #expect(CommandSpec.valueCompletion(none) == .none, "\(none)")
        }
    }

    @Test func scriptsHoldEachOptionWithItsCompletion() throws {
        let spec = CommandSpec(name: "eg-test", usage: ["[FILE...]"], summary: "Tests.",
                               options: [OptionSpec("o", "out", value: "FILE", help: "Write to FILE. More text."),
                                         OptionSpec("mode", value: "fast|slow", help: "How [fast] it's done: quickly."),
                                         OptionSpec("q", "quiet", help: "Say nothing, e.g. in scripts.")])
        let bash = try spec.completionScript(for: "bash")
        #expect(bash.contains("\n        -o|--out) COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n"))
        #expect(bash.contains("\n        --mode) COMPREPLY=($(compgen -W $'fast\\nslow' -- \"$cur\")); return ;;\n"))
        #expect(bash.contains("\n        --seed) COMPREPLY=(); return ;;\n"))
        // Every option in spec order, the shared ones (--seed, --completion, --help, ...) after the tool's.
        let names = spec.options.flatMap { o in (o.short.map { ["-\($0)"] } ?? []) + ["--\(o.long)"] }
        #expect(names.prefix(5) == ["-o", "--out", "--mode", "-q", "--quiet"] && names.contains("--completion"))
        #expect(bash.contains("compgen -W $'\(names.joined(separator: "\\n"))' -- \"$cur\""))
        #expect(bash.hasSuffix("complete -o filenames -o bashdefault -F _eg_test eg-test\n"))
        let zsh = try spec.completionScript(for: "zsh")
        #expect(zsh.hasPrefix("#compdef eg-test\n"))
        #expect(zsh.contains("  '*'{-o+,--out=}'[Write to FILE]:FILE:_files' \\\n"))
        #expect(zsh.contains("  '*--mode=[How \\[fast\\] it'\\''s done: quickly]:fast|slow:(fast slow)' \\\n"))
        #expect(zsh.contains("  '(-q --quiet)'{-q,--quiet}'[Say nothing, e.g. in scripts]' \\\n"))
        #expect(zsh.hasSuffix("  '*:file:_files'\n"))
        #expect(throws: EgError.self) { try spec.completionScript(for: "fish") }
    }
}
