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

/// `seqfile`: the lines (or a column of them) in order, wrapping around: event number n (its
/// `_seq`) gets line n modulo the line count, so any shard writes the lines the whole run does.
final class SeqFileReplacement: ValueGenerator {
    let values: [[UInt8]]

    init(file: ReplacementFile, column: Int?, location: String) throws {
        values = try column.map { try file.column($0, token: location) } ?? file.lines
    }

    var isStatic: Bool { false }

    func append(_ ctx: inout EventContext, _ rng: inout SeededRandom, to out: inout [UInt8]) {
        out.append(contentsOf: values[Int(ctx.event % UInt64(values.count))])
    }

    func probes() -> [String] { FileReplacement.sample(values) }
}

/// `integerid`: the start value plus the event's number (its `_seq`), so event n of the
/// unsharded stream gets the same id in any shard. With `--state DIR` the value after the highest
/// event number seen is saved at the end of the run, and the next run's numbers start from it
/// (see `TokenState`).
final class IntegerIDReplacement: ValueGenerator {
    /// The id of event number 0: the replacement's start, or the saved state.
    var base: Int64
    /// One more than the highest event number seen (0: none).
    @exclusivity(unchecked) private var seen: UInt64 = 0
    let start: Int64
    let location: String
    /// Says once that the counter passed the largest 64-bit integer and wrapped.
    let warn: (String) -> Void
    @exclusivity(unchecked) private var wrapped = false

    init(spec: String, location: String, warn: @escaping (String) -> Void = { _ in }) throws {
        start = try TokenTypes.integerIDStart(spec, at: location)
        base = start
        self.location = location
        self.warn = warn
    }

    var isStatic: Bool { false }

    @inline(__always)
    func append(_ ctx: inout EventContext, _ rng: inout SeededRandom, to out: inout [UInt8]) {
        let (id, over) = base.addingReportingOverflow(Int64(bitPattern: ctx.event))
        NumberText.appendInt(id, to: &out)
        if (over || id == .max), !wrapped {
            wrapped = true
            warn("\(location): integerid passed \(Int64.max), the largest 64-bit integer, and wraps to \(Int64.min)")
        }
        if ctx.event >= seen { seen = ctx.event &+ 1 }
    }

    /// The id after the highest one given (what `--state` saves).
    var next: Int64 { base &+ Int64(bitPattern: seen) }

    /// Takes in the highest event number another job's copy of this token gave (`--jobs`).
    func absorbHighMark(_ other: IntegerIDReplacement) { seen = max(seen, other.seen) }

    func probes() -> [String] { [String(start), String(start + 9), String(start + 99_999), String(start + 123_456_789)] }
}
