import Core

/// `rated`: `integer[a:b]` or `float[a:b]` multiplied by `hourOfDayRate[hour] x dayOfWeekRate[weekday]`
/// of the EVENT's own time (0 = Sunday), then rounded as Python does (half to even; floats keep
/// the decimals of a). A rate table without the key leaves that factor at 1.
final class RatedReplacement: ValueGenerator {
    let kind: RandomReplacement.Kind
    let hourRates: [Double]
    let dayRates: [Double]

    init(spec: String, hourRates: [Double], dayRates: [Double], location: String) throws {
        kind = try RandomReplacement.parse(spec, location: location, allowOthers: false)
        self.hourRates = hourRates
        self.dayRates = dayRates
        if case .integer(let a, let b) = kind {
            let most = max(abs(Double(a)), abs(Double(b))) * (hourRates.max() ?? 1) * (dayRates.max() ?? 1)
            guard most < 9.2e18 else {
                throw EgError.config(at: location, "rated '\(spec)' times the largest hourOfDayRate and dayOfWeekRate factors leaves the 64-bit integer range")
            }
        }
    }

    /// Reads a rate table such as `{ "0": 0.8, "1": 1.0 }` into `count` factors (missing keys are 1).
    static func rates(_ text: String?, count: Int, key: String, location: String) throws -> [Double] {
        var out = [Double](repeating: 1, count: count)
        guard let text, !text.isEmpty else { return out }
        guard let v = try? JSONParser.parse(text), case .object(let fields) = v else {
            throw EgError.config(at: location, "\(key) must be a JSON object such as {\"0\": 1.0, ...}, found '\(text)'")
        }
        for f in fields {
            guard let k = Int(f.key), k >= 0, k < count, let d = f.value.doubleValue, d.isFinite, d >= 0,
                  d <= SettingSchema.maxRateFactor else {
                throw EgError.config(at: location, "\(key): bad entry \"\(f.key)\": expected keys 0-\(count - 1) with factors from 0 to \(Int(SettingSchema.maxRateFactor))")
            }
            out[k] = d
        }
        return out
    }

    var isStatic: Bool { false }

    func append(_ ctx: inout EventContext, _ rng: inout SeededRandom, to out: inout [UInt8]) {
        let c = ctx.civil()
        let factor = hourRates[c.hour] * dayRates[c.weekday]
        switch kind {
        case .integer(let a, let b):
            let v = Double(rng.int(in: a...b)) * factor
            NumberText.appendInt(Int64(NumberText.roundHalfEven(v)), to: &out)
        case .float(let a, let b, let p):
            NumberText.appendPythonFloat(rng.double(in: a, b) * factor, decimals: p, to: &out)
        default:
            break
        }
    }

    func probes() -> [String] {
        let maxFactor = (hourRates.max() ?? 1) * (dayRates.max() ?? 1)
        var out: [String] = []
        switch kind {
        case .integer(let a, let b):
            for v in [Double(a), Double(b), Double(b) * maxFactor, Double(a) * maxFactor, 0] {
                var o: [UInt8] = []; NumberText.appendInt(Int64(NumberText.roundHalfEven(v)), to: &o)
                out.append(String(decoding: o, as: UTF8.self))
            }
        case .float(let a, let b, let p):
            for v in [a, b, b * maxFactor, a * maxFactor, (a + b) / 3] {
                var o: [UInt8] = []; NumberText.appendPythonFloat(v, decimals: p, to: &o)
                out.append(String(decoding: o, as: UTF8.self))
            }
        default: break
        }
        return out
    }
}
