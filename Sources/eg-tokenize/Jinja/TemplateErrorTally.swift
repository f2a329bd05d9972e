import Core

/// Runtime template errors, counted per template and reported once each at the end (with the
/// count), so a bad branch taken by many events gives one line, not thousands.
final class TemplateErrorTally {
    /// Where in the stream a template's first error came: the chunk (`--jobs`; 0 otherwise) and
    /// the error's place among this tally's.
    private struct Place: Comparable {
        var chunk: Int, index: Int
        static func < (a: Place, b: Place) -> Bool { (a.chunk, a.index) < (b.chunk, b.index) }
    }
    private var byTemplate: [String: (first: String, count: Int, at: Place)] = [:]
    private var added = 0
    /// The chunk of the stream being rendered (`--jobs`), so tallies of several jobs merge in
    /// stream order.
    var chunk = 0

    var isEmpty: Bool { byTemplate.isEmpty }

    /// Counts an error of template `name` (its first message is the one reported).
    func add(_ name: String, _ message: String) {
        added += 1
        if var e = byTemplate[name] {
            e.count += 1
            byTemplate[name] = e
        } else {
            byTemplate[name] = (message, 1, Place(chunk: chunk, index: added))
        }
    }

    /// Adds another job's errors: counts add up, the first message is the earliest in the stream.
    func absorb(_ other: TemplateErrorTally) {
        for (name, e) in other.byTemplate {
            guard var mine = byTemplate[name] else { byTemplate[name] = e; continue }
            mine.count += e.count
            if e.at < mine.at { mine.first = e.first; mine.at = e.at }
            byTemplate[name] = mine
        }
    }

    /// Prints each template's first error and count; an EgError (exit 1) when there was any.
    func finish(tool: String) -> EgError? {
        guard !byTemplate.isEmpty else { return nil }
        var total = 0
        for (name, e) in byTemplate.sorted(by: { $0.value.at < $1.value.at }) {
            total += e.count
            Diagnostics.write("\(tool): \(e.first) (\(e.count) event\(e.count == 1 ? "" : "s") failed in \(name))\n")
        }
        return EgError.runtime("\(total) event\(total == 1 ? "" : "s") could not be rendered (template errors above)")
    }
}
