/// Where a construct is in a template: the template's number in its environment, line and column
/// (both 1-based; the column counts bytes).
public struct SourcePosition: Sendable, Equatable {
    public var template: Int32
    public var line: Int32
    public var column: Int32
    public init(template: Int32 = -1, line: Int32 = 0, column: Int32 = 0) {
        self.template = template
        self.line = line
        self.column = column
    }
}

/// A template error: a syntax error found when compiling, or a runtime error found when rendering
/// (unknown method, wrong type, division by zero). `description` reads `file:line:col: message`.
public struct TemplateError: Error, CustomStringConvertible, Sendable {
    /// The template's file name as the environment knows it (filled in by the environment).
    public var file: String
    public var position: SourcePosition
    public var message: String

    public init(_ position: SourcePosition, _ message: String, file: String = "") {
        self.position = position
        self.message = message
        self.file = file
    }

    /// `file:line:column`.
    public var location: String {
        position.line > 0 ? "\(file):\(position.line):\(position.column)" : file
    }

    public var description: String { "\(location): \(message)" }
}
