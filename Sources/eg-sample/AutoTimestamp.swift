import Core
import Foundation

/// `autotimestamp = true`: find the timestamps in a sample and add `timestamp` tokens for them to
/// the stanza's settings, as eventgen's `Config.parse` does:
///
/// - the lines are grouped by their "punct" shape (the line with `[A-Za-z0-9]` removed); the
///   first line of each shape is tried against every `(regex, strptime format)` pair of the
///   catalogue, in order (the `autotimestamps` setting, a JSON list of pairs, replaces eg's
///   built-in catalogue);
/// - a pair whose first match (group 1 if the regex has a group) parses with its format adds a
///   token `regex` / `timestamp` / `format`, unless a token with the same regex exists;
/// - eg refinement: within one line, a pair whose match overlaps a longer timestamp already
///   found by an earlier pair is not added (the built-in catalogue lists the most specific
///   formats first), so `2014-01-04 20:00:00.123` gets one token, not two;
/// - a csv sample with a `_time` column gets eventgen's ISO token
///   `\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3,6}` / `%Y-%m-%dT%H:%M:%S.%f`;
/// - new tokens take the numbers after the highest existing one.
enum AutoTimestamp {
    /// A regex and the strptime format for what it matches.
    struct Pattern: Equatable {
        var regex: String
        var format: String
    }

    private static let month = "(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
    private static let day = "(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)"

    /// eg's built-in catalogue (most specific first).
    static let catalogue: [Pattern] = [
        // ISO 8601 / RFC 3339
        Pattern(regex: #"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3,6}[+-]\d{2}:?\d{2}"#, format: "%Y-%m-%dT%H:%M:%S.%f%z"),
        Pattern(regex: #"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:?\d{2}"#, format: "%Y-%m-%dT%H:%M:%S%z"),
        Pattern(regex: #"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3,6}Z"#, format: "%Y-%m-%dT%H:%M:%S.%fZ"),
        Pattern(regex: #"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z"#, format: "%Y-%m-%dT%H:%M:%SZ"),
        Pattern(regex: #"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3,6}"#, format: "%Y-%m-%dT%H:%M:%S.%f"),
        Pattern(regex: #"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}"#, format: "%Y-%m-%dT%H:%M:%S"),
        // SQL / log4j style
        Pattern(regex: #"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3,6}"#, format: "%Y-%m-%d %H:%M:%S.%f"),
        Pattern(regex: #"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3,6}"#, format: "%Y-%m-%d %H:%M:%S,%f"),
        Pattern(regex: #"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} [+-]\d{4}"#, format: "%Y-%m-%d %H:%M:%S %z"),
        Pattern(regex: #"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}"#, format: "%Y-%m-%d %H:%M:%S"),
        Pattern(regex: #"\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2}"#, format: "%Y/%m/%d %H:%M:%S"),
        // Apache / NCSA
        Pattern(regex: #"\d{2}/"# + month + #"/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4}"#, format: "%d/%b/%Y:%H:%M:%S %z"),
        Pattern(regex: #"\d{2}/"# + month + #"/\d{4}:\d{2}:\d{2}:\d{2}"#, format: "%d/%b/%Y:%H:%M:%S"),
        Pattern(regex: #"\d{2}/"# + month + #"/\d{4} \d{2}:\d{2}:\d{2}"#, format: "%d/%b/%Y %H:%M:%S"),
        Pattern(regex: #"\d{2}-"# + month + #"-\d{4} \d{2}:\d{2}:\d{2}\.\d{3}"#, format: "%d-%b-%Y %H:%M:%S.%f"),
        // US dates
        Pattern(regex: #"\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}:\d{2} [AP]M"#, format: "%m/%d/%Y %I:%M:%S %p"),
        Pattern(regex: #"\d{1,2}/\d{1,2}/\d{2} \d{1,2}:\d{2}:\d{2} [AP]M"#, format: "%m/%d/%y %I:%M:%S %p"),
        Pattern(regex: #"\d{2}/\d{2}/\d{4} \d{2}:\d{2}:\d{2}"#, format: "%m/%d/%Y %H:%M:%S"),
        Pattern(regex: #"\d{2}-\d{2}-\d{4} \d{2}:\d{2}:\d{2}"#, format: "%m-%d-%Y %H:%M:%S"),
        // RFC 2822, ctime, syslog and Cisco
        Pattern(regex: day + ", \\d{2} " + month + #" \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}"#, format: "%a, %d %b %Y %H:%M:%S %z"),
        Pattern(regex: day + " " + month + #" [ \d]\d \d{2}:\d{2}:\d{2} \d{4}"#, format: "%a %b %d %H:%M:%S %Y"),
        Pattern(regex: month + #" [ \d]\d \d{4} \d{2}:\d{2}:\d{2}"#, format: "%b %d %Y %H:%M:%S"),
        Pattern(regex: month + #" [ \d]\d \d{2}:\d{2}:\d{2}\.\d{3,6}"#, format: "%b %d %H:%M:%S.%f"),
        Pattern(regex: month + #" [ \d]\d \d{2}:\d{2}:\d{2}"#, format: "%b %d %H:%M:%S"),
        // compact
        Pattern(regex: #"\d{14}\.\d{6}"#, format: "%Y%m%d%H%M%S.%f"),
        // epoch seconds in JSON
        Pattern(regex: #""timestamp":\s*"?(\d{10})"#, format: "%s"),
        Pattern(regex: #""created":\s*"?(\d{10})"#, format: "%s"),
    ].map { Pattern(regex: $0.regex.hasPrefix("\"") ? $0.regex : #"(?<![\d.])"# + $0.regex + #"(?![\d])"#, format: $0.format) }

    /// eventgen's token for a csv `_time` column.
    static let csvTimePattern = Pattern(regex: #"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3,6}"#,
                                        format: "%Y-%m-%dT%H:%M:%S.%f")

    /// The catalogue to use: the `autotimestamps` setting if present, else the built-in one.
    static func catalogue(for settings: Settings) throws -> [Pattern] {
        guard let text = settings["autotimestamps"], !text.isEmpty else { return catalogue }
        let fail = settings.invalid("autotimestamps", text, "a JSON list of [regex, strptime format] pairs")
        guard case .array(let items)? = try? JSONParser.parse(text) else { throw fail }
        return try items.map { item in
            guard case .array(let pair) = item, pair.count == 2,
                  let r = pair[0].stringValue, let f = pair[1].stringValue else { throw fail }
            return Pattern(regex: r, format: f)
        }
    }

    /// The patterns found in the sample, in catalogue order per line shape.
    static func detect(lines: [String], patterns: [Pattern], context: String) throws -> [Pattern] {
        let compiled: [(Pattern, NSRegularExpression)] = try patterns.map {
            ($0, try PythonRegex.compile($0.regex, context: context))
        }
        var found: [Pattern] = []
        var shapes: Set<String> = []
        for line in lines {
            let shape = String(line.unicodeScalars.filter { !($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }.map(Character.init))
            guard shapes.insert(shape).inserted else { continue }
            let ns = line as NSString
            var claimed: [NSRange] = []
            for (pattern, regex) in compiled {
                for m in regex.matches(in: line, range: NSRange(location: 0, length: ns.length)) {
                    if claimed.contains(where: { NSIntersectionRange($0, m.range).length > 0 }) { continue }
                    let target = m.numberOfRanges > 1 && m.range(at: 1).location != NSNotFound ? m.range(at: 1) : m.range
                    guard TimestampCheck.parses(ns.substring(with: target), format: pattern.format) else { continue }
                    claimed.append(m.range)
                    if !found.contains(pattern) { found.append(pattern) }
                    break
                }
            }
        }
        return found
    }

    /// Adds the tokens for `patterns` to `settings` (numbers after the highest), skipping
    /// regexes a token already has. Returns the patterns added.
    @discardableResult
    static func addTokens(_ patterns: [Pattern], to settings: inout Settings) -> [Pattern] {
        var existing = Set(((try? settings.tokens()) ?? []).map(\.pattern))
        var next = (settings.highestTokenNumber ?? -1) + 1
        var added: [Pattern] = []
        for p in patterns where !existing.contains(p.regex) {
            settings.set("token.\(next).token", p.regex)
            settings.set("token.\(next).replacementType", "timestamp")
            settings.set("token.\(next).replacement", p.format)
            existing.insert(p.regex)
            added.append(p)
            next += 1
        }
        return added
    }
}

/// The strptime check of autotimestamp: does `text` parse entirely with `format`, as Python's
/// `datetime.strptime` would (Core's `Strptime`)? A quick field check runs first.
enum TimestampCheck {
    static func parses(_ text: String, format: String) -> Bool {
        quickCheck(text, format: format)
            && Strptime(format).parse(text, zone: .utc, defaultYear: 2000) != nil
    }

    /// A fast pre-check of the fields eg's catalogue uses (`%Y %y %m %d %e %H %I %M %S %f %j %z
    /// %b %B %a %A %p %s %Z %%`; other directives pass unchecked). As Python, whitespace in the
    /// format matches any whitespace and letters compare case-insensitively.
    static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    static let monthNames = ["january", "february", "march", "april", "may", "june", "july", "august",
                             "september", "october", "november", "december"]
    static let days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    static let dayNames = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

    static func quickCheck(_ text: String, format: String) -> Bool {
        let t = Array(text.lowercased().unicodeScalars)
        let f = Array(format.unicodeScalars)
        var i = 0, k = 0
        func number(_ maxDigits: Int, _ range: ClosedRange<Int>, allowSpace: Bool = false) -> Bool {
            if allowSpace, i < t.count, t[i] == " " { i += 1 }
            var n = 0, digits = 0
            while digits < maxDigits, i < t.count, ("0"..."9").contains(t[i]) {
                n = n * 10 + Int(t[i].value - 48); i += 1; digits += 1
            }
            return digits > 0 && range.contains(n)
        }
        func word(_ list: [String]) -> Bool {
            let rest = String(String.UnicodeScalarView(t[i...]))
            for w in list.sorted(by: { $0.count > $1.count }) where rest.hasPrefix(w) {
                i += w.unicodeScalars.count
                return true
            }
            return false
        }
        while k < f.count {
            let c = f[k]
            if c == "%", k + 1 < f.count {
                let d = f[k + 1]
                k += 2
                let ok: Bool
                switch d {
                case "Y": ok = number(4, 0...9999)
                case "y": ok = number(2, 0...99)
                case "m": ok = number(2, 1...12)
                case "d", "e": ok = number(2, 1...31, allowSpace: true)
                case "H": ok = number(2, 0...23)
                case "I": ok = number(2, 1...12)
                case "M": ok = number(2, 0...59)
                case "S": ok = number(2, 0...61)
                case "f": ok = number(6, 0...999_999)
                case "j": ok = number(3, 1...366)
                case "s":
                    ok = number(18, 0...Int.max)
                case "z":
                    if i < t.count, t[i] == "z" { i += 1; ok = true; break }
                    guard i < t.count, t[i] == "+" || t[i] == "-" else { ok = false; break }
                    i += 1
                    ok = number(2, 0...23) && { if i < t.count, t[i] == ":" { i += 1 }; return number(2, 0...59) }()
                case "b", "h": ok = word(months)
                case "B": ok = word(monthNames)
                case "a": ok = word(days)
                case "A": ok = word(dayNames)
                case "p": ok = word(["am", "pm"])
                case "Z":
                    var n = 0
                    while i < t.count, t[i].properties.isAlphabetic { i += 1; n += 1 }
                    ok = n > 0
                case "%": ok = i < t.count && t[i] == "%"; if ok { i += 1 }
                default: return true
                }
                if !ok { return false }
            } else if c.properties.isWhitespace {
                k += 1
                guard i < t.count, t[i].properties.isWhitespace else { return false }
                while i < t.count, t[i].properties.isWhitespace { i += 1 }
            } else {
                k += 1
                guard i < t.count, String(c).lowercased().unicodeScalars.first == t[i] else { return false }
                i += 1
            }
        }
        return i == t.count
    }
}
