/// A YAML syntax or type error at a file, line and column.
public struct YAMLError: Error, Sendable, CustomStringConvertible {
    public var mark: YAMLMark
    public var message: String

    public init(_ message: String, at mark: YAMLMark) {
        self.mark = mark
        self.message = message
    }

    public var description: String { "\(mark): \(message)" }

    /// The error as eg reports a bad configuration file (exit 2).
    public var egError: EgError { EgError.config(at: mark.description, message) }
}
