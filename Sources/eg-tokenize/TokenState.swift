import Core
import Foundation

/// `--state DIR`: where integerid counters persist between runs, one small file per token
/// (`<sample>.token.<n>.integerid`, holding the next value), written atomically at the end of a run.
final class TokenState {
    let directory: String

    init(directory: String) throws {
        self.directory = directory
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw EgError.usage("--state: cannot create directory '\(directory)': \(error.localizedDescription)")
        }
    }

    func path(sample: String, token: Int) -> String {
        let safe = String(sample.unicodeScalars.map { s -> Character in
            (s.isASCII && (s.properties.isAlphabetic || ("0"..."9").contains(s) || s == "." || s == "-" || s == "_")) ? Character(s) : "_"
        })
        return directory + "/" + safe + ".token.\(token).integerid"
    }

    /// The saved next value, or nil when there is none.
    func load(sample: String, token: Int) throws -> Int64? {
        let p = path(sample: sample, token: token)
        guard let data = FileManager.default.contents(atPath: p) else { return nil }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let v = Int64(text) else { throw EgError.config(at: p, "state file holds '\(text)', expected an integer") }
        return v
    }

    func save(sample: String, token: Int, next: Int64) throws {
        let p = path(sample: sample, token: token)
        let tmp = p + ".tmp"
        guard FileManager.default.createFile(atPath: tmp, contents: Data("\(next)\n".utf8)) else {
            throw EgError.runtime(at: tmp, "cannot write state file")
        }
        guard rename(tmp, p) == 0 else { throw EgError.runtime(at: p, "cannot rename state file into place") }
    }
}
