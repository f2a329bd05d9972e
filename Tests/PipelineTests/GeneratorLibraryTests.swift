import Core
import EgTestSupport
import Foundation
import Testing

/// eg's own generators (`generators/NAME/`): each one is found by name and listed by
/// `eg-sample --generators` with its about.yml description; EG_PATH shadows the library.
@Suite struct GeneratorLibraryTests {
    static let library = ToolProcess.root.appendingPathComponent("generators").path
    static let names: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: library)) ?? []).sorted().filter {
        FileManager.default.fileExists(atPath: "\(library)/\($0)/generator.yml")
    }

    /// The one-line description in a generator's about.yml ("" when it has none).
    static func description(_ name: String) throws -> String {
        try YAML.load(path: "\(library)/\(name)/about.yml")["description"]?.scalarText ?? ""
    }

    static func sh(_ script: String) throws -> (status: Int32, out: Data, err: String) {
        let o = try ToolProcess.run(URL(fileURLWithPath: "/bin/bash"), ["-c", "set -o pipefail; " + script])
        return (o.status, o.stdout, String(decoding: o.stderr, as: UTF8.self))
    }

    @Test func libraryIsListedAndFoundByName() throws {
        #expect(Self.names.count >= 1)
        let list = try Self.sh("eg-sample --generators")
        #expect(list.status == 0, "\(list.err)")
        let text = String(decoding: list.out, as: UTF8.self)
        for name in Self.names {
            let description = try Self.description(name)
            #expect(!description.isEmpty && !description.contains("\n"), "\(name): about.yml needs a one-line description")
            #expect(text.contains("\(name)") && text.contains(description), "\(name) missing from --generators:\n\(text)")
            #expect(FileManager.default.fileExists(atPath: "\(Self.library)/\(name)/README.md"), "\(name) has no README.md")
        }
        let missing = try Self.sh("eg-sample no-such-generator")
        #expect(missing.status == 2)
        #expect(missing.err.contains("no generator of that name in") && missing.err.contains("generators"), "\(missing.err)")
        // EG_PATH comes first: a folder of its own generators shadows the library's.
        let dir = NSTemporaryDirectory() + "eg-lib-\(getpid())"
        try FileManager.default.createDirectory(atPath: "\(dir)/\(Self.names[0])/t", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "input: [{static: {count: 1}}]\nevent: {template: {mode: all, templates: [{a: {template: t/a.jinja}}]}}\noutput: [{stdout: {}}]\n"
            .write(toFile: "\(dir)/\(Self.names[0])/generator.yml", atomically: true, encoding: .utf8)
        try "shadow".write(toFile: "\(dir)/\(Self.names[0])/t/a.jinja", atomically: true, encoding: .utf8)
        let shadow = try Self.sh("EG_PATH=\(dir) eg-sample \(Self.names[0]) | eg-rate | eg-tokenize")
        #expect(shadow.status == 0 && String(decoding: shadow.out, as: UTF8.self).contains("\"_raw\":\"shadow\""), "\(shadow.err)")
        let typo = try Self.sh("eg-sample \(Self.names[0]) --param no_such_param=1")
        #expect(typo.status == 2 && typo.err.contains("--param no_such_param"), "\(typo.err)")
    }
}
