import Core

/// `stdout`: `_raw` lines (or records with `--format json`) on standard output. Each batch is
/// written out before it counts as delivered, so a reader that goes away (`eg-ship | head`) leaves
/// the unwritten batches failed and dead-lettered, never counted as delivered.
final class StdoutOutput: Output {
    let name = "stdout"
    let stats = OutputStats()
    private let out: OutputBuffer
    let format: LineFormat

    init(format: LineFormat, out: OutputBuffer) {
        self.format = format
        self.out = out
    }

    func write(_ batch: [ShipEvent]) -> [Undelivered] {
        all(batch) {
            let before = out.bytes.count
            for e in batch {
                format.append(e, to: &out.bytes)
            }
            stats.bytes += out.bytes.count - before
            try out.flush()
        }
    }

    func flush() throws { try out.flush() }

    /// Appends ready-made lines (the `LineBatch` path).
    func writeBytes(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        out.bytes.append(contentsOf: bytes)
        stats.bytes += bytes.count
        try out.flush()
    }
}

/// `devnull`: events are counted and dropped (for measuring the rest of the pipeline).
final class DevNullOutput: Output {
    let name = "devnull"
    let stats = OutputStats()

    func write(_ batch: [ShipEvent]) -> [Undelivered] {
        for e in batch { stats.bytes += e.raw.utf8.count + 1 }
        return []
    }
}
