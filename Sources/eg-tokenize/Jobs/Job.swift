import Core
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// One of `--jobs N` tokenizers: a thread that takes chunks from its queue in order, runs its
/// own `Tokenizer` over their lines and hands each finished chunk to the `OrderedWriter`.
final class Job: @unchecked Sendable {
    let tokenizer: Tokenizer
    let queue = WorkQueue<Chunk>()
    private let lines = ChunkLines()
    private let writer: OrderedWriter
    /// The work ended (`dispatch.exhaust()`) or failed in this job: later chunks are skipped.
    private var over = false

    init(tokenizer: Tokenizer, writer: OrderedWriter) {
        self.tokenizer = tokenizer
        self.writer = writer
    }

    /// Starts the job's thread; `done` is signalled when its queue is closed and drained.
    func start(done: DispatchGroup) {
        done.enter()
        let thread = Thread { [self] in
            while let chunk = queue.take() {
                process(chunk)
                if chunk.index != nil { writer.post(chunk) }
                chunk.processed.signal()
            }
            done.leave()
        }
        thread.stackSize = 16 << 20   // templates recurse, as on the main thread
        thread.start()
    }

    private func process(_ chunk: Chunk) {
        guard !over, !writer.isStopped else { chunk.ended = true; return }
        tokenizer.tally.chunk = chunk.index ?? 0
        tokenizer.dealtWithoutStanzas = !chunk.mayHoldStanzas
        tokenizer.dealtWithoutBundles = !chunk.mayHoldBundles
        lines.name = chunk.name
        lines.lineNumber = chunk.lineBase
        do {
            var more = true
            try chunk.bytes.withUnsafeBufferPointer { buf in
                guard let base = buf.baseAddress else { return }
                var p = 0
                while p < buf.count {
                    var e = buf.count
                    if let nl = memchr(base + p, 0x0A, buf.count - p) { e = base.distance(to: nl.assumingMemoryBound(to: UInt8.self)) }
                    lines.lineNumber += 1
                    if let line = RecordReader.trimmed(UnsafeBufferPointer(start: base + p, count: e - p)) {
                        if try !tokenizer.take(line, from: lines) { more = false; return }
                    }
                    p = e + 1
                }
            }
            if !more {
                over = true
                chunk.ended = true
                try tokenizer.endOfInput()
            } else if chunk.endsUnits {
                try tokenizer.endOfInput()
            } else {
                try tokenizer.drainLocal()
            }
        } catch {
            over = true
            chunk.error = error
            try? tokenizer.drainLocal()
        }
        chunk.keepsState = tokenizer.keepsState
        // The output moves to the chunk; the job writes on into a buffer the writer is done with.
        if chunk.index != nil {
            swap(&chunk.output, &tokenizer.out.bytes)
            tokenizer.out.bytes = writer.spareBuffer()
        } else {
            tokenizer.out.bytes.removeAll(keepingCapacity: true)
        }
    }
}

/// Writes the jobs' chunks to standard output in stream order, whichever job finishes first,
/// and holds the dispatcher back when too many chunks are in flight. The first chunk that failed
/// or ended the work stops the writing there, as the end of one tokenizer's loop would.
final class OrderedWriter: @unchecked Sendable {
    private let condition = NSCondition()
    private var ready: [Int: Chunk] = [:]
    private var next = 0
    private var total: Int?
    private let window: Int
    private let stopped = Atomic<Bool>(false)
    private let out = OutputBuffer()
    /// Written-out buffers (emptied, capacity kept) for the jobs to write into again.
    private var spares: [[UInt8]] = []
    /// What stopped the writing: the first failed chunk's error, or the reader going away.
    private(set) var error: Error?
    private(set) var outputClosed = false

    /// At most `window` chunks wait to be written at any time.
    init(window: Int) { self.window = window }

    var isStopped: Bool { stopped.load(ordering: .relaxed) }

    /// A job has finished `chunk`.
    func post(_ chunk: Chunk) {
        condition.lock()
        ready[chunk.index!] = chunk
        condition.broadcast()
        condition.unlock()
    }

    /// An empty buffer to write a chunk's output into: one already written out, so a run
    /// allocates about as many buffers as chunks are in flight.
    func spareBuffer() -> [UInt8] {
        condition.lock()
        defer { condition.unlock() }
        return spares.popLast() ?? []
    }

    /// Waits until chunk `index` may be dispatched (fewer than `window` ahead of the writer).
    func waitForRoom(_ index: Int) {
        condition.lock()
        while index - next >= window && !isStopped { condition.wait() }
        condition.unlock()
    }

    /// No chunk numbered `count` or later will come.
    func finish(count: Int) {
        condition.lock()
        total = count
        condition.broadcast()
        condition.unlock()
    }

    /// Starts the writing thread; `done` is signalled when it has written the last chunk.
    func start(done: DispatchGroup) {
        done.enter()
        let thread = Thread { [self] in
            run()
            done.leave()
        }
        thread.start()
    }

    private func run() {
        while true {
            condition.lock()
            while ready[next] == nil && total != next { condition.wait() }
            guard let chunk = ready.removeValue(forKey: next) else { condition.unlock(); return }
            next += 1
            condition.broadcast()
            condition.unlock()
            swap(&out.bytes, &chunk.output)
            defer {
                var spent: [UInt8] = []
                swap(&spent, &out.bytes)
                spent.removeAll(keepingCapacity: true)
                condition.lock()
                if spares.count < window { spares.append(spent) }
                condition.unlock()
            }
            do {
                try out.flush()
            } catch is OutputClosed {
                outputClosed = true
                stop()
                return
            } catch {
                self.error = error
                stop()
                return
            }
            if let e = chunk.error { self.error = e; stop(); return }
            if chunk.ended { stop(); return }
        }
    }

    private func stop() {
        condition.lock()
        stopped.store(true, ordering: .relaxed)
        condition.broadcast()
        condition.unlock()
    }
}
