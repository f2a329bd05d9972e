/// CSV as Eventum's csv samples read it (Python's csv module defaults): one-character delimiter and
/// quote character, doubled quotes inside quoted fields, quoted fields may hold line breaks, blank
/// lines skipped.
public enum EventumCSV {
    /// The rows of `text`; `file` names it in errors.
    public static func rows(_ text: String, delimiter: UInt8 = UInt8(ascii: ","),
                            quote: UInt8 = UInt8(ascii: "\""), file: String) throws -> [[String]] {
        let b = Array(text.utf8)
        var rows: [[String]] = []
        var row: [String] = []
        var field: [UInt8] = []
        var i = 0, line = 1
        var inQuotes = false, quotedStart = 0
        var rowHasContent = false
        func endField() {
            row.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
        }
        while i < b.count {
            let c = b[i]
            if inQuotes {
                if c == quote {
                    if i + 1 < b.count && b[i + 1] == quote { field.append(quote); i += 2; continue }
                    inQuotes = false
                } else {
                    if c == 10 { line += 1 }
                    field.append(c)
                }
                i += 1
                continue
            }
            switch c {
            case quote where field.isEmpty:
                inQuotes = true
                quotedStart = line
                rowHasContent = true
            case delimiter:
                endField()
                rowHasContent = true
            case 13 where i + 1 < b.count && b[i + 1] == 10:
                break
            case 10:
                if rowHasContent || !field.isEmpty { endField(); rows.append(row) }
                row = []
                rowHasContent = false
                line += 1
            default:
                field.append(c)
                rowHasContent = true
            }
            i += 1
        }
        if inQuotes {
            throw EgError.config(at: "\(file):\(quotedStart)", "a quoted CSV field is not closed: expected a closing \(Character(Unicode.Scalar(quote)))")
        }
        if rowHasContent || !field.isEmpty { endField(); rows.append(row) }
        return rows
    }
}
