/// A large write buffer in front of a file descriptor: one `write(2)` per ~256 KiB, and whenever
/// the tool is about to wait (its input went quiet: `LineReader.onIdle`; eg-rate before sleeping).
///
/// Writing to a closed pipe (EPIPE) throws `OutputClosed`: the tool unwinds to its main, runs its
/// cleanup (labels, state) and exits quietly with status 0, as a Unix filter should when its
/// reader has gone (`eg-rate ... | head`). Later writes are dropped.
public final class OutputBuffer {
    /// Bytes waiting to be written; append to it directly on hot paths, then call `flushIfFull()`.
    public var bytes: [UInt8]
    private let fd: FileDescriptor
    private let threshold: Int
    private let name: String
    /// Whether the reader has gone (a write failed with EPIPE).
    public private(set) var isClosed = false

    public init(fd: FileDescriptor = .standardOutput, name: String = "stdout", threshold: Int = 1 << 18) {
        self.fd = fd
        self.name = name
        self.threshold = threshold
        self.bytes = []
        fd.growPipe()
        bytes.reserveCapacity(min(threshold, 1 << 22) + (1 << 16))
    }

    /// Appends a record as one JSON line.
    @inline(__always)
    public func write(_ record: Record) throws {
        record.append(to: &bytes)
        if bytes.count >= threshold { try flush() }
    }

    /// Appends raw bytes.
    public func write<S: Sequence>(_ data: S) throws where S.Element == UInt8 {
        bytes.append(contentsOf: data)
        if bytes.count >= threshold { try flush() }
    }

    /// Appends a string's UTF-8.
    public func write(_ text: String) throws { try write(text.utf8) }

    /// Flushes when the buffer has passed its threshold.
    @inline(__always)
    public func flushIfFull() throws { if bytes.count >= threshold { try flush() } }

    /// Writes `block` (bytes a caller gathered in a buffer of its own) after what is buffered:
    /// straight to the descriptor, without a copy, when nothing is buffered and the block is at
    /// least the threshold; else appended.
    public func write(block: UnsafeBufferPointer<UInt8>) throws {
        guard bytes.isEmpty, block.count >= threshold else {
            bytes.append(contentsOf: block)
            if bytes.count >= threshold { try flush() }
            return
        }
        try writeOut(UnsafeRawBufferPointer(block))
    }

    /// Writes out everything buffered.
    public func flush() throws {
        guard !bytes.isEmpty else { return }
        do {
            try bytes.withUnsafeBytes { try writeOut($0) }
        } catch let e as OutputClosed {
            bytes.removeAll(keepingCapacity: true)
            throw e
        }
        bytes.removeAll(keepingCapacity: true)
    }

    /// Writes `data` to the descriptor; a reader that has gone (EPIPE, now or before) is `OutputClosed`.
    private func writeOut(_ data: UnsafeRawBufferPointer) throws {
        if isClosed { throw OutputClosed(name: name) }
        do {
            try fd.writeAll(data)
        } catch let e as Errno where e == .brokenPipe {
            isClosed = true
            throw OutputClosed(name: name)
        } catch {
            throw EgError.runtime(at: name, "write failed: \(error)")
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// The reader of an output has gone (EPIPE). Tools let it unwind to their main, run their cleanup
/// there, and `ToolMain` ends them with status 0.
public struct OutputClosed: Error, CustomStringConvertible {
    /// The output's name (`stdout` or a path).
    public var name: String
    public var description: String { "the reader has gone (broken pipe)" }

    /// Runs `body`; a closed output ends it early as if its work were done (true when it did).
    @discardableResult
    public static func absorb(_ body: () throws -> Void) throws -> Bool {
        do {
            try body()
            return false
        } catch is OutputClosed {
            return true
        }
    }
}
