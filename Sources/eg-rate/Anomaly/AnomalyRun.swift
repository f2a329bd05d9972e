import Core

/// The anomaly flags of one eg-rate run (`--anomaly`, `--labels`, `--labels-format`) and the
/// scenario they give; `finish()` writes the labels once generation has ended.
public struct AnomalyRun {
    public let scenario: AnomalyScenario
    public let labelsPath: String?
    public let nab: Bool

    public init(_ args: ParsedArguments, samples: inout [RateCommand.PreparedSample], timing: RunTiming, seed: UInt64) throws {
        labelsPath = args.value("labels")
        switch args.value("labels-format") ?? "jsonl" {
        case "jsonl": nab = false
        case "nab": nab = true
        case let f: throw EgError.usage("--labels-format expects jsonl or nab, got '\(f)'")
        }
        if args.value("labels-format") != nil && labelsPath == nil {
            throw EgError.usage("--labels-format needs --labels FILE")
        }
        scenario = try AnomalyScenario(samples: &samples, flags: args.values("anomaly"), timing: timing, seed: seed)
    }

    /// Writes the labels (when asked).
    public func finish() throws {
        guard let labelsPath else { return }
        try AnomalyLabels.write(scenario, path: labelsPath, nab: nab)
    }
}
