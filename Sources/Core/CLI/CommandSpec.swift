/// One command-line option of a tool.
public struct OptionSpec: Sendable {
    /// The one-letter form without the dash, if any.
    public var short: Character?
    /// The long name without the dashes, e.g. `end`.
    public var long: String
    /// The value's placeholder (e.g. `N`), or nil for a flag that takes no value.
    public var value: String?
    /// One sentence (or a few) saying what it does; the same text appears in `--help` and the man page.
    public var help: String

    /// An option with a one-letter form, e.g. `OptionSpec("s", "sample", value: "NAME", help: ...)`.
    public init(_ short: Character, _ long: String, value: String? = nil, help: String) {
        self.short = short
        self.long = long
        self.value = value
        self.help = help
    }

    /// An option with a long name only.
    public init(_ long: String, value: String? = nil, help: String) {
        self.short = nil
        self.long = long
        self.value = value
        self.help = help
    }
}

/// The description of a tool's command line, from which `--help`, the man page's OPTIONS
/// section (`--man-options`) and the parser all come, so they cannot drift apart.
public struct CommandSpec: Sendable {
    public var name: String
    /// Usage lines without the tool name, e.g. `[OPTIONS] [FILE...]`.
    public var usage: [String]
    /// One paragraph describing the tool.
    public var summary: String
    /// The tool's options; `--seed`, `--secrets`, `--completion`, `--help` and `--version` are added to every tool.
    public var options: [OptionSpec]

    public init(name: String, usage: [String], summary: String, options: [OptionSpec], seed: Bool = true) {
        self.name = name
        self.usage = usage
        self.summary = summary
        var all = options
        if seed {
            all.append(OptionSpec("seed", value: "N",
                                  help: "Seed the random generator so that the same input gives byte-identical output (overrides the stanza's seed setting)."))
        }
        all.append(OptionSpec("secrets", value: "FILE",
                              help: "Read secrets from FILE (name = value lines, # comments; keep it mode 0600): a setting may then say ${secrets.NAME} instead of a password or token, and every secret is printed as *** (EG_SECRET_NAME in the environment wins over the file)."))
        all.append(OptionSpec("completion", value: "bash|zsh",
                              help: "Print a completion script for the shell (made from these options) and exit, e.g. source <(\(name) --completion bash)."))
        all.append(OptionSpec("h", "help", help: "Print this help and exit."))
        all.append(OptionSpec("version", help: "Print the version and exit."))
        self.options = all
    }

    private func label(_ o: OptionSpec) -> String {
        var s = o.short.map { "-\($0), " } ?? "    "
        s += "--\(o.long)"
        if let v = o.value { s += " \(v)" }
        return s
    }

    /// The `--help` text.
    public var helpText: String {
        var out = usage.enumerated().map { ($0.offset == 0 ? "usage: " : "       ") + "\(name) \($0.element)" }
            .joined(separator: "\n")
        out += "\n\n" + wrap(summary, width: 78, indent: "") + "\n\nOptions:\n"
        for o in options {
            let l = "  " + label(o)
            let text = wrap(o.help, width: 78, indent: String(repeating: " ", count: 28))
            if l.count <= 26 {
                out += l + String(repeating: " ", count: 28 - l.count) + text.dropFirst(28) + "\n"
            } else {
                out += l + "\n" + text + "\n"
            }
        }
        return out
    }

    /// The man page's `.TH` line: name, section 1, the date and version of `EgVersion`.
    public var manTitle: String {
        ".TH \(name.uppercased()) 1 \"\(EgVersion.date)\" \"eg \(EgVersion.string)\" \"eg manual\""
    }

    /// The man page's SYNOPSIS and OPTIONS sections in roff, exactly as `man/<tool>.1` must hold them.
    public var manSections: String {
        var out = ".SH SYNOPSIS\n"
        for u in usage { out += ".B \(name)\n\(roffEscape(u))\n.br\n" }
        out += ".SH OPTIONS\n"
        for o in options {
            var l = o.short.map { "\\fB\\-\($0)\\fR, " } ?? ""
            l += "\\fB\\-\\-\(o.long)\\fR"
            if let v = o.value { l += " \\fI\(v)\\fR" }
            out += ".TP\n\(l)\n\(roffEscape(o.help))\n"
        }
        return out
    }

    private func roffEscape(_ s: String) -> String {
        var r = s.replacingOccurrences(of: "\\", with: "\\e").replacingOccurrences(of: "-", with: "\\-")
        if r.hasPrefix(".") || r.hasPrefix("'") { r = "\\&" + r }
        return r
    }

    private func wrap(_ text: String, width: Int, indent: String) -> String {
        var lines: [String] = []
        var line = indent
        for word in text.split(separator: " ") {
            if line.count > indent.count && line.count + 1 + word.count > width {
                lines.append(line)
                line = indent
            }
            if line.count > indent.count { line += " " }
            line += word
        }
        lines.append(line)
        return lines.joined(separator: "\n")
    }
}

import Foundation
