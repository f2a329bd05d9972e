import Core
import Foundation

/// `random`: ipv4, ipv6, mac, guid, `integer[a:b]` (inclusive), `float[a:b]` (decimals of a),
/// `string(n)` from `[A-Za-z0-9_.~/-]`, `hex(n)` uppercase, `list[...]` (a JSON list).
final class RandomReplacement: ValueGenerator {
    /// The parsed kind of random value (the grammar lives in Core).
    typealias Kind = RandomSpec

    let kind: Kind
    static let stringAlphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.~/-".utf8)

    init(kind: Kind) { self.kind = kind }

    /// Parses a `random` replacement; `location` names the token in errors.
    convenience init(spec: String, location: String) throws {
        self.init(kind: try RandomReplacement.parse(spec, location: location, allowOthers: true))
    }

    /// Parses the kinds; `allowOthers` false accepts only integer and float (`rated`).
    static func parse(_ raw: String, location: String, allowOthers: Bool) throws -> Kind {
        try RandomSpec.parse(raw, location: location, allowOthers: allowOthers)
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
                    if d != 0 || started || shift == 0 { out.append(NumberText.hexLower(d)); started = true }
                }
            }
        case .mac:
            let r = rng.next()
            for k in 0..<6 {
                if k > 0 { out.append(UInt8(ascii: ":")) }
                let v = Int((r >> (UInt64(k) * 8)) & 0xFF)
                out.append(NumberText.hexLower(v >> 4)); out.append(NumberText.hexLower(v & 0xF))
            }
        case .guid:
            var hi = rng.next(), lo = rng.next()
            hi = (hi & ~0xF000) | 0x4000                       // version 4
            lo = (lo & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000 // variant 10xx
            // Written on the stack, appended once.
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 36) { buf in
                let p = buf.baseAddress!
                var at = 0
                for k in 0..<32 {
                    if k == 8 || k == 12 || k == 16 || k == 20 { p[at] = UInt8(ascii: "-"); at &+= 1 }
                    let word = k < 16 ? hi : lo
                    p[at] = NumberText.hexLower(Int(truncatingIfNeeded: (word &>> UInt64(60 &- (k & 15) &* 4)) & 0xF))
                    at &+= 1
                }
                out.append(contentsOf: UnsafeBufferPointer(start: p, count: 36))
            }
        case .integer(let a, let b):
            NumberText.appendInt(rng.int(in: a...b), to: &out)
        case .float(let a, let b, let p):
            NumberText.appendPythonFloat(rng.double(in: a, b), decimals: p, to: &out)
        case .string(let n):
            for _ in 0..<n { out.append(stringAlphabet[rng.index(stringAlphabet.count)]) }
        case .hex(let n):
            // `rng.index(16)` is the top four bits of one draw (Lemire's method never rejects a
            // power of two), so each digit is `next() >> 60`: the same digits, written on the
            // stack and appended once.
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: n) { buf in
                guard let p = buf.baseAddress else { return }
                for k in 0..<n { p[k] = NumberText.hexUpper(Int(truncatingIfNeeded: rng.next() &>> 60)) }
                out.append(contentsOf: UnsafeBufferPointer(start: p, count: n))
            }
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
