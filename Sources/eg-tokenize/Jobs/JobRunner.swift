import Core
import Foundation
import Synchronization

/// `eg-tokenize --jobs N`: N tokenizers on their own threads over one input, their output merged
/// in the input's order, byte for byte what one tokenizer writes. Every draw of an event comes
/// from its `_seq` (see `RandomKey`), so a tokenizer that sees only some chunks of the stream
/// writes for them what one that sees all would; what cannot be split that way (a generator that
/// keeps state, a very long bundle) goes on in the first job alone (see `JobDispatcher`). The
/// first job speaks for all: it prints what stanzas cause and, at the end, the notes and the
/// closing error with every job's counts added in.
struct JobRunner {
    let args: ParsedArguments
    let count: Int
    let state: TokenState?

    /// The largest `--jobs`.
    static let maxJobs = 256

    /// `EG_JOBS_CHUNK_BYTES`: the bytes of lines dealt to a job at a time (smaller: less delay
    /// between jobs, more hand-overs).
    static func chunkBytes(_ env: [String: String] = ProcessInfo.processInfo.environment) throws -> Int {
        guard let v = env["EG_JOBS_CHUNK_BYTES"] else { return JobDispatcher.defaultBlockSize }
        guard let n = Int(v), (1...(1 << 30)).contains(n) else {
            throw EgError.usage("EG_JOBS_CHUNK_BYTES expects a number of bytes from 1 to \(1 << 30), got '\(v)'")
        }
        return n
    }

    func run() throws {
        let blockSize = try JobRunner.chunkBytes()
        let writer = OrderedWriter(window: count + 2)
        let warnings = OnceWarnings()
        let fresh = RandomSeed.fresh()
        var jobs: [Job] = []
        for k in 0..<count {
            var role = Tokenizer.Role()
            role.speaks = k == 0
            role.needsSeq = true
            role.warn = { warnings.say($0) }
            role.fresh = fresh
            let out = OutputBuffer(threshold: .max)
            out.bytes = []   // chunks bring their own buffers (OrderedWriter.spareBuffer)
            jobs.append(Job(tokenizer: try Tokenizer(args, state: state, out: out, role: role), writer: writer))
        }
        let done = DispatchGroup()
        for j in jobs { j.start(done: done) }
        writer.start(done: done)
        var dispatcher = JobDispatcher(jobs: jobs, writer: writer, onlySample: args.value("sample"), blockSize: blockSize)
        var readError: Error?
        do { try dispatcher.run(paths: args.positionals) } catch { readError = error }
        for j in jobs { j.queue.close() }
        done.wait()
        if let e = writer.error ?? readError { throw e }
        let speaker = jobs[0].tokenizer
        for j in jobs.dropFirst() { speaker.absorb(j.tokenizer) }
        if !writer.outputClosed { try speaker.report() }
        try speaker.saveState()
    }
}

/// Warnings of several jobs, each printed once however many jobs give it.
final class OnceWarnings: Sendable {
    private let said = Mutex<Set<String>>([])

    func say(_ message: String) {
        let first = said.withLock { $0.insert(message).inserted }
        if first { Diagnostics.warning(message, tool: TokenizeCommand.spec.name) }
    }
}
