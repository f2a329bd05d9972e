import Foundation
import Core

/// What perDayVolume measures: the bytes of `_raw` as eg-tokenize will write it, as eventgen
/// measures its volume after token replacement (eventgen 7 replaces the sample's tokens once per
/// interval and scales the byte target by the size ratio; a large token means fewer events per GB).
///
/// eg-rate does not run the tokens; once per pool event (never per generated event) it finds
/// each token's matches and counts, instead of the matched text, the mean length of what the
/// token writes: `static` its replacement, `timestamp` its format printed at the run's now,
/// `random` and `rated` the mean length of their values, `integerid` the digits of its start,
/// `file`, `mvfile` and `seqfile` the mean length of the file's lines (or of the column's values),
/// `replaytimestamp` the match's time printed at now in the format that reads it. A token whose
/// replacement eg-tokenize will refuse (a missing file, a bad format) counts as the matched text.
struct GeneratedSize {
    struct Token {
        let regex: NSRegularExpression
        /// The replacement length in bytes for a matched text, or nil to count the matched text.
        let length: ((String) -> Double?)?
    }
    let tokens: [Token]

    /// The sample's tokens; a token that does not compile is left to eg-tokenize to report.
    /// Replacement files are looked for as eg-tokenize looks for them (`confDir`, `sampleDir`).
    init(settings: Settings, now: EventTime, zone: TimeZoneSetting, confDir: String?, sampleDir: String?,
         files: ReplacementFiles = ReplacementFiles()) {
        var tokens: [Token] = []
        for t in settings.tokensSkippingIncomplete().tokens {
            let context = "token \(t.number) of [\(settings.stanza)]"
            guard let regex = try? PythonRegex.compile(t.pattern, context: context) else { continue }
            let length = GeneratedSize.length(of: t, now: now, zone: zone, context: context,
                                              values: { try? GeneratedSize.values(t, files, confDir: confDir, sampleDir: sampleDir) })
            tokens.append(Token(regex: regex, length: length))
        }
        self.tokens = tokens
    }

    var isEmpty: Bool { tokens.allSatisfy { $0.length == nil } }

    /// How long token `t`'s replacement of a matched text is; `values` gives a file token's values.
    static func length(of t: TokenSpec, now: EventTime, zone: TimeZoneSetting, context: String,
                       values: () -> [[UInt8]]?) -> ((String) -> Double?)? {
        func fixed(_ v: Double?) -> ((String) -> Double?)? { v.map { n in { _ in n } } }
        switch t.type {
        case "static": return fixed(Double(t.replacement.utf8.count))
        case "timestamp": return fixed(Double(Strftime(t.replacement).format(now, zone: zone).utf8.count))
        case "random", "rated":
            return fixed((try? RandomSpec.parse(t.replacement, location: context, allowOthers: t.type == "random"))?.expectedLength)
        case "integerid": return fixed(Double(t.replacement.trimmingCharacters(in: .whitespaces).utf8.count))
        case "file", "mvfile", "seqfile":
            guard let v = values(), !v.isEmpty else { return nil }
            return fixed(Double(v.reduce(0) { $0 + $1.count }) / Double(v.count))
        case "replaytimestamp":
            guard let formats = try? TokenTypes.replayFormats(t.replacement, at: context), !formats.isEmpty else { return nil }
            let readers = formats.map { Strptime($0) }
            let printed = formats.map { Double(Strftime($0).format(now, zone: zone).utf8.count) }
            let year = zone.civil(now).year
            return { text in
                guard let k = readers.firstIndex(where: { $0.parse(text, zone: zone, defaultYear: year) != nil }) else { return nil }
                return printed[k]
            }
        default: return nil
        }
    }

    /// A file token's values: the file's lines, or the column its replacement names.
    static func values(_ t: TokenSpec, _ files: ReplacementFiles, confDir: String?, sampleDir: String?) throws -> [[UInt8]] {
        let (path, column) = ReplacementFiles.splitColumn(t.replacement)
        let f = try files.load(path, confDir: confDir, sampleDir: sampleDir, token: "")
        return try column.map { try f.column($0, token: "") } ?? f.lines
    }

    /// The expected generated size of `raw` plus its line end.
    func size(of raw: String) -> Int {
        let ns = raw as NSString
        var size = Double(raw.utf8.count + 1)
        for t in tokens {
            guard let length = t.length else { continue }
            for m in t.regex.matches(in: raw, range: NSRange(location: 0, length: ns.length)) {
                var r = m.range
                if m.numberOfRanges > 1, m.range(at: 1).location != NSNotFound { r = m.range(at: 1) }
                let text = ns.substring(with: r)
                guard let n = length(text) else { continue }
                size += n - Double(text.utf8.count)
            }
        }
        return max(Int(size.rounded()), 1)
    }
}
