import Core
import Foundation

/// A namespace of functions and sub-namespaces (`module.rand.number.integer`), set up once: a
/// `TemplateNamespace`, so templates bind its attribute chains when the generator starts.
final class FunctionSpace: TemplateNamespace {
    let name: String
    var members: [String: Value] = [:]
    init(_ name: String) { self.name = name }
    var typeName: String { name }
    func attribute(_ n: String) -> Value? { members[n] }
    func callMethod(_ n: String, _ args: inout CallArguments, _ state: RenderState) throws -> Value? {
        if case .function(let f)? = members[n] { return try f.body(&args, state) }
        return nil
    }
    func add(_ n: String, _ body: @escaping (inout CallArguments, RenderState) throws -> Value) {
        members[n] = .function(NativeFunction("\(name).\(n)", body))
    }
}

/// Eventum's `module`: `module.rand` (every function of the reference page), `module.faker` and
/// the Python modules (`PythonModules`), all seeded from the renderer's substream.
enum EventumModule {
    static func make(clock: EventClock) -> Value {
        let module = FunctionSpace("module")
        module.members["rand"] = .object(rand())
        PythonModules.add(to: module, clock: clock)
        return .object(module)
    }

    static func items(_ v: Value, _ what: String, _ args: CallArguments) throws -> [Value] {
        guard let items = v.iterate(), !items.isEmpty else { throw TemplateError(args.position, "\(what) needs a non-empty sequence") }
        return items
    }

    static func pickWeighted(_ items: [Value], _ weights: [Double], _ rng: inout SeededRandom, _ args: CallArguments) throws -> Value {
        guard items.count == weights.count, let total = Optional(weights.reduce(0, +)), total > 0,
              weights.allSatisfy({ $0 >= 0 }) else { throw TemplateError(args.position, "weighted_choice needs as many non-negative weights as items, not all zero") }
        var x = rng.unit() * total
        for (i, w) in weights.enumerated() { x -= w; if x < 0 { return items[i] } }
        return items[items.count - 1]
    }

    /// `(items, weights)` or `({item: weight})`.
    static func weightedArgs(_ args: CallArguments) throws -> ([Value], [Double]) {
        let first = try args.require(0, "items", "weighted_choice")
        if case .dict(let d) = first { return (d.keys, d.values.map { $0.number ?? -1 }) }
        let items = try Self.items(first, "weighted_choice", args)
        if case .none? = args.get(1, "weights") { return (items, items.map { _ in 1 }) }
        let weights = try Self.items(try args.require(1, "weights", "weighted_choice"), "weighted_choice weights", args).map { $0.number ?? -1 }
        return (items, weights)
    }

    /// `n` characters drawn from an ASCII `alphabet`, built in place (no Character arrays).
    static func text(_ n: Int, _ alphabet: [UInt8], _ rng: inout SeededRandom) -> Value {
        let n = max(n, 0), count = alphabet.count
        return .string(String(unsafeUninitializedCapacity: n) { buf in
            for k in 0..<n { buf[k] = alphabet[rng.index(count)] }
            return n
        })
    }

    /// `n` lowercase hex digits: `text(n, hexDigits, &rng)` with the digits made from the draws.
    static func hexText(_ n: Int, _ rng: inout SeededRandom) -> Value {
        let n = max(n, 0)
        return .string(String(unsafeUninitializedCapacity: n) { buf in
            for k in 0..<n { buf[k] = hexDigit(&rng) }
            return n
        })
    }

    /// A hex digit from one draw: its top four bits, which is what `rng.index(16)` gives (16
    /// divides 2^64, so Lemire's method never draws again).
    @inline(__always)
    static func hexDigit(_ rng: inout SeededRandom) -> UInt8 {
        let d = UInt8(truncatingIfNeeded: rng.next() >> 60)
        return d < 10 ? 0x30 &+ d : 0x57 &+ d
    }

    static let hexDigits = Array("0123456789abcdef".utf8)
    static let lower = Array("abcdefghijklmnopqrstuvwxyz".utf8), upper = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)
    static let digitChars = Array("0123456789".utf8), punctuation = Array("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".utf8)

    /// A version-4 UUID's text: 32 hex digits drawn, then the variant digit (8-b).
    static func uuid4(_ rng: inout SeededRandom) -> Value {
        .string(String(unsafeUninitializedCapacity: 36) { buf in
            var j = 0
            for k in 0..<32 {
                if k == 8 || k == 12 || k == 16 || k == 20 { buf[j] = UInt8(ascii: "-"); j += 1 }
                buf[j] = hexDigit(&rng)
                j += 1
            }
            buf[14] = UInt8(ascii: "4")
            buf[19] = hexDigits[8 + Int(truncatingIfNeeded: rng.next() >> 62)]   // rng.index(4)
            return 36
        })
    }

    static func ipv4(_ a: UInt32) -> Value { .string("\(a >> 24).\((a >> 16) & 255).\((a >> 8) & 255).\(a & 255)") }

    static func rand() -> FunctionSpace {
        let r = FunctionSpace("rand")
        r.add("choice") { a, s in let xs = try items(try a.require(0, "items", "choice"), "choice", a); return xs[s.rng.index(xs.count)] }
        r.add("choices") { a, s in
            let xs = try items(try a.require(0, "items", "choices"), "choices", a)
            return .list((0..<max(try a.int(1, "n", "choices", default: 1), 0)).map { _ in xs[s.rng.index(xs.count)] })
        }
        r.add("weighted_choice") { a, s in let (xs, ws) = try weightedArgs(a); return try pickWeighted(xs, ws, &s.rng, a) }
        r.add("weighted_choices") { a, s in
            let (xs, ws) = try weightedArgs(a)
            let n = try a.int(a.positional.count >= 3 ? 2 : 1, "n", "weighted_choices", default: 1)
            return .list(try (0..<max(n, 0)).map { _ in try pickWeighted(xs, ws, &s.rng, a) })
        }
        r.add("chance") { a, s in .bool(s.rng.unit() < (try a.double(0, "probability", "chance"))) }
        r.add("shuffle") { a, s in
            var xs = try a.require(0, "items", "shuffle").iterate() ?? []
            if xs.count > 1 { for i in stride(from: xs.count - 1, to: 0, by: -1) { xs.swapAt(i, s.rng.index(i + 1)) } }
            return .list(xs)
        }
        let number = FunctionSpace("number")
        number.add("integer") { a, s in
            let lo = try a.int(0, "a", "integer"), hi = try a.int(1, "b", "integer")
            guard lo <= hi else { throw TemplateError(a.position, "integer(a, b) needs a <= b") }
            return .int(Int(s.rng.int(in: Int64(lo)...Int64(hi))))
        }
        number.add("floating") { a, s in .float(s.rng.double(in: try a.double(0, "a", "floating"), try a.double(1, "b", "floating"))) }
        number.add("gauss") { a, s in
            let mu = try a.double(0, "mu", "gauss"), sigma = try a.double(1, "sigma", "gauss")
            return .float(mu + sigma * normal(&s.rng))
        }
        number.add("lognormal") { a, s in
            let mu = try a.double(0, "mu", "lognormal"), sigma = try a.double(1, "sigma", "lognormal")
            return .float(exp(mu + sigma * normal(&s.rng)))
        }
        number.add("exponential") { a, s in
            let l = try a.double(0, "lambd", "exponential")
            guard l > 0 else { throw TemplateError(a.position, "exponential(lambd) needs lambd > 0") }
            return .float(-log(1 - s.rng.unit()) / l)
        }
        number.add("pareto") { a, s in
            let alpha = try a.double(0, "alpha", "pareto"), xmin = try a.double(1, "xmin", "pareto", default: 1)
            guard alpha > 0 else { throw TemplateError(a.position, "pareto(alpha) needs alpha > 0") }
            return .float(xmin / pow(1 - s.rng.unit(), 1 / alpha))
        }
        number.add("triangular") { a, s in
            let lo = try a.double(0, "low", "triangular", default: 0), hi = try a.double(1, "high", "triangular", default: 1)
            let mode = try a.double(2, "mode", "triangular", default: (lo + hi) / 2)
            guard hi > lo else { return .float(lo) }
            let u = s.rng.unit(), c = (mode - lo) / (hi - lo)
            return .float(u < c ? lo + ((hi - lo) * (mode - lo) * u).squareRoot() : hi - ((hi - lo) * (hi - mode) * (1 - u)).squareRoot())
        }
        number.add("clamp") { a, _ in
            let v = try a.require(0, "value", "clamp"), lo = try a.require(1, "low", "clamp"), hi = try a.require(2, "high", "clamp")
            guard let x = v.number, let l = lo.number, let h = hi.number else { throw TemplateError(a.position, "clamp needs numbers") }
            return x < l ? lo : x > h ? hi : v
        }
        r.members["number"] = .object(number)
        let string = FunctionSpace("string")
        string.add("hex") { a, s in hexText(try a.int(0, "size", "hex"), &s.rng) }
        string.add("digits") { a, s in text(try a.int(0, "size", "digits"), digitChars, &s.rng) }
        string.add("letters") { a, s in text(try a.int(0, "size", "letters"), lower + upper, &s.rng) }
        string.add("letters_lowercase") { a, s in text(try a.int(0, "size", "letters_lowercase"), lower, &s.rng) }
        string.add("letters_uppercase") { a, s in text(try a.int(0, "size", "letters_uppercase"), upper, &s.rng) }
        string.add("punctuation") { a, s in text(try a.int(0, "size", "punctuation"), punctuation, &s.rng) }
        string.add("pattern") { a, s in
            // `#` a digit, `?` a lowercase letter, `^` an uppercase letter, `*` a letter or digit; the rest as written.
            var out = ""
            for c in try a.require(0, "pattern", "pattern").text {
                switch c {
                case "#": out.unicodeScalars.append(Unicode.Scalar(digitChars[s.rng.index(10)]))
                case "?": out.unicodeScalars.append(Unicode.Scalar(lower[s.rng.index(26)]))
                case "^": out.unicodeScalars.append(Unicode.Scalar(upper[s.rng.index(26)]))
                case "*": let all = lower + digitChars; out.unicodeScalars.append(Unicode.Scalar(all[s.rng.index(all.count)]))
                default: out.append(c)
                }
            }
            return .string(out)
        }
        r.members["string"] = .object(string)
        let network = FunctionSpace("network")
        func inRange(_ base: UInt32, _ bits: Int, _ s: RenderState) -> Value {
            let size = UInt64(1) << UInt64(32 - bits)
            return ipv4(base &+ UInt32(s.rng.below(size)))
        }
        network.add("ip_v4") { _, s in ipv4(UInt32(truncatingIfNeeded: s.rng.next())) }
        network.add("ip_v4_private_a") { _, s in inRange(0x0A00_0000, 8, s) }
        network.add("ip_v4_private_b") { _, s in inRange(0xAC10_0000, 12, s) }
        network.add("ip_v4_private_c") { _, s in inRange(0xC0A8_0000, 16, s) }
        network.add("ip_v4_private") { _, s in
            [inRange(0x0A00_0000, 8, s), inRange(0xAC10_0000, 12, s), inRange(0xC0A8_0000, 16, s)][s.rng.index(3)]
        }
        network.add("ip_v4_public") { _, s in
            while true {
                let a = UInt32(truncatingIfNeeded: s.rng.next())
                let o1 = a >> 24, o2 = (a >> 16) & 255
                if o1 == 0 || o1 == 10 || o1 == 127 || o1 >= 224 || (o1 == 172 && (16...31).contains(o2))
                    || (o1 == 192 && o2 == 168) || (o1 == 169 && o2 == 254) || (o1 == 100 && (64...127).contains(o2)) { continue }
                return ipv4(a)
            }
        }
        network.add("ip_v4_in_subnet") { a, s in
            let cidr = try a.require(0, "subnet", "ip_v4_in_subnet").text
            let parts = cidr.split(separator: "/")
            let octets = parts.first.map { $0.split(separator: ".").compactMap { UInt32($0) } } ?? []
            guard parts.count == 2, octets.count == 4, octets.allSatisfy({ $0 < 256 }), let bits = Int(parts[1]), (0...32).contains(bits) else {
                throw TemplateError(a.position, "ip_v4_in_subnet needs a CIDR like 10.1.0.0/16, got '\(cidr)'")
            }
            let base = octets.reduce(0) { $0 << 8 | $1 } & (bits == 0 ? 0 : ~UInt32(0) << UInt32(32 - bits))
            return inRange(base, bits, s)
        }
        network.add("ip_v6") { _, s in
            .string((0..<8).map { _ in String(s.rng.below(65_536), radix: 16) }.joined(separator: ":"))
        }
        network.add("mac") { _, s in
            .string((0..<6).map { _ in let b = s.rng.below(256); return (b < 16 ? "0" : "") + String(b, radix: 16) }.joined(separator: ":"))
        }
        r.members["network"] = .object(network)
        let crypto = FunctionSpace("crypto")
        crypto.add("uuid4") { _, s in uuid4(&s.rng) }
        crypto.add("md5") { _, s in hexText(32, &s.rng) }
        crypto.add("sha1") { _, s in hexText(40, &s.rng) }
        crypto.add("sha256") { _, s in hexText(64, &s.rng) }
        r.members["crypto"] = .object(crypto)
        let datetime = FunctionSpace("datetime")
        datetime.add("timestamp") { a, s in
            guard case .datetime(let lo) = try a.require(0, "start", "timestamp"), case .datetime(let hi) = try a.require(1, "end", "timestamp"),
                  lo.micros <= hi.micros else { throw TemplateError(a.position, "datetime.timestamp(start, end) needs two datetimes, start first") }
            return .datetime(DateTimeValue(micros: s.rng.int(in: lo.micros...hi.micros), offset: lo.offset))
        }
        r.members["datetime"] = .object(datetime)
        return r
    }

    /// A standard normal draw (Box-Muller).
    static func normal(_ rng: inout SeededRandom) -> Double {
        let u1 = max(rng.unit(), 1e-300), u2 = rng.unit()
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }
}
