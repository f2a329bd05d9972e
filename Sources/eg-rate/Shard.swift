import Core

/// `--shard I/N`: every shard makes exactly the same random draws, and shard I keeps the units
/// whose sample-wide number (plus the sample's index, to spread small samples) is I modulo N.
/// The N shards together give exactly the unsharded output; a bundle copy stays whole.
public struct Shard: Sendable, Equatable {
    public let index: Int
    public let count: Int

    public static let all = Shard(index: 0, count: 1)

    public init(index: Int, count: Int) {
        self.index = index
        self.count = count
    }

    /// Parses `I/N` with 0 <= I < N.
    public static func parse(_ text: String) throws -> Shard {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, i >= 0, i < n else {
            throw EgError.usage("--shard expects I/N with 0 <= I < N (e.g. 0/4), got '\(text)'")
        }
        return Shard(index: i, count: n)
    }

    @inline(__always)
    public func keeps(_ seq: Int64, sample: Int) -> Bool {
        count == 1 || Int((seq &+ Int64(sample)) % Int64(count)) == index
    }
}
