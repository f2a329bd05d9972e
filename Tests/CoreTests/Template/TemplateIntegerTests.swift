import Testing
@testable import Core

/// Integers at and past the ends of `Int`, as arguments and in arithmetic: Python's results
/// (produced by Jinja2 3.1.6), or a located error, never a trap.
@Suite struct TemplateIntegerTests {
    @Test(arguments: integerCases.map { [$0.name, $0.template, $0.context, $0.expected] })
    func matchesJinja(_ c: [String]) throws {
        let got = try TemplateExpectedTextTests.render(c[1], c[2])
        #expect(got == c[3], "case \(c[0])")
    }

    @Test(arguments: integerErrors.map { [$0.template, $0.message] })
    func failsWithALocatedError(_ c: [String]) {
        do {
            let got = try TemplateExpectedTextTests.render(c[0], "{}")
            Issue.record("\(c[0]) rendered \(got.debugDescription)")
        } catch let e as TemplateError {
            #expect(e.position.line == 1, "\(c[0])")
            #expect(e.message.hasSuffix(c[1]), "\(c[0]): \(e.message)")
        } catch {
            Issue.record("\(c[0]): \(error)")
        }
    }
}

/// Where Python raises (the message is Python's, or ends with it) or the engine stops at a limit.
let integerErrors: [(template: String, message: String)] = [
    ("{{ 'abc' | truncate(2) }}", "expected length >= 3, got 2"),
    ("{{ 'abc' | truncate(5, leeway=-1) }}", "expected leeway >= 0, got -1"),
    ("{{ 'abc' | truncate(-9223372036854775807 - 1) }}", "expected length >= 3, got -9223372036854775808"),
    ("{{ '{:c}'.format(-1) }}", "%c arg not in range(0x110000)"),
    ("{{ range(-9223372036854775807, 9223372036854775807) | length }}", "the range has more than 9223372036854775807 items)"),
    ("{{ 'ab' * 9223372036854775807 }}", "string repetition too large (over 100000000 bytes)"),
    ("{{ [1] * 9223372036854775807 }}", "list repetition too large"),
    ("{{ 'x' | center(9223372036854775807) }}", "string repetition too large (over 100000000 bytes)"),
    ("{{ 'x'.center(9223372036854775807) }}", "string repetition too large (over 100000000 bytes)"),
    ("{{ 'x'.ljust(9223372036854775807) }}", "string repetition too large (over 100000000 bytes)"),
    ("{{ 'x'.rjust(9223372036854775807) }}", "string repetition too large (over 100000000 bytes)"),
    ("{{ 'x'.zfill(9223372036854775807) }}", "string repetition too large (over 100000000 bytes)"),
    ("{{ 'a\\nb' | indent(9223372036854775807) }}", "string repetition too large (over 100000000 bytes)"),
    ("{{ [1,2] | slice(9223372036854775807) | list }}", "slices are too many to build (the limit is 10,000,000)"),
]

// Expected outputs produced with Python Jinja2 3.1.6 for these templates.
let integerCases: [(name: String, template: String, context: String, expected: String)] = [
    ("int_args", "{{ 'abcdefghijklmnop' | truncate(9223372036854775807, leeway=9223372036854775807) }}|{{ 'a,b,c'.split(',', 9223372036854775807) }}|{{ 'a,b,c'.rsplit(',', 9223372036854775807) }}|{{ 'a,b,c'.split(',', 1) }}|{{ 'a,b,c'.rsplit(',', 1) }}|{{ 'a\\nb' | indent(-1) }}|{{ 'a\\nb' | indent(2, true) }}|{{ 1.5 | round(-9223372036854775807 - 1) }}|{{ -1.5 | round(-400) }}|{{ 1234.5 | round(-2) }}|{{ 'x'.ljust(3, '.') }}|{{ 'x' | center(4) }}|{{ 'x'.zfill(-9223372036854775807) }}|{{ 'ab' * -9223372036854775807 }}|{{ [1] * -9223372036854775807 }}|{{ [1,2,3][::9223372036854775807] }}|{{ [1,2,3][::-9223372036854775807] }}|{{ [1,2,3][9223372036854775807:] }}", "{}", "abcdefghijklmnop|['a', 'b', 'c']|['a', 'b', 'c']|['a', 'b,c']|['a,b', 'c']|a\nb|  a\n  b|0.0|-0.0|1200.0|x..| x  |x||[]|[1]|[3]|[]"),
    ("int_ranges", "{{ 3 in range(-9223372036854775807, 9223372036854775807, 7) }}|{{ -9223372036854775800 in range(-9223372036854775807, 9223372036854775807, 7) }}|{{ range(-9223372036854775807, 9223372036854775807, 9223372036854775807) | list }}|{{ range(0, -9223372036854775807 - 1, -9223372036854775807 - 1) | list }}|{{ range(9223372036854775806, 9223372036854775807) | list }}|{{ -9223372036854775807 in range(-9223372036854775807, 0, -1) }}|{{ 5 in range(10, 0, -5) }}|{{ range(-9223372036854775807 - 1, 9223372036854775807, 4611686018427387904) | list }}|{{ range(-9223372036854775807, 9223372036854775807, 4611686018427387904) | length }}|{{ range(9223372036854775807, -9223372036854775807, -3074457345618258602) | list }}", "{}", "False|True|[-9223372036854775807, 0]|[0]|[9223372036854775806]|False|True|[-9223372036854775808, -4611686018427387904, 0, 4611686018427387904]|4|[9223372036854775807, 6148914691236517205, 3074457345618258603, 1, -3074457345618258601, -6148914691236517203, -9223372036854775805]"),
]
