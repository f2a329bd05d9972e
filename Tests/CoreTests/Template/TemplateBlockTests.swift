import Testing
@testable import Core

/// `self.name()`, `super()`, `scoped` and `required` blocks. Each expected text (or the gist of
/// each error) is what Python's Jinja2 3.1.6 gives for the same files.
@Suite struct TemplateBlockTests {
    /// (name, files, expected output or "error: " + message); the template rendered is "t".
    static let cases: [(name: String, files: [String: String], expected: String)] = [
        ("self_twice", ["t": "{% block title %}T{% endblock %}|{{ self.title() }}|{{ self.title() }}"], "T|T|T"),
        ("self_most_derived", ["b": "<{% block title %}B{% endblock %}>{{ self.title() }}{{ self.body() }}[{% block body %}bb{% endblock %}]",
                               "t": "{% extends 'b' %}{% block title %}C{{ super() }}{% endblock %}"], "<CB>CBbb[bb]"),
        ("self_child_only_block", ["b": "<{% block title %}B{% endblock %}>{{ self.extra() }}", "t": "{% extends 'b' %}{% block extra %}E{% endblock %}"], "<B>E"),
        ("self_missing_attribute", ["t": "[{{ self.nope }}]"], "[]"),
        ("self_prints", ["t": "{{ self }}"], "<TemplateReference 't'>"),
        ("self_in_block", ["t": "{% block a %}A{{ self.b() }}{% endblock %}{% block b %}B{% endblock %}"], "ABB"),
        ("self_in_macro", ["t": "{% macro m() %}{{ self.a() }}{% endmacro %}{% block a %}A{% endblock %}{{ m() }}"], "AA"),
        ("self_shadowed", ["t": "{% set self = 1 %}{{ self }}"], "1"),
        ("self_before_block", ["t": "{{ self.a() }}{% block a %}{% set x = 1 %}{{ x }}{% endblock %}"], "11"),
        ("self_reads_context_now", ["t": "{% set v = 1 %}{% block a %}{{ v }}{% endblock %}{% set v = 2 %}{{ self.a() }}"], "12"),
        ("self_as_value", ["t": "{% block a %}A{% endblock %}{% set f = self.a %}{{ f() }}{{ f() }}"], "AAA"),
        ("self_child_prints_root", ["b": "{% block a %}BA{% endblock %}{{ self }}",
                                    "t": "{% extends 'b' %}{% block a %}TA{{ self.b() }}{% endblock %}{% block b %}TB{% endblock %}"], "TATB<TemplateReference 't'>"),
        ("include_has_own_blocks", ["b": "<{% block a %}BA{% endblock %}{% include 'p' %}>", "p": "({% block a %}PA{% endblock %}{{ self.a() }}{{ self }})",
                                    "t": "{% extends 'b' %}{% block a %}TA{% endblock %}"], "<TA(PAPA<TemplateReference 'p'>)>"),
        ("block_not_scoped", ["t": "{% for i in [1,2] %}{% block a %}[{{ i }}]{% endblock %}{% endfor %}"], "[][]"),
        ("block_scoped", ["t": "{% for i in [1,2] %}{% block a scoped %}[{{ i }}]{% endblock %}{% endfor %}"], "[1][2]"),
        ("block_scoped_loop", ["t": "{% for x in 'ab' %}{% block a scoped %}{{ x }}{{ loop.index }}{% endblock %}{% endfor %}"], "a1b2"),
        ("scoped_to_child", ["b": "{% for item in [1,2] %}{% block x scoped %}{{ item }}{% endblock %}{% endfor %}",
                             "t": "{% extends 'b' %}{% block x %}<{{ item }}>{% endblock %}"], "<1><2>"),
        ("scoped_to_child_super", ["b": "{% for item in [1,2] %}{% block x scoped %}{{ item }}{% endblock %}{% endfor %}",
                                   "t": "{% extends 'b' %}{% block x %}<{{ item }}{{ super() }}>{% endblock %}"], "<11><22>"),
        ("unscoped_to_child", ["b": "{% for item in [1,2] %}{% block x %}{{ item }}{% endblock %}{% endfor %}",
                               "t": "{% extends 'b' %}{% block x %}<{{ item }}{{ super() }}>{% endblock %}"], "<><>"),
        ("scoped_child_sets", ["b": "{% for item in [1,2] %}{% block x scoped %}{{ item }}{% endblock %}{% endfor %}",
                               "t": "{% extends 'b' %}{% block x %}{% set item = 5 %}<{{ item }}>{% endblock %}"], "<5><5>"),
        ("scoped_with", ["t": "{% with a = 1 %}{% block x %}{{ a }}{% endblock %}{% endwith %}{% with a = 1 %}{% block y scoped %}{{ a }}{% endblock %}{% endwith %}"], "1"),
        ("scoped_with_in_loop", ["b": "{% for x in 'ab' %}{% with y = x ~ '!' %}{% block a scoped %}{{ x }}{% endblock %}{% endwith %}{% endfor %}",
                                 "t": "{% extends 'b' %}{% block a %}[{{ x }}{{ y }}{{ super() }}]{% endblock %}"], "[aa!a][bb!b]"),
        ("unscoped_sees_top_level", ["t": "{% set g = 1 %}{% for i in [1] %}{% set g = 2 %}{% block x %}{{ g }}{% endblock %}{% endfor %}"], "1"),
        ("required_overridden", ["b": "<{% block a required %}{% endblock %}>", "t": "{% extends 'b' %}{% block a %}A{% endblock %}"], "<A>"),
        ("required_super_is_empty", ["b": "<{% block a required %}{% endblock %}>", "t": "{% extends 'b' %}{% block a %}A{{ super() }}{% endblock %}"], "<A>"),
        ("required_two_levels", ["b": "<{% block a required %}{% endblock %}>", "m": "{% extends 'b' %}", "t": "{% extends 'm' %}{% block a %}A{% endblock %}"], "<A>"),
        ("required_whitespace_comment", ["b": "<{% block a scoped required %} {# c #}\n{% endblock %}>", "t": "{% extends 'b' %}{% block a %}A{% endblock %}"], "<A>"),
        ("endblock_name", ["t": "{% block a %}{% endblock a %}ok"], "ok"),
        ("required_missing", ["t": "x\n{% block a required %}{% endblock %}"], "error: t:2:4: required block 'a' not found (no template extending this one defines it)"),
        ("required_missing_in_child", ["b": "<{% block a required %}{% endblock %}>", "t": "{% extends 'b' %}"],
         "error: b:1:5: required block 'a' not found (no template extending this one defines it)"),
        ("required_with_text", ["t": "{% block a required %}x{% endblock %}"], "error: t:1:23: required block 'a' can only contain comments or whitespace"),
        ("required_with_block", ["t": "{% block a required %}{% block b %}{% endblock %}{% endblock %}"],
         "error: t:1:23: required block 'a' can only contain comments or whitespace"),
        ("required_with_output", ["t": "{% block a required %}{{ 1 }}{% endblock %}"], "error: t:1:23: required block 'a' can only contain comments or whitespace"),
        ("required_then_scoped", ["t": "{% block a required scoped %}{% endblock %}"], "error: t:1:21: expected '%}' after the block name, found 'scoped'"),
        ("scoped_twice", ["t": "{% block a scoped scoped %}{% endblock %}"], "error: t:1:19: expected '%}' after the block name, found 'scoped'"),
        ("endblock_other_name", ["t": "{% block a %}{% endblock b %}"], "error: t:1:26: 'endblock b' closes block 'a'"),
        ("block_hyphen", ["t": "{% block my-a %}{% endblock %}"], "error: t:1:12: block names may not contain hyphens, use an underscore instead"),
        ("block_twice", ["t": "{% block a %}{% endblock %}\n{% block a %}{% endblock %}"], "error: t:2:4: block 'a' defined twice"),
        ("self_unknown_block", ["t": "ab\n  {{ self.nope() }}"], "error: t:2:10: self.nope(): template 't' has no block 'nope'"),
        ("self_block_arguments", ["t": "{% block a %}{% endblock %}{{ self.a(1) }}"], "error: t:1:35: self.a() takes no arguments"),
    ]

    static func render(_ files: [String: String]) -> String {
        let env = TemplateEnvironment { files[$0].map { Array($0.utf8) } }
        do {
            return try RenderState(environment: env, rng: SeededRandom(seed: 1)).render(try env.template(named: "t"))
        } catch {
            return "error: \(error)"
        }
    }

    @Test(arguments: cases.map(\.name))
    func matchesJinja(_ name: String) {
        let c = Self.cases.first { $0.name == name }!
        #expect(Self.render(c.files) == c.expected, "\(name)")
    }
}
