import Core

/// A CSV reader for sample files with Python's default `csv` dialect (what eventgen's
/// `csv.DictReader` uses): comma-separated, `"` quotes, `""` inside quotes is one quote,
/// quoted fields may hold commas and newlines, a quote inside an unquoted field is literal,
/// text after a closing quote is appended to the field. Input is text with `\n` line ends
/// (see `TextDecoding`). Completely empty lines are skipped, as `csv` does.
struct CSVParser {
    /// One parsed row and the 1-based line it starts on.
    struct Row: Equatable {
        var fields: [String]
        var line: Int
    }

    /// Parses all rows. A quoted field still open at the end of the text is an error naming
    /// `file:line` of the line where the field started.
    static func parse(_ text: String, file: String) throws -> [Row] {
        let bytes = Array(text.utf8)
        var rows: [Row] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1
        var rowLine = 1
        var inQuotes = false
        var quoteLine = 1
        var fieldStarted = false  // true once the current row has any content or a separator
        var i = 0
        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
        }
        while i < bytes.count {
            let c = bytes[i]
            if inQuotes {
                if c == 0x22 {
                    if i + 1 < bytes.count, bytes[i + 1] == 0x22 {
                        field.append(0x22)
                        i += 2
                        continue
                    }
                    inQuotes = false
                } else {
                    if c == 0x0A { line += 1 }
                    field.append(c)
                }
                i += 1
                continue
            }
            switch c {
            case 0x2C: // ,
                endField()
                fieldStarted = true
            case 0x0A:
                if fieldStarted || !field.isEmpty || !fields.isEmpty {
                    endField()
                    rows.append(Row(fields: fields, line: rowLine))
                }
                fields.removeAll(keepingCapacity: true)
                fieldStarted = false
                line += 1
                rowLine = line
            case 0x22 where field.isEmpty && !quotedFieldDone(fields: fields, fieldStarted: fieldStarted, bytes: bytes, at: i):
                inQuotes = true
                quoteLine = line
                fieldStarted = true
            default:
                field.append(c)
                fieldStarted = true
            }
            i += 1
        }
        if inQuotes {
            throw EgError.input(at: "\(file):\(quoteLine)", "unterminated quoted CSV field (a '\"' opened here is never closed)")
        }
        if fieldStarted || !field.isEmpty || !fields.isEmpty {
            endField()
            rows.append(Row(fields: fields, line: rowLine))
        }
        return rows
    }

    /// A `"` at the start of a field opens quotes only when the field has no content yet, i.e.
    /// it directly follows a separator, a line start, or the text start.
    private static func quotedFieldDone(fields: [String], fieldStarted: Bool, bytes: [UInt8], at i: Int) -> Bool {
        guard i > 0 else { return false }
        let prev = bytes[i - 1]
        return !(prev == 0x2C || prev == 0x0A)
    }
}
