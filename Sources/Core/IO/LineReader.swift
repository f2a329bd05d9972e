/// Reads newline-terminated lines from a file descriptor through one large buffer.
///
/// Lines are handed out as views into the buffer (valid until the next call), so reading costs
/// no allocation per line. A final line without a newline is still returned.
public final class LineReader {
    /// The input's name for messages: `stdin` or a path.
    public let name: String
    /// The 1-based number of the line last returned.
    public private(set) var lineNumber = 0

    private let fd: FileDescriptor
    private var buffer: UnsafeMutableRawPointer
    private var capacity: Int
    private var start = 0
    private var end = 0
    private var eof = false
    private let ownsDescriptor: Bool

    /// Reads from `fd`; `name` appears in error messages.
    public init(fd: FileDescriptor, name: String, bufferSize: Int = 1 << 20, ownsDescriptor: Bool = false) {
        self.fd = fd
        self.name = name
        self.capacity = bufferSize
        self.buffer = UnsafeMutableRawPointer.allocate(byteCount: bufferSize, alignment: 16)
        self.ownsDescriptor = ownsDescriptor
    }

    /// Opens `path` (`-` means standard input, named `stdin`).
    public convenience init(path: String) throws {
        if path == "-" {
            self.init(fd: .standardInput, name: "stdin")
        } else {
            self.init(fd: try FileDescriptor.openForReading(path), name: path, ownsDescriptor: true)
        }
    }

    deinit {
        buffer.deallocate()
        if ownsDescriptor { fd.close() }
    }

    /// The next line without its `\n` (a trailing `\r` is kept), or nil at end of input.
    public func nextLine() throws -> UnsafeBufferPointer<UInt8>? {
        while true {
            if start < end, let nl = memchr(buffer + start, 0x0A, end - start) {
                let lineEnd = buffer.distance(to: nl)
                let line = UnsafeBufferPointer(start: (buffer + start).assumingMemoryBound(to: UInt8.self),
                                               count: lineEnd - start)
                start = lineEnd + 1
                lineNumber += 1
                return line
            }
            if eof {
                guard start < end else { return nil }
                let line = UnsafeBufferPointer(start: (buffer + start).assumingMemoryBound(to: UInt8.self),
                                               count: end - start)
                start = end
                lineNumber += 1
                return line
            }
            try fill()
        }
    }

    /// The next line if one is already in the buffer (or the buffered rest at end of input);
    /// nil when returning one would need a read, which could block. Lets a caller that holds a
    /// lock take every line at hand without waiting on its input while holding it.
    public func nextBufferedLine() -> UnsafeBufferPointer<UInt8>? {
        guard start < end else { return nil }
        if let nl = memchr(buffer + start, 0x0A, end - start) {
            let lineEnd = buffer.distance(to: nl)
            let line = UnsafeBufferPointer(start: (buffer + start).assumingMemoryBound(to: UInt8.self),
                                           count: lineEnd - start)
            start = lineEnd + 1
            lineNumber += 1
            return line
        }
        guard eof else { return nil }
        let line = UnsafeBufferPointer(start: (buffer + start).assumingMemoryBound(to: UInt8.self),
                                       count: end - start)
        start = end
        lineNumber += 1
        return line
    }

    private func fill() throws {
        if start > 0 {
            if end > start { memmove(buffer, buffer + start, end - start) }
            end -= start
            start = 0
        }
        if end == capacity {
            let bigger = UnsafeMutableRawPointer.allocate(byteCount: capacity * 2, alignment: 16)
            bigger.copyMemory(from: buffer, byteCount: end)
            buffer.deallocate()
            buffer = bigger
            capacity *= 2
        }
        let n: Int
        do {
            n = try fd.read(into: buffer + end, count: capacity - end)
        } catch {
            throw EgError.runtime(at: name, "read failed: \(error)")
        }
        if n == 0 { eof = true } else { end += n }
    }
}

#if canImport(Glibc)
import Glibc
#endif
