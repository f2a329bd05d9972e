import Testing
@testable import Core

/// Thousands of mutated templates: each either compiles or fails with a located TemplateError;
/// none traps or hangs. Those without loops over ranges or repetition are rendered too.
@Suite struct TemplateFuzzTests {
    static let seeds: [String] = expectedCases.map(\.template) + textFilterCases.map(\.template) + textFilterErrors.map(\.template)
        + integerCases.map(\.template) + integerErrors.map(\.template)
        + recursionCases.map(\.template) + recursionErrors.map(\.template)
        + TemplateTests.files.values.sorted()
        + TemplateStructureTests.files.values.sorted() + TemplateBlockTests.cases.flatMap { $0.files.values.sorted() } + [
        "{% macro m(a, b=2) %}{{ a ~ b }}{{ caller() if caller is defined }}{% endmacro %}{% call m(1) %}x{% endcall %}",
        "{% set d = {'a': [1, 2, {'b': none}]} %}{{ d.a[2].b | default('z') }}{{ d | tojson }}",
        "{%- for k, v in x.items() if v -%}{{ k }}{{ loop.last }}{%- else -%}none{%- endfor -%}",
        "{% raw %}{{ {% %} }}{% endraw %}{# c #}{{ '%05.1f' % 3.14159 }}{{ '{:>6}'.format('a') }}",
        "{% for n in x.b recursive %}{{ loop.depth }}{% if n is iterable %}({{ loop(n) }}){% endif %}{{ loop.revindex0 }}{% endfor %}",
        "{% extends 'mid.j2' %}{% block b %}{{ super() }}{% filter upper | replace('B', 'c') %}{{ super() }}{% endfilter %}{% endblock %}",
        "{% set t = ['nope.j2', 'q.j2'] %}{% include t ignore missing with context %}{% include 'ro' ~ 'w.j2' without context %}",
        "{% macro m(a) %}{{ varargs | length }}{{ kwargs | tojson }}{{ caller(a) if caller }}{% endmacro %}{% call(v) m(1, 2, k=3) %}{{ v }}{% endcall %}{% set s | trim | upper %} x {% endset %}",
    ]
    /// The parent templates of the block cases ("b", "m", "p"), for mutated children to extend.
    static let blockFiles: [String: String] = TemplateBlockTests.cases.reduce(into: [:]) { d, c in
        for (k, v) in c.files where k != "t" && d[k] == nil { d[k] = v }
    }
    static let alphabet = Array("{}%#-+|.()[]'\",=:~*/<>!0123456789 \nabcxyzifnotandorinis\\NuU".utf8)

    static func mutate(_ s: [UInt8], _ rng: inout SeededRandom) -> [UInt8] {
        var b = s
        for _ in 0...Int(rng.below(4)) {
            switch rng.below(5) {
            case 0 where !b.isEmpty: b.remove(at: rng.index(b.count))
            case 1: b.insert(alphabet[rng.index(alphabet.count)], at: b.isEmpty ? 0 : rng.index(b.count + 1))
            case 2 where b.count > 2:
                let i = rng.index(b.count), j = min(b.count, i + 1 + rng.index(8))
                b.insert(contentsOf: b[i..<j], at: rng.index(b.count + 1))
            case 3 where b.count > 2:
                let i = rng.index(b.count), j = min(b.count, i + 1 + rng.index(12))
                b.removeSubrange(i..<j)
            default:
                if !b.isEmpty { b[rng.index(b.count)] = UInt8(truncatingIfNeeded: rng.next()) }
            }
        }
        return b
    }

    @Test func mutatedTemplatesCompileOrFailWithALocation() throws {
        var rng = SeededRandom(seed: 2024)
        var compiled = 0, failed = 0
        let context: [String: Value] = ["x": .dict([("a", .int(1)), ("b", .list([.int(2)]))]), "items": .list([.string("s")])]
        for n in 0..<6000 {
            let seed = Array(Self.seeds[n % Self.seeds.count].utf8)
            let text = Self.mutate(seed, &rng)
            let env = TemplateEnvironment { name in (TemplateTests.files[name] ?? TemplateStructureTests.files[name] ?? Self.blockFiles[name]).map { Array($0.utf8) } }
            do {
                let t = try env.compile(text, name: "fuzz")
                compiled += 1
                let s = String(decoding: text, as: UTF8.self)
                if !s.contains("range") && !s.contains("*") && !s.contains("batch") && !s.contains("slice") && !s.contains("center") && !s.contains("just") {
                    let state = RenderState(environment: env, rng: SeededRandom(seed: UInt64(n)))
                    do { _ = try state.render(t, context: context) } catch let e as TemplateError {
                        #expect(e.position.line > 0 || !e.file.isEmpty)
                    }
                }
            } catch let e as TemplateError {
                failed += 1
                #expect(e.position.line > 0 || e.file != "fuzz", "unlocated: \(e) for \(String(decoding: text, as: UTF8.self))")
            }
        }
        #expect(compiled > 500)
        #expect(failed > 500)
    }
}

/// Each integer argument and operand at the edges of `Int` and beyond: every template renders
/// or fails with a located TemplateError, none traps or runs away.
@Suite struct TemplateExtremeIntegerTests {
    static let values = ["9223372036854775807", "(-9223372036854775807 - 1)", "-1", "0", "1", "3",
                         "18446744073709551616", "(-18446744073709551616)", "100000000000000000000000000000"]
    static let templates = [
        "{{ 'ab' * N }}", "{{ [1] * N }}", "{{ 'x' | center(N) }}", "{{ 'x'.ljust(N) }}", "{{ 'x'.rjust(N, '.') }}",
        "{{ 'x'.zfill(N) }}", "{{ 'x'.center(N) }}", "{{ 'a\\nb' | indent(N) }}", "{{ 'abcdefgh' | truncate(N) }}",
        "{{ 'abcdefgh' | truncate(5, leeway=N) }}", "{{ [1,2] | slice(N) | list }}", "{{ [1,2] | batch(N) | list }}",
        "{{ range(N) | length }}", "{{ range(-N, N) | length }}", "{{ range(0, N, N) | list }}", "{{ range(N, 0, -1) | first }}",
        "{{ N in range(-N, N, 7) }}", "{{ range(N) | random }}", "{{ range(N)[-1] }}", "{{ [1,2,3][N] }}", "{{ [1,2,3][N:] }}",
        "{{ [1,2,3][::N] }}", "{{ 'abc'[N:N] }}", "{{ 'abc'[N] }}", "{{ N + N }}", "{{ N - N - N }}", "{{ N * N }}",
        "{{ N ** 2 }}", "{{ 2 ** N }}", "{{ N ** N }}", "{{ N // -1 }}", "{{ N % -1 }}", "{{ N // 7 }}", "{{ N % 7 }}",
        "{{ N / 3 }}", "{{ -N }}", "{{ N | abs }}", "{{ N | round }}", "{{ 1.5 | round(N) }}", "{{ 1.5 | round(N, 'floor') }}",
        "{{ '{:c}'.format(N) }}", "{{ '%c' % N }}", "{{ '%d|%x|%o|%s|%r|%e' % (N, N, N, N, N, N) }}",
        "{{ '{:,}|{:x}|{:b}|{:>5}|{:e}'.format(N, N, N, N, N) }}", "{{ 'a,b'.split(',', N) }}", "{{ 'a b'.rsplit(none, N) }}",
        "{{ 'aa'.replace('a', 'b', N) }}", "{% set l = [1, 2] %}{{ l.pop(N) }}", "{% set l = [1] %}{% do l.insert(N, 2) %}{{ l }}",
        "{{ N | filesizeformat }}", "{{ 'abc def' | wordwrap(N) }}", "{{ 'http://a.com/x' | urlize(N) }}", "{{ N | pprint }}",
        "{{ [N, 1] | tojson }}", "{{ N | string }}", "{{ N | int }}", "{{ N | float }}", "{{ [N, 1, -N] | sort }}",
        "{{ [N, N] | sum }}", "{{ {N: 1}[N] }}", "{{ 'x' ~ N }}", "{{ N == N + 0 }}{{ N < N + 1 }}{{ N > 1.5 }}",
        "{{ [N] | unique | list }}", "{{ N is divisibleby 3 }}{{ N is odd }}", "{{ [1, 2] | batch(3, N) | list }}",
        "{{ (N, N) | max }}", "{{ 'abc'.count('b', N) }}", "{{ (N | string)[:5] }}", "{{ 'x' * N * 0 }}",
    ]

    @Test func extremeIntegersRenderOrFailWithALocation() {
        var rendered = 0, failed = 0
        for t in Self.templates {
            for v in Self.values {
                let text = t.replacingOccurrences(of: "N", with: v)
                do {
                    _ = try TemplateExpectedTextTests.render(text, "{}")
                    rendered += 1
                } catch let e as TemplateError {
                    failed += 1
                    #expect(e.position.line > 0, "unlocated: \(e) for \(text)")
                } catch {
                    Issue.record("\(text): \(error)")
                }
            }
        }
        #expect(rendered > 300)
        #expect(failed > 50)
    }
}
