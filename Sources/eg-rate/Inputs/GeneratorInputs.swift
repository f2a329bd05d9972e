import Core

/// The timestamps of one Eventum generator: its input plugins (from the stanza record's `eventum`
/// member) merged in time order, each timestamp tagged with the input it came from. `now` is the
/// run's now (`--start`, else `--now`, else the wall clock); relative times and defaults count from it.
final class GeneratorInputs {
    let inputs: [TimestampInput]
    let tags: [[String]]
    var heads: [Int64?]
    /// The input each head came from, used for ties: the earlier input first.
    var finite: Bool { inputs.allSatisfy(\.finite) }

    init(eventum: JSONValue, name: String, now: EventTime, zone: TimeZoneSetting, seed: UInt64) throws {
        guard case .array(let list)? = eventum["input"], !list.isEmpty else {
            throw EgError.input(at: "generator \(name)", "the stanza record's eventum member has no input list")
        }
        var inputs: [TimestampInput] = []
        var tags: [[String]] = []
        for (i, p) in list.enumerated() {
            let at = p["_at"]?.stringValue ?? "generator \(name) input \(i + 1)"
            func keyAt(_ k: String) -> String { p["_keys"]?[k]?.stringValue ?? at }
            func int(_ k: String, min: Int = 1) throws -> Int? {
                guard let v = p[k], v != .null else { return nil }
                guard let d = v.doubleValue, d == d.rounded(), d >= Double(min), d <= 1e9 else {
                    throw EgError.config(at: keyAt(k), "\(k) must be a whole number from \(min) to 1000000000")
                }
                return Int(d)
            }
            func time(_ k: String, base: EventTime) throws -> EventTime?? {
                guard let v = p[k], v != .null else { return .none }
                guard let t = v.text else { throw EgError.config(at: keyAt(k), "\(k) must be a time") }
                return .some(try EventumTime.parse(t, at: keyAt(k)).resolve(now: now, base: base, zone: zone))
            }
            let plugin = p["plugin"]?.stringValue ?? ""
            let input: TimestampInput
            switch plugin {
            case "cron":
                guard let expr = p["expression"]?.stringValue else { throw EgError.config(at: at, "cron needs an expression") }
                let cron = try CronExpression(expr, at: keyAt("expression"))
                let start = (try time("start", base: now) ?? now) ?? now
                let end = try time("end", base: start) ?? nil
                if let end, end < start { throw EgError.config(at: keyAt("end"), "cron end is before its start") }
                if cron.next(atOrAfter: start, zone: zone) == nil && end == nil {
                    throw EgError.config(at: keyAt("expression"), "cron expression \"\(expr)\" never fires")
                }
                input = CronInput(cron: cron, count: try int("count") ?? 1, start: start, end: end, zone: zone)
            case "timer":
                guard let sec = p["seconds"]?.doubleValue, sec >= 0.1, sec <= 1e9 else {
                    throw EgError.config(at: keyAt("seconds"), "timer seconds must be a number >= 0.1")
                }
                let start = (try time("start", base: now) ?? now) ?? now
                input = TimerInput(start: start, seconds: sec, count: try int("count") ?? 1, repeat: try int("repeat"))
            case "linspace":
                guard let s = try time("start", base: now) ?? nil, let e = try time("end", base: s) ?? nil else {
                    throw EgError.config(at: at, "linspace needs start and end (not never)")
                }
                guard s <= e else { throw EgError.config(at: keyAt("end"), "linspace end is before its start") }
                let endpoint = p["endpoint"] != .bool(false)
                input = ListInput.linspace(start: s, end: e, count: try int("count") ?? 1, endpoint: endpoint)
            case "static":
                input = ListInput([Int64](repeating: now.micros, count: try int("count") ?? 1))
            case "timestamps":
                input = ListInput(try Self.timestamps(p["source"], at: keyAt("source"), now: now, zone: zone))
            case "time_patterns":
                guard case .array(let pats)? = p["patterns"], !pats.isEmpty else { throw EgError.config(at: at, "time_patterns needs patterns") }
                var parts: [TimestampInput] = []
                for (k, pat) in pats.enumerated() {
                    let rng = SeededRandom(seed: seed, stream: "\(name)/input.\(i)/pattern.\(k)")
                    parts.append(try PatternInput(json: pat, now: now, zone: zone, rng: rng, at: pat["_at"]?.stringValue ?? at))
                }
                input = MergedInput(parts)
            default:
                throw EgError.config(at: at, "input plugin '\(plugin)' is not supported (cron, timer, linspace, static, timestamps, time_patterns)")
            }
            inputs.append(input)
            tags.append((p["tags"].map { v -> [String] in if case .array(let a) = v { return a.compactMap(\.text) } else { return [] } }) ?? [])
        }
        self.inputs = inputs
        self.tags = tags
        heads = inputs.map { $0.next() }
    }

    /// The `timestamps` source: an inline list or a file of one ISO 8601 time per line, ascending.
    static func timestamps(_ source: JSONValue?, at: String, now: EventTime, zone: TimeZoneSetting) throws -> [Int64] {
        var texts: [(String, String)] = []
        switch source {
        case .array(let a)?: texts = a.enumerated().map { ($0.element.text ?? "", "\(at) item \($0.offset + 1)") }
        case .string(let path)?:
            let text = String(decoding: try FileDescriptor.readAll(path: path), as: UTF8.self)
            for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let l = line.trimmingCharacters(in: .whitespaces.union(.init(charactersIn: "\r")))
                if !l.isEmpty { texts.append((l, "\(path):\(n + 1)")) }
            }
        default: throw EgError.config(at: at, "timestamps source must be a list of times or a file")
        }
        var out: [Int64] = []
        for (t, loc) in texts {
            let r: RelativeTime
            do { r = try RelativeTime.parse(t) } catch { throw EgError.config(at: loc, "bad timestamp \"\(t)\": expected ISO 8601 such as 2024-06-01T09:00:00") }
            let v = r.resolve(now: now, zone: zone).micros
            if let last = out.last, v < last { throw EgError.config(at: loc, "timestamps must be in ascending order: \(t) is before the one above it") }
            out.append(v)
        }
        return out
    }

    /// The earliest pending timestamp without taking it.
    var peek: Int64? {
        var best: Int64?
        for h in heads { if let h, best == nil || h < best! { best = h } }
        return best
    }

    /// The next timestamp and the index of its input (ties: the earlier input).
    func next() -> (time: Int64, input: Int)? {
        var best = -1
        for (i, h) in heads.enumerated() { if let h, best < 0 || h < heads[best]! { best = i } }
        guard best >= 0 else { return nil }
        let t = heads[best]!
        heads[best] = inputs[best].next()
        return (t, best)
    }
}
