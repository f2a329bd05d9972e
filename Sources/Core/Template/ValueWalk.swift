/// Where a walk over a nested value is (printing, encoding, comparing): the lists and dicts it
/// is inside, to find one that contains itself (as Python's `Py_ReprEnter` and json's markers
/// do), and its depth, bounded by `depthLimit` where Python's recursion limit stops it.
struct ValueWalk {
    /// The deepest nesting of lists, tuples and dicts a walk goes into: a container inside
    /// `depthLimit` others is Python's RecursionError (Python's limit of 1000 frames stops a
    /// template's repr at 994 levels, its json at 988).
    static let depthLimit = 980

    /// The lists and dicts being walked, outermost first (empty until the first is entered).
    private var open: [ObjectIdentifier] = []
    private(set) var depth = 0
    /// Set when a container was beyond `depthLimit` (and not walked).
    private(set) var tooDeep = false

    /// Enters a container (`ref`: a list's or dict's reference; nil for a tuple). False, and
    /// nothing entered, when `ref` is already open (it contains itself) or the walk is at
    /// `depthLimit` (then `tooDeep` is set).
    @inline(__always)
    mutating func enter(_ ref: AnyObject?) -> Bool {
        if let ref, open.contains(ObjectIdentifier(ref)) { return false }
        if depth >= Self.depthLimit { tooDeep = true; return false }
        depth &+= 1
        open.append(ref.map(ObjectIdentifier.init) ?? Self.tupleMark)
        return true
    }

    /// Whether `ref` (a list's or dict's reference) is being walked.
    func isOpen(_ ref: AnyObject) -> Bool { open.contains(ObjectIdentifier(ref)) }

    /// Leaves the container entered last.
    @inline(__always)
    mutating func leave() {
        depth &-= 1
        open.removeLast()
    }

    /// What a tuple is noted as (no list or dict has this identity).
    private static let tupleMark = ObjectIdentifier(TupleMark.shared)
    private final class TupleMark: Sendable { static let shared = TupleMark() }

    /// Python's RecursionError from `repr()`.
    static func reprError(_ position: SourcePosition) -> TemplateError {
        TemplateError(position, "maximum recursion depth exceeded while getting the repr of an object")
    }

    /// Python's RecursionError from `==`, `<` and the like.
    static func comparisonError(_ position: SourcePosition) -> TemplateError {
        TemplateError(position, "maximum recursion depth exceeded in comparison")
    }
}

extension ValueWalk {
    /// Thrown by a writer that cannot name the place of a value too deep to print; the statement
    /// that can makes it `reprError` at its position.
    struct TooDeep: Error {}
}
