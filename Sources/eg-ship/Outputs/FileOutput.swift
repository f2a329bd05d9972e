#if canImport(Glibc)
import Glibc
#endif
import Core

/// `file`: appends lines to `fileName`; when the next line would pass `fileMaxBytes`, rotates
/// `name` -> `name.1` -> ... -> `name.N` (`fileBackupFiles`; the oldest is deleted) and starts afresh.
final class FileOutput: Output {
    let name: String
    let stats = OutputStats()
    let path: String
    private let maxBytes: Int
    private let backups: Int
    let format: LineFormat
    private var fd: FileDescriptor?
    private var size = 0
    private var buffer: [UInt8] = []

    init(path: String, maxBytes: Int, backups: Int, format: LineFormat) {
        self.path = path
        self.name = "file:\(path)"
        self.maxBytes = maxBytes
        self.backups = backups
        self.format = format
    }

    private func open() throws -> FileDescriptor {
        if let fd { return fd }
        let f = try FileDescriptor.openForWriting(path, append: true)
        var st = stat()
        size = fstat(f.rawValue, &st) == 0 ? Int(st.st_size) : 0
        fd = f
        return f
    }

    func write(_ batch: [ShipEvent]) -> [Undelivered] {
        var line: [UInt8] = []
        for (k, e) in batch.enumerated() {
            do {
                _ = try open()
                line.removeAll(keepingCapacity: true)
                format.append(e, to: &line)
                if maxBytes > 0, size + buffer.count > 0, size + buffer.count + line.count > maxBytes {
                    try flush()
                    try rotate()
                }
                buffer.append(contentsOf: line)
                stats.bytes += line.count
                if buffer.count >= 1 << 18 { try flush() }
            } catch {
                buffer.removeAll()
                let reason = describe(error)
                return batch[k...].map { Undelivered(event: $0, reason: reason) }
            }
        }
        do { try flush() } catch {
            return batch.map { Undelivered(event: $0, reason: describe(error)) }
        }
        return []
    }

    /// Appends one ready-made line (newline included), rotating first when it would pass
    /// `fileMaxBytes` (the `LineBatch` path; `write` does the same per event).
    @inline(__always)
    func appendLine(_ line: UnsafeBufferPointer<UInt8>) throws {
        if fd == nil { _ = try open() }
        if maxBytes > 0, size + buffer.count > 0, size + buffer.count + line.count > maxBytes {
            try flush()
            try rotate()
        }
        buffer.append(contentsOf: line)
        stats.bytes += line.count
        if buffer.count >= 1 << 18 { try flush() }
    }

    /// Writes `block` (whole lines) at once when no rotation can fall inside it; false (nothing
    /// written) when one might, or when the write failed (the caller then goes line by line and
    /// reports the failure).
    func appendBlockIfNoRotation(_ block: UnsafeBufferPointer<UInt8>) -> Bool {
        guard fd != nil || (try? open()) != nil else { return false }
        if maxBytes > 0, size + buffer.count + block.count > maxBytes { return false }
        buffer.append(contentsOf: block)
        stats.bytes += block.count
        if buffer.count >= 1 << 18 {
            do { try flush() } catch {
                buffer.removeAll()
                stats.bytes -= block.count
                return false
            }
        }
        return true
    }

    /// Drops what is buffered after a failure.
    func discardBuffer() { buffer.removeAll() }

    func flush() throws {
        guard !buffer.isEmpty else { return }
        let f = try open()
        do {
            try buffer.withUnsafeBytes { try f.writeAll($0) }
        } catch {
            throw EgError.runtime(at: path, "write failed: \(error)")
        }
        size += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }

    /// Shifts the backups up by one and starts an empty file under `path`.
    private func rotate() throws {
        fd?.close()
        fd = nil
        if backups > 0 {
            _ = unlink("\(path).\(backups)")
            var k = backups - 1
            while k >= 1 {
                _ = rename("\(path).\(k)", "\(path).\(k + 1)")
                k -= 1
            }
            guard rename(path, "\(path).1") == 0 else {
                throw EgError.runtime(at: path, "cannot rotate to \(path).1: \(Errno.current)")
            }
            fd = try FileDescriptor.openForWriting(path, append: true)
        } else {
            fd = try FileDescriptor.openForWriting(path, append: false)
        }
        size = 0
    }

    func close() throws {
        try flush()
        fd?.close()
        fd = nil
    }
}
