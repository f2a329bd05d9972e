import Core
#if canImport(Glibc)
import Glibc
#endif

/// `--shard I/N`: every shard makes exactly the same random draws, and shard I keeps the units
/// whose sample-wide number (plus the sample's index, to spread small samples) is I modulo N.
/// The N shards together give exactly the unsharded output; a bundle copy stays whole. Each
/// event carries its number (`_seq`), from which eg-tokenize seeds its values, so the shards stay
/// exact after eg-tokenize too.
public struct Shard: Sendable, Equatable {
    public let index: Int
    public let count: Int

    public static let all = Shard(index: 0, count: 1)
    /// The largest shard count accepted.
    public static let maxCount = 1_000_000

    public init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// Parses `I/N` with 0 <= I < N; `source` names where it came from in errors.
    public static func parse(_ text: String, source: String = "--shard") throws -> Shard {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, n <= maxCount, i >= 0, i < n else {
            throw EgError.usage("\(source) expects I/N with 0 <= I < N <= \(maxCount) (e.g. 0/4), got '\(text)'")
        }
        return Shard(index: i, count: n)
    }

    /// The run's shard: the `--shard` flag, else `EG_SHARD=I/N`, else Kubernetes' Indexed Job
    /// index `JOB_COMPLETION_INDEX` of `EG_SHARDS=N` shards, else the whole run.
    /// `JOB_COMPLETION_INDEX` alone (any Indexed Job has it) does not shard.
    public static func resolve(flag: String?, environment env: [String: String]) throws -> Shard {
        if let flag { return try parse(flag) }
        if let s = env["EG_SHARD"], !s.isEmpty { return try parse(s, source: "EG_SHARD") }
        guard let shards = env["EG_SHARDS"], !shards.isEmpty else { return .all }
        guard let n = Int(shards), n >= 1, n <= maxCount else {
            throw EgError.usage("EG_SHARDS expects a shard count from 1 to \(maxCount), got '\(shards)'")
        }
        guard let index = env["JOB_COMPLETION_INDEX"], !index.isEmpty else {
            throw EgError.usage("EG_SHARDS=\(shards) needs the shard's index in JOB_COMPLETION_INDEX (a Kubernetes Indexed Job sets it), or give EG_SHARD=I/N or --shard I/N")
        }
        guard let i = Int(index), i >= 0, i < n else {
            throw EgError.usage("JOB_COMPLETION_INDEX=\(index) is not a shard of EG_SHARDS=\(shards): expected 0 to \(n - 1) (completions must equal EG_SHARDS)")
        }
        return Shard(index: i, count: n)
    }

    /// The variables `resolve` reads, from the process environment.
    public static func environment() -> [String: String] {
        var env: [String: String] = [:]
        for name in ["EG_SHARD", "EG_SHARDS", "JOB_COMPLETION_INDEX"] {
            if let v = getenv(name) { env[name] = String(cString: v) }
        }
        return env
    }

    /// `I/N`, as the stanza records carry it to eg-tokenize.
    public var text: String { "\(index)/\(count)" }

    @inline(__always)
    public func keeps(_ seq: Int64, sample: Int) -> Bool {
        count == 1 || Int((seq &+ Int64(sample)) % Int64(count)) == index
    }
}
