import Testing
@testable import Core

/// Each class of YAML error names the file, line and column and says what was expected.
@Suite struct YAMLErrorTests {
    static func error(_ text: String) -> YAMLError? {
        do { _ = try YAML.parse(text, file: "bad.yml"); return nil } catch { return error }
    }

    @Test(arguments: [
        ("a: 'open\nb: 1\n", "bad.yml:1:4", "unterminated single-quoted"),
        ("a: \"open\n", "bad.yml:1:4", "unterminated double-quoted"),
        ("a:\n  b: 1\n c: 2\n", "bad.yml:3:2", "bad indentation"),
        ("a:\n\tb: 1\n", "bad.yml:2:2", "tab character"),
        ("a: *nope\n", "bad.yml:1:4", "unknown alias *nope"),
        ("a: \"\\q\"\n", "bad.yml:1:5", "unknown escape \\q"),
        ("a: \"\\u12\"\n", "bad.yml:1:5", "needs 4 hex digits"),
        ("a: [1, 2\n", "bad.yml:1:4", "unterminated flow sequence"),
        ("a: {x: 1\n", "bad.yml:1:4", "unterminated flow mapping"),
        ("a: [1, 2}\n", "bad.yml:1:9", "expected ',' or ']'"),
        ("a: b: c\n", "bad.yml:1:5", "unexpected text after the value"),
        ("a: - b\n", "bad.yml:1:4", "block sequence cannot start"),
        ("a: !!int x\n", "bad.yml:1:4", "!!int needs an integer"),
        ("a: 1\nb\n", "bad.yml:2:1", "expected a key"),
        ("a: |0\n  x\n", "bad.yml:1:5", "indentation indicator"),
        ("a:\n  <<: 5\n", "bad.yml:2:7", "'<<' merges a mapping"),
        ("a: @x\n", "bad.yml:1:4", "cannot start with it"),
        ("a: 1\u{01}\n", "bad.yml:1:5", "control character"),
        ("a: &x\n  b: *x\n", "bad.yml:2:6", "unknown alias"),
        ("- a\n  - b\nc: 1\n", "bad.yml:3:1", "unexpected content"),
        ("a: 1\n---\nb: 2\n", "bad.yml:3:1", "expected one YAML document"),
        ("%YAML 2.0\n---\na\n", "bad.yml:1:10", "unsupported YAML version"),
        ("a: \"x\"y\n", "bad.yml:1:7", "unexpected text after the value"),
    ])
    func errorIsLocated(_ text: String, _ location: String, _ message: String) {
        guard let e = Self.error(text) else { Issue.record("no error for \(text.debugDescription)"); return }
        #expect(e.mark.description == location, "\(text.debugDescription): \(e)")
        #expect(e.message.contains(message), "\(text.debugDescription): \(e)")
        #expect(e.egError.description == "\(location): \(e.message)")
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let deep = String(repeating: "[", count: 5000)
        #expect(Self.error(deep)?.message.contains("nesting deeper") == true)
        let deepBlock = (0..<600).map { String(repeating: " ", count: $0) + "k:" }.joined(separator: "\n")
        #expect(Self.error(deepBlock)?.message.contains("nesting deeper") == true)
    }

    @Test func missingFileIsAConfigError() {
        #expect(throws: EgError.self) { try YAML.load(path: "/nonexistent/generator.yml") }
    }
}
