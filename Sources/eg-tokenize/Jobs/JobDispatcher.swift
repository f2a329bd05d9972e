import Core
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Reads the input in large blocks of whole lines and deals them to the jobs as chunks, so that
/// each job's output is what one tokenizer would write for those lines:
/// - stanza lines go to every job (the first job's copy is written, the others are silent), and
///   the next chunk waits until the first job has set the stanza up: a generator that keeps
///   state from one timestamp to the next makes the rest of the stream go to that job alone;
/// - a bundle (consecutive events of one sample with the same `_bundle`) is never split: a
///   block that ends inside one keeps the bundle's lines for the next block (a bundle over
///   `maxCarry` bytes, 64 MiB by default, or one that runs on into the next input file, also
///   makes the rest go to one job).
/// Blocks are only looked into line by line when they hold `_kind` or `_bundle`, so an input of
/// plain events costs the dispatcher one copy per byte and a line count. A stanza whose `_kind`
/// is spelled with escapes is not seen here; the job that meets it stops the run with an input
/// error rather than write other bytes than one tokenizer would.
struct JobDispatcher {
    let jobs: [Job]
    let writer: OrderedWriter
    let onlySample: String?
    /// How many bytes of lines make a chunk (`EG_JOBS_CHUNK_BYTES`).
    let blockSize: Int
    /// The largest bundle kept whole across blocks before the run goes to one job.
    var maxCarry: Int { blockSize * 128 }
    static let defaultBlockSize = 1 << 19

    private var index = 0
    private var turn = 0
    /// Everything from here on goes to the first job, in order.
    private(set) var single = false
    /// Lines kept back from the last block: the start of a bundle that may go on.
    private var carry: [UInt8] = []
    private var carryName = ""
    private var carryInput = 0
    private var carryBase = 0
    private var carryLines = 0
    private var view = RecordView()
    /// Whether the block being dealt holds `_bundle`.
    private var blockHasBundles = true

    init(jobs: [Job], writer: OrderedWriter, onlySample: String?, blockSize: Int = JobDispatcher.defaultBlockSize) {
        self.jobs = jobs
        self.blockSize = blockSize
        self.writer = writer
        self.onlySample = onlySample
    }

    /// Deals every line of `paths` (standard input when empty or `-`), then the closing chunk.
    mutating func run(paths: [String]) throws {
        defer { writer.finish(count: index) }
        for (input, path) in (paths.isEmpty ? ["-"] : paths).enumerated() {
            guard !writer.isStopped else { break }
            let reader = try LineReader(path: path)
            while !writer.isStopped, let (bytes, count) = try reader.nextLines(atLeast: blockSize) {
                take(bytes, input: input, name: reader.name, lineBase: reader.lineNumber - count)
            }
        }
        flushCarry()
        // The first job ends what it holds (a bundle that ran over chunks) in the output's order.
        send(Chunk(index: index, bytes: [], name: carryName, lineBase: 0, endsUnits: true), to: 0)
    }

    /// Deals a block of whole lines of input number `input`.
    private mutating func take(_ bytes: UnsafeBufferPointer<UInt8>, input: Int, name: String, lineBase: Int) {
        if !carry.isEmpty && carryInput != input {
            // A bundle at the end of the last input: if this input goes on with it, one job
            // must take both.
            if let first = firstLine(bytes), let key = bundleKey(first), let last = lastLine(carry), bundleKey(last) == key { single = true }
            flushCarry()
        }
        var block: [UInt8]
        var base = lineBase
        var heldLines = 0   // the lines kept back from the last block: one bundle
        if carry.isEmpty {
            block = Array(bytes)
        } else {
            block = carry
            block.append(contentsOf: bytes)
            base = carryBase
            heldLines = carryLines
            carry = []
        }
        if single {
            send(Chunk(index: index, bytes: block, name: name, lineBase: base, endsUnits: false), to: 0)
            return
        }
        let (mayHaveStanza, mayHaveBundle) = underscored(block)
        blockHasBundles = mayHaveBundle
        guard mayHaveStanza || mayHaveBundle else {
            deal(block, name: name, lineBase: base, bundles: false)
            return
        }
        let starts = lineStarts(block)
        // Runs of event lines and of stanza lines, in order.
        var runStart = 0
        var runIsStanza = false
        var k = 0
        while k < starts.count {
            let stanza = mayHaveStanza && isStanza(line(block, starts, k))
            if stanza != runIsStanza {
                if k > runStart { emit(block, starts, runStart..<k, stanza: runIsStanza, name: name, base: base) }
                runStart = k
                runIsStanza = stanza
            }
            k += 1
        }
        let end = starts.count
        if !runIsStanza, mayHaveBundle, let first = trailingBundle(block, starts, from: runStart, heldLines: heldLines) {
            if first > runStart { emit(block, starts, runStart..<first, stanza: false, name: name, base: base) }
            if block.count - starts[first] <= maxCarry {
                carry = Array(block[starts[first]...])
                carryName = name
                carryInput = input
                carryBase = base + first
                carryLines = end - first
            } else {
                single = true
                emit(block, starts, first..<end, stanza: false, name: name, base: base)
            }
            return
        }
        if end > runStart { emit(block, starts, runStart..<end, stanza: runIsStanza, name: name, base: base) }
    }

    /// The first line of the bundle that lines `from...` of `block` end in, if they end in one
    /// (its last line is an event with `_bundle`). The first `heldLines` lines are known to be
    /// one bundle, so the walk back stops there.
    private func trailingBundle(_ block: [UInt8], _ starts: [Int], from: Int, heldLines: Int) -> Int? {
        var i = starts.count - 1
        while i >= from, isBlank(line(block, starts, i)) { i -= 1 }
        guard i >= from, let key = bundleKey(line(block, starts, i)) else { return nil }
        var first = i
        var j = i - 1
        while j >= from {
            let l = line(block, starts, j)
            if isBlank(l) { j -= 1; continue }
            guard bundleKey(l) == key else { break }
            first = j
            if j < heldLines { return from }
            j -= 1
        }
        return first
    }

    /// Sends lines `range` of `block`: stanza lines to every job, event lines as one chunk.
    private mutating func emit(_ block: [UInt8], _ starts: [Int], _ range: Range<Int>, stanza: Bool, name: String, base: Int) {
        let from = starts[range.lowerBound]
        let to = range.upperBound < starts.count ? starts[range.upperBound] : block.count
        let bytes = Array(block[from..<to])
        guard stanza else {
            deal(bytes, name: name, lineBase: base + range.lowerBound, bundles: blockHasBundles)
            return
        }
        let first = Chunk(index: index, bytes: bytes, name: name, lineBase: base + range.lowerBound, endsUnits: !single)
        send(first, to: 0)
        for j in jobs.indices.dropFirst() {
            jobs[j].queue.put(Chunk(index: nil, bytes: bytes, name: name, lineBase: base + range.lowerBound, endsUnits: true))
        }
        first.processed.wait()
        if first.keepsState { single = true }
    }

    /// Sends event lines to the next job in turn (or the first, once the run is down to one).
    /// (`bundles`: whether `_bundle` is in them; they hold no stanza.)
    private mutating func deal(_ bytes: [UInt8], name: String, lineBase: Int, bundles: Bool) {
        let j = single ? 0 : turn
        turn = (turn + 1) % jobs.count
        let chunk = Chunk(index: index, bytes: bytes, name: name, lineBase: lineBase, endsUnits: !single)
        chunk.mayHoldStanzas = single
        chunk.mayHoldBundles = single || bundles
        send(chunk, to: j)
    }

    private mutating func send(_ chunk: Chunk, to job: Int) {
        writer.waitForRoom(index)
        index += 1
        jobs[job].queue.put(chunk)
    }

    private mutating func flushCarry() {
        guard !carry.isEmpty else { return }
        let bytes = carry
        carry = []
        if single {
            send(Chunk(index: index, bytes: bytes, name: carryName, lineBase: carryBase, endsUnits: false), to: 0)
        } else {
            deal(bytes, name: carryName, lineBase: carryBase, bundles: true)
        }
    }

    // MARK: Looking into lines

    /// Whether `_kind` and `_bundle` occur in `block`: one memchr per underscore.
    private func underscored(_ block: [UInt8]) -> (kind: Bool, bundle: Bool) {
        block.withUnsafeBufferPointer { b in
            guard let p = b.baseAddress else { return (false, false) }
            var kind = false, bundle = false
            var i = 0
            while i < b.count, let hit = memchr(p + i, 0x5F, b.count - i) {
                let at = p.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                let rest = b.count - at
                if !kind, rest >= 5, memcmp(p + at, "_kind", 5) == 0 { kind = true }
                if !bundle, rest >= 7, memcmp(p + at, "_bundle", 7) == 0 { bundle = true }
                if kind && bundle { break }
                i = at + 1
            }
            return (kind, bundle)
        }
    }

    /// The offsets of the lines of `block`.
    private func lineStarts(_ block: [UInt8]) -> [Int] {
        var starts: [Int] = []
        block.withUnsafeBytes { b in
            guard let p = b.baseAddress else { return }
            var i = 0
            while i < b.count {
                starts.append(i)
                guard let nl = memchr(p + i, 0x0A, b.count - i) else { break }
                i = p.distance(to: UnsafeRawPointer(nl)) + 1
            }
        }
        return starts
    }

    private func line(_ block: [UInt8], _ starts: [Int], _ k: Int) -> ArraySlice<UInt8> {
        var e = k + 1 < starts.count ? starts[k + 1] : block.count
        if e > starts[k], block[e - 1] == 0x0A { e -= 1 }
        return block[starts[k]..<e]
    }

    private func firstLine(_ bytes: UnsafeBufferPointer<UInt8>) -> ArraySlice<UInt8>? {
        let a = Array(bytes)
        let s = lineStarts(a)
        return s.indices.lazy.map { line(a, s, $0) }.first { l in l.withUnsafeBufferPointer { RecordReader.trimmed($0) != nil } }
    }

    private func lastLine(_ bytes: [UInt8]) -> ArraySlice<UInt8>? {
        let s = lineStarts(bytes)
        return s.indices.reversed().lazy.map { line(bytes, s, $0) }.first { l in l.withUnsafeBufferPointer { RecordReader.trimmed($0) != nil } }
    }

    private mutating func isStanza(_ l: ArraySlice<UInt8>) -> Bool {
        l.withUnsafeBufferPointer { b in
            guard let t = RecordReader.trimmed(b) else { return false }
            if view.scan(t) { return view.isStanza }
            return (try? RecordReader.parse(t, at: ""))?.isStanza ?? false
        }
    }

    /// What makes consecutive events one bundle: their sample and `_bundle` (nil: a stanza, a
    /// line that is not a record, or an event outside any bundle).
    private struct BundleKey: Equatable {
        var bundle: JSONValue
        var sample: String
    }

    private func bundleKey(_ l: ArraySlice<UInt8>) -> BundleKey? {
        l.withUnsafeBufferPointer { b in
            guard let t = RecordReader.trimmed(b), let r = try? RecordReader.parse(t, at: ""), !r.isStanza,
                  let id = r["_bundle"] else { return nil }
            return BundleKey(bundle: id, sample: r.sample ?? onlySample ?? "adhoc")
        }
    }

    private func isBlank(_ l: ArraySlice<UInt8>) -> Bool {
        l.withUnsafeBufferPointer { RecordReader.trimmed($0) == nil }
    }
}
