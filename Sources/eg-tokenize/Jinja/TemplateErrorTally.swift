import Core

/// Runtime template errors, counted per template and reported once each at the end (with the
/// count), so a bad branch taken by many events gives one line, not thousands.
final class TemplateErrorTally {
    private var order: [String] = []
    private var byTemplate: [String: (first: String, count: Int)] = [:]

    var isEmpty: Bool { order.isEmpty }

    /// Counts an error of template `name` (its first message is the one reported).
    func add(_ name: String, _ message: String) {
        if var e = byTemplate[name] {
            e.count += 1
            byTemplate[name] = e
        } else {
            order.append(name)
            byTemplate[name] = (message, 1)
        }
    }

    /// Prints each template's first error and count; an EgError (exit 1) when there was any.
    func finish(tool: String) -> EgError? {
        guard !order.isEmpty else { return nil }
        var total = 0
        for name in order {
            let e = byTemplate[name]!
            total += e.count
            Diagnostics.write("\(tool): \(e.first) (\(e.count) event\(e.count == 1 ? "" : "s") failed in \(name))\n")
        }
        return EgError.runtime("\(total) event\(total == 1 ? "" : "s") could not be rendered (template errors above)")
    }
}
