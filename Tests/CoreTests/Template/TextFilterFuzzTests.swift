import Testing
@testable import Core

/// Random text through the filters that follow Python's libraries (wordwrap, urlize, pprint,
/// xmlattr, filesizeformat) with random widths: each renders or fails with a located error, and
/// wordwrap keeps every line within its width.
@Suite struct TextFilterFuzzTests {
    static let pieces = ["a", "bb", "Cd", "-", "--", " ", "  ", "\t", "\n", "\r\n", "\u{0B}", ".", ",", "!", "(", ")", "<", ">",
                         "&", "@", ":", "/", "?", "#", "[", "]", "%", "_", "é", "一", "😀", "\u{A0}", "\u{2028}", "\u{301}",
                         "http://", "https://", "www.", "mailto:", "x.com", "a.org", "1.2.3.4", "::1", "&gt;", "&lt;", "xn--ab",
                         "'", "\"", "=", "9", "1e3", "ab-cd", "x@y.z"]
    static let templates = [
        "{{ s | wordwrap(w) }}", "{{ s | wordwrap(w, false, '|', false) }}", "{{ s | wordwrap(w, true, none, 1) }}",
        "{{ s | urlize }}", "{{ s | urlize(w, true, 't', 'r s', ['x:', 'ab-c:', 'mailto:']) }}", "{{ s | pprint }}",
        "{{ [s, {s: [s, w, (s,)]}, s.encode()] | pprint }}", "{{ {s: s, 'k': w} | xmlattr }}", "{{ w | filesizeformat }}",
        "{{ s | filesizeformat(true) }}", "{{ (w ** 40) | filesizeformat }}",
    ]

    @Test func randomTextRendersOrFailsWithALocation() throws {
        var rng = SeededRandom(seed: 99)
        let env = TemplateEnvironment { _ in nil }
        let compiled = try Self.templates.map { try env.compile($0) }
        var rendered = 0
        for n in 0..<2000 {
            var s = ""
            for _ in 0..<rng.index(30) { s += Self.pieces[rng.index(Self.pieces.count)] }
            let w = 1 + rng.index(30)
            for (k, t) in compiled.enumerated() {
                let state = RenderState(environment: env, rng: SeededRandom(seed: UInt64(n)))
                do {
                    let out = try state.render(t, context: ["s": .string(s), "w": .int(w)])
                    rendered += 1
                    if k == 0 {
                        for line in out.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false) {
                            #expect(line.count <= w, "\(s.debugDescription) | wordwrap(\(w)) gave \(out.debugDescription)")
                        }
                    }
                } catch let e as TemplateError {
                    #expect(e.position.line > 0, "unlocated: \(e) for \(Self.templates[k]) with \(s.debugDescription)")
                }
            }
        }
        #expect(rendered > 15_000)
    }
}
