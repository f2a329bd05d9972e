import Core
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A stretch of whole input lines handed to one job (`--jobs`), and what the job made of it.
///
/// A chunk never splits a bundle (`JobDispatcher` cuts around them), so a job can end the
/// bundle it holds at the chunk's end; once the run is down to one job (`endsUnits` false) a
/// bundle may run on into that job's next chunk.
final class Chunk: @unchecked Sendable {
    /// The chunk's place in the output; nil for a silent copy: stanza lines every job must see,
    /// of which only the speaking job's copy is written.
    let index: Int?
    let bytes: [UInt8]
    /// The input's name and the number of the line before the chunk's first, for messages.
    let name: String
    let lineBase: Int
    /// Whether the job ends a pending bundle at the chunk's end.
    let endsUnits: Bool
    /// What the dispatcher found the chunk's lines to hold (false: no `_kind`, no `_bundle`).
    var mayHoldStanzas = true
    var mayHoldBundles = true

    // Set by the job before it hands the chunk on.
    var output: [UInt8] = []
    var error: Error?
    /// The work ended here (every generator called `dispatch.exhaust()`): nothing after it counts.
    var ended = false
    /// After the chunk: whether some generator keeps state (the dispatcher then stops splitting).
    var keepsState = false
    /// Signalled when the job is done with the chunk.
    let processed = DispatchSemaphore(value: 0)

    init(index: Int?, bytes: [UInt8], name: String, lineBase: Int, endsUnits: Bool) {
        self.index = index
        self.bytes = bytes
        self.name = name
        self.lineBase = lineBase
        self.endsUnits = endsUnits
    }
}

/// The lines of a chunk as a `LineSource`: `<input>:<line>` and the Record parse.
final class ChunkLines: LineSource {
    var name = "stdin"
    var lineNumber = 0
    var location: String { "\(name):\(lineNumber)" }

    func record(from line: UnsafeBufferPointer<UInt8>) throws -> Record {
        try RecordReader.parse(line, at: location)
    }
}

/// A blocking first-in first-out queue between threads.
final class WorkQueue<Item>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [Item?] = []   // taken slots are cleared at once (a chunk holds megabytes)
    private var head = 0
    private var closed = false

    func put(_ item: Item) {
        condition.lock()
        items.append(item)
        condition.signal()
        condition.unlock()
    }

    /// The next item, waiting for one; nil once the queue is closed and empty.
    func take() -> Item? {
        condition.lock()
        defer { condition.unlock() }
        while head == items.count && !closed { condition.wait() }
        guard head < items.count else { return nil }
        let item = items[head]
        items[head] = nil
        head += 1
        if head == items.count {
            items.removeAll(keepingCapacity: true)
            head = 0
        } else if head > 64 && head * 2 > items.count {
            items.removeFirst(head)
            head = 0
        }
        return item
    }

    /// No more items come: `take` returns nil when the rest is taken.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}
