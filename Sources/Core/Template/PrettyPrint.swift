/// Python's `pprint.pformat(v)` (width 80, indent 1, dicts sorted by key), as Jinja's `pprint`
/// filter gives it: a value whose repr fits stays on one line; a dict, list or tuple that does
/// not fit puts one item per line; a long string or bytes splits into adjacent literals.
struct PrettyPrint {
    let position: SourcePosition
    private let width = 80
    private var out = ""
    /// The containers being printed, to refuse a structure that contains itself.
    private var open = Set<ObjectIdentifier>()
    private var depth = 0

    init(_ position: SourcePosition) { self.position = position }

    mutating func format(_ v: Value) throws -> String {
        out = ""
        try format(v, indent: 0, allowance: 0, level: 0)
        return out
    }

    private static func length(_ s: String) -> Int { s.unicodeScalars.count }

    private mutating func format(_ v: Value, indent: Int, allowance: Int, level: Int) throws {
        let rep = try repr(v)
        if Self.length(rep) > width - indent - allowance {
            switch v {
            case .dict(let d):
                try push(d); defer { pop(d) }
                out += "{"
                if d.count > 0 { try dictItems(sortedItems(d), indent: indent, allowance: allowance + 1, level: level + 1) }
                out += "}"
                return
            case .list(let l):
                try push(l); defer { pop(l) }
                out += "["
                try items(l.items, indent: indent, allowance: allowance + 1, level: level + 1)
                out += "]"
                return
            case .tuple(let t):
                let end = t.count == 1 ? ",)" : ")"
                try push(nil); defer { pop(nil) }
                out += "("
                try items(t, indent: indent, allowance: allowance + end.count, level: level + 1)
                out += end
                return
            case .string(let s) where !s.isEmpty:
                string(s, indent: indent, allowance: allowance, level: level + 1)
                return
            case .bytes(let b) where b.count > 4:
                bytes(b, indent: indent, allowance: allowance, level: level + 1)
                return
            default: break
            }
        }
        out += rep
    }

    /// Enters a container (`ref`: a list or dict, to refuse one that contains itself).
    private mutating func push(_ ref: AnyObject?) throws {
        depth += 1
        if let ref, !open.insert(ObjectIdentifier(ref)).inserted {
            depth -= 1
            throw TemplateError(position, "pprint: the value contains itself")
        }
        if depth > 500 {
            pop(ref)
            throw TemplateError(position, "pprint: the value is nested too deeply")
        }
    }

    private mutating func pop(_ ref: AnyObject?) {
        depth -= 1
        if let ref { open.remove(ObjectIdentifier(ref)) }
    }

    private mutating func dictItems(_ pairs: [(Value, Value)], indent: Int, allowance: Int, level: Int) throws {
        let indent = indent + 1
        for (i, (k, v)) in pairs.enumerated() {
            let last = i == pairs.count - 1
            let rep = try repr(k)
            out += rep + ": "
            try format(v, indent: indent + Self.length(rep) + 2, allowance: last ? allowance : 1, level: level)
            if !last { out += ",\n" + String(repeating: " ", count: indent) }
        }
    }

    private mutating func items(_ list: [Value], indent: Int, allowance: Int, level: Int) throws {
        let indent = indent + 1
        for (i, v) in list.enumerated() {
            if i > 0 { out += ",\n" + String(repeating: " ", count: indent) }
            try format(v, indent: indent, allowance: i == list.count - 1 ? allowance : 1, level: level)
        }
    }

    /// A long string as adjacent literals, split after whitespace and at line ends.
    private mutating func string(_ s: String, indent: Int, allowance: Int, level: Int) {
        var indent = indent, allowance = allowance
        if level == 1 { indent += 1; allowance += 1 }
        let maxWidth = width - indent
        var maxWidth1 = maxWidth
        var chunks: [String] = []
        let lines = Self.linesKeepingEnds(Array(s.unicodeScalars))
        for (i, line) in lines.enumerated() {
            let rep = Value.string(PyText.string(line)).repr
            if i == lines.count - 1 { maxWidth1 -= allowance }
            if Self.length(rep) <= maxWidth1 { chunks.append(rep); continue }
            var maxWidth2 = maxWidth
            var current: [Unicode.Scalar] = []
            let parts = Self.wordsWithSpaces(line)
            for (j, part) in parts.enumerated() {
                let candidate = current + part
                if j == parts.count - 1 && i == lines.count - 1 { maxWidth2 -= allowance }
                if Self.length(Value.string(PyText.string(candidate)).repr) > maxWidth2 {
                    if !current.isEmpty { chunks.append(Value.string(PyText.string(current)).repr) }
                    current = Array(part)
                } else {
                    current = candidate
                }
            }
            if !current.isEmpty { chunks.append(Value.string(PyText.string(current)).repr) }
        }
        if chunks.count == 1 { out += chunks[0]; return }
        if level == 1 { out += "(" }
        out += chunks.joined(separator: "\n" + String(repeating: " ", count: indent))
        if level == 1 { out += ")" }
    }

    /// Bytes as adjacent literals of whole groups of four.
    private mutating func bytes(_ b: [UInt8], indent: Int, allowance: Int, level: Int) {
        var indent = indent, allowance = allowance
        let parens = level == 1
        if parens { indent += 1; allowance += 1; out += "(" }
        var w = width - indent
        var reps: [String] = []
        var current: [UInt8] = []
        let last = b.count / 4 * 4
        for i in stride(from: 0, to: b.count, by: 4) {
            let part = b[i..<Swift.min(i + 4, b.count)]
            let candidate = current + part
            if i == last { w -= allowance }
            if Self.length(Value.bytes(candidate).repr) > w {
                if !current.isEmpty { reps.append(Value.bytes(current).repr) }
                current = Array(part)
            } else {
                current = candidate
            }
        }
        if !current.isEmpty { reps.append(Value.bytes(current).repr) }
        out += reps.joined(separator: "\n" + String(repeating: " ", count: indent))
        if parens { out += ")" }
    }

    /// `str.splitlines(True)`.
    static func linesKeepingEnds(_ s: [Unicode.Scalar]) -> [ArraySlice<Unicode.Scalar>] {
        var lines: [ArraySlice<Unicode.Scalar>] = []
        var start = 0, i = 0
        while i < s.count {
            switch s[i].value {
            case 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x85, 0x2028, 0x2029:
                if s[i].value == 0x0D, i + 1 < s.count, s[i + 1].value == 0x0A { i += 1 }
                lines.append(s[start...i])
                start = i + 1
            default: break
            }
            i += 1
        }
        if start < s.count { lines.append(s[start...]) }
        return lines
    }

    /// `re.findall(r'\S*\s*', line)` without its final empty match.
    static func wordsWithSpaces(_ line: ArraySlice<Unicode.Scalar>) -> [ArraySlice<Unicode.Scalar>] {
        var parts: [ArraySlice<Unicode.Scalar>] = []
        var i = line.startIndex
        while i < line.endIndex {
            let start = i
            while i < line.endIndex && !PyText.isSpace(line[i]) { i += 1 }
            while i < line.endIndex && PyText.isSpace(line[i]) { i += 1 }
            parts.append(line[start..<i])
        }
        return parts
    }

    /// The dict's items sorted by key, as Python's `sorted` with pprint's `_safe_key`: keys
    /// that do not compare are ordered by their type's name.
    private func sortedItems(_ d: DictRef) throws -> [(Value, Value)] {
        let pairs = (0..<d.count).map { (d.keys[$0], d.values[$0]) }
        return pairs.enumerated().sorted { a, b in
            let o = Self.order(a.element.0, b.element.0)
            return o != 0 ? o < 0 : a.offset < b.offset
        }.map(\.element)
    }

    private static func order(_ a: Value, _ b: Value) -> Int {
        if let o = try? Operators.order(a, b, SourcePosition(), "<") { return o }
        let ta = "<class '\(a.typeName)'>", tb = "<class '\(b.typeName)'>"
        return ta == tb ? 0 : (ta.unicodeScalars.lexicographicallyPrecedes(tb.unicodeScalars) ? -1 : 1)
    }

    /// pprint's `_safe_repr`: `repr(v)` with dicts sorted by key at every level.
    private mutating func repr(_ v: Value) throws -> String {
        switch v {
        case .dict(let d):
            if d.count == 0 { return "{}" }
            try push(d); defer { pop(d) }
            var parts: [String] = []
            for (k, x) in try sortedItems(d) { parts.append(try repr(k) + ": " + repr(x)) }
            return "{" + parts.joined(separator: ", ") + "}"
        case .list(let l):
            if l.items.isEmpty { return "[]" }
            try push(l); defer { pop(l) }
            var parts: [String] = []
            for x in l.items { parts.append(try repr(x)) }
            return "[" + parts.joined(separator: ", ") + "]"
        case .tuple(let t):
            if t.isEmpty { return "()" }
            try push(nil); defer { pop(nil) }
            var parts: [String] = []
            for x in t { parts.append(try repr(x)) }
            return "(" + parts.joined(separator: ", ") + (t.count == 1 ? ",)" : ")")
        case .undefined: return "Undefined"
        default: return v.repr
        }
    }
}
