import Core

/// `static`: the replacement text itself, every time.
final class StaticReplacement: ValueGenerator {
    let value: [UInt8]
    init(_ text: String) { value = Array(text.utf8) }
    /// Set when a value anomaly changes this token: it is then not inlined into compiled plans.
    var keepDynamic = false
    var isStatic: Bool { !keepDynamic }
    func append(_ ctx: inout EventContext, _ rng: inout SeededRandom, to out: inout [UInt8]) {
        out.append(contentsOf: value)
    }
    func probes() -> [String] { [String(decoding: value, as: UTF8.self)] }
}
