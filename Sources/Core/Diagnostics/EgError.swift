/// An error every eg tool reports the same way: `eg-<tool>: <location>: <message>`.
///
/// `location` names where the problem is (`stdin:3`, `app.conf:12`, `stanza [cisco.sample]`,
/// `token 2 of [web.log]`); `message` says what was expected. The kind decides the exit status.
public struct EgError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, which fixes the exit status.
    public enum Kind: Sendable {
        /// A bad flag or argument (exit 2).
        case usage
        /// A bad conf file, stanza, setting or replacement file (exit 2).
        case config
        /// A malformed input record or sample (exit 2).
        case input
        /// A failure while running: a network peer, a disk, a signal (exit 1).
        case runtime
    }

    public var kind: Kind
    public var location: String?
    public var message: String

    public init(_ kind: Kind, at location: String? = nil, _ message: String) {
        self.kind = kind
        self.location = location
        self.message = message
    }

    /// 2 for usage, config and input errors; 1 for runtime failures.
    public var exitCode: Int32 { kind == .runtime ? 1 : 2 }

    public var description: String {
        if let location { return "\(location): \(message)" }
        return message
    }

    public static func usage(_ message: String) -> EgError { EgError(.usage, message) }
    public static func config(at location: String? = nil, _ message: String) -> EgError {
        EgError(.config, at: location, message)
    }
    public static func input(at location: String? = nil, _ message: String) -> EgError {
        EgError(.input, at: location, message)
    }
    public static func runtime(at location: String? = nil, _ message: String) -> EgError {
        EgError(.runtime, at: location, message)
    }
}
