import Foundation
import Core

/// What perDayVolume measures: the bytes of `_raw` as eg-tokenize will write it, as eventgen
/// measures its volume after token replacement (a large token means fewer events per GB).
///
/// eg-rate does not run the tokens; once per pool event (never per generated event) it finds
/// each token's matches and counts, instead of the matched text, the mean length of what the
/// token writes: `static` its replacement, `timestamp` its format printed at the run's now,
/// `random` and `rated` the mean length of their values, `integerid` the digits of its start.
/// `file`, `mvfile`, `seqfile` and `replaytimestamp` count as the text they replace.
struct GeneratedSize {
    struct Token {
        let regex: NSRegularExpression
        /// The mean replacement length in bytes, or nil to count the matched text.
        let length: Double?
    }
    let tokens: [Token]

    /// The sample's tokens; a token that does not compile is left to eg-tokenize to report.
    init(settings: Settings, now: EventTime, zone: TimeZoneSetting) {
        var tokens: [Token] = []
        for t in settings.tokensSkippingIncomplete().tokens {
            let context = "token \(t.number) of [\(settings.stanza)]"
            guard let regex = try? PythonRegex.compile(t.pattern, context: context) else { continue }
            tokens.append(Token(regex: regex, length: GeneratedSize.length(of: t, now: now, zone: zone, context: context)))
        }
        self.tokens = tokens
    }

    var isEmpty: Bool { tokens.allSatisfy { $0.length == nil } }

    static func length(of t: TokenSpec, now: EventTime, zone: TimeZoneSetting, context: String) -> Double? {
        switch t.type {
        case "static": return Double(t.replacement.utf8.count)
        case "timestamp": return Double(Strftime(t.replacement).format(now, zone: zone).utf8.count)
        case "random", "rated":
            return (try? RandomSpec.parse(t.replacement, location: context, allowOthers: t.type == "random"))?.expectedLength
        case "integerid": return Double(t.replacement.trimmingCharacters(in: .whitespaces).utf8.count)
        default: return nil
        }
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
                size += length - Double(ns.substring(with: r).utf8.count)
            }
        }
        return max(Int(size.rounded()), 1)
    }
}
