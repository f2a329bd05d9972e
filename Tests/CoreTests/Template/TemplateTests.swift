import Testing
@testable import Core

/// The engine's constructs one by one: includes, imports, inheritance, line statements, errors,
/// custom tags, datetimes and seeded randomness.
@Suite struct TemplateTests {
    static let files: [String: String] = [
        "base.html": "<{% block title %}Default{% endblock %}>[{% block body %}B{% endblock %}]{{ who }}",
        "child.html": "{% extends 'base.html' %}{% set who = 'kid' %}{% block title %}Child {{ who }}{% endblock %}ignored",
        "macros.j2": "{% set CONST = 'c' ~ (x | default('-')) %}{% macro hi(n) %}hi {{ n }} {{ g }} {{ x | default('nox') }}{% endmacro %}{% macro twice(v) %}{{ v }}{{ v }}{% endmacro %}",
        "use_import.j2": "{% set x = 'X' %}{% import 'macros.j2' as m %}{{ m.hi('a') }}|{{ m.CONST }}|{% from 'macros.j2' import twice, hi as hello %}{{ twice('t') }}|{{ hello('b') }}",
        "use_import_ctx.j2": "{% set x = 'X' %}{% import 'macros.j2' as m with context %}{{ m.hi('a') }}|{{ m.CONST }}",
        "part.j2": "part({{ x }},{{ y | default('noy') }})",
        "use_include.j2": "{% set x = 1 %}{% include 'part.j2' %}{% for y in [2] %}{% include 'part.j2' %}{% endfor %}{% include 'part.j2' without context %}",
        "lines.j2": "# for i in range(2)\nrow {{ i }} ## a comment\n# endfor\ndone ## tail\n",
        "bad.j2": "line one\n{% for x in items }}\n{{ x }}{% endfor %}",
        "self.j2": "{% include 'self.j2' %}",
        "missing.j2": "a\n  {% include 'nope.j2' %}",
    ]

    static func environment(_ syntax: TemplateSyntax = TemplateSyntax()) -> TemplateEnvironment {
        let env = TemplateEnvironment(syntax: syntax) { name in files[name].map { Array($0.utf8) } }
        env.globals["g"] = .string("G")
        return env
    }

    static func render(_ name: String, _ env: TemplateEnvironment = environment(), _ context: [String: Value] = [:]) throws -> String {
        let state = RenderState(environment: env, rng: SeededRandom(seed: 7))
        return try state.render(try env.template(named: name), context: context)
    }

    static func renderText(_ text: String, _ context: [String: Value] = [:], syntax: TemplateSyntax = TemplateSyntax(), seed: UInt64 = 7) throws -> String {
        let env = environment(syntax)
        let state = RenderState(environment: env, rng: SeededRandom(seed: seed))
        return try state.render(try env.compile(text), context: context)
    }

    @Test func extendsReplacesBlocksAndSeesTheChildsVariables() throws {
        #expect(try Self.render("child.html") == "<Child kid>[B]kid")
    }

    @Test func importWithoutContextSeesOnlyEnvironmentGlobals() throws {
        #expect(try Self.render("use_import.j2") == "hi a G nox|c-|tt|hi b G nox")
    }

    @Test func importWithContextSeesTheCallersVariables() throws {
        #expect(try Self.render("use_import_ctx.j2") == "hi a G X|cX")
    }

    @Test func includeSeesTheCurrentScopeUnlessWithoutContext() throws {
        #expect(try Self.render("use_include.j2") == "part(1,noy)part(1,2)part(,noy)")
    }

    @Test func lineStatementsAndLineComments() throws {
        let env = Self.environment(TemplateSyntax(lineStatementPrefix: "#", lineCommentPrefix: "##"))
        #expect(try Self.render("lines.j2", env) == "row 0\nrow 1\ndone")
    }

    @Test func trimAndLstripBlocks() throws {
        let out = try Self.renderText("<ul>\n  {% for i in [1,2] %}\n  <li>{{ i }}</li>\n  {% endfor %}\n</ul>\n",
                                      syntax: TemplateSyntax(trimBlocks: true, lstripBlocks: true))
        #expect(out == "<ul>\n  <li>1</li>\n  <li>2</li>\n</ul>")
    }

    @Test func datetimesFormatAndAddAsPython() throws {
        let d = Value.datetime(DateTimeValue(micros: 1_748_736_000_123_456, offset: 0))
        let d2 = Value.datetime(DateTimeValue(micros: 1_748_692_800_000_000, offset: 0))
        let td = Value.timedelta(86_400_000_000 + 3_661_000_005)
        let out = try Self.renderText("{{ d.isoformat() }}|{{ d.strftime('%Y-%m-%d %H:%M:%S.%f %b %a %e %z') }}|{{ d }}|{{ d.year }}{{ d.month }}|{{ d.timestamp() }}|{{ (d + td).isoformat() }}|{{ td }}|{{ d.replace(microsecond=0).isoformat() }}|{{ (d - d2) }}|{{ d2.isoformat() }}",
                                      ["d": d, "td": td, "d2": d2])
        #expect(out == "2025-06-01T00:00:00.123456+00:00|2025-06-01 00:00:00.123456 Jun Sun  1 +0000|2025-06-01 00:00:00.123456+00:00|20256|1748736000.123456|2025-06-02T01:01:01.123461+00:00|1 day, 1:01:01.000005|2025-06-01T00:00:00+00:00|12:00:00.123456|2025-05-31T12:00:00+00:00")
    }

    @Test func naiveDatetimesPrintNoZone() throws {
        let d = Value.datetime(DateTimeValue(micros: 0, offset: nil))
        #expect(try Self.renderText("{{ d }}|{{ d.strftime('%H:%M%z%Z') }}|{{ d.isoformat() }}", ["d": d]) == "1970-01-01 00:00:00|00:00|1970-01-01T00:00:00")
    }

    @Test func syntaxErrorsNameFileLineAndColumn() {
        #expect(throws: TemplateError.self) { try Self.environment().template(named: "bad.j2") }
        do { _ = try Self.environment().template(named: "bad.j2") } catch let e as TemplateError {
            #expect(e.description == "bad.j2:2:19: expected '%}' after the for loop, found '}}'")
        } catch { Issue.record("unexpected \(error)") }
    }

    @Test func otherSyntaxErrors() {
        let cases: [(String, String)] = [
            ("{{ 1 + }}", "<string>:1:8: expected an expression, found '}}'"),
            ("{% if x %}a", "<string>:1:12: unexpected end of template: expected 'elif' or 'else' or 'endif'"),
            ("{{ x | nosuch }}", "<string>:1:6: no filter named 'nosuch'"),
            ("{% frobnicate %}", "<string>:1:4: unknown statement 'frobnicate'"),
            ("{{ 'abc }}", "<string>:1:4: unterminated string: expected a closing \"'\""),
            ("{% break %}", "<string>:1:4: 'break' outside a for loop"),
            ("{# never closed", "<string>:1:1: unterminated comment: expected '#}'"),
            ("{{ x is nosuch }}", "<string>:1:6: no test named 'nosuch'"),
        ]
        for (text, message) in cases {
            do {
                _ = try Self.environment().compile(text)
                Issue.record("compiled: \(text)")
            } catch let e as TemplateError {
                #expect(e.description == message, "\(text)")
            } catch { Issue.record("unexpected \(error)") }
        }
    }

    @Test func missingAndRecursiveIncludesAreLocatedErrors() {
        do { _ = try Self.environment().template(named: "missing.j2"); Issue.record("compiled") } catch let e as TemplateError {
            #expect(e.description == "missing.j2:2:6: template 'nope.j2' not found")
        } catch { Issue.record("unexpected \(error)") }
        do { _ = try Self.environment().template(named: "self.j2"); Issue.record("compiled") } catch let e as TemplateError {
            #expect(e.message.contains("includes or imports itself"))
        } catch { Issue.record("unexpected \(error)") }
    }

    @Test func runtimeErrorsNameTheirPlace() {
        let cases: [(String, String)] = [
            ("a\n{{ 1 // 0 }}", "<string>:2:6: integer division or modulo by zero"),
            ("{{ 1 / 0 }}", "<string>:1:6: division by zero"),
            ("{{ 'x'.nosuch() }}", "<string>:1:7: 'str' object has no attribute 'nosuch'"),
            ("{{ missing.attr }}", "<string>:1:11: 'missing' is undefined"),
            ("{{ 1 + 'a' }}", "<string>:1:6: unsupported operand type(s) for +: 'int' and 'str'"),
            ("{{ [] | random }}", "<string>:1:7: random: Cannot choose from an empty sequence"),
            ("{% set a, b = [1] %}", "<string>:1:8: not enough values to unpack (expected 2, got 1)"),
            ("{{ 1 < 'a' }}", "<string>:1:4: '<' not supported between instances of 'int' and 'str'"),
            ("{{ nothing() }}", "<string>:1:11: 'nothing' is undefined"),
            ("{{ '%d' % 'x' }}", "<string>:1:9: %d format: a real number is required, not str ('x')"),
        ]
        for (text, message) in cases {
            do {
                _ = try Self.renderText(text)
                Issue.record("rendered: \(text)")
            } catch let e as TemplateError {
                #expect(e.description == message, "\(text)")
            } catch { Issue.record("unexpected \(error)") }
        }
    }

    @Test func customTagsSetVariables() throws {
        let env = Self.environment()
        env.addTag(CustomTag(name: "stamp", outputs: ["stamp_a", "stamp_b"]) { args, _ in
            [.int(try args.int(0, "n", "stamp") * 2), .string(args.keyword("label")?.text ?? "none")]
        })
        let state = RenderState(environment: env, rng: SeededRandom(seed: 1))
        let t = try env.compile("{% for i in [1, 2] %}{% stamp i, label='L' ~ i %}{{ stamp_a }}{{ stamp_b }} {% endfor %}[{{ stamp_a }}]")
        #expect(try state.render(t) == "2L1 4L2 []")
    }

    @Test func randomDrawsComeFromTheSeed() throws {
        let text = "{% for i in range(20) %}{{ [1,2,3,4,5,6,7,8,9] | random }}{{ range(100) | random }},{% endfor %}"
        let a = try Self.renderText(text, seed: 42)
        let b = try Self.renderText(text, seed: 42)
        let c = try Self.renderText(text, seed: 43)
        #expect(a == b)
        #expect(a != c)
        #expect(a.split(separator: ",").count == 20)
    }

    @Test func modulesAreEvaluatedOnceUntilReset() throws {
        let env = TemplateEnvironment { name in
            name == "m.j2" ? Array("{% set R = range(1000000) | random %}".utf8) : nil
        }
        let t = try env.compile("{% import 'm.j2' as m %}{{ m.R }}")
        let state = RenderState(environment: env, rng: SeededRandom(seed: 3))
        let first = try state.render(t)
        #expect(try state.render(t) == first)
        env.resetModules()
        #expect(try state.render(t) != first)
    }

    @Test func literalsAreFreshValuesEachTime() throws {
        let out = try Self.renderText("{% for i in range(3) %}{% set l = [] %}{% do l.append(i) %}{{ l }}{% set d = {} | default({}) %}{% do d.update({'k': i}) %}{{ d }}{% endfor %}{{ [1, 2] | list }}{{ 2 in [1, 2] }}{{ {'a': 1}['a'] }}")
        #expect(out == "[0]{'k': 0}[1]{'k': 1}[2]{'k': 2}[1, 2]True1")
        let loops = try Self.renderText("{% for i in range(1, 4) %}{{ loop.previtem }}{{ i }}{{ loop.nextitem }}{{ loop.length }},{% else %}none{% endfor %}{% for i in range(0) %}x{% else %}none{% endfor %}")
        #expect(loops == "123,1233,233,none")
    }

    @Test func macroRecursionIsBoundedNotACrash() {
        #expect(throws: TemplateError.self) {
            _ = try Self.renderText("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}")
        }
    }

    @Test func objectsFromOutsideAreReachable() throws {
        final class Counter: TemplateObject {
            var n = 0
            var typeName: String { "Counter" }
            func attribute(_ name: String) -> Value? { name == "value" ? .int(n) : nil }
            func callMethod(_ name: String, _ args: inout CallArguments, _ state: RenderState) throws -> Value? {
                guard name == "bump" else { return nil }
                n += try args.int(0, "by", "bump", default: 1)
                return .int(n)
            }
        }
        let c = Counter()
        #expect(try Self.renderText("{{ c.bump() }}{{ c.bump(by=5) }}{{ c.value }}{{ c.nothing }}", ["c": .object(c)]) == "166")
    }
}
