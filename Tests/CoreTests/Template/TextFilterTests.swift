import Testing
@testable import Core

/// The text filters that follow a Python library function (filesizeformat, wordwrap, xmlattr,
/// urlize, pprint): each output below was produced by Python's Jinja2 3.1.6.
@Suite struct TextFilterTests {
    @Test(arguments: textFilterCases.map { [$0.name, $0.template, $0.context, $0.expected] })
    func matchesJinja(_ c: [String]) throws {
        let got = try TemplateExpectedTextTests.render(c[1], c[2])
        #expect(got == c[3], "case \(c[0])")
    }

    /// Where Jinja raises, the engine gives a located error with Python's message.
    @Test(arguments: textFilterErrors.map { [$0.template, $0.message] })
    func failsAsJinjaDoes(_ c: [String]) {
        TemplateExpectedTextTests.expectLocatedError(c[0], endingWith: c[1])
    }
}

/// Templates whose error Jinja2 3.1.6 reports with this message (or its last part).
let textFilterErrors: [(template: String, message: String)] = [
    ("{{ 'abc' | filesizeformat }}", "could not convert string to float: 'abc'"),
    ("{{ none | filesizeformat }}", "float() argument must be a string or a real number, not 'NoneType'"),
    ("{{ nope | filesizeformat }}", "'nope' is undefined"),
    ("{{ '-inf' | filesizeformat }}", "cannot convert float infinity to integer"),
    ("{{ 'abc' | wordwrap(0) }}", "invalid width 0 (must be > 0)"),
    ("{{ 'x' | wordwrap(-1) }}", "invalid width -1 (must be > 0)"),
    ("{{ 5 | wordwrap }}", "'int' object has no attribute 'splitlines'"),
    ("{{ nope | wordwrap }}", "'nope' is undefined"),
    ("{{ 'abc def' | wordwrap(3, wrapstring=5) }}", "'int' object has no attribute 'join'"),
    ("{{ {'a b': 1} | xmlattr }}", "Invalid character in attribute name: 'a b'"),
    ("{{ {'a/': 1} | xmlattr }}", "Invalid character in attribute name: 'a/'"),
    ("{{ {'a>': 1} | xmlattr }}", "Invalid character in attribute name: 'a>'"),
    ("{{ {'a=': 1} | xmlattr }}", "Invalid character in attribute name: 'a='"),
    ("{{ {'a\\tb': 1} | xmlattr }}", "Invalid character in attribute name: 'a\\tb'"),
    ("{{ {1: 2} | xmlattr }}", "expected string or bytes-like object, got 'int'"),
    ("{{ [1] | xmlattr }}", "'list' object has no attribute 'items'"),
    ("{{ 'abc' | xmlattr }}", "'str' object has no attribute 'items'"),
    ("{{ nope | xmlattr }}", "'nope' is undefined"),
    ("{{ 'x' | urlize(extra_schemes=['f']) }}", "'f' is not a valid URI scheme prefix."),
    ("{{ 'x' | urlize(extra_schemes='ab:') }}", "'a' is not a valid URI scheme prefix."),
    ("{% set l = [] %}{% do l.append(l) %}{{ l | pprint }}", "pprint: the value contains itself"),
]

// Expected outputs produced with Python Jinja2 3.1.6 for these templates.
let textFilterCases: [(name: String, template: String, context: String, expected: String)] = [
    ("fsf", "{{ 0 | filesizeformat }}|{{ 1 | filesizeformat }}|{{ 1000 | filesizeformat }}|{{ 1024 | filesizeformat }}|{{ 1.5e12 | filesizeformat }}|{{ 999 | filesizeformat }}|{{ 1023 | filesizeformat(true) }}|{{ 1024 | filesizeformat(true) }}|{{ 1.5e12 | filesizeformat(binary=true) }}|{{ 123456789 | filesizeformat }}|{{ '2048' | filesizeformat }}|{{ 1e30 | filesizeformat }}|{{ -5.5 | filesizeformat }}|{{ true | filesizeformat }}|{{ 0.5 | filesizeformat }}|{{ 1e27 | filesizeformat(true) }}|{{ 999999 | filesizeformat }}", "{}", "0 Bytes|1 Byte|1.0 kB|1.0 kB|1.5 TB|999 Bytes|1023 Bytes|1.0 KiB|1.4 TiB|123.5 MB|2.0 kB|1000000.0 YB|-5 Bytes|1 Byte|0 Bytes|827.2 YiB|1000.0 kB"),
    ("fsf_nan", "{{ 'nan' | filesizeformat }}|{{ 'inf' | filesizeformat }}|{{ '-1e20' | filesizeformat }}", "{}", "nan YB|inf YB|-100000000000000000000 Bytes"),
    ("ww", "{{ s | wordwrap(20) }}", "{\"s\": \"The quick brown fox jumps over the lazy dog and keeps on running far away\"}", "The quick brown fox\njumps over the lazy\ndog and keeps on\nrunning far away"),
    ("ww_long", "{{ s | wordwrap(10) }}|{{ s | wordwrap(10, false) }}", "{\"s\": \"short averyveryverylongwordhere end\"}", "short aver\nyveryveryl\nongwordher\ne end|short\naveryveryverylongwordhere\nend"),
    ("ww_hyph", "{{ s | wordwrap(12) }}|{{ s | wordwrap(12, break_on_hyphens=false) }}", "{\"s\": \"a well-known state-of-the-art e-mail anti-aliasing --option x--y co--op\"}", "a well-known\nstate-of-\nthe-art\ne-mail anti-\naliasing\n--option x--\ny co--op|a well-known\nstate-of-the\n-art e-mail \nanti-aliasin\ng --option\nx--y co--op"),
    ("ww_hyph_long", "{{ s | wordwrap(7) }}", "{\"s\": \"extra-ordinarily-long-hyphenated-words-----here ---\"}", "extra-o\nrdinari\nly-\nlong-hy\nphenate\nd-words\n-----\nhere\n---"),
    ("ww_para", "{{ s | wordwrap(8, wrapstring='<br>') }}", "{\"s\": \"one two three\\nfour five six seven\\n\\n  indented   spaces here\\r\\nx\"}", "one two<br>three<br>four<br>five six<br>seven<br><br>indented<br>spaces<br>here<br>x"),
    ("ww_default", "{{ s | wordwrap }}", "{\"s\": \"Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation.\"}", "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor\nincididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis\nnostrud exercitation."),
    ("ww_tabs", "{{ s | wordwrap(6) }}", "{\"s\": \"a\\tb\\tc\\td ee\\u00a0ff gg\\u3000hh\"}", "a\tb\tc\nd\nee\u{a0}ff\ngg\u{3000}hh"),
    ("xa", "<ul{{ {'class': 'my list', 'missing': none, 'id': 'list-1', 'n': 3, 'q': 'a\"<b>&\\'c'} | xmlattr }}>|<p{{ {'a': 1} | xmlattr(false) }}>|[{{ {} | xmlattr }}]|[{{ {'x': none} | xmlattr }}]|{{ {'u': undefinedvar, 'k': true} | xmlattr }}", "{}", "<ul class=\"my list\" id=\"list-1\" n=\"3\" q=\"a&#34;&lt;b&gt;&amp;&#39;c\">|<pa=\"1\">|[]|[]| k=\"True\""),
    ("xa_ok", "{{ {'data-x<': 1, 'é': 2} | xmlattr }}", "{}", " data-x&lt;=\"1\" é=\"2\""),
    ("ul", "{{ s | urlize }}", "{\"s\": \"Visit http://example.com. Or (www.example.org/path), mail me@example.com, see https://x.io/a_(b) and <http://y.com/q?a=1&b=2>! ftp://no.way mailto:bob@ex.org foo.com bar.net baz.xyz @a@b.com\"}", "Visit <a href=\"http://example.com\" rel=\"noopener\">http://example.com</a>. Or (<a href=\"https://www.example.org/path\" rel=\"noopener\">www.example.org/path</a>), mail <a href=\"mailto:me@example.com\">me@example.com</a>, see <a href=\"https://x.io/a_(b)\" rel=\"noopener\">https://x.io/a_(b)</a> and &lt;<a href=\"http://y.com/q?a=1&amp;b=2&gt;!\" rel=\"noopener\">http://y.com/q?a=1&amp;b=2&gt;!</a> ftp://no.way <a href=\"mailto:bob@ex.org\">bob@ex.org</a> <a href=\"https://foo.com\" rel=\"noopener\">foo.com</a> <a href=\"https://bar.net\" rel=\"noopener\">bar.net</a> baz.xyz @a@b.com"),
    ("ul_opts", "{{ s | urlize(15, true, '_blank') }}|{{ s | urlize(rel='me', nofollow=true) }}|{{ s | urlize(extra_schemes=['ftp:', 'tel:']) }}", "{\"s\": \"http://example.com/a/long/path ftp://files.example.com tel:+1234 tel:\"}", "<a href=\"http://example.com/a/long/path\" rel=\"nofollow noopener\" target=\"_blank\">http://example....</a> ftp://files.example.com tel:+1234 tel:|<a href=\"http://example.com/a/long/path\" rel=\"me nofollow noopener\">http://example.com/a/long/path</a> ftp://files.example.com tel:+1234 tel:|<a href=\"http://example.com/a/long/path\" rel=\"noopener\">http://example.com/a/long/path</a> <a href=\"ftp://files.example.com\" rel=\"noopener\">ftp://files.example.com</a> <a href=\"tel:+1234\" rel=\"noopener\">tel:+1234</a> tel:"),
    ("ul_ip", "{{ s | urlize }}", "{\"s\": \"http://192.168.0.1:8080/x http://[::1]/ http://[2001:db8::1]:80 http://999.1.1.1 https://localhost:3000 www.EXAMPLE.COM HTTP://UP.COM example.info. user.name+tag@sub.example.co.uk; (http://a.com/b)) a@b.c x@y\"}", "<a href=\"http://192.168.0.1:8080/x\" rel=\"noopener\">http://192.168.0.1:8080/x</a> <a href=\"http://[::1]/\" rel=\"noopener\">http://[::1]/</a> <a href=\"http://[2001:db8::1]:80\" rel=\"noopener\">http://[2001:db8::1]:80</a> <a href=\"http://999.1.1.1\" rel=\"noopener\">http://999.1.1.1</a> <a href=\"https://localhost:3000\" rel=\"noopener\">https://localhost:3000</a> <a href=\"https://www.EXAMPLE.COM\" rel=\"noopener\">www.EXAMPLE.COM</a> <a href=\"https://HTTP://UP.COM\" rel=\"noopener\">HTTP://UP.COM</a> <a href=\"https://example.info\" rel=\"noopener\">example.info</a>. user.name+tag@sub.example.co.uk; (<a href=\"http://a.com/b\" rel=\"noopener\">http://a.com/b</a>)) <a href=\"mailto:a@b.c\">a@b.c</a> x@y"),
    ("ul_trailing", "{{ s | urlize }}", "{\"s\": \"http://a.com/x.,)&gt; (http://b.com/(c)). http://c.com/). <www.d.com>\"}", "<a href=\"http://a.com/x.,)&amp;gt;\" rel=\"noopener\">http://a.com/x.,)&amp;gt;</a> (<a href=\"http://b.com/(c)\" rel=\"noopener\">http://b.com/(c)</a>). <a href=\"http://c.com/\" rel=\"noopener\">http://c.com/</a>). &lt;<a href=\"https://www.d.com\" rel=\"noopener\">www.d.com</a>&gt;"),
    ("pp", "{{ d | pprint }}", "{\"d\": {\"zeta\": [1, 2, 3, {\"inner\": \"a long string value here\", \"another\": [\"x\", \"y\", \"z\"]}], \"alpha\": {\"b\": 1.5, \"a\": null, \"c\": true}, \"mid\": \"some text that is fairly long so that the line must wrap around\"}}", "{'alpha': {'a': None, 'b': 1.5, 'c': True},\n 'mid': 'some text that is fairly long so that the line must wrap around',\n 'zeta': [1,\n          2,\n          3,\n          {'another': ['x', 'y', 'z'], 'inner': 'a long string value here'}]}"),
    ("pp_short", "{{ {'b': 1, 'a': [1, 'x', none, true, 1.5]} | pprint }}|{{ 'x' | pprint }}|{{ 3 | pprint }}|{{ none | pprint }}|{{ (1,) | pprint }}|{{ [] | pprint }}|{{ {} | pprint }}|{{ nope | pprint }}", "{}", "{'a': [1, 'x', None, True, 1.5], 'b': 1}|'x'|3|None|(1,)|[]|{}|Undefined"),
    ("pp_longstr", "{{ s | pprint }}|{{ [s] | pprint }}|{{ {'k': s} | pprint }}", "{\"s\": \"aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp qqqq rrrr ssss tttt\\nline two\"}", "('aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo '\n 'pppp qqqq rrrr ssss tttt\\n'\n 'line two')|['aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo '\n 'pppp qqqq rrrr ssss tttt\\n'\n 'line two']|{'k': 'aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn '\n      'oooo pppp qqqq rrrr ssss tttt\\n'\n      'line two'}"),
    ("pp_list", "{{ l | pprint }}", "{\"l\": [\"item number one\", \"item number two\", \"item number three\", \"item number four\", [1, 2, [3, 4, [5, 6, \"deep deep deep deep deep deep deep deep deep deep deep\"]]]]}", "['item number one',\n 'item number two',\n 'item number three',\n 'item number four',\n [1,\n  2,\n  [3, 4, [5, 6, 'deep deep deep deep deep deep deep deep deep deep deep']]]]"),
    ("pp_tuple", "{{ (t,) | pprint }}|{{ t | pprint }}", "{\"t\": [\"a very long string number one\", \"a very long string number two\", \"three three\"]}", "(['a very long string number one',\n  'a very long string number two',\n  'three three'],)|['a very long string number one',\n 'a very long string number two',\n 'three three']"),
    ("e5", "{{ nope | urlize }}|{{ none | urlize }}|{{ 5 | urlize }}", "{}", "|None|5"),
    ("e9", "{{ 'abc-def' | wordwrap(5, break_on_hyphens=1) }}|{{ 'abc-def ghi-jkl' | wordwrap(5, break_on_hyphens=0) }}", "{}", "abc-\ndef|abc-d\nef gh\ni-jkl"),
    ("e10", "{{ 1e24 | filesizeformat }}|{{ 1e27 | filesizeformat }}|{{ 1e21 | filesizeformat }}|{{ 999999999999999.9 | filesizeformat }}", "{}", "1000.0 ZB|1000.0 YB|1.0 ZB|1000.0 TB"),
    ("e12", "{{ ' 12_000 ' | filesizeformat }}", "{}", "12.0 kB"),
    ("e15", "{{ 'http://a.com' | urlize(target=5) }}|{{ 'http://a.com' | urlize(rel='') }}|{{ 'http://a.com/xyz' | urlize(3) }}|{{ 'http://a.com/xyz' | urlize(0) }}|{{ 'http://a.com/xyz' | urlize(-3) }}", "{}", "<a href=\"http://a.com\" rel=\"noopener\" target=\"5\">http://a.com</a>|<a href=\"http://a.com\" rel=\"noopener\">http://a.com</a>|<a href=\"http://a.com/xyz\" rel=\"noopener\">htt...</a>|<a href=\"http://a.com/xyz\" rel=\"noopener\">...</a>|<a href=\"http://a.com/xyz\" rel=\"noopener\">http://a.com/...</a>"),
    ("e17", "{{ s | urlize }}", "{\"s\": \"a\\n\\nhttp://x.com\\n b\\u3000www.a.com\\u00a0c \\u0131nt.com x.xn--p1ai http://\\u043f\\u0440\\u0438.\\u0440\\u0444 ex.com:99999 ex.com:9999 www.a.b \\u202fwww.q.com\"}", "a\n\n<a href=\"http://x.com\" rel=\"noopener\">http://x.com</a>\n b\u{3000}<a href=\"https://www.a.com\" rel=\"noopener\">www.a.com</a>\u{a0}c <a href=\"https://ınt.com\" rel=\"noopener\">ınt.com</a> x.xn--p1ai http://при.рф <a href=\"https://ex.com:99999\" rel=\"noopener\">ex.com:99999</a> <a href=\"https://ex.com:9999\" rel=\"noopener\">ex.com:9999</a> www.a.b \u{202f}<a href=\"https://www.q.com\" rel=\"noopener\">www.q.com</a>"),
    ("e18", "{{ [1, 2] | pprint }}|{{ 'it\\'s' | pprint }}|{{ b | pprint }}", "{\"b\": 1}", "[1, 2]|\"it's\"|1"),
    ("e19", "{{ {1: 'a', 'b': 2} | pprint }}", "{}", "{1: 'a', 'b': 2}"),
    ("e20", "{{ l | pprint }}", "{\"l\": [[\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"], \"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb cc\"]}", "[['aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'],\n 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb '\n 'cc']"),
    ("e21", "{{ 'x'.encode() | pprint }}|{{ ('abcdefghij' * 10).encode() | pprint }}", "{}", "b'x'|(b'abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdef'\n b'ghijabcdefghijabcdefghij')"),
    ("e22", "{{ range(3) | pprint }}|{{ 1.0 | pprint }}", "{}", "range(0, 3)|1.0"),
    ("e23", "{{ {'a': 'é', 'c': 'x'*90} | pprint }}", "{}", "{'a': 'é',\n 'c': 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'}"),
]
