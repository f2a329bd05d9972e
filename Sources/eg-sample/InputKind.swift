import Foundation

/// What a positional argument of eg-sample is. The rule, in order:
/// 1. `-` is standard input, read as a log file;
/// 2. a directory is a Splunk app (`default/eventgen.conf` then `local/eventgen.conf`);
/// 3. a file whose name ends in `.conf` or starts with `eventgen.conf` is a conf file;
/// 4. a file whose first line that is neither blank nor a `#`/`;` comment starts with `[` and
///    ends with `]` (a stanza header) is a conf file;
/// 5. anything else is a log file, turned into a sample as it is (plain-file mode).
enum InputKind: Equatable {
    case app
    case conf
    case logFile
    case stdin

    /// Classifies `path` (relative paths against the working directory). A path that does not
    /// exist is classified by its name (conf if rule 3 says so, else log file) so the reader
    /// reports it missing.
    static func classify(_ path: String) -> InputKind {
        if path == "-" { return .stdin }
        var isDir: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDir)
        if exists && isDir.boolValue { return .app }
        let name = (path as NSString).lastPathComponent
        if name.hasSuffix(".conf") || name.hasPrefix("eventgen.conf") { return .conf }
        guard exists, let first = firstMeaningfulLine(path) else { return .logFile }
        return first.hasPrefix("[") && first.hasSuffix("]") ? .conf : .logFile
    }

    /// The first non-blank, non-comment line of a file (looking at its first 64 KiB only).
    static func firstMeaningfulLine(_ path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        let data = handle.readData(ofLength: 1 << 16)
        let text = String(decoding: data, as: UTF8.self)
        for line in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
            let t = line.trimmingCharacters(in: .whitespaces)
            if t.isEmpty || t.hasPrefix("#") || t.hasPrefix(";") { continue }
            return t
        }
        return nil
    }
}
