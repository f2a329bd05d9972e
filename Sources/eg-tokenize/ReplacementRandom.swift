import Core
import Foundation

/// `random`: ipv4, ipv6, mac, guid, `integer[a:b]` (inclusive), `float[a:b]` (decimals of a),
/// `string(n)` from `[A-Za-z0-9_.~/-]`, `hex(n)` uppercase, `list[...]` (a JSON list).
final class RandomReplacement: ValueGenerator {
    /// The parsed kind of random value.
    enum Kind {
        case ipv4, ipv6, mac, guid
        case integer(Int64, Int64)
        case float(Double, Double, decimals: Int)
        case string(Int)
        case hex(Int)
        case list([[UInt8]])
    }

    let kind: Kind
    static let stringAlphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.~/-".utf8)

    init(kind: Kind) { self.kind = kind }

    /// Parses a `random` replacement; `location` names the token in errors.
    convenience init(spec: String, location: String) throws {
        self.init(kind: try RandomReplacement.parse(spec, location: location, allowOthers: true))
    }

    /// Parses the kinds; `allowOthers` false accepts only integer and float (`rated`).
    static func parse(_ raw: String, location: String, allowOthers: Bool) throws -> Kind {
        let spec = raw.trimmingCharacters(in: .whitespaces)
        let lower = spec.lowercased()
        func bracket(_ prefix: String, _ open: Character, _ close: Character) -> String? {
            guard lower.hasPrefix(prefix + String(open)), spec.hasSuffix(String(close)) else { return nil }
            return String(spec.dropFirst(prefix.count + 1).dropLast())
        }
        if let body = bracket("integer", "[", "]") {
            let parts = body.split(separator: ":", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let a = Int64(parts[0]), let b = Int64(parts[1]) else {
                throw EgError.config(at: location, "bad integer range '\(raw)': expected integer[a:b] with whole numbers a and b")
            }
            guard a <= b else { throw EgError.config(at: location, "bad integer range '\(raw)': b must not be less than a") }
            return .integer(a, b)
        }
        if let body = bracket("float", "[", "]") {
            let parts = body.split(separator: ":", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let a = Double(parts[0]), let b = Double(parts[1]), a.isFinite, b.isFinite else {
                throw EgError.config(at: location, "bad float range '\(raw)': expected float[a:b] with numbers a and b")
            }
            guard a <= b else { throw EgError.config(at: location, "bad float range '\(raw)': b must not be less than a") }
            let decimals = parts[0].firstIndex(of: ".").map { parts[0].distance(from: $0, to: parts[0].endIndex) - 1 } ?? 0
            return .float(a, b, decimals: decimals)
        }
        guard allowOthers else {
            throw EgError.config(at: location, "bad rated replacement '\(raw)': expected integer[a:b] or float[a:b]")
        }
        switch lower {
        case "ipv4": return .ipv4
        case "ipv6": return .ipv6
        case "mac": return .mac
        case "guid": return .guid
        default: break
        }
        for (name, isHex) in [("string", false), ("hex", true)] {
            if let body = bracket(name, "(", ")") {
                guard let n = Int(body.trimmingCharacters(in: .whitespaces)), n >= 0 else {
                    throw EgError.config(at: location, "bad \(name) length in '\(raw)': expected \(name)(n) with n >= 0")
                }
                return isHex ? .hex(n) : .string(n)
            }
        }
        if lower.hasPrefix("list") {
            let body = spec.dropFirst(4)
            guard let value = try? JSONParser.parse(String(body)), case .array(let items) = value, !items.isEmpty else {
                throw EgError.config(at: location, "bad list '\(raw)': expected list[\"a\",\"b\",...] holding a non-empty JSON list")
            }
            return .list(items.map { Array(($0.text ?? JSONWriter.string($0)).utf8) })
        }
        throw EgError.config(at: location, "unknown random replacement '\(raw)': expected ipv4, ipv6, mac, guid, integer[a:b], float[a:b], string(n), hex(n) or list[...]")
    }

    var isStatic: Bool { false }

    func append(_ ctx: inout EventContext, _ rng: inout SeededRandom, to out: inout [UInt8]) {
        RandomReplacement.generate(kind, &rng, to: &out)
    }

    @inline(__always)
    static func generate(_ kind: Kind, _ rng: inout SeededRandom, to out: inout [UInt8]) {
        switch kind {
        case .ipv4:
            let r = rng.next()
            for k in 0..<4 {
                if k > 0 { out.append(UInt8(ascii: ".")) }
                EpochText.appendDecimal((r >> (UInt64(k) * 8)) & 0xFF, to: &out)
            }
        case .ipv6:
            let r1 = rng.next(), r2 = rng.next()
            for k in 0..<8 {
                if k > 0 { out.append(UInt8(ascii: ":")) }
                let v = ((k < 4 ? r1 : r2) >> (UInt64(k % 4) * 16)) & 0xFFFF
                var started = false
                for shift in stride(from: 12, through: 0, by: -4) {
                    let d = Int((v >> UInt64(shift)) & 0xF)
                    if d != 0 || started || shift == 0 { out.append(NumberText.hexLower[d]); started = true }
                }
            }
        case .mac:
            let r = rng.next()
            for k in 0..<6 {
                if k > 0 { out.append(UInt8(ascii: ":")) }
                let v = Int((r >> (UInt64(k) * 8)) & 0xFF)
                out.append(NumberText.hexLower[v >> 4]); out.append(NumberText.hexLower[v & 0xF])
            }
        case .guid:
            var hi = rng.next(), lo = rng.next()
            hi = (hi & ~0xF000) | 0x4000                       // version 4
            lo = (lo & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000 // variant 10xx
            for k in 0..<32 {
                if k == 8 || k == 12 || k == 16 || k == 20 { out.append(UInt8(ascii: "-")) }
                let word = k < 16 ? hi : lo
                let d = Int((word >> UInt64(60 - (k % 16) * 4)) & 0xF)
                out.append(NumberText.hexLower[d])
            }
        case .integer(let a, let b):
            NumberText.appendInt(rng.int(in: a...b), to: &out)
        case .float(let a, let b, let p):
            NumberText.appendPythonFloat(rng.double(in: a, b), decimals: p, to: &out)
        case .string(let n):
            for _ in 0..<n { out.append(stringAlphabet[rng.index(stringAlphabet.count)]) }
        case .hex(let n):
            for _ in 0..<n { out.append(NumberText.hexUpper[rng.index(16)]) }
        case .list(let items):
            out.append(contentsOf: items[rng.index(items.count)])
        }
    }

    func probes() -> [String] {
        var out: [String] = []
        switch kind {
        case .integer(let a, let b):
            for v in [a, b, a / 2 + b / 2] { var o: [UInt8] = []; NumberText.appendInt(v, to: &o); out.append(String(decoding: o, as: UTF8.self)) }
        case .float(let a, let b, let p):
            for v in [a, b, (a + b) / 2] { var o: [UInt8] = []; NumberText.appendPythonFloat(v, decimals: p, to: &o); out.append(String(decoding: o, as: UTF8.self)) }
        case .list(let items) where items.count <= 32:
            out = items.map { String(decoding: $0, as: UTF8.self) }
        default: break
        }
        var rng = SeededRandom(seed: 0x5eed, stream: "probe")
        while out.count < 8 {
            var o: [UInt8] = []
            RandomReplacement.generate(kind, &rng, to: &o)
            out.append(String(decoding: o, as: UTF8.self))
        }
        return out
    }
}
