#if canImport(Glibc)
import Glibc
#endif

/// Reads newline-terminated lines from a file descriptor through one large buffer.
///
/// Lines are handed out as views into the buffer (valid until the next call), so reading costs
/// no allocation per line. A final line without a newline is still returned.
///
/// Live streams: from a pipe or terminal (not a regular file), a read that would block is first
/// waited for with `poll(2)`, once per buffer fill, never per line. `onIdle` runs when the input
/// has stayed quiet until the idle deadline (`idleMicros` after the first fill since the last
/// idle call), so a tool flushes its output within a fraction of a second of its input going
/// quiet, and still writes large blocks while input keeps coming. After a `StopRequest` the
/// reader ends the input (as end of file) once it has been quiet for `drainQuietMicros`, or
/// `drainLimitMicros` after the request, so what the upstream tool flushed on the same signal
/// is read first.
public final class LineReader {
    /// The input's name for messages: `stdin` or a path.
    public let name: String
    /// The 1-based number of the line last returned.
    /// (The per-line state is `@exclusivity(unchecked)`: a reader is used by one thread at a
    /// time, and a dynamic access check per line costs more than handing out the line.)
    @exclusivity(unchecked) public private(set) var lineNumber = 0

    private let fd: FileDescriptor
    @exclusivity(unchecked) private var buffer: UnsafeMutableRawPointer
    private var capacity: Int
    @exclusivity(unchecked) private var start = 0
    @exclusivity(unchecked) private var end = 0
    @exclusivity(unchecked) private var eof = false
    private let ownsDescriptor: Bool
    /// Whether reads may block (a pipe, socket or terminal): only then is the input polled.
    private let mayBlock: Bool
    /// The monotonic time by which `onIdle` runs if the input is quiet; 0 unset, `.max` idle already.
    private var idleDeadline: Int64 = 0
    /// The monotonic time at which draining after a stop request ends; 0 before the request.
    private var drainEnd: Int64 = 0

    /// Runs when the input has stayed quiet until the idle deadline: flush what is buffered.
    public var onIdle: (() throws -> Void)?
    /// How long input may be quiet (since the first wait after the last idle call) before `onIdle`.
    public static let idleMicros: Int64 = 100_000
    /// After a stop request: quiet this long means the upstream has nothing more to flush.
    public static let drainQuietMicros: Int64 = 1_000_000
    /// After a stop request: read at most this long before ending the input.
    public static let drainLimitMicros: Int64 = 5_000_000

    /// Reads from `fd`; `name` appears in error messages.
    public init(fd: FileDescriptor, name: String, bufferSize: Int = 1 << 20, ownsDescriptor: Bool = false) {
        self.fd = fd
        self.name = name
        self.capacity = bufferSize
        self.buffer = UnsafeMutableRawPointer.allocate(byteCount: bufferSize, alignment: 16)
        self.ownsDescriptor = ownsDescriptor
        fd.growPipe()
        var st = stat()
        mayBlock = fstat(fd.rawValue, &st) != 0 || (st.st_mode & S_IFMT) != S_IFREG
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

    /// Whether a line, the end of input or new input is at hand: false when the next read would
    /// wait (a pipe or terminal with nothing in it yet). One `poll(2)` with no timeout, only when
    /// the buffer holds no whole line; lets a tool hand over what it holds before it waits.
    public func inputReady() -> Bool {
        if eof || !mayBlock { return true }
        if start < end, memchr(buffer + start, 0x0A, end - start) != nil { return true }
        var p = pollfd(fd: fd.rawValue, events: Int16(POLLIN), revents: 0)
        return Glibc.poll(&p, 1, 0) != 0
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

    /// The whole lines at hand as one view (newlines included; valid until the next call) and
    /// how many lines it holds, or nil at end of input: `atLeast` bytes (rounded up to the end
    /// of a line) when that much is buffered, else the lines buffered once the next read would
    /// wait, so a fast input comes in large blocks and a live one as soon as a line is there. At end of input a last line without a newline
    /// is included. `lineNumber` moves past the lines returned.
    public func nextLines(atLeast: Int) throws -> (bytes: UnsafeBufferPointer<UInt8>, lines: Int)? {
        while true {
            let base = buffer.assumingMemoryBound(to: UInt8.self)
            var cut = end
            if end - start > atLeast, let nl = memchr(buffer + start + atLeast - 1, 0x0A, end - start - atLeast + 1) {
                cut = buffer.distance(to: nl) + 1   // the line that reaches `atLeast` bytes ends the block
            } else if !eof {
                while cut > start && base[cut - 1] != 0x0A { cut -= 1 }   // after the last newline
            }
            if cut > start && (eof || cut - start >= atLeast || !hasReadableInput()) {
                var lines = 0
                var p = start
                while p < cut, let nl = memchr(buffer + p, 0x0A, cut - p) {
                    lines += 1
                    p = buffer.distance(to: nl) + 1
                }
                if p < cut { lines += 1 }
                let view = UnsafeBufferPointer(start: base + start, count: cut - start)
                start = cut
                lineNumber += lines
                return (view, lines)
            }
            if eof { return nil }
            try fill()
        }
    }

    /// Whether a read would return at once (always for a regular file).
    private func hasReadableInput() -> Bool {
        if !mayBlock { return true }
        var p = pollfd(fd: fd.rawValue, events: Int16(POLLIN), revents: 0)
        return Glibc.poll(&p, 1, 0) != 0
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
        if mayBlock && (onIdle != nil || StopRequest.isInstalled) {
            guard try waitForInput() else { eof = true; return }
        }
        let n: Int
        do {
            n = try fd.read(into: buffer + end, count: capacity - end)
        } catch {
            throw EgError.runtime(at: name, "read failed: \(error)")
        }
        if n == 0 { eof = true } else {
            end += n
            if idleDeadline == .max { idleDeadline = 0 }
        }
    }

    /// Waits until the input is readable (true), running `onIdle` when it stays quiet; false when
    /// a stop was requested and the input has drained (see the type's description).
    private func waitForInput() throws -> Bool {
        while true {
            if StopRequest.isRequested {
                let now = StopRequest.monotonicMicros()
                if drainEnd == 0 { drainEnd = now + LineReader.drainLimitMicros }
                let quiet = min(LineReader.drainQuietMicros, drainEnd - now)
                let r = quiet > 0 ? try poll([fd.rawValue], timeoutMicros: quiet) : .timeout
                if r == .ready { return true }
                if r == .other { continue }
                try onIdle?()
                return false
            }
            var timeout: Int64 = -1
            if onIdle != nil && idleDeadline != .max {
                let now = StopRequest.monotonicMicros()
                if idleDeadline == 0 { idleDeadline = now + LineReader.idleMicros }
                timeout = max(0, idleDeadline - now)
            }
            let wake = StopRequest.wakeDescriptor
            let r = try poll(wake >= 0 ? [fd.rawValue, wake] : [fd.rawValue], timeoutMicros: timeout)
            if r == .ready { return true }
            if r == .timeout {
                try onIdle?()
                idleDeadline = .max
            }
        }
    }

    private enum PollResult { case ready, timeout, other }

    /// Polls `fds` for input: `.ready` when the first is readable (or closed), `.other` on an
    /// interruption or another descriptor's readiness. A negative timeout waits indefinitely.
    private func poll(_ fds: [Int32], timeoutMicros: Int64) throws -> PollResult {
        var p = fds.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        let ms = timeoutMicros < 0 ? -1 : Int32(min((timeoutMicros + 999) / 1000, Int64(Int32.max)))
        let r = Glibc.poll(&p, nfds_t(p.count), ms)
        if r < 0 {
            if errno == EINTR { return .other }
            throw EgError.runtime(at: name, "poll failed: \(Errno.current)")
        }
        if r == 0 { return .timeout }
        return p[0].revents != 0 ? .ready : .other
    }
}
