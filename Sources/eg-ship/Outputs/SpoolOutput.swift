#if canImport(Glibc)
import Glibc
#endif
import Core

/// `spool`: each batch lands in `spoolDir/spoolFile` atomically, for Splunk's batch (sinkhole) input.
///
/// The batch is written to a hidden temporary file in the same directory (`.<spoolFile>.eg-<pid>.tmp`),
/// after the current content of `spoolFile` if it still exists (Splunk has not consumed it yet),
/// then renamed over `spoolFile`. A reader of `spoolFile` sees the old content or the old plus the
/// new, never a half-written batch.
final class SpoolOutput: Output {
    let name: String
    let stats = OutputStats()
    let path: String
    private let temp: String
    private let format: LineFormat

    init(dir: String, file: String, format: LineFormat) {
        self.path = dir.hasSuffix("/") ? dir + file : dir + "/" + file
        self.temp = (dir.hasSuffix("/") ? dir : dir + "/") + ".\(file).eg-\(getpid()).tmp"
        self.name = "spool:\(path)"
        self.format = format
    }

    func write(_ batch: [ShipEvent]) -> [Undelivered] {
        all(batch) {
            var data: [UInt8] = []
            for e in batch { format.append(e, to: &data) }
            let out = try FileDescriptor.openForWriting(temp, append: false)
            do {
                if access(path, F_OK) == 0, let old = try? FileDescriptor.readAll(path: path) {
                    try old.withUnsafeBytes { try out.writeAll($0) }
                }
                try data.withUnsafeBytes { try out.writeAll($0) }
                out.close()
            } catch {
                out.close()
                _ = unlink(temp)
                throw EgError.runtime(at: temp, "write failed: \(error)")
            }
            guard rename(temp, path) == 0 else {
                let err = Errno.current
                _ = unlink(temp)
                throw EgError.runtime(at: path, "cannot rename the spool file into place: \(err)")
            }
            stats.bytes += data.count
        }
    }
}
