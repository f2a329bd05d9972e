import EgTestSupport
import Foundation
import Testing

/// What every tool generates from its CommandSpec besides --help: the man pages' title lines
/// (one date and version for every page) and the bash and zsh completion scripts.
@Suite struct CompletionAndManTests {
    static let tools = PipelineTests.tools

    /// The options a tool's --help lists: every `-x` and `--name` at the start of an option line.
    static func helpOptions(_ tool: String) throws -> [String] {
        let help = try Run.sh("\(tool) --help")
        #expect(help.status == 0)
        var out: [String] = []
        for line in help.text.split(separator: "\n") where line.hasPrefix("  -") || line.hasPrefix("      --") {
            let label = line.trimmingCharacters(in: .whitespaces).split(separator: " ").prefix(2)
            for word in label where word.hasPrefix("-") { out.append(String(word.hasSuffix(",") ? word.dropLast() : word)) }
        }
        return out
    }

    /// Runs `script` with bash (the tools on PATH).
    static func bash(_ script: String) throws -> Run.Result {
        let o = try ToolProcess.run(URL(fileURLWithPath: "/bin/bash"), ["-c", script])
        return Run.Result(status: o.status, stdout: o.stdout, stderr: String(decoding: o.stderr, as: UTF8.self))
    }

    /// A page's `.TH` fields: name, section, date, version, manual.
    static func titleFields(_ line: Substring) -> [String] {
        var fields: [String] = []
        var current = "", quoted = false
        for c in line.dropFirst(4) {
            if c == "\"" { quoted.toggle(); continue }
            if c == " " && !quoted { if !current.isEmpty { fields.append(current) }; current = ""; continue }
            current.append(c)
        }
        if !current.isEmpty { fields.append(current) }
        return fields
    }

    @Test(arguments: tools)
    func manPageTitleComesFromTheTool(tool: String) throws {
        let title = try Run.sh("\(tool) --man-title")
        #expect(title.status == 0)
        let page = try String(contentsOf: Run.root.appendingPathComponent("man/\(tool).1"), encoding: .utf8)
        #expect(page.split(separator: "\n").first.map(String.init) == title.text.trimmingCharacters(in: .newlines),
                "run `make man`: man/\(tool).1's .TH line differs from `\(tool) --man-title`")
        let version = try Run.sh("\(tool) --version").text.trimmingCharacters(in: .newlines)
        #expect(Self.titleFields(title.text.split(separator: "\n")[0])[3] == "eg " + version.split(separator: " ").last!)
    }

    @Test func everyManPageCarriesTheSameDateAndVersion() throws {
        let dir = Run.root.appendingPathComponent("man")
        let pages = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.range(of: #"^eg-.*\.[1-9]$"#, options: .regularExpression) != nil }
        #expect(pages.count == 5, "\(pages)")
        let reference = Self.titleFields(Substring(try Run.sh("eg-sample --man-title").text.split(separator: "\n")[0]))
        #expect(reference[2].range(of: #"^\d{4}-\d{2}-\d{2}$"#, options: .regularExpression) != nil, "\(reference)")
        for p in pages {
            let first = try String(contentsOf: dir.appendingPathComponent(p), encoding: .utf8).split(separator: "\n")[0]
            let f = Self.titleFields(first)
            #expect(f.count == 5, "\(p): \(first)")
            #expect(f.count > 4 && f[2] == reference[2] && f[3] == reference[3], "\(p): \(first) (expected \(reference[2]), \(reference[3]))")
        }
    }

    @Test(arguments: tools)
    func bashCompletionHasEveryOptionAndParses(tool: String) throws {
        let script = try Run.sh("\(tool) --completion bash")
        #expect(script.status == 0, "\(script.stderr)")
        let options = try Self.helpOptions(tool)
        #expect(options.contains("--completion") && options.contains("--help") && options.count > 5, "\(options)")
        for o in options {
            #expect(script.text.contains(o), "\(tool) --completion bash lacks \(o)")
        }
        #expect(script.text.hasSuffix("complete -o filenames -o bashdefault -F _eg_\(tool.dropFirst(3)) \(tool)\n"))
        let syntax = try Run.sh("bash -n", input: script.text)
        #expect(syntax.status == 0, "\(syntax.stderr)")
        // Every option name completes after its prefix, through the completion function itself.
        let complete = try Self.bash("""
            source <(\(tool) --completion bash)
            for o in \(options.joined(separator: " ")); do
              COMP_WORDS=(\(tool) "$o"); COMP_CWORD=1; COMPREPLY=()
              _eg_\(tool.dropFirst(3))
              printf '%s %s\\n' "$o" "${COMPREPLY[*]}"
            done
            """)
        #expect(complete.status == 0, "\(complete.stderr)")
        let replies = complete.text.split(separator: "\n")
        #expect(replies.count == options.count)
        for r in replies {
            let words = r.split(separator: " ")
            #expect(words.count >= 2 && words.dropFirst().contains(words[0]), "\(r)")
        }
    }

    @Test func bashCompletionCompletesValuesByPlaceholder() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("eg-completion-\(getpid())")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("sub"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data().write(to: dir.appendingPathComponent("labels.jsonl"))
        func reply(_ tool: String, _ words: [String]) throws -> [String] {
            let quoted = words.map { "'\($0)'" }.joined(separator: " ")
            let r = try Self.bash("""
                source <(\(tool) --completion bash)
                cd '\(dir.path)'
                COMP_WORDS=(\(tool) \(quoted)); COMP_CWORD=\(words.count); COMPREPLY=()
                _eg_\(tool.dropFirst(3))
                printf '%s\\n' "${COMPREPLY[@]}"
                """)
            #expect(r.status == 0, "\(r.stderr)")
            return r.text.split(separator: "\n").map(String.init).sorted()
        }
        #expect(try reply("eg-rate", ["--labels-format", ""]) == ["jsonl", "nab"])
        #expect(try reply("eg-rate", ["--labels-format", "=", "n"]) == ["nab"])
        #expect(try reply("eg-sample", ["--sampletype", ""]) == ["csv", "raw"])
        #expect(try reply("eg-ship", ["--format", "j"]) == ["json"])
        #expect(try reply("eg-rate", ["--completion", ""]) == ["bash", "zsh"])
        #expect(try reply("eg-rate", ["--labels", "lab"]) == ["labels.jsonl"])
        #expect(try reply("eg-sample", ["--sample-dir", ""]) == ["sub"])
        #expect(try reply("eg-rate", ["--count", ""]) == [])
        #expect(try reply("eg-rate", ["--lab"]) == ["--labels", "--labels-format"])
        #expect(try reply("eg-sample", [""]) == ["labels.jsonl", "sub"])
    }

    /// zsh comes from Debian (`.ci/deps --test`); without it, and outside CI, the syntax check is skipped.
    static let zsh = ["/usr/bin/zsh", "/bin/zsh"].first { FileManager.default.isExecutableFile(atPath: $0) }
    static let zshRequired = ProcessInfo.processInfo.environment["CI"] == "true"

    @Test(arguments: tools)
    func zshCompletionHasEveryOption(tool: String) throws {
        let script = try Run.sh("\(tool) --completion zsh")
        #expect(script.status == 0, "\(script.stderr)")
        #expect(script.text.hasPrefix("#compdef \(tool)\n"))
        for o in try Self.helpOptions(tool) {
            // Short options appear as -x+ or in {-x,--name} groups, long ones as --name= or --name[.
            let forms = o.hasPrefix("--") ? ["'\(o)[", "'*\(o)=[", ",\(o)}", ",\(o)=}"] : ["{\(o),", "{\(o)+,"]
            #expect(forms.contains { script.text.contains($0) }, "\(tool) --completion zsh lacks \(o)")
        }
        #expect(script.text.contains("'*:file:_files'"))
        if Self.zsh != nil || Self.zshRequired {
            let syntax = try Run.sh("zsh -n", input: script.text)
            #expect(syntax.status == 0, "\(syntax.stderr)")
        }
    }

    @Test func completionForAnUnknownShellIsAUsageError() throws {
        let r = try Run.sh("eg-tokenize --completion fish")
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("eg-tokenize: --completion expects bash or zsh, got 'fish'\n"), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }
}
