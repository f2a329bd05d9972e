import Testing
@testable import Core

/// Values that contain themselves or nest deeply: printed as Python prints them (`[1, [...]]`),
/// or Python's error (circular reference, RecursionError) as a located template error; never a
/// trap. Expected text and messages from Jinja2 3.1.6.
@Suite struct TemplateRecursionTests {
    @Test(arguments: recursionCases.map { [$0.name, $0.template, $0.expected] })
    func matchesJinja(_ c: [String]) throws {
        let got = try TemplateExpectedTextTests.render(c[1], "{}")
        #expect(got == c[2], "case \(c[0])")
    }

    @Test(arguments: recursionErrors.map { [$0.template, $0.message] })
    func failsAsJinjaDoes(_ c: [String]) {
        TemplateExpectedTextTests.expectLocatedError(c[0], endingWith: c[1])
    }

    /// `n` times `{% set ns.l = BUILD %}` from `ns.l = INIT`: a value nested `n + 1` deep.
    static func deep(_ n: Int, _ initial: String, _ build: String) -> String {
        "{% set ns = namespace(l=\(initial)) %}{% for i in range(\(n)) %}{% set ns.l = \(build) %}{% endfor %}"
    }

    /// 980 nested containers print (Jinja's output, built here: it is two thousand brackets).
    @Test func nestingAtTheLimitPrints() throws {
        #expect(ValueWalk.depthLimit == 980)
        let list = Self.deep(979, "[]", "[ns.l]"), dict = Self.deep(979, "{}", "{'a': ns.l}"), tuple = Self.deep(979, "()", "(ns.l,)")
        let brackets = String(repeating: "[", count: 980) + String(repeating: "]", count: 980)
        #expect(try TemplateExpectedTextTests.render(list + "{{ ns.l }}", "{}") == brackets)
        #expect(try TemplateExpectedTextTests.render(list + "{{ ns.l|tojson }}", "{}") == brackets)
        #expect(try TemplateExpectedTextTests.render(dict + "{{ ns.l }}", "{}")
                == String(repeating: "{'a': ", count: 979) + "{}" + String(repeating: "}", count: 979))
        #expect(try TemplateExpectedTextTests.render(tuple + "{{ ns.l|length }}{{ ns.l }}", "{}")
                == "1" + String(repeating: "(", count: 979) + "()" + String(repeating: ",)", count: 979))
    }
}

/// Templates with lists and dicts that contain themselves or nest deeply; expected output from Jinja2 3.1.6.
let recursionCases: [(name: String, template: String, expected: String)] = [
    ("list_in_itself", "{% set l = [1] %}{% do l.append(l) %}{{ l }}",
     "[1, [...]]"),
    ("list_in_itself_string", "{% set l = [1] %}{% do l.append(l) %}{{ l|string }}|{{ l ~ '' }}|{{ 'x' ~ l }}|{{ '%s' % l }}|{{ '%r' % [l] }}|{{ '{}'.format(l) }}|{{ '{!r}'.format(l) }}",
     "[1, [...]]|[1, [...]]|x[1, [...]]|[1, [...]]|[[1, [...]]]|[1, [...]]|[1, [...]]"),
    ("dict_in_itself", "{% set d = {} %}{% do d.update({'a': d}) %}{{ d }} {{ d|string }} {{ d.items()|list }} {{ d.values()|list }} {{ d|dictsort }}",
     "{'a': {...}} {'a': {...}} [('a', {'a': {...}})] [{'a': {...}}] [('a', {'a': {...}})]"),
    ("list_in_dict_in_list", "{% set l = [] %}{% do l.append({'k': l}) %}{{ l }} {{ [l, l] }} {{ (l,) }}",
     "[{'k': [...]}] [[{'k': [...]}], [{'k': [...]}]] ([{'k': [...]}],)"),
    ("dict_in_list_in_dict", "{% set d = {} %}{% do d.update({'k': [d, 1]}) %}{{ d }}",
     "{'k': [{...}, 1]}"),
    ("two_lists_in_each_other", "{% set a = [] %}{% set b = [a] %}{% do a.append(b) %}{{ a }} {{ b }}",
     "[[[...]]] [[[...]]]"),
    ("cyclic_join_and_filters", "{% set l = [1] %}{% do l.append(l) %}{{ l|join(',') }} {{ l|list }} {{ l|count }} {{ l|length }} {{ l|first }} {{ l|last }} {{ l|reverse|list }} {{ l|map('string')|list }}",
     "1,[1, [...]] [1, [1, [...]]] 2 2 1 [1, [...]] [[1, [...]], 1] ['1', '[1, [...]]']"),
    ("cyclic_identity_compare", "{% set l = [1] %}{% set m = [1] %}{% do l.append(l) %}{% do m.append(m) %}{{ l == l }} {{ [l] == [l] }} {{ (l,) == (l,) }} {{ l is sameas m }} {{ l in [l] }} {{ l != l }}",
     "True True True False True False"),
    ("deep_compare_same", "{% set ns = namespace(l=[]) %}{% for i in range(2000) %}{% set ns.l = [ns.l] %}{% endfor %}{{ ns.l == ns.l }} {{ [ns.l] == [ns.l] }} {{ (ns.l,) == (ns.l,) }} {{ ns.l|length }}",
     "True True True 1"),
    ("deep_compare_equal", "{% set ns = namespace(a=[], b=[]) %}{% for i in range(900) %}{% set ns.a = [ns.a] %}{% set ns.b = [ns.b] %}{% endfor %}{{ ns.a == ns.b }} {{ ns.a < ns.b }}",
     "True False"),
]

/// Templates Jinja2 3.1.6 fails with this error (its message, or the end of ours).
let recursionErrors: [(template: String, message: String)] = [
    ("{% set l = [1] %}{% do l.append(l) %}{{ l|tojson }}", "Circular reference detected"),
    ("{% set d = {} %}{% do d.update({'a': d}) %}{{ d|tojson }}", "Circular reference detected"),
    ("{% set l = [1] %}{% do l.append(l) %}{{ l|tojson(2) }}", "Circular reference detected"),
    ("{% set d = {} %}{% do d.update({'a': d}) %}{{ [1, d]|tojson }}", "Circular reference detected"),
    ("{% set l = [1] %}{% set m = [1] %}{% do l.append(l) %}{% do m.append(m) %}{{ l == m }}", "maximum recursion depth exceeded in comparison"),
    ("{% set l = [1] %}{% set m = [1] %}{% do l.append(l) %}{% do m.append(m) %}{{ l != m }}", "maximum recursion depth exceeded in comparison"),
    ("{% set l = [1] %}{% set m = [1] %}{% do l.append(l) %}{% do m.append(m) %}{{ m in [l] }}", "maximum recursion depth exceeded in comparison"),
    ("{% set l = [1] %}{% set m = [1] %}{% do l.append(l) %}{% do m.append(m) %}{{ l < m }}", "maximum recursion depth exceeded in comparison"),
    ("{% set l = [1] %}{% set m = [1] %}{% do l.append(l) %}{% do m.append(m) %}{{ {'a': l} == {'a': m} }}", "maximum recursion depth exceeded in comparison"),
    ("{% set d = {} %}{% set e = {} %}{% do d.update({'a': d}) %}{% do e.update({'a': e}) %}{{ d == e }}", "maximum recursion depth exceeded in comparison"),
    ("{% set l = [1] %}{% set m = [1] %}{% do l.append(l) %}{% do m.append(m) %}{{ l.index(m) }}", "maximum recursion depth exceeded in comparison"),
    ("{% set l = [1] %}{% set m = [1] %}{% do l.append(l) %}{% do m.append(m) %}{{ l.count(m) }}", "maximum recursion depth exceeded in comparison"),
    ("{% set l = [1] %}{% set m = [1] %}{% do l.append(l) %}{% do m.append(m) %}{{ [l, m]|sort }}", "maximum recursion depth exceeded in comparison"),
    ("{% set l = [1] %}{% set m = [1] %}{% do l.append(l) %}{% do m.append(m) %}{{ l is eq m }}", "maximum recursion depth exceeded in comparison"),
    ("{% set ns = namespace(l=[]) %}{% for i in range(1000) %}{% set ns.l = [ns.l] %}{% endfor %}{{ ns.l }}", "maximum recursion depth exceeded while getting the repr of an object"),
    ("{% set ns = namespace(l=[]) %}{% for i in range(1000) %}{% set ns.l = [ns.l] %}{% endfor %}{{ ns.l|string }}", "maximum recursion depth exceeded while getting the repr of an object"),
    ("{% set ns = namespace(l={}) %}{% for i in range(1000) %}{% set ns.l = {'a': ns.l} %}{% endfor %}{{ ns.l }}", "maximum recursion depth exceeded while getting the repr of an object"),
    ("{% set ns = namespace(l=()) %}{% for i in range(1000) %}{% set ns.l = (ns.l,) %}{% endfor %}{{ ns.l }}", "maximum recursion depth exceeded while getting the repr of an object"),
    ("{% set ns = namespace(l=[]) %}{% for i in range(1000) %}{% set ns.l = [ns.l] %}{% endfor %}{{ ns.l|tojson }}", "maximum recursion depth exceeded while encoding a JSON object"),
    ("{% set ns = namespace(l={}) %}{% for i in range(1000) %}{% set ns.l = {'a': ns.l} %}{% endfor %}{{ ns.l|tojson }}", "maximum recursion depth exceeded while encoding a JSON object"),
    ("{% set ns = namespace(l=[]) %}{% for i in range(1000) %}{% set ns.l = [ns.l] %}{% endfor %}{{ 'x' ~ ns.l }}", "maximum recursion depth exceeded while getting the repr of an object"),
    ("{% set ns = namespace(l=[]) %}{% for i in range(1000) %}{% set ns.l = [ns.l] %}{% endfor %}{% set s = 'x' ~ 'y' ~ ns.l %}", "maximum recursion depth exceeded while getting the repr of an object"),
    ("{% set ns = namespace(l=[]) %}{% for i in range(1000) %}{% set ns.l = [ns.l] %}{% endfor %}{{ ns.l|pprint }}", "pprint: the value is nested too deeply"),
    ("{% set ns = namespace(l=[]) %}{% for i in range(1000) %}{% set ns.l = [ns.l] %}{% endfor %}{{ [ns.l]|join }}", "maximum recursion depth exceeded while getting the repr of an object"),
    ("{% set ns = namespace(l=[]) %}{% for i in range(1000) %}{% set ns.l = [ns.l] %}{% endfor %}{{ '%s' % (ns.l,) }}", "maximum recursion depth exceeded while getting the repr of an object"),
    ("{% set ns = namespace(a=[], b=[]) %}{% for i in range(1000) %}{% set ns.a = [ns.a] %}{% set ns.b = [ns.b] %}{% endfor %}{{ ns.a == ns.b }}", "maximum recursion depth exceeded in comparison"),
]
