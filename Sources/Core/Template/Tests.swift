/// Jinja's built-in tests (`x is defined`, `x is divisibleby 3`), resolved by name at compile time.
public enum Test: String, CaseIterable, Sendable {
    case defined, undefined, none, number, string, integer, float, mapping, iterable, sequence, boolean
    case `true`, `false`, even, odd, divisibleby, equalto, ne, gt, ge, lt, le, `in`, sameas, lower, upper, callable, escaped
    case filter, test

    /// The test called `name` (aliases: `eq`, `==`, `greaterthan`, `<`...).
    public static func named(_ name: String) -> Test? {
        switch name {
        case "eq", "==": return .equalto
        case "!=": return .ne
        case ">", "greaterthan": return .gt
        case ">=": return .ge
        case "<", "lessthan": return .lt
        case "<=": return .le
        default: return Test(rawValue: name)
        }
    }
}

/// The implementations behind `Test`.
enum Tests {
    static func apply(_ test: Test, _ v: Value, _ args: [Value], _ pos: SourcePosition, _ state: RenderState) throws -> Bool {
        func arg() throws -> Value {
            guard let a = args.first else { throw TemplateError(pos, "test '\(test.rawValue)' needs an argument") }
            return a
        }
        switch test {
        case .defined: return v.isDefined
        case .undefined: return !v.isDefined
        case .none: if case .none = v { return true }; return false
        case .number:
            switch v { case .int, .bigint, .float, .bool: return true; default: return false }
        case .integer: switch v { case .int, .bigint: return true; default: return false }
        case .float: if case .float = v { return true }; return false
        case .boolean: if case .bool = v { return true }; return false
        case .true: if case .bool(true) = v { return true }; return false
        case .false: if case .bool(false) = v { return true }; return false
        case .string: if case .string = v { return true }; return false
        case .mapping: if case .dict = v { return true }; return false
        case .iterable: if case .undefined = v { return false }; return v.iterate() != nil
        case .sequence:
            switch v { case .list, .tuple, .string, .dict, .bytes: return true; default: return false }
        case .callable:
            switch v { case .macro, .function: return true; default: return false }
        case .escaped: return false
        case .even, .odd:
            if case .bigint(let b) = v { return (b.limbs[0] & 1 == 0) == (test == .even) }
            guard let i = v.intValue else { throw TemplateError(pos, "test '\(test.rawValue)' needs an integer, not \(v.typeName)") }
            return (i % 2 == 0) == (test == .even)
        case .divisibleby:
            let divisor = try arg()
            if Operators.isBig(v) || Operators.isBig(divisor) {
                return try Operators.equal(try Operators.binary(.mod, v, divisor, pos), .int(0), pos)
            }
            guard let i = v.intValue, let n = divisor.intValue else {
                if let x = v.number, let n = try arg().number, n != 0 { return Operators.pyMod(x, n) == 0 }
                throw TemplateError(pos, "divisibleby needs numbers")
            }
            guard n != 0 else { throw TemplateError(pos, "integer division or modulo by zero") }
            return n == -1 || i % n == 0
        case .equalto: return try Operators.equal(v, try arg(), pos)
        case .ne: return !(try Operators.equal(v, try arg(), pos))
        case .gt: return try Operators.order(v, try arg(), pos, ">") > 0
        case .ge: return try Operators.order(v, try arg(), pos, ">=") >= 0
        case .lt: return try Operators.order(v, try arg(), pos, "<") < 0
        case .le: return try Operators.order(v, try arg(), pos, "<=") <= 0
        case .in: return try Operators.contains(try arg(), v, pos)
        case .sameas:
            let o = try arg()
            switch (v, o) {
            case (.list(let a), .list(let b)): return a === b
            case (.dict(let a), .dict(let b)): return a === b
            case (.object(let a), .object(let b)): return a === b
            case (.none, .none): return true
            case (.bool(let a), .bool(let b)): return a == b
            default: return false
            }
        case .filter: if case .string(let s) = v { return Filter.named(s) != nil }; return false
        case .test: if case .string(let s) = v { return Test.named(s) != nil }; return false
        case .lower: let s = v.text; return s == s.lowercased()
        case .upper: let s = v.text; return s == s.uppercased()
        }
    }
}
