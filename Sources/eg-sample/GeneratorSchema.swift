/// The keys of each Eventum plugin eg reads, from which generator.yml is validated (Eventum forbids
/// unknown keys too) and --list is written. `required` keys must be present.
enum GeneratorSchema {
    struct Plugin {
        var required: [String]
        var optional: [String]
        var all: [String] { required + optional }
    }

    static let inputs: [String: Plugin] = [
        "cron": Plugin(required: ["expression", "count"], optional: ["start", "end", "tags"]),
        "timer": Plugin(required: ["seconds", "count"], optional: ["start", "repeat", "tags"]),
        "linspace": Plugin(required: ["start", "end", "count"], optional: ["endpoint", "tags"]),
        "static": Plugin(required: ["count"], optional: ["tags"]),
        "timestamps": Plugin(required: ["source"], optional: ["tags"]),
        "time_patterns": Plugin(required: ["patterns"], optional: ["tags"]),
    ]
    /// Input plugins eg knows but cannot run.
    static let unsupportedInputs: [String: String] = [
        "http": "the http input waits for requests interactively; eg generates from schedules (use static, timer or cron)",
    ]

    static let modes = ["all", "any", "chance", "spin", "chain", "fsm"]
    static let templatePlugin = Plugin(required: ["mode", "templates"], optional: ["params", "samples", "chain"])
    static let templateEntry = Plugin(required: ["template"], optional: ["chance", "vars", "initial", "transitions"])
    static let transition = Plugin(required: ["to", "when"], optional: [])
    static let samples: [String: Plugin] = [
        "items": Plugin(required: ["type", "source"], optional: []),
        "csv": Plugin(required: ["type", "source"], optional: ["header", "delimiter", "quotechar"]),
        "json": Plugin(required: ["type", "source"], optional: []),
    ]
    /// FSM conditions: those over a mapping of `<scope>.<field>: value`, and the others.
    static let fieldConditions = ["eq", "gt", "ge", "lt", "le", "matches", "len_eq", "len_gt", "len_ge", "len_lt",
                                  "len_le", "contains", "in"]
    static let otherConditions = ["defined", "has_tags", "before", "after", "always", "never", "and", "or", "not"]

    static let outputs = ["stdout", "file", "opensearch", "clickhouse", "http", "kafka", "tcp", "udp"]
    static let formats = ["plain", "json", "json-batch", "template"]
    /// Output keys that name files, resolved against the generator's folder.
    static let outputPathKeys = ["path"]
    static let pattern = Plugin(required: ["oscillator", "multiplier", "randomizer", "spreader"], optional: ["label"])
}
