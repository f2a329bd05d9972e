#if canImport(Glibc)
import Glibc
#endif
import Core

/// `file`: appends lines to `fileName`; when the next line would pass `fileMaxBytes`, rotates
/// `name` -> `name.1` -> ... -> `name.N` (`fileBackupFiles`; the oldest is deleted) and starts afresh.
///
/// Every batch is written before `write` returns (nothing is held back for a later batch), so what
/// the summary counts is what reached the file. On a write error (a full disk, `RLIMIT_FSIZE`) the
/// events whose whole line was written count as delivered, a torn last line is cut back with
/// `ftruncate`, and the rest are returned undelivered. Events that rotation deletes with the
/// oldest backup are counted (`stats.deleted`) and reported when the output closes.
final class FileOutput: Output {
    let name: String
    let stats = OutputStats()
    let path: String
    let maxBytes: Int
    let backups: Int
    let format: LineFormat
    private var fd: FileDescriptor?
    /// Bytes in the current file.
    private var size = 0
    /// Whether `path` is a regular file (devices and pipes are never rotated or truncated).
    private var regular = true
    /// What each generation holds: [0] is `path`, [k] is `path.k`; backups past the end of this
    /// array were there before the run.
    private var generations: [Generation] = []
    /// Bytes written before this run that rotation deleted.
    private var deletedEarlierBytes = 0
    /// Scratch for the record path: the lines of a batch and their end offsets.
    private var lines: [UInt8] = []
    private var ends: [Int] = []

    /// One file of the rotation: events of this run in it, and bytes it held before the run.
    private struct Generation {
        var events = 0
        var earlierBytes = 0
    }

    /// Truncate the file when it is first opened (an Eventum file output's `write_mode: overwrite`).
    private var overwrite: Bool
    /// The mode a created file gets.
    private let mode: mode_t
    /// Create the file's folder when it is missing.
    private let createDirectories: Bool

    init(path: String, maxBytes: Int, backups: Int, format: LineFormat, overwrite: Bool = false, mode: mode_t = 0o644,
         createDirectories: Bool = false) {
        self.path = path
        self.name = "file:\(path)"
        self.maxBytes = maxBytes
        self.backups = backups
        self.format = format
        self.overwrite = overwrite
        self.mode = mode
        self.createDirectories = createDirectories
    }

    private func open() throws -> FileDescriptor {
        if let fd { return fd }
        if createDirectories { try FileOutput.makeDirectories(for: path) }
        let f = try FileDescriptor.openForWriting(path, append: !overwrite, mode: mode)
        overwrite = false
        var st = stat()
        if fstat(f.rawValue, &st) == 0 {
            regular = (st.st_mode & S_IFMT) == S_IFREG
            size = regular ? Int(st.st_size) : 0
        }
        if generations.isEmpty { generations = [Generation(events: 0, earlierBytes: size)] }
        fd = f
        return f
    }

    /// Creates the folders above `path` that do not exist yet (`mkdir -p` of its folder).
    static func makeDirectories(for path: String) throws {
        var dir = ""
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).dropLast()
        for part in parts {
            dir += (dir.isEmpty && !path.hasPrefix("/") ? "" : "/") + part
            var st = stat()
            if stat(dir, &st) == 0 { continue }
            if mkdir(dir, 0o755) != 0 && errno != EEXIST {
                throw EgError.runtime(at: path, "cannot create the folder \(dir): \(Errno.current)")
            }
        }
    }

    func write(_ batch: [ShipEvent]) -> [Undelivered] {
        lines.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        for e in batch {
            format.append(e, to: &lines)
            ends.append(lines.count)
        }
        let (written, reason) = lines.withUnsafeBufferPointer { b in
            ends.withUnsafeBufferPointer { e in append(b, count: e.count, end: { e[$0] }) }
        }
        guard written < batch.count else { return [] }
        return batch[written...].map { Undelivered(event: $0, reason: reason ?? "not written") }
    }

    /// Appends `count` lines held back to back in `bytes` (line `k` ends at `end(k)`), rotating
    /// where `fileMaxBytes` says. Returns how many lines were written whole and, when not all
    /// were, why.
    func append(_ bytes: UnsafeBufferPointer<UInt8>, count: Int, end: (Int) -> Int) -> (written: Int, reason: String?) {
        var k = 0
        while k < count {
            let f: FileDescriptor
            do { f = try open() } catch { return (k, describe(error)) }
            let start = k == 0 ? 0 : end(k - 1)
            // The lines that go into the current file: all of them without rotation, else while
            // they fit (an empty file takes at least one line, however long).
            var j = k
            var stop = start
            if maxBytes > 0, regular {
                while j < count {
                    let e = end(j)
                    if size + (stop - start) > 0, size + (e - start) > maxBytes { break }
                    stop = e
                    j += 1
                }
            } else {
                j = count
                stop = end(count - 1)
            }
            if j == k {
                do { try rotate() } catch { return (k, describe(error)) }
                continue
            }
            let (n, err) = f.writeSome(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[start..<stop])))
            if let err {
                // Count the lines written whole; cut back a torn one.
                var m = k
                while m < j, end(m) - start <= n { m += 1 }
                let whole = (m == k ? start : end(m - 1)) - start
                record(lines: m - k, bytes: whole)
                var reason = "write failed: \(err)"
                if n > whole {
                    if regular, ftruncate(f.rawValue, off_t(size)) == 0 {
                        reason += " (the partly written line was removed)"
                    } else {
                        reason += "; \(n - whole) bytes of a partly written line remain at the end of \(path) (cannot truncate: \(Errno.current))"
                    }
                }
                return (m, reason)
            }
            record(lines: j - k, bytes: stop - start)
            k = j
        }
        return (count, nil)
    }

    private func record(lines: Int, bytes: Int) {
        size += bytes
        stats.bytes += bytes
        generations[0].events += lines
    }

    /// Shifts the backups up by one (deleting the oldest) and starts an empty file under `path`.
    private func rotate() throws {
        fd?.close()
        fd = nil
        if backups > 0 {
            let oldest = "\(path).\(backups)"
            if backups < generations.count {
                stats.deleted += generations[backups].events
                deletedEarlierBytes += generations[backups].earlierBytes
            } else {
                var st = stat()
                if stat(oldest, &st) == 0 { deletedEarlierBytes += Int(st.st_size) }
            }
            _ = unlink(oldest)
            var k = backups - 1
            while k >= 1 {
                _ = rename("\(path).\(k)", "\(path).\(k + 1)")
                k -= 1
            }
            guard rename(path, "\(path).1") == 0 else {
                throw EgError.runtime(at: path, "cannot rotate to \(path).1: \(Errno.current)")
            }
            generations.insert(Generation(), at: 0)
            if generations.count > backups + 1 { generations.removeLast(generations.count - backups - 1) }
            fd = try FileDescriptor.openForWriting(path, append: true)
        } else {
            stats.deleted += generations[0].events
            deletedEarlierBytes += generations[0].earlierBytes
            generations[0] = Generation()
            fd = try FileDescriptor.openForWriting(path, append: false)
        }
        size = 0
    }

    func close() throws {
        fd?.close()
        fd = nil
        guard stats.deleted > 0 || deletedEarlierBytes > 0 else { return }
        var what = "\(stats.deleted) of the \(stats.events) events written"
        if deletedEarlierBytes > 0 { what += " (and \(deletedEarlierBytes) bytes from before this run)" }
        Diagnostics.write("eg-ship: \(name): rotation deleted \(what) with the oldest "
            + (backups > 0 ? "backup (fileBackupFiles = \(backups)" : "file (fileBackupFiles = 0")
            + ", fileMaxBytes = \(maxBytes)); fileMaxBytes = 0 keeps everything in one file\n")
    }
}
