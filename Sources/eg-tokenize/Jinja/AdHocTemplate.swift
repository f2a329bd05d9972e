import Core
import Foundation

/// `eg-tokenize --template FILE`: renders FILE for every event record, with the record's fields
/// (and `_time` as epoch seconds) in the context; the output becomes the event's `_raw`. An
/// event whose rendering is empty is dropped and counted. Event number n (`_seq`, else the
/// previous event's plus one) draws from `key.generator(event: n)`; imported modules from a
/// generator of their own.
final class AdHocTemplate {
    let environment: TemplateEnvironment
    let template: CompiledTemplate
    let state: RenderState
    let key: RandomKey
    var nextNumber: UInt64 = 0
    let name: String
    var buffer: [UInt8] = []
    var dropped = 0

    init(path: String, seed: UInt64) throws {
        let dir = (path as NSString).deletingLastPathComponent
        let file = (path as NSString).lastPathComponent
        let env = TemplateEnvironment(directories: [dir.isEmpty ? "." : dir])
        env.displayPrefix = dir.isEmpty ? "" : dir + "/"
        environment = env
        name = path
        key = RandomKey(seed: seed, stream: "template/" + file)
        state = RenderState(environment: env, rng: key.generator(event: 0))
        state.moduleKey = RandomKey(seed: seed, stream: "template/" + file + "/modules")
        do {
            template = try env.template(named: file)
        } catch let e as TemplateError {
            if e.message == "template not found" { throw EgError.usage("--template \(path): no such file") }
            throw EgError.config(at: e.location, e.message)
        }
    }

    func render(_ record: Record, tally: TemplateErrorTally, to out: inout [UInt8]) throws {
        var context: [String: Value] = [:]
        for f in record.fields { context[f.key] = Value(json: f.value) }
        if let t = record.time { context["_time"] = .float(t.secondsDouble) }
        let number = record.eventNumber ?? nextNumber
        nextNumber = number &+ 1
        state.rng = key.generator(event: number)
        buffer.removeAll(keepingCapacity: true)
        do {
            try state.render(template, context: context, into: &buffer)
        } catch let e as TemplateError {
            tally.add(name, e.description)
            return
        }
        if buffer.isEmpty { dropped += 1; return }
        var r = record
        r["_raw"] = .string(String(decoding: buffer, as: UTF8.self))
        r.append(to: &out)
    }
}
