/// A compiled strftime format (Python's `datetime.strftime` on glibc, C/POSIX locale).
///
/// Supports every directive Python documents plus glibc's (`%C %D %e %F %g %G %h %k %l %n %P %r
/// %R %s %t %T %u %V`), Python 3.12's `%:z`, and glibc's flags `-` (no padding), `_` (space
/// padding), `0` (zero padding) and `^` (upper case). `%f` prints the EventTime's microseconds;
/// `%s` prints exact epoch seconds.
///
/// eg's extensions for sub-second times: `%1f` ... `%6f` print the first 1-6 digits of the
/// fraction (`%3f` milliseconds: `10:00:00.%3f` → `10:00:00.123`); `%3s` prints epoch
/// milliseconds (`1717236000123`) and `%6s` epoch microseconds. An unknown directive (`%L`,
/// `%3N`, `%Q`) is kept literally, as glibc does, and listed in `unknownDirectives` so tools
/// can refuse it.
public struct Strftime: Hashable, Sendable {
    /// One step of the compiled format.
    enum Op: Hashable, Sendable {
        case literal([UInt8])
        case directive(UInt8, flag: UInt8)
        case colonZ
        /// `%<n>f`: the first n digits of the fraction.
        case fraction(Int)
        /// `%3s` / `%6s`: epoch milliseconds / microseconds.
        case epochScaled(Int)
    }

    /// A directive the format uses that strftime does not know, and its byte offset.
    public struct UnknownDirective: Sendable, Hashable {
        public let text: String
        public let position: Int
        /// What was probably meant (`%3f` for `%L`), if anything.
        public var suggestion: String? {
            switch text {
            case "%L", "%3N", "%N": return "%3f (milliseconds)"
            case "%6N", "%u6": return "%6f (microseconds)"
            case "%Q": return "%3s (epoch milliseconds)"
            case "%i", "%o": return "%M (minutes) or %m (month)"
            default: return nil
            }
        }
        /// `unknown strftime directive %L at position 20; for milliseconds use %3f`.
        public var problem: String {
            "unknown strftime directive \(text) at position \(position)" + (suggestion.map { "; did you mean \($0)?" } ?? "")
        }
    }

    /// The directives the format uses that strftime does not know (printed literally).
    public let unknownDirectives: [UnknownDirective]

    /// The format as written.
    public let format: String
    let ops: [Op]
    /// Whether the output contains `%f` (changes within a second).
    public let usesSubsecond: Bool
    /// Whether the output depends only on the whole second (so it can be cached per second).
    public var usesOnlyWholeSeconds: Bool { !usesSubsecond }

    /// Compiles `format`; never fails (unknown directives stay literal).
    public init(_ format: String) {
        self.format = format
        let b = Array(format.utf8)
        var ops: [Op] = []
        var lit: [UInt8] = []
        var sub = false
        var unknown: [UnknownDirective] = []
        var i = 0
        func flushLit() { if !lit.isEmpty { ops.append(.literal(lit)); lit = [] } }
        while i < b.count {
            let c = b[i]
            guard c == 37, i + 1 < b.count else {
                if c == 37 { unknown.append(UnknownDirective(text: "%", position: i)) }   // a lone % at the end
                lit.append(c); i += 1; continue
            }
            var j = i + 1
            var flag: UInt8 = 0
            if b[j] == 45 || b[j] == 95 || b[j] == 48 || b[j] == 94 || b[j] == 35 {
                flag = b[j]; j += 1
            }
            // glibc also accepts the E and O modifiers, which mean nothing in the C locale.
            if j < b.count, b[j] == 69 || b[j] == 79, j + 1 < b.count, Strftime.known.contains(b[j + 1]) { j += 1 }
            guard j < b.count else {
                unknown.append(UnknownDirective(text: String(decoding: b[i...], as: UTF8.self), position: i))
                lit.append(contentsOf: b[i...]); break
            }
            let d = b[j]
            // eg's %1f-%6f (fraction digits), %3s and %6s (epoch milliseconds, microseconds).
            if flag == 0, d >= 49, d <= 54, j + 1 < b.count {
                let n = Int(d - 48)
                if b[j + 1] == 102 {
                    flushLit(); ops.append(.fraction(n)); sub = true; i = j + 2; continue
                }
                if b[j + 1] == 115, n == 3 || n == 6 {
                    flushLit(); ops.append(.epochScaled(n)); sub = true; i = j + 2; continue
                }
            }
            if d == 58, flag == 0, j + 1 < b.count, b[j + 1] == 122 {
                flushLit(); ops.append(.colonZ); i = j + 2; continue
            }
            if d == 37 { lit.append(37); i = j + 1; continue }
            if d == 110 { lit.append(10); i = j + 1; continue }
            if d == 116 { lit.append(9); i = j + 1; continue }
            guard Strftime.known.contains(d) else {
                var end = j
                // Report a digit-led directive whole (`%3N`, not `%3`).
                if d >= 48, d <= 57, end + 1 < b.count, (b[end + 1] | 0x20) >= 97, (b[end + 1] | 0x20) <= 122 { end += 1 }
                unknown.append(UnknownDirective(text: String(decoding: b[i...end], as: UTF8.self), position: i))
                lit.append(contentsOf: b[i...end]); i = end + 1; continue
            }
            flushLit()
            if d == 102 { sub = true }
            ops.append(.directive(d, flag: flag))
            i = j + 1
        }
        flushLit()
        self.ops = ops
        self.usesSubsecond = sub
        self.unknownDirectives = unknown
    }

    static let known: Set<UInt8> = Set("aAbBcCdDeFfgGhHIjklmMpPrRsSTuUVwWxXyYzZ".utf8)

    /// The text of `t` in `zone`.
    public func format(_ t: EventTime, zone: TimeZoneSetting) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(32)
        append(t, zone: zone, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the bytes of `t` in `zone` to `out` (the hot path: no intermediate strings).
    public func append(_ t: EventTime, zone: TimeZoneSetting, to out: inout [UInt8]) {
        let c = zone.civil(t)
        append(civil: c, epoch: t, to: &out)
    }

    /// Appends the formatted reading `c` (of instant `epoch`) to `out`.
    public func append(civil c: CivilTime, epoch: EventTime, to out: inout [UInt8]) {
        for op in ops { append(op, civil: c, epoch: epoch, to: &out) }
    }

    @inline(__always)
    private func append(_ op: Op, civil c: CivilTime, epoch: EventTime, to out: inout [UInt8]) {
        switch op {
        case .literal(let l): out.append(contentsOf: l)
        case .colonZ: StrftimeWriter.offset(c.utcOffset, colon: true, to: &out)
        case .directive(let d, let flag): StrftimeWriter.directive(d, flag: flag, c, epoch, &out)
        case .fraction(let n):
            var v = c.microsecond
            for _ in n..<6 { v /= 10 }
            StrftimeWriter.num(v, n, 48, 0, &out)
        case .epochScaled(let n):
            let t = n == 3 ? epoch.micros / 1000 - (epoch.micros % 1000 < 0 ? 1 : 0) : epoch.micros
            StrftimeWriter.num(Int(t), 1, 48, 0, &out)
        }
    }

    /// A fixed-width sub-second field of a whole second's text (see `appendWholeSecond`): the
    /// first `digits` digits of the microsecond go at byte `at`.
    struct SubsecondField {
        var at: Int
        var digits: Int
    }

    /// Appends the text of `t`'s whole second in `zone` with its sub-second fields (`%f`, `%1f`
    /// ... `%6f`) written as zeros, and returns where those fields are; nil (and nothing
    /// appended) when a field's width can change within a second (`%3s`, `%6s`).
    func appendWholeSecond(_ t: EventTime, zone: TimeZoneSetting, to out: inout [UInt8]) -> [SubsecondField]? {
        if ops.contains(where: { if case .epochScaled = $0 { return true } else { return false } }) { return nil }
        let c = zone.civil(EventTime(seconds: t.seconds))
        var fields: [SubsecondField] = []
        let start = out.count
        for op in ops {
            switch op {
            case .directive(102, _):
                fields.append(SubsecondField(at: out.count - start, digits: 6))
                out.append(contentsOf: repeatElement(0x30, count: 6))
            case .fraction(let n):
                fields.append(SubsecondField(at: out.count - start, digits: n))
                out.append(contentsOf: repeatElement(0x30, count: n))
            default: append(op, civil: c, epoch: t, to: &out)
            }
        }
        return fields
    }
}
