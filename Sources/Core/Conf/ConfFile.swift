import Foundation

/// One `[stanza]` of a conf file: its name, the line of its first header, and its settings
/// (each key remembering its `file:line`).
public struct ConfSection: Sendable, Equatable {
    public var name: String
    public var source: SourceLocation
    public var settings: Settings

    public init(name: String, source: SourceLocation, settings: Settings) {
        self.name = name
        self.source = source
        self.settings = settings
    }
}

/// An `eventgen.conf` file read with Python `RawConfigParser` semantics (what eventgen uses,
/// with `optionxform = str`):
///
/// - `[name]` headers (the name runs to the last `]` on the line); keys are case-sensitive;
/// - `key = value` or `key: value`, split at the first `=` or `:`; key and value trimmed; empty values allowed;
/// - full-line `#` and `;` comments (also indented); text after a value is part of the value;
/// - a line indented deeper than its key line continues the value (joined with `\n`), blank
///   lines inside such a value are kept, trailing blank lines dropped;
/// - Splunk style: a line ending in an odd number of `\` continues on the next line (the `\`
///   is dropped and the lines are joined with `\n`);
/// - a key before any section is an error naming `file:line`;
/// - a section repeated in one file is merged (Splunk's behaviour; Python's strict parser would
///   fail), and a key repeated in one section keeps its first position but takes the later value;
/// - `[default]` is reserved: its content is discarded.
public struct ConfFile: Sendable, Equatable {
    /// The path the file was read from (as given), used in `file:line` locations.
    public var path: String
    /// The sections in order of first appearance, `[default]` excluded.
    public var sections: [ConfSection]

    public init(path: String, sections: [ConfSection]) {
        self.path = path
        self.sections = sections
    }

    public subscript(section name: String) -> ConfSection? {
        sections.first { $0.name == name }
    }

    /// Reads and parses a file (UTF-8, falling back to Latin-1).
    public static func load(path: String) throws -> ConfFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EgError.config(at: path, "cannot read conf file")
        }
        var text = String(data: data, encoding: .utf8) ?? String(data: data, encoding: .isoLatin1) ?? ""
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        return try parse(text: text, path: path)
    }

    /// Parses conf text; `path` is only used for locations in errors and in `SourceLocation`s.
    public static func parse(text: String, path: String) throws -> ConfFile {
        var parser = Parser(path: path)
        for (line, number) in logicalLines(text) {
            try parser.feed(line, number: number)
        }
        return parser.finish()
    }

    /// Splits text into lines (universal newlines), joining `\`-continued lines; each logical
    /// line carries the number of its first physical line.
    static func logicalLines(_ text: String) -> [(String, Int)] {
        var physical: [Substring] = []
        var start = text.startIndex
        var i = text.startIndex
        // Split on \n, \r\n, and lone \r (Swift treats "\r\n" as one Character).
        while i < text.endIndex {
            let c = text[i]
            if c == "\n" || c == "\r\n" || c == "\r" {
                physical.append(text[start..<i])
                start = text.index(after: i)
            }
            i = text.index(after: i)
        }
        if start < text.endIndex { physical.append(text[start...]) }

        var out: [(String, Int)] = []
        var pending: String?
        var pendingLine = 0
        for (idx, raw) in physical.enumerated() {
            var line = String(raw)
            let isComment = pending == nil && (line.trimmingCharacters(in: .whitespaces).hasPrefix("#")
                                               || line.trimmingCharacters(in: .whitespaces).hasPrefix(";"))
            let trailing = line.reversed().prefix { $0 == "\\" }.count
            let continues = !isComment && trailing % 2 == 1
            if continues { line.removeLast() }
            if pending != nil {
                pending! += "\n" + line
            } else {
                pending = line
                pendingLine = idx + 1
            }
            if !continues {
                out.append((pending!, pendingLine))
                pending = nil
            }
        }
        if let pending { out.append((pending, pendingLine)) }
        return out
    }

    private struct Parser {
        let path: String
        var sections: [ConfSection] = []
        var current: Int?          // index into sections, or -1 for [default]
        var option: String?
        var optionValue: [String] = []
        var optionSource: SourceLocation?
        var indentLevel = 0

        init(path: String) { self.path = path }

        mutating func flushOption() {
            guard let key = option, let current, let source = optionSource else { return }
            var value = optionValue.joined(separator: "\n")
            while let last = value.last, last.isWhitespace { value.removeLast() }
            if current >= 0 { sections[current].settings.set(key, value, source: source) }
            option = nil
            optionValue = []
        }

        mutating func feed(_ line: String, number: Int) throws {
            let stripped = line.trimmingCharacters(in: .whitespaces)
            if stripped.hasPrefix("#") || stripped.hasPrefix(";") { return }
            if stripped.isEmpty {
                if option != nil { optionValue.append("") }
                return
            }
            let indent = line.prefix { $0.isWhitespace }.count
            if current != nil, option != nil, indent > indentLevel {
                optionValue.append(stripped)
                return
            }
            flushOption()
            indentLevel = indent
            let location = SourceLocation(file: path, line: number)
            if stripped.hasPrefix("["), let close = stripped.lastIndex(of: "]"),
               stripped.index(after: stripped.startIndex) < close {
                let name = String(stripped[stripped.index(after: stripped.startIndex)..<close])
                if name == "default" {
                    current = -1
                } else if let existing = sections.firstIndex(where: { $0.name == name }) {
                    current = existing
                } else {
                    sections.append(ConfSection(name: name, source: location,
                                                settings: Settings(stanza: name)))
                    current = sections.count - 1
                }
                return
            }
            guard current != nil else {
                throw EgError.config(at: location.description,
                                     "expected '[stanza]' before the first setting, found '\(stripped)'")
            }
            guard let sep = stripped.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
                throw EgError.config(at: location.description,
                                     "expected 'key = value' or '[stanza]', found '\(stripped)'")
            }
            let key = stripped[..<sep].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty else {
                throw EgError.config(at: location.description,
                                     "expected a key before '\(stripped[sep])', found '\(stripped)'")
            }
            option = key
            optionValue = [stripped[stripped.index(after: sep)...].trimmingCharacters(in: .whitespaces)]
            optionSource = location
        }

        mutating func finish() -> ConfFile {
            flushOption()
            return ConfFile(path: path, sections: sections)
        }
    }
}
