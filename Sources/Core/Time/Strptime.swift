/// A compiled strptime format with Python's `datetime.strptime` semantics (C locale).
///
/// Like Python, the format becomes a backtracking pattern (case-insensitive; a run of whitespace
/// in the format matches one or more whitespace characters), and a full parse takes the first
/// match and then requires it to cover the whole text. Directives: `%a %A %b %B %h %c %d %e %f
/// %G %H %I %j %m %M %p %S %s %u %U %V %w %W %x %X %y %Y %z %:z %Z %% %D %F %T %R %r %n %t`.
/// `%s` is epoch seconds (more than ten digits are scaled down: 13 digits are milliseconds),
/// `%Z` accepts and ignores any alphabetic zone name. A missing year is `defaultYear` when the
/// format has some date field, and a format without any date field reads as 1900-01-01. With `%z`
/// the reading is in that offset, otherwise in the given zone.
public struct Strptime: Hashable, Sendable {
    /// One element of the pattern.
    enum Element: Hashable, Sendable {
        case literal(UInt8)
        case space
        case directive(UInt8)
    }

    /// The format as written.
    public let format: String
    let elements: [Element]
    let hasDateField: Bool

    /// Compiles `format`; an unknown directive matches itself literally.
    public init(_ format: String) {
        self.format = format
        var els: [Element] = []
        Strptime.compile(Array(format.utf8), into: &els)
        self.elements = els
        self.hasDateField = els.contains {
            if case .directive(let d) = $0 { return Array("YyGmdejbBaAuwUWVs".utf8).contains(d) }
            return false
        }
    }

    static func isSpace(_ c: UInt8) -> Bool { c == 32 || (c >= 9 && c <= 13) }

    static func compile(_ b: [UInt8], into els: inout [Element]) {
        var i = 0
        while i < b.count {
            let c = b[i]
            if isSpace(c) {
                while i < b.count, isSpace(b[i]) { i += 1 }
                els.append(.space); continue
            }
            guard c == 37, i + 1 < b.count else { els.append(.literal(c)); i += 1; continue }
            let d = b[i + 1]
            i += 2
            // eg's %1f-%6f read a fraction like %f; %3s and %6s read epoch times like %s (whose
            // reader scales 13- and 16-digit values).
            if d >= 49, d <= 54, i < b.count, b[i] == 102 { els.append(.directive(102)); i += 1; continue }
            if d == 51 || d == 54, i < b.count, b[i] == 115 { els.append(.directive(115)); i += 1; continue }
            if d == 58, i < b.count, b[i] == 122 { els.append(.directive(122)); i += 1; continue }   // %:z
            let expansion: String?
            switch d {
            case 99: expansion = "%a %b %d %H:%M:%S %Y"   // c
            case 120, 68: expansion = "%m/%d/%y"          // x D
            case 88, 84: expansion = "%H:%M:%S"           // X T
            case 70: expansion = "%Y-%m-%d"               // F
            case 82: expansion = "%H:%M"                  // R
            case 114: expansion = "%I:%M:%S %p"           // r
            default: expansion = nil
            }
            if let e = expansion { compile(Array(e.utf8), into: &els); continue }
            switch d {
            case 37: els.append(.literal(37))
            case 110, 116: els.append(.space)
            case 104: els.append(.directive(98))
            default:
                if Array("aAbBdefGHIjmMpSsuUVwWyYzZ".utf8).contains(d) { els.append(.directive(d)) }
                else { els.append(.literal(37)); els.append(.literal(d)) }
            }
        }
    }

    /// Parses the whole of `text`; nil when the format does not match all of it.
    public func parse(_ text: String, zone: TimeZoneSetting, defaultYear: Int) -> EventTime? {
        parse(text[...], zone: zone, defaultYear: defaultYear)
    }

    /// Parses the whole of `text`; nil when the format does not match all of it.
    public func parse(_ text: Substring, zone: TimeZoneSetting, defaultYear: Int) -> EventTime? {
        guard let (t, n) = parsePrefix(text, zone: zone, defaultYear: defaultYear), n == text.utf8.count else { return nil }
        return t
    }

    /// Parses a match at the start of `text`; returns the time and the UTF-8 length consumed.
    public func parsePrefix(_ text: Substring, zone: TimeZoneSetting, defaultYear: Int) -> (EventTime, Int)? {
        if let r = text.utf8.withContiguousStorageIfAvailable({ parsePrefix(bytes: $0, zone: zone, defaultYear: defaultYear) }) {
            return r
        }
        return Array(text.utf8).withUnsafeBufferPointer { parsePrefix(bytes: $0, zone: zone, defaultYear: defaultYear) }
    }

    /// Parses a match at the start of `bytes`; returns the time and the number of bytes consumed.
    public func parsePrefix(bytes: UnsafeBufferPointer<UInt8>, zone: TimeZoneSetting, defaultYear: Int) -> (EventTime, Int)? {
        var fields = StrptimeFields()
        var matcher = StrptimeMatcher(elements: elements, text: bytes)
        guard let end = matcher.match(0, 0, &fields) else { return nil }
        guard let t = fields.resolve(zone: zone, defaultYear: defaultYear, hasDateField: hasDateField) else { return nil }
        return (t, end)
    }
}
