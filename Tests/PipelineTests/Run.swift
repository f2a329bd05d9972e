import EgTestSupport
import Foundation

/// Runs the built eg tools as a user would: real processes, real pipes.
enum Run {
    /// The package root.
    static let root = ToolProcess.root

    /// `../shared` beside the checkout: reference confs and samples, read-only.
    static let shared = ToolProcess.shared

    /// The result of one run.
    struct Result {
        var status: Int32
        var stdout: Data
        var stderr: String
        var text: String { String(decoding: stdout, as: UTF8.self) }
    }

    /// Runs `shell` with the tools on PATH (`/bin/sh -c`), feeding `input` on stdin.
    static func sh(_ shell: String, input: String = "", environment: [String: String] = [:]) throws -> Result {
        let o = try ToolProcess.shell(shell, input: Data(input.utf8), environment: environment)
        return Result(status: o.status, stdout: o.stdout, stderr: String(decoding: o.stderr, as: UTF8.self))
    }
}
