#if canImport(Glibc)
import Glibc
#endif

/// The version every tool prints with `--version`, and the date of the man pages (`make man`
/// writes both into every page's `.TH` line): the one place they are set.
public enum EgVersion {
    public static let string = "0.1.0"
    public static let date = "2026-12-03"
}

/// Runs a tool's body with eg's shared conventions: `--help`, `--version`, `--completion`,
/// `--man-sections` and `--man-title` (for `make man`),
/// errors printed as `<tool>: <where>: <what>` with exit 2 (usage, config, input) or 1 (runtime),
/// a closed output pipe ending the tool quietly (status 0, after the body's cleanup), and SIGINT /
/// SIGTERM caught as a `StopRequest` (the body stops, flushes and cleans up; status 0).
public enum ToolMain {
    /// Parses the process arguments with `spec` and runs `body`; never returns.
    public static func run(_ spec: CommandSpec, _ body: (ParsedArguments) throws -> Void) -> Never {
        signal(SIGPIPE, SIG_IGN)
        StopRequest.install()
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "--man-sections" {
            print(spec.manSections, terminator: "")
            exit(0)
        }
        if arguments.first == "--man-title" {
            print(spec.manTitle)
            exit(0)
        }
        do {
            let parsed = try spec.parse(arguments)
            if parsed.has("help") {
                print(spec.helpText, terminator: "")
                exit(0)
            }
            if parsed.has("version") {
                print("\(spec.name) (eg) \(EgVersion.string)")
                exit(0)
            }
            if let shell = parsed.value("completion") {
                print(try spec.completionScript(for: shell), terminator: "")
                exit(0)
            }
            Secrets.registerEnvironment()
            for f in parsed.values("secrets") { try Secrets.load(file: f) }
            try body(parsed)
            exit(0)
        } catch is OutputClosed {
            exit(0)
        } catch let e as EgError {
            Diagnostics.error(e, tool: spec.name)
            if e.kind == .usage {
                Diagnostics.write("usage: \(spec.name) \(spec.usage.first ?? "")\nTry '\(spec.name) --help' for more information.\n")
            }
            exit(e.exitCode)
        } catch {
            Diagnostics.write("\(spec.name): \(error)\n")
            exit(1)
        }
    }
}
