import Core
import Foundation

/// One event of a sample's pool before it becomes a record: its text, the 1-based line it
/// starts on, and (csv) the row's other columns in file order.
struct PoolEvent: Equatable {
    var raw: String
    var line: Int
    var columns: [(key: String, value: String)] = []

    static func == (a: PoolEvent, b: PoolEvent) -> Bool {
        a.raw == b.raw && a.line == b.line && a.columns.elementsEqual(b.columns, by: { $0 == $1 })
    }
}

/// Reads a sample file into its pool of events, as eventgen's `Sample.loadSample` does:
///
/// - `raw` with the default breaker: one event per line; blank (empty or whitespace-only) lines skipped;
/// - `raw` with a `breaker` regex (Python syntax, multiline): each match starts a new event, a
///   match at offset 0 is ignored, the text between two match starts is one event (inner
///   newlines kept, trailing newlines trimmed, empty events skipped);
/// - `csv`: a header row that must contain `_raw`; every other row one event, its other columns
///   kept in file order; completely empty rows skipped.
enum SampleLoader {
    /// eventgen's default breaker; with it a raw sample is split by lines.
    static let defaultBreaker = "[^\\r\\n\\s]+"

    /// Splits raw sample text into events. `breaker` nil or the default means one per line.
    static func splitRaw(_ text: String, breaker: String?, context: String) throws -> [PoolEvent] {
        if let breaker, !breaker.isEmpty, breaker != defaultBreaker {
            return try splitByBreaker(text, breaker: breaker, context: context)
        }
        var events: [PoolEvent] = []
        var lineNo = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNo += 1
            if line.allSatisfy({ $0.isWhitespace }) { continue }
            events.append(PoolEvent(raw: String(line), line: lineNo))
        }
        return events
    }

    static func splitByBreaker(_ text: String, breaker: String, context: String) throws -> [PoolEvent] {
        let icu = try PythonRegex.translate(breaker, context: context)
        let regex: NSRegularExpression
        do {
            regex = try NSRegularExpression(pattern: icu, options: [.anchorsMatchLines, .useUnixLineSeparators])
        } catch {
            throw EgError.config(at: context, "invalid breaker regex '\(breaker)'")
        }
        let ns = text as NSString
        var starts: [Int] = [0]
        for m in regex.matches(in: text, range: NSRange(location: 0, length: ns.length)) where m.range.location > 0 {
            if m.range.location != starts.last { starts.append(m.range.location) }
        }
        starts.append(ns.length)
        // Line numbers of each start, counted once over the text.
        var events: [PoolEvent] = []
        var line = 1
        var counted = 0
        let newline = UInt16(0x0A)
        for k in 0..<(starts.count - 1) {
            let a = starts[k], b = starts[k + 1]
            while counted < a { if ns.character(at: counted) == newline { line += 1 }; counted += 1 }
            var chunk = ns.substring(with: NSRange(location: a, length: b - a))
            while chunk.hasSuffix("\n") { chunk.removeLast() }
            if chunk.allSatisfy({ $0.isWhitespace }) { continue }
            events.append(PoolEvent(raw: chunk, line: line))
        }
        return events
    }

    /// Columns a csv row may hold that set the event's metadata instead of becoming fields.
    static let metadataColumns: Set<String> = ["index", "host", "source", "sourcetype"]

    /// Reads csv sample text. Rows without a `_raw` value are skipped (as eventgen does), but a
    /// header without a `_raw` column is an error naming `file:line`.
    static func parseCSV(_ text: String, file: String) throws -> [PoolEvent] {
        let rows = try CSVParser.parse(text, file: file)
        guard let header = rows.first else { return [] }
        guard let rawIndex = header.fields.firstIndex(of: "_raw") else {
            throw EgError.input(at: "\(file):\(header.line)",
                                "csv sample has no _raw column (header: \(header.fields.joined(separator: ",")))")
        }
        var events: [PoolEvent] = []
        events.reserveCapacity(rows.count)
        for row in rows.dropFirst() {
            guard rawIndex < row.fields.count else { continue }
            var columns: [(key: String, value: String)] = []
            for (k, name) in header.fields.enumerated() where k != rawIndex && k < row.fields.count {
                if let existing = columns.firstIndex(where: { $0.key == name }) {
                    columns[existing].value = row.fields[k]   // a repeated column: the later one wins
                } else {
                    columns.append((name, row.fields[k]))
                }
            }
            events.append(PoolEvent(raw: row.fields[rawIndex], line: row.line, columns: columns))
        }
        return events
    }
}
