import Testing
@testable import Core

/// Inheritance over several levels with `super()`, and includes whose name is known only when
/// they run. Expected text as Python's Jinja2 3.1.6 renders these files.
@Suite struct TemplateStructureTests {
    static let files: [String: String] = [
        "base.j2": "{% set v = 'bv' %}<{% block a %}A{{ v }}{% endblock %}|{% block b %}B{% endblock %}>",
        "mid.j2": "{% extends 'base.j2' %}{% block a %}m{{ super() }}{% endblock %}",
        "leaf.j2": "{% extends 'mid.j2' %}{% set w = 'lw' %}{% block b %}{{ w }}{{ super() }}{{ super() }}{% endblock %}{% block a %}L{{ super() }}{% endblock %}",
        "leaf_set.j2": "{% extends 'mid.j2' %}{% block a %}{% set q = super() %}{{ q | upper }}{% endblock %}",
        "top_super.j2": "{% block a %}\n  {{ super() }}{% endblock %}",
        "row.j2": "[{{ item }}{{ n | default('-') }}{{ outer | default('?') }}]",
        "q.j2": "Q{{ zz | default('noz') }}{{ g }}",
        "dyn.j2": "{% for item in ['x', 'y'] %}{% set n = loop.index %}{% include 'ro' ~ 'w.j2' %}{% endfor %}{% set name = 'q.j2' %}{% set zz = 5 %}{% include name %}{% include name without context %}{% include [missing_name, 'nope.j2', name] %}{% include missing_name ignore missing %}{% include ('a' ~ 'bsent.j2') ignore missing %}.",
        "dyn_missing.j2": "a\n {% include names %}",
        "dyn_bad.j2": "{% include 'bro' ~ 'ken.j2' %}",
        "dyn_number.j2": "{% include 42 %}",
        "broken.j2": "ok\n{{ 1 + }}",
    ]

    static func render(_ name: String, _ context: [String: Value] = [:]) throws -> String {
        let env = TemplateEnvironment { files[$0].map { Array($0.utf8) } }
        env.globals["g"] = .string("G")
        return try RenderState(environment: env, rng: SeededRandom(seed: 1)).render(try env.template(named: name), context: context)
    }

    static func error(_ name: String, _ context: [String: Value] = [:]) -> String {
        do { return "rendered: " + (try render(name, context)) } catch { return "\(error)" }
    }

    @Test func superRendersEachLevelUpTheChain() throws {
        #expect(try Self.render("leaf.j2") == "<LmAbv|lwBB>")
        #expect(try Self.render("leaf_set.j2") == "<MABV|B>")
    }

    @Test func superWithoutAParentBlockIsALocatedError() {
        #expect(Self.error("top_super.j2") == "top_super.j2:2:11: super(): block 'a' has no parent block")
    }

    @Test func dynamicIncludesLoadByValueAndBindTheirVariables() throws {
        let out = try Self.render("dyn.j2", ["outer": .string("O"), "missing_name": .string("nope.j2")])
        #expect(out == "[x1O][y2O]Q5GQnozGQ5G.")
    }

    @Test func dynamicIncludeErrorsNameTheIncludeOrTheIncludedFile() {
        #expect(Self.error("dyn_missing.j2", ["names": .list(ListRef([.string("x.j2"), .string("y.j2")]))])
                == "dyn_missing.j2:2:5: template 'x.j2', 'y.j2' not found")
        #expect(Self.error("dyn_missing.j2") == "dyn_missing.j2:2:5: 'names' is undefined")
        #expect(Self.error("dyn_bad.j2") == "broken.j2:2:8: expected an expression, found '}}'")
        #expect(Self.error("dyn_number.j2") == "dyn_number.j2:1:4: include: expected a template name or a list of them, not int")
    }

    @Test func recursiveLoopCallErrors() {
        let env = TemplateEnvironment { _ in nil }
        for (text, message) in [
            ("{% for x in y recursive %}{{ loop(x, 1) }}{% endfor %}", "<string>:1:34: loop() takes exactly one argument, the items to loop over"),
            ("{% for x in [1] %}{{ loop([2]) }}{% endfor %}", "<string>:1:26: 'LoopContext' object is not callable (only a loop marked 'recursive' can be called)"),
            ("{% for x in [1] recursive %}{{ loop([x]) }}{% endfor %}", "<string>:1:36: loop() calls itself more than 200 levels deep"),
            ("{% for x in [[1]] recursive %}{% if x is iterable %}{{ loop(x) }}{% endif %}{% endfor %}", ""),
        ] {
            do {
                let out = try RenderState(environment: env, rng: SeededRandom(seed: 1)).render(try env.compile(text), context: ["y": .list(ListRef([.int(1)]))])
                #expect(message.isEmpty, "rendered \(out) for \(text)")
            } catch {
                #expect("\(error)" == message, "\(text)")
            }
        }
    }
}
