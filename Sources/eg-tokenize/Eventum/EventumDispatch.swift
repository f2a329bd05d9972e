import Core

/// What a template's `dispatch.drop()`, `dispatch.next(max_repicks)` and `dispatch.exhaust()`
/// raise: the render stops there and `EventumGenerator` acts on the signal (Eventum's semantics:
/// drop discards every event of the timestamp, next discards them and picks again, at most
/// `max_repicks` times per timestamp, exhaust ends the generator).
enum DispatchSignal: Error {
    case drop
    case next(maxRepicks: Int)
    case exhaust
}

/// The `dispatch` object of the template context.
enum EventumDispatch {
    static func make() -> Value {
        let d = FunctionSpace("dispatch")
        d.add("drop") { _, _ in throw DispatchSignal.drop }
        d.add("next") { a, _ in
            let n = try a.int(0, "max_repicks", "dispatch.next", default: 64)
            guard n >= 1 else { throw TemplateError(a.position, "dispatch.next(): max_repicks must be >= 1, got \(n)") }
            throw DispatchSignal.next(maxRepicks: n)
        }
        d.add("exhaust") { _, _ in throw DispatchSignal.exhaust }
        return .object(d)
    }
}
