import Foundation
import Core

/// The ground-truth files of a run with anomalies.
///
/// JSON lines (`--labels FILE`): a header
/// `{"type":"header","seed":N,"settings_hash":"<fnv1a-64>","eg_version":"…","span":{"start":…,"end":…},"warmup_end":…}`
/// then one line per anomaly with its id, sample, type, start and end (RFC 3339 UTC, end
/// exclusive), every parameter used and the event counts. NAB (`--labels-format nab`, in
/// addition): `{"<sample>": [["YYYY-MM-DD HH:MM:SS.ffffff", "…"], …]}` in `<FILE>.nab.json`
/// (a `.jsonl` suffix of FILE replaced), windows in time order, overlapping ones merged.
public enum AnomalyLabels {
    /// The JSON lines.
    public static func jsonl(_ s: AnomalyScenario) -> String {
        var lines: [String] = []
        let start = s.samples.map(\.spanStart).min() ?? 0
        let ends = s.samples.compactMap(\.spanEnd)
        let end = ends.max()
        let warm = s.samples.first?.warmup ?? 0.15
        var span: [JSONField] = [JSONField("start", .string(AnomalyText.rfc3339(start)))]
        span.append(JSONField("end", end.map { .string(AnomalyText.rfc3339($0)) } ?? .null))
        var header: [JSONField] = [
            JSONField("type", .string("header")),
            JSONField("seed", .number(String(s.seed))),
            JSONField("settings_hash", .string(AnomalyText.fnv1a(s.hashInput))),
            JSONField("eg_version", .string(EgVersion.string)),
            JSONField("span", .object(span)),
        ]
        header.append(JSONField("warmup_end", end.map { .string(AnomalyText.rfc3339(start + Int64((Double($0 - start) * warm).rounded(.up)))) } ?? .null))
        lines.append(Record(fields: header).jsonText)
        for sample in s.samples {
            for a in sample.injector.anomalies {
                let sp = a.spec
                var f: [JSONField] = [
                    JSONField("id", .string(sp.id)),
                    JSONField("sample", .string(sample.name)),
                    JSONField("type", .string(sp.type.rawValue)),
                    JSONField("start", .string(AnomalyText.rfc3339(a.window.start))),
                    JSONField("end", .string(AnomalyText.rfc3339(a.window.end))),
                    JSONField("placement", .string(sp.start.trimmingCharacters(in: .whitespaces) == "random" ? "random" : "fixed")),
                    JSONField("duration_seconds", .double(Double(a.window.end - a.window.start) / 1_000_000)),
                ]
                if let factor = sp.factor { f.append(JSONField("factor", .double(factor))) }
                if sp.type.isVolume { f.append(JSONField("shape", .string(sp.shape.rawValue))) }
                if !sp.type.isVolume { f.append(JSONField("fraction", .double(sp.fraction))) }
                if let t = sp.token { f.append(JSONField("token", .int(t))) }
                if let v = sp.values { f.append(JSONField("values", valuesJSON(v))) }
                if let v = sp.value { f.append(JSONField("value", .string(v))) }
                if let v = a.resolvedValue { f.append(JSONField("new_value", .string(v))) }
                f.append(JSONField("target", sp.target.map { .string($0.text) } ?? .null))
                f.append(JSONField("warmup", .double(sp.warmup)))
                f.append(JSONField("events_added", .int(a.added)))
                f.append(JSONField("events_removed", .int(a.removed)))
                f.append(JSONField("events_changed", .int(a.changed)))
                lines.append(Record(fields: f).jsonText)
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `values` as JSON: a list as an array of strings, `integer[a:b]` as `{"min":a,"max":b}`.
    static func valuesJSON(_ v: AnomalyValues) -> JSONValue {
        switch v {
        case .list(let l): return .array(l.map { .string($0) })
        case .integers(let a, let b): return .object([JSONField("min", .int(a)), JSONField("max", .int(b))])
        }
    }

    /// NAB's combined-windows form (`combined_windows.json`): an object of series, each a list
    /// of `[start, end]` windows in time order; overlapping windows of one series are merged,
    /// as NAB's windows never overlap.
    public static func nab(_ s: AnomalyScenario) -> String {
        func t(_ m: Int64) -> String {
            let e = EventTime(micros: m)
            var us = String(e.microsecond)
            us = String(repeating: "0", count: 6 - us.count) + us
            return Strftime("%Y-%m-%d %H:%M:%S").format(e, zone: .utc) + "." + us
        }
        var fields: [JSONField] = []
        for sample in s.samples {
            var merged: [(start: Int64, end: Int64)] = []
            for w in sample.injector.anomalies.map({ (start: $0.window.start, end: $0.window.end) }).sorted(by: { $0.start < $1.start }) {
                if let last = merged.last, w.start <= last.end {
                    merged[merged.count - 1].end = max(last.end, w.end)
                } else {
                    merged.append(w)
                }
            }
            let windows = merged.map { JSONValue.array([.string(t($0.start)), .string(t($0.end))]) }
            fields.append(JSONField(sample.name, .array(windows)))
        }
        var out: [UInt8] = []
        JSONWriter.appendObject(fields, to: &out)
        return String(decoding: out, as: UTF8.self) + "\n"
    }

    /// Where the NAB file goes for labels file `path`.
    public static func nabPath(_ path: String) -> String {
        (path.hasSuffix(".jsonl") ? String(path.dropLast(6)) : path) + ".nab.json"
    }

    /// Writes the files.
    public static func write(_ s: AnomalyScenario, path: String, nab: Bool) throws {
        try writeFile(path, jsonl(s))
        if nab { try writeFile(nabPath(path), AnomalyLabels.nab(s)) }
    }

    static func writeFile(_ path: String, _ text: String) throws {
        do { try text.write(toFile: path, atomically: false, encoding: .utf8) } catch {
            throw EgError.runtime("--labels: cannot write \(path): \(error.localizedDescription)")
        }
    }
}
