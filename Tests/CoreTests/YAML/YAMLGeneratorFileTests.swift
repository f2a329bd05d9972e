import Foundation
import Testing
@testable import Core

/// The real Eventum generator.yml files under ../shared (read at run time, never copied) parse, and a
/// few parse exactly as PyYAML's `yaml.safe_load` does: the FNV-1a 64 hash and length of
/// `json.dumps(doc, separators=(',', ':'), ensure_ascii=False)`, computed once with PyYAML 6.0.3.
@Suite struct YAMLGeneratorFileTests {
    static let generators = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/eventum/generators")

    static func fnv1a(_ bytes: [UInt8]) -> UInt64 {
        var h: UInt64 = 0xcbf29ce484222325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        return h
    }

    static func parsed(_ name: String) throws -> YAMLNode {
        try YAML.load(path: generators.appendingPathComponent("\(name)/generator.yml").path)
    }

    @Test func everyGeneratorFileParses() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.generators.path).sorted()
        var count = 0
        for name in names {
            let path = Self.generators.appendingPathComponent("\(name)/generator.yml").path
            guard FileManager.default.fileExists(atPath: path) else { continue }
            let doc = try YAML.load(path: path)
            #expect(doc["input"]?.items?.count ?? 0 >= 1, "\(name): input")
            #expect(doc["event"]?["template"]?["mode"]?.string == "chance", "\(name): mode")
            #expect((doc["event"]?["template"]?["templates"]?.items?.count ?? 0) >= 4, "\(name): templates")
            #expect(doc["output"]?.items?.count == 1, "\(name): output")
            count += 1
        }
        #expect(count == 20)
    }

    @Test(arguments: [
        ("cloud-aws-cloudtrail", 0x16cc7a5d664f8533 as UInt64, 2924, 22),
        ("identity-okta", 0xb9e852913c887fc8, 2528, 18),
        ("windows-security", 0x4475f0d7d2af9fb6, 1678, 12),
        ("windows-sysmon", 0xcb6debcb6c57c879, 2302, 15),
        ("network-dns", 0xdd8496d0573de890, 1256, 10),
    ])
    func matchesPyYAML(_ name: String, hash: UInt64, length: Int, templates: Int) throws {
        let doc = try Self.parsed(name)
        var out: [UInt8] = []
        JSONWriter.append(doc.json, to: &out)
        #expect(out.count == length, "\(name)")
        #expect(Self.fnv1a(out) == hash, "\(name)")
        #expect(doc["event"]?["template"]?["templates"]?.items?.count == templates)
    }
}
