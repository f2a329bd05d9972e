import Foundation

/// eventgen's `JinjaTime` extension: the `time_now` and `time_slice` statements, which set
/// variables and print nothing.
///
/// - `{% time_now [date_format=F] %}` sets `time_now_epoch` (whole seconds, a float as
///   `time.mktime` gives) and `time_now_formatted` (default `%Y-%m-%dT%H:%M:%S%z`, a naive local
///   time, so `%z` prints nothing). "Now" is the time of the event being rendered (the `_time`
///   eg-rate gave it), so backfills and `--now` are reproducible; live it is the wall clock.
/// - `{% time_slice earliest=E, latest=L, count=i, slices=N[, date_format=F] %}` sets
///   `time_target_epoch` and `time_target_formatted`: the lower bound of slice i of N over [E, L].
public enum EventgenTags {
    static let defaultFormat = "%Y-%m-%dT%H:%M:%S%z"

    /// The tags for an environment whose "now" is read from `now` and local times are in `zone`.
    public static func install(in env: TemplateEnvironment, zone: TimeZoneSetting, now: @escaping () -> EventTime) {
        env.addTag(CustomTag(name: "time_now", outputs: ["time_now_epoch", "time_now_formatted"]) { args, state in
            let t = now()
            let seconds = Double(t.seconds)
            let format = args.keyword("date_format")?.text ?? defaultFormat
            return [.float(seconds), .string(formatted(seconds, format, zone, state))]
        })
        env.addTag(CustomTag(name: "time_slice", outputs: ["time_target_epoch", "time_target_formatted"]) { args, state in
            let earliest = try float(args.get(0, "earliest"), "earliest", args.position)
            let latest = try float(args.get(1, "latest"), "latest", args.position)
            let count = try int(args.get(2, "count"), "count", args.position)
            let slices = try int(args.get(3, "slices"), "slices", args.position)
            guard slices != 0 else { throw TemplateError(args.position, "time_slice: slices must not be 0 (float division by zero)") }
            let sliceSize = (latest - earliest) / Double(slices)
            let start = sliceSize * Double(count) + earliest
            let format = args.keyword("date_format")?.text ?? defaultFormat
            return [.float(start), .string(formatted(start, format, zone, state))]
        })
    }

    /// Python's `float(x)` of a tag argument.
    static func float(_ v: Value?, _ name: String, _ pos: SourcePosition) throws -> Double {
        switch v {
        case .int(let i)?: return Double(i)
        case .float(let d)?: return d
        case .bool(let b)?: return b ? 1 : 0
        case .string(let s)?:
            if let d = Double(s.trimmingCharacters(in: .whitespaces)) { return d }
            throw TemplateError(pos, "time_slice: could not convert string to float: '\(s)'")
        case nil: throw TemplateError(pos, "time_slice: missing argument '\(name)'")
        default: throw TemplateError(pos, "time_slice: \(name) must be a number, not \(v!.typeName)")
        }
    }

    /// Python's `int(x)` of a tag argument.
    static func int(_ v: Value?, _ name: String, _ pos: SourcePosition) throws -> Int {
        switch v {
        case .int(let i)?: return i
        case .bool(let b)?: return b ? 1 : 0
        case .float(let d)? where d.isFinite && abs(d) < 9e18: return Int(d.rounded(.towardZero))
        case .string(let s)?:
            if let i = Int(s.trimmingCharacters(in: .whitespaces)) { return i }
            throw TemplateError(pos, "time_slice: invalid literal for int() with base 10: '\(s)'")
        case nil: throw TemplateError(pos, "time_slice: missing argument '\(name)'")
        default: throw TemplateError(pos, "time_slice: \(name) must be an integer, not \(v!.typeName)")
        }
    }

    /// `datetime.fromtimestamp(epoch).strftime(format)`: a naive local time.
    static func formatted(_ epoch: Double, _ format: String, _ zone: TimeZoneSetting, _ state: RenderState) -> String {
        guard epoch.isFinite, abs(epoch) < 1e12 else { return "" }
        let t = EventTime(micros: Int64((epoch * 1_000_000).rounded(.toNearestOrEven)))
        let local = DateTimeValue(micros: t.micros + Int64(zone.offset(at: t)) * 1_000_000, offset: nil)
        var args = CallArguments([.string(format)])
        return (try? state.callMethod(.datetime(local), "strftime", &args))?.text ?? ""
    }

    /// A naive local datetime for an instant (what eventgen passes as `eventgen_earliest`).
    public static func naive(_ t: EventTime, _ zone: TimeZoneSetting) -> Value {
        .datetime(DateTimeValue(micros: t.micros + Int64(zone.offset(at: t)) * 1_000_000, offset: nil))
    }
}
