import Core
import Foundation

/// `module.math`: Python's math module as templates use it: the constants, the float functions
/// (always a float, `math domain error` / `math range error` where CPython raises them), and the
/// integer ones (`floor`, `ceil`, `trunc`, `factorial`, `gcd`, `lcm`, `comb`, `perm`, `isqrt`).
enum PythonModuleMath {
    static func real(_ a: CallArguments, _ i: Int, _ name: String, _ fn: String) throws -> Double {
        guard let v = a.get(i, name) else { throw TemplateError(a.position, "math.\(fn)() missing required argument '\(name)'") }
        guard let x = v.number else { throw TemplateError(a.position, "math.\(fn)(): must be real number, not \(v.typeName)") }
        return x
    }

    static func integer(_ a: CallArguments, _ i: Int, _ name: String, _ fn: String) throws -> Int {
        guard let v = a.get(i, name) else { throw TemplateError(a.position, "math.\(fn)() missing required argument '\(name)'") }
        guard let x = v.intValue else { throw TemplateError(a.position, "math.\(fn)(): '\(v.typeName)' object cannot be interpreted as an integer") }
        return x
    }

    static func domain(_ a: CallArguments) -> TemplateError { TemplateError(a.position, "math domain error") }

    /// A float result, checked as CPython checks libm's: NaN from a non-NaN argument is a domain
    /// error, infinity from a finite one a range error.
    static func checked(_ r: Double, _ args: [Double], _ a: CallArguments) throws -> Value {
        if r.isNaN && !args.contains(where: \.isNaN) { throw domain(a) }
        if r.isInfinite && args.allSatisfy(\.isFinite) { throw TemplateError(a.position, "math range error") }
        return .float(r)
    }

    /// floor/ceil/trunc: ints stay ints, floats become ints.
    static func rounding(_ a: CallArguments, _ fn: String, _ f: (Double) -> Double) throws -> Value {
        let v = try a.require(0, "x", fn)
        if let i = v.intValue { return .int(i) }
        guard let x = v.number else { throw TemplateError(a.position, "math.\(fn)(): must be real number, not \(v.typeName)") }
        if x.isNaN { throw TemplateError(a.position, "cannot convert float NaN to integer") }
        if x.isInfinite { throw TemplateError(a.position, "cannot convert float infinity to integer") }
        let r = f(x)
        guard abs(r) < 9.2e18 else { throw TemplateError(a.position, "math.\(fn)(): \(Value.float(x).text) is too large for eg's 64-bit integers") }
        return .int(Int(r))
    }

    static func product(_ values: [Int], _ a: CallArguments, _ fn: String) throws -> Int {
        var p = 1
        for v in values {
            let (r, o) = p.multipliedReportingOverflow(by: v)
            if o { throw TemplateError(a.position, "math.\(fn)(): the result is too large for eg's 64-bit integers") }
            p = r
        }
        return p
    }

    static func gcd(_ x: Int, _ y: Int) -> Int {
        var a = x.magnitude, b = y.magnitude
        while b != 0 { (a, b) = (b, a % b) }
        return Int(a)
    }

    /// Shewchuk's exactly rounded sum (what `math.fsum` computes).
    static func fsum(_ xs: [Double]) -> Double {
        var partials: [Double] = []
        for var x in xs {
            var i = 0
            for var y in partials {
                if abs(x) < abs(y) { swap(&x, &y) }
                let hi = x + y, lo = y - (hi - x)
                if lo != 0 { partials[i] = lo; i += 1 }
                x = hi
            }
            partials.removeSubrange(i...)
            partials.append(x)
        }
        return partials.reduce(0, +)
    }

    static func make() -> FunctionSpace {
        let m = FunctionSpace("math")
        m.members["pi"] = .float(Double.pi)
        m.members["e"] = .float(M_E)
        m.members["tau"] = .float(2 * Double.pi)
        m.members["inf"] = .float(.infinity)
        m.members["nan"] = .float(.nan)
        let unary: [(String, (Double) -> Double)] = [
            ("sqrt", { $0.squareRoot() }), ("exp", { Foundation.exp($0) }), ("expm1", { Foundation.expm1($0) }),
            ("log2", { Foundation.log2($0) }), ("log10", { Foundation.log10($0) }), ("log1p", { Foundation.log1p($0) }),
            ("sin", { Foundation.sin($0) }), ("cos", { Foundation.cos($0) }), ("tan", { Foundation.tan($0) }),
            ("asin", { Foundation.asin($0) }), ("acos", { Foundation.acos($0) }), ("atan", { Foundation.atan($0) }),
            ("sinh", { Foundation.sinh($0) }), ("cosh", { Foundation.cosh($0) }), ("tanh", { Foundation.tanh($0) }),
            ("fabs", { Swift.abs($0) }), ("degrees", { $0 * 180 / Double.pi }), ("radians", { $0 * Double.pi / 180 }),
        ]
        for (name, f) in unary {
            m.add(name) { a, _ in
                let x = try real(a, 0, "x", name)
                if (name == "log2" || name == "log10") && x <= 0 { throw domain(a) }
                if name == "log1p" && x <= -1 { throw domain(a) }
                return try checked(f(x), [x], a)
            }
        }
        m.add("log") { a, _ in
            let x = try real(a, 0, "x", "log")
            guard x > 0 else { throw domain(a) }
            guard a.get(1, "base") != nil else { return .float(Foundation.log(x)) }
            let b = try real(a, 1, "base", "log")
            guard b > 0 else { throw domain(a) }
            let den = Foundation.log(b)
            guard den != 0 else { throw TemplateError(a.position, "float division by zero") }
            return .float(Foundation.log(x) / den)
        }
        m.add("pow") { a, _ in
            let x = try real(a, 0, "x", "pow"), y = try real(a, 1, "y", "pow")
            if x == 0 && y < 0 { throw domain(a) }
            return try checked(Foundation.pow(x, y), [x, y], a)
        }
        m.add("atan2") { a, _ in .float(Foundation.atan2(try real(a, 0, "y", "atan2"), try real(a, 1, "x", "atan2"))) }
        m.add("hypot") { a, _ in .float(a.positional.compactMap(\.number).reduce(0) { Foundation.hypot($0, $1) }) }
        m.add("fmod") { a, _ in
            let x = try real(a, 0, "x", "fmod"), y = try real(a, 1, "y", "fmod")
            if y == 0 || x.isInfinite { throw domain(a) }
            return .float(Foundation.fmod(x, y))
        }
        m.add("copysign") { a, _ in .float(Foundation.copysign(try real(a, 0, "x", "copysign"), try real(a, 1, "y", "copysign"))) }
        m.add("modf") { a, _ in
            let x = try real(a, 0, "x", "modf")
            let i = x.isInfinite ? x : x.rounded(.towardZero)
            return .tuple([.float(x.isInfinite ? Foundation.copysign(0, x) : x - i), .float(i)])
        }
        m.add("isnan") { a, _ in .bool(try real(a, 0, "x", "isnan").isNaN) }
        m.add("isinf") { a, _ in .bool(try real(a, 0, "x", "isinf").isInfinite) }
        m.add("isfinite") { a, _ in .bool(try real(a, 0, "x", "isfinite").isFinite) }
        m.add("isclose") { a, _ in
            let x = try real(a, 0, "a", "isclose"), y = try real(a, 1, "b", "isclose")
            let rel = try a.keyword("rel_tol").map { _ in try real(a, 99, "rel_tol", "isclose") } ?? 1e-9
            let abst = try a.keyword("abs_tol").map { _ in try real(a, 99, "abs_tol", "isclose") } ?? 0
            guard rel >= 0, abst >= 0 else { throw TemplateError(a.position, "tolerances must be non-negative") }
            if x == y { return .bool(true) }
            if x.isInfinite || y.isInfinite { return .bool(false) }
            let d = Swift.abs(x - y)
            return .bool(d <= Swift.abs(rel * y) || d <= Swift.abs(rel * x) || d <= abst)
        }
        m.add("floor") { a, _ in try rounding(a, "floor") { $0.rounded(.down) } }
        m.add("ceil") { a, _ in try rounding(a, "ceil") { $0.rounded(.up) } }
        m.add("trunc") { a, _ in try rounding(a, "trunc") { $0.rounded(.towardZero) } }
        m.add("factorial") { a, _ in
            let n = try integer(a, 0, "n", "factorial")
            guard n >= 0 else { throw TemplateError(a.position, "factorial() not defined for negative values") }
            return .int(try product(n < 2 ? [] : Array(2...n), a, "factorial"))
        }
        m.add("gcd") { a, _ in .int(try a.positional.indices.map { try integer(a, $0, "x", "gcd") }.reduce(0, gcd)) }
        m.add("lcm") { a, _ in
            var l = 1
            for i in a.positional.indices {
                let x = try integer(a, i, "x", "lcm")
                if x == 0 { return .int(0) }
                l = try product([l / gcd(l, x), Swift.abs(x)], a, "lcm")
            }
            return .int(l)
        }
        m.add("comb") { a, _ in
            let n = try integer(a, 0, "n", "comb"), k = try integer(a, 1, "k", "comb")
            guard n >= 0, k >= 0 else { throw TemplateError(a.position, "n and k must be non-negative integers") }
            if k > n { return .int(0) }
            var r = 1
            for i in 0..<min(k, n - k) {
                r = try product([r, n - i], a, "comb") / (i + 1)
            }
            return .int(r)
        }
        m.add("perm") { a, _ in
            let n = try integer(a, 0, "n", "perm")
            let k = try a.get(1, "k").map { _ in try integer(a, 1, "k", "perm") } ?? n
            guard n >= 0, k >= 0 else { throw TemplateError(a.position, "n and k must be non-negative integers") }
            if k > n { return .int(0) }
            return .int(try product(k == 0 ? [] : Array((n - k + 1)...n), a, "perm"))
        }
        m.add("isqrt") { a, _ in
            let n = try integer(a, 0, "n", "isqrt")
            guard n >= 0 else { throw TemplateError(a.position, "isqrt() argument must be nonnegative") }
            var r = Int(Double(n).squareRoot())
            while r * r > n { r -= 1 }
            while (r + 1) * (r + 1) <= n { r += 1 }
            return .int(r)
        }
        m.add("fsum") { a, _ in
            let items = try a.require(0, "seq", "fsum").iterate() ?? []
            return .float(fsum(try items.map { v in
                guard let x = v.number else { throw TemplateError(a.position, "math.fsum(): must be real number, not \(v.typeName)") }
                return x
            }))
        }
        m.add("prod") { a, _ in
            let items = try a.require(0, "iterable", "prod").iterate() ?? []
            var acc = a.keyword("start") ?? .int(1)
            for v in items {
                if let x = acc.intValue, let y = v.intValue, case (let r, false) = x.multipliedReportingOverflow(by: y) { acc = .int(r); continue }
                guard let x = acc.number, let y = v.number else { throw TemplateError(a.position, "math.prod(): must be real numbers, not \(v.typeName)") }
                acc = .float(x * y)
            }
            return acc
        }
        return m
    }
}
