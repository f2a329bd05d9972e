#if canImport(Glibc)
import Glibc
#endif

/// Writes diagnostics to standard error, unbuffered, in eg's one style: `<tool>: <where>: <what>`.
public enum Diagnostics {
    /// Writes `text` to standard error, with every secret redacted (`Secrets.redact`).
    public static func write(_ text: String) {
        var t = Secrets.redact(text)
        t.withUTF8 { buf in _ = try? FileDescriptor.standardError.writeAll(UnsafeRawBufferPointer(buf)) }
    }

    /// Reports an error: `<tool>: <location>: <message>`.
    public static func error(_ e: EgError, tool: String) { write("\(tool): \(e.description)\n") }

    /// Reports a warning: `<tool>: warning: <location>: <message>`.
    public static func warning(_ message: String, at location: String? = nil, tool: String) {
        write("\(tool): warning: \(location.map { "\($0): " } ?? "")\(message)\n")
    }

    /// Reports a note (information a user should see once, not an error).
    public static func note(_ message: String, tool: String) { write("\(tool): \(message)\n") }
}
