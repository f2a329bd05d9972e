import Core
import Foundation

/// `file` (a random line), and `file:col` / `mvfile` (a column of the row shared by every token
/// naming the same file in the event or bundle).
final class FileReplacement: ValueGenerator {
    let file: ReplacementFile
    /// The chosen column of every line, or the whole lines.
    let values: [[UInt8]]
    /// True for `mvfile` and `file:col`: the row comes from `SharedRows`.
    let shared: Bool

    init(file: ReplacementFile, column: Int?, shared: Bool, location: String) throws {
        self.file = file
        self.values = try column.map { try file.column($0, token: location) } ?? file.lines
        self.shared = shared
    }

    var isStatic: Bool { false }

    @inline(__always)
    func append(_ ctx: inout EventContext, _ rng: inout SeededRandom, to out: inout [UInt8]) {
        let row = shared ? ctx.rows.row(file: file.id, count: values.count) : rng.index(values.count)
        out.append(contentsOf: values[row])
    }

    func probes() -> [String] { FileReplacement.sample(values) }

    /// Up to 24 values spread over `values` (all of them when there are few).
    static func sample(_ values: [[UInt8]]) -> [String] {
        let step = max(1, values.count / 24)
        return stride(from: 0, to: values.count, by: step).prefix(24).map { String(decoding: values[$0], as: UTF8.self) }
            + [String(decoding: values[values.count - 1], as: UTF8.self)]
    }
}

/// `seqfile`: the lines (or a column of them) in order, one per use, wrapping around.
final class SeqFileReplacement: ValueGenerator {
    let values: [[UInt8]]
    private var counter = 0

    init(file: ReplacementFile, column: Int?, location: String) throws {
        values = try column.map { try file.column($0, token: location) } ?? file.lines
    }

    var isStatic: Bool { false }

    func append(_ ctx: inout EventContext, _ rng: inout SeededRandom, to out: inout [UInt8]) {
        out.append(contentsOf: values[counter])
        counter += 1
        if counter == values.count { counter = 0 }
    }

    func probes() -> [String] { FileReplacement.sample(values) }
}

/// `integerid`: the current value, then one more for the next use. With `--state DIR` the next
/// value is saved at the end of the run and resumed by the next run (see `TokenState`).
final class IntegerIDReplacement: ValueGenerator {
    var next: Int64
    let start: Int64
    let location: String
    /// Says once that the counter passed the largest 64-bit integer and wrapped.
    let warn: (String) -> Void
    private var wrapped = false

    init(spec: String, location: String, warn: @escaping (String) -> Void = { _ in }) throws {
        start = try TokenTypes.integerIDStart(spec, at: location)
        next = start
        self.location = location
        self.warn = warn
    }

    var isStatic: Bool { false }

    @inline(__always)
    func append(_ ctx: inout EventContext, _ rng: inout SeededRandom, to out: inout [UInt8]) {
        NumberText.appendInt(next, to: &out)
        if next == .max, !wrapped {
            wrapped = true
            warn("\(location): integerid passed \(Int64.max), the largest 64-bit integer, and wraps to \(Int64.min)")
        }
        next &+= 1
    }

    func probes() -> [String] { [String(start), String(start + 9), String(start + 99_999), String(start + 123_456_789)] }
}
