import Foundation

/// Checks a sample's merged settings against `SettingSchema` and `TokenTypes`: every problem a
/// later tool would stop on, collected rather than thrown, each an `EgError` located at the
/// key's conf line (`conf:line: [stanza] key = value: problem`). `eg-sample --check` and `--list`
/// report them; eg-rate and eg-tokenize throw the same errors from the same parsers.
public enum SettingCheck {
    /// Where relative replacement files are looked for.
    public struct Context {
        public var confDir: String?
        public var sampleDir: String?
        /// The sample's pool size and its smallest event in bytes, when known (volume limits).
        public var poolCount: Int?
        public var smallestEvent: Int?
        public var files: ReplacementFiles

        public init(confDir: String?, sampleDir: String?, poolCount: Int? = nil, smallestEvent: Int? = nil,
                    files: ReplacementFiles) {
            self.confDir = confDir
            self.sampleDir = sampleDir
            self.poolCount = poolCount
            self.smallestEvent = smallestEvent
            self.files = files
        }
    }

    /// Every problem of `s`, in the settings' order, then tokens, anomalies and volume.
    public static func problems(_ s: Settings, _ ctx: Context) -> [EgError] {
        var out: [EgError] = []
        for key in s.keys {
            let value = s[key] ?? ""
            if Settings.numberedParts(key)?.prefix == "anomaly" { continue }
            guard let d = SettingSchema.descriptor(key) else {
                let hint = SettingSchema.suggestion(for: key).map { "; did you mean \($0)?" } ?? ""
                out.append(EgError.config(at: s.location(of: key), "\(s.stanzaLabel)\(key): not a setting any eg tool reads\(hint)"))
                continue
            }
            if Settings.numberedParts(key)?.prefix == "token" { continue }   // checked per token below
            if let e = problem(d, key: key, value: value, in: s, ctx) { out.append(e) }
        }
        out += timeWindowProblems(s)
        out += outputProblems(s)
        out += tokenProblems(s, ctx)
        do { _ = try AnomalySpec.all(s, sample: s.stanza) } catch let e as EgError { out.append(e) } catch {}
        if let e = volumeProblem(s, poolCount: ctx.poolCount ?? 1, smallestEvent: ctx.smallestEvent ?? 1) { out.append(e) }
        return out
    }

    /// The problem with one value of a known key, or nil.
    public static func problem(_ d: SettingDescriptor, key: String, value: String, in s: Settings, _ ctx: Context) -> EgError? {
        let v = value.trimmingCharacters(in: .whitespaces)
        do {
            switch d.type {
            case .integer: _ = try s.int(key)
            case .number: _ = try s.double(key)
            case .boolean, .text: break
            case .time: _ = key == "backfill" ? try s.backfillTime() : try s.time(key)
            case .end:
                if v.isEmpty || Settings.parseInt(v) != nil { break }
                _ = try s.time(key)
            case .zone:
                do { _ = try TimeZoneSetting.parse(v) } catch { return s.invalid(key, value, d.expected) }
            case .choice(let choices):
                if v.isEmpty { break }
                let caseless = d.tool == .ship
                if choices.contains(where: { caseless ? $0.lowercased() == v.lowercased() : $0 == v }) { break }
                // eg-sample refuses these itself (`outputMode = s2s is not supported yet`).
                if key == "outputMode", SettingSchema.unsupportedOutputModes.contains(v.lowercased()) { break }
                let hint = SettingSchema.closest(v, in: choices).map { "; did you mean \($0)?" } ?? ""
                return s.problem(key, value, "expected \(d.expected)\(hint)")
            case .regex:
                if v.isEmpty { break }
                do { _ = try PythonRegex.compile(value) } catch let e as EgError {
                    return s.problem(key, value, PythonRegex.reason(e.message, pattern: value))
                }
            case .path:
                if key == "host.replacement" {
                    let path = ReplacementFiles.splitColumn(value).path
                    _ = try ctx.files.load(path, confDir: ctx.confDir, sampleDir: ctx.sampleDir, token: "")
                }
            case .rateTable(let range):
                if v.isEmpty { break }
                if SettingSchema.parseRateTable(v, range: range) == nil { return s.invalid(key, value, d.expected) }
            case .json:
                if v.isEmpty { break }
                if (try? JSONParser.parse(v)) == nil { return s.invalid(key, value, d.expected) }
            case .seed:
                if !v.isEmpty, RandomSeed.parse(v) == nil { return s.invalid(key, value, d.expected) }
            case .indexList:
                for part in v.split(separator: ",") {
                    let p = part.trimmingCharacters(in: .whitespaces)
                    guard let colon = p.lastIndex(of: ":") else { continue }
                    guard let n = Int(p[p.index(after: colon)...]), n > 0, n <= 100_000 else {
                        return s.invalid(key, value, "a list like test_:3, main (prefix:N with N from 1 to 100000)")
                    }
                }
            }
        } catch let e as EgError {
            if e.message.hasPrefix(s.stanzaLabel + key + " = ") { return e }
            return s.problem(key, value, e.message)
        } catch {
            return s.problem(key, value, "\(error)")
        }
        return nil
    }

    /// `earliest` after `latest` (at the same reading of now).
    static func timeWindowProblems(_ s: Settings) -> [EgError] {
        guard let e = try? s.time("earliest") ?? .now, let l = try? s.time("latest") ?? .now else { return [] }
        let zone = (s["timezone"].flatMap { try? TimeZoneSetting.parse($0) }) ?? .utc
        let now = EventTime.now()
        if e.resolve(now: now, zone: zone) > l.resolve(now: now, zone: zone) {
            return [s.problem("earliest", s["earliest"] ?? "", "is after latest (\(s["latest"] ?? "now"))")]
        }
        return []
    }

    /// What an output mode needs besides defaults.
    static func outputProblems(_ s: Settings) -> [EgError] {
        guard let mode = s["outputMode"]?.lowercased() else { return [] }
        switch mode {
        case "file":
            if (s["fileName"] ?? "").isEmpty && (s["spoolDir"] ?? "").isEmpty {
                return [s.problem("outputMode", s["outputMode"]!, "needs fileName (or spoolDir)")]
            }
        case "httpevent":
            guard let servers = s["httpeventServers"], !servers.isEmpty else {
                return [s.problem("outputMode", s["outputMode"]!, "needs httpeventServers, e.g. {\"servers\": [{\"protocol\": \"https\", \"address\": \"127.0.0.1\", \"port\": \"8088\", \"key\": \"...\"}]}")]
            }
            guard case .object(let fields)? = try? JSONParser.parse(servers),
                  case .array(let list)? = fields.first(where: { $0.key == "servers" })?.value, !list.isEmpty else {
                return [s.invalid("httpeventServers", servers, "a JSON object {\"servers\": [...]} with at least one server")]
            }
        default: break
        }
        return []
    }

    /// Each `token.<n>.*` group: complete, a regex that compiles, a known type, a replacement its
    /// type accepts, and files found with the named column in every line.
    static func tokenProblems(_ s: Settings, _ ctx: Context) -> [EgError] {
        let (tokens, incomplete) = s.tokensSkippingIncomplete()
        var out = incomplete
        for t in tokens {
            let p = "token.\(t.number)."
            do { _ = try PythonRegex.compile(t.pattern) } catch let e as EgError {
                out.append(s.problem(p + "token", t.pattern, PythonRegex.reason(e.message, pattern: t.pattern)))
            } catch {}
            guard TokenTypes.names.contains(t.type) else {
                let hint = SettingSchema.closest(t.type, in: TokenTypes.names).map { "; did you mean \($0)?" } ?? ""
                out.append(s.problem(p + "replacementType", t.type, "expected one of \(TokenTypes.names.joined(separator: ", "))\(hint)"))
                continue
            }
            do {
                try TokenTypes.check(type: t.type, replacement: t.replacement, at: "")
                if ["file", "mvfile", "seqfile"].contains(t.type) {
                    let (path, col) = ReplacementFiles.splitColumn(t.replacement)
                    let f = try ctx.files.load(path, confDir: ctx.confDir, sampleDir: ctx.sampleDir, token: "")
                    if let col { _ = try f.column(col, token: "") }
                }
                if t.type == "rated", case .integer(let a, let b) = try RandomSpec.parse(t.replacement, location: "", allowOthers: false) {
                    let most = max(abs(Double(a)), abs(Double(b))) * (rateMax(s, "hourOfDayRate", 0...23) * rateMax(s, "dayOfWeekRate", 0...6))
                    if most >= 9.2e18 { throw EgError.config("times the largest hourOfDayRate and dayOfWeekRate factors leaves the 64-bit integer range") }
                }
            } catch let e as EgError {
                out.append(s.problem(p + "replacement", t.replacement, e.message))
            } catch {}
        }
        return out
    }

    static func rateMax(_ s: Settings, _ key: String, _ range: ClosedRange<Int>) -> Double {
        guard let text = s[key], !text.isEmpty, let t = SettingSchema.parseRateTable(text, range: range) else { return 1 }
        return t.max() ?? 1
    }

    /// The largest factor the rate settings can give one interval: randomizeCount's top, the
    /// tables' largest product, the volume anomalies' largest multiplier.
    public static func maxFactor(_ s: Settings) -> Double {
        var f = 1.0
        for (key, range) in SettingSchema.rateTables { f *= rateMax(s, key, range) }
        if let r = try? s.double("randomizeCount") { f *= 1 + r / 2 }
        for a in (try? AnomalySpec.all(s, sample: s.stanza)) ?? [] where a.type.isVolume { f *= max(1, a.factor ?? 1) }
        return f
    }

    /// The error when the busiest interval could hold more than `SettingSchema.maxEventsPerInterval`
    /// events (eg-rate sorts each interval in memory), or nil.
    public static func volumeProblem(_ s: Settings, poolCount: Int, smallestEvent: Int) -> EgError? {
        if s["mode"] == "replay" { return nil }
        let limit = Double(SettingSchema.maxEventsPerInterval)
        let f = maxFactor(s)
        let advice = "eg-rate generates at most \(SettingSchema.maxEventsPerInterval) events in one interval; use a shorter interval or a smaller count"
        if let v = try? s.double("perDayVolume") {
            let interval = Double(max((try? s.int("interval")) ?? 60, 1))
            let perInterval = v * 1_073_741_824 / (86_400 / interval) * f / Double(max(smallestEvent, 1))
            guard perInterval > limit else { return nil }
            return s.problem("perDayVolume", s["perDayVolume"] ?? "",
                             "up to \(SettingType.numberText(perInterval.rounded())) events of \(smallestEvent) bytes per interval; \(advice)")
        }
        let count = (try? s.int("count")) ?? -1
        let base = count < 0 ? (s.bool("bundlelines") == true ? 1 : poolCount) : count
        let events = Double(base) * f
        guard events > limit else { return nil }
        let what = f == 1 ? "" : " times the largest rate factor \(SettingType.numberText(f))"
        return s.problem("count", s["count"] ?? String(count),
                         "\(base) events per interval\(what) is \(SettingType.numberText(events.rounded())); \(advice)")
    }
}
