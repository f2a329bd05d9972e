/// A compiled strftime format (Python's `datetime.strftime` on glibc, C/POSIX locale).
///
/// Supports every directive Python documents plus glibc's (`%C %D %e %F %g %G %h %k %l %n %P %r
/// %R %s %t %T %u %V`), Python 3.12's `%:z`, and glibc's flags `-` (no padding), `_` (space
/// padding), `0` (zero padding) and `^` (upper case). `%f` prints the EventTime's microseconds;
/// `%s` prints exact epoch seconds. Unknown directives are kept literally, as glibc does.
public struct Strftime: Hashable, Sendable {
    /// One step of the compiled format.
    enum Op: Hashable, Sendable {
        case literal([UInt8])
        case directive(UInt8, flag: UInt8)
        case colonZ
    }

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
        var i = 0
        func flushLit() { if !lit.isEmpty { ops.append(.literal(lit)); lit = [] } }
        while i < b.count {
            let c = b[i]
            guard c == 37, i + 1 < b.count else { lit.append(c); i += 1; continue }
            var j = i + 1
            var flag: UInt8 = 0
            if b[j] == 45 || b[j] == 95 || b[j] == 48 || b[j] == 94 || b[j] == 35 {
                flag = b[j]; j += 1
            }
            // glibc also accepts the E and O modifiers, which mean nothing in the C locale.
            if j < b.count, b[j] == 69 || b[j] == 79, j + 1 < b.count, Strftime.known.contains(b[j + 1]) { j += 1 }
            guard j < b.count else { lit.append(contentsOf: b[i...]); break }
            let d = b[j]
            if d == 58, flag == 0, j + 1 < b.count, b[j + 1] == 122 {
                flushLit(); ops.append(.colonZ); i = j + 2; continue
            }
            if d == 37 { lit.append(37); i = j + 1; continue }
            if d == 110 { lit.append(10); i = j + 1; continue }
            if d == 116 { lit.append(9); i = j + 1; continue }
            guard Strftime.known.contains(d) else { lit.append(contentsOf: b[i...j]); i = j + 1; continue }
            flushLit()
            if d == 102 { sub = true }
            ops.append(.directive(d, flag: flag))
            i = j + 1
        }
        flushLit()
        self.ops = ops
        self.usesSubsecond = sub
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
        for op in ops {
            switch op {
            case .literal(let l): out.append(contentsOf: l)
            case .colonZ: StrftimeWriter.offset(c.utcOffset, colon: true, to: &out)
            case .directive(let d, let flag): StrftimeWriter.directive(d, flag: flag, c, epoch, &out)
            }
        }
    }
}
