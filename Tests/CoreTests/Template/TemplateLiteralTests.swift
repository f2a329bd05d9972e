import Testing
@testable import Core

/// Literals Jinja2 rejects (bad escapes) are syntax errors naming file, line and column. Jinja2
/// 3.1.6 rejects each of these with the message quoted at the start of ours.
@Suite struct TemplateLiteralTests {
    static func compileError(_ text: String) -> String {
        let env = TemplateEnvironment { _ in nil }
        do {
            _ = try env.compile(text, name: "lit.j2")
            return "compiled"
        } catch {
            return "\(error)"
        }
    }

    @Test(arguments: [
        (#"{{ '\x4' }}"#, #"lit.j2:1:5: truncated \xXX escape: '\x' takes 2 hex digits"#),
        (#"{{ '\x4g' }}"#, #"lit.j2:1:5: truncated \xXX escape: '\x' takes 2 hex digits"#),
        (#"{{ '\u12' }}"#, #"lit.j2:1:5: truncated \uXXXX escape: '\u' takes 4 hex digits"#),
        (#"{{ 'ab\U0000004' }}"#, #"lit.j2:1:7: truncated \UXXXXXXXX escape: '\U' takes 8 hex digits"#),
        (#"{{ '\U00110000' }}"#, #"lit.j2:1:5: illegal Unicode character \U110000 (the largest is \U0010FFFF)"#),
        (#"{{ '\N{NOPE}' }}"#, #"lit.j2:1:5: unknown Unicode character name 'NOPE' in \N{...}"#),
        (#"{{ '\N{LATIN' }}"#, #"lit.j2:1:5: malformed \N character escape: expected \N{NAME}"#),
        (#"{{ '\Nx' }}"#, #"lit.j2:1:5: malformed \N character escape: expected \N{NAME}"#),
        (#"{{ '\N{}' }}"#, #"lit.j2:1:5: malformed \N character escape: expected \N{NAME}"#),
        (#"{{ "\N{LATIN SMALL LETTER A'}" }}"#, #"lit.j2:1:5: unknown Unicode character name 'LATIN SMALL LETTER A'' in \N{...}"#),
        (#"{{ '\N{cjk unified ideograph-4e00}' }}"#, #"lit.j2:1:5: unknown Unicode character name 'cjk unified ideograph-4e00' in \N{...}"#),
        (#"{{ '\N{HANGUL SYLLABLE gA}' }}"#, #"lit.j2:1:5: unknown Unicode character name 'HANGUL SYLLABLE gA' in \N{...}"#),
        (#"{{ '\N{latin_small_letter_a}' }}"#, #"lit.j2:1:5: unknown Unicode character name 'latin_small_letter_a' in \N{...}"#),
        ("a\n  {{ \"b\\x\" }}", #"lit.j2:2:8: truncated \xXX escape: '\x' takes 2 hex digits"#),
        // Jinja2 accepts a lone surrogate, which no UTF-8 output can hold: rejected here.
        (#"{{ '\ud800' }}"#, #"lit.j2:1:5: \ud800 is a surrogate half, not a character a template can hold"#),
    ])
    func badEscapesAreLocatedSyntaxErrors(_ text: String, _ message: String) {
        #expect(Self.compileError(text) == message)
    }
}
