import Core
import EgTestSupport
import Foundation
import Testing

/// The Python modules of Eventum's `module` (json, math, uuid, hashlib, base64, datetime,
/// calendar) against CPython itself: each expression is rendered by eg-tokenize in a generator's
/// template and evaluated by python3 with the real modules; the printed results must be equal.
@Suite struct EventumPythonTests {
    /// Expressions valid both as Jinja and as Python; the deterministic functions only.
    static let expressions = [
        // json
        "module.json.dumps({'b': 1, 'a': [1.5, None, True, False]})",
        "module.json.dumps({'b': 1, 'a': [1.5, None], 'c': {'z': 0, 'y': 1}}, sort_keys=True)",
        "module.json.dumps({'k': 'é ü 😀 <&> \" / \\\\'})",
        "module.json.dumps('é 😀 x', ensure_ascii=False)",
        "module.json.dumps([1, [2, {'a': []}], {}, 'x'], indent=2)",
        "module.json.dumps({'a': 1, 'b': [1, 2]}, indent=0)",
        "module.json.dumps({'a': 1, 'b': [1, 2]}, indent='\t')",
        "module.json.dumps({'a': 1, 'b': [1, 2]}, separators=(',', ':'))",
        "module.json.dumps({1: 'x', 2.5: 'y', False: 'z', None: 'n'})",
        "module.json.dumps({3: 'c', 1: 'a', 2.5: 'b'}, sort_keys=True)",
        "module.json.dumps([1e-05, 100.0, 1e16, 0.1, 3, -7, 123456789.125, 1e+300])",
        "module.json.dumps((1, (2, 3)))",
        "module.json.dumps(module.json.loads('{\"z\": [1, 2.50, \"x\"], \"a\": {\"b\": null}, \"t\": true}'))",
        "module.json.loads('[1, 2.0, \"s\", true, null, {\"k\": -3e2}]')",
        "module.json.loads('\"caf\\\\u00e9\"')",
        // math
        "module.math.floor(2.7)", "module.math.ceil(2.1)", "module.math.floor(-2.5)", "module.math.trunc(-2.7)", "module.math.floor(7)",
        "module.math.sqrt(2)", "module.math.sqrt(16)", "module.math.log(8, 2)", "module.math.log(10)", "module.math.log10(1000)",
        "module.math.log2(1024)", "module.math.log1p(0.5)", "module.math.exp(1)", "module.math.expm1(1e-10)", "module.math.pow(2, 10)",
        "module.math.pow(2, 0.5)", "module.math.pi", "module.math.e", "module.math.tau", "module.math.inf", "module.math.fabs(-3)",
        "module.math.hypot(3, 4)", "module.math.factorial(10)", "module.math.gcd(12, 18)", "module.math.lcm(4, 6)",
        "module.math.isclose(0.1 + 0.2, 0.3)", "module.math.isclose(1, 1.1)", "module.math.fsum([0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1])",
        "module.math.atan2(1, 1)", "module.math.degrees(module.math.pi)", "module.math.radians(180)", "module.math.comb(10, 3)",
        "module.math.perm(5, 2)", "module.math.isqrt(17)", "module.math.modf(3.5)", "module.math.prod([1, 2, 3, 4])",
        "module.math.prod([1.5, 2])", "module.math.copysign(1, -0.0)", "module.math.fmod(7, 3)", "module.math.sin(1)",
        "module.math.cos(1)", "module.math.tan(1)", "module.math.asin(0.5)", "module.math.tanh(0.5)", "module.math.isnan(module.math.nan)",
        "module.math.isinf(module.math.inf)", "module.math.isfinite(1.0)",
        // uuid
        "module.uuid.uuid5(module.uuid.NAMESPACE_DNS, 'python.org')", "module.uuid.uuid3(module.uuid.NAMESPACE_URL, 'https://example.com/')",
        "module.uuid.uuid5(module.uuid.NAMESPACE_OID, 'x').version", "module.uuid.uuid5(module.uuid.NAMESPACE_X500, 'x').variant",
        "module.uuid.UUID('{12345678-1234-5678-1234-567812345678}')", "module.uuid.UUID('12345678123456781234567812345678').hex",
        "module.uuid.UUID('urn:uuid:12345678-1234-5678-1234-567812345678').urn", "module.uuid.UUID('12345678-1234-5678-1234-567812345678').version",
        "module.uuid.UUID('6ba7b810-9dad-11d1-80b4-00c04fd430c8').fields", "module.uuid.NAMESPACE_DNS.node",
        "module.uuid.NAMESPACE_DNS.time", "module.uuid.NAMESPACE_DNS.clock_seq", "module.uuid.NAMESPACE_URL.bytes",
        // hashlib
        "module.hashlib.md5('abc'.encode()).hexdigest()", "module.hashlib.sha1('abc'.encode()).hexdigest()",
        "module.hashlib.sha256('abc'.encode()).hexdigest()", "module.hashlib.md5().hexdigest()", "module.hashlib.sha1('x'.encode()).digest()",
        "module.hashlib.new('sha256', 'é'.encode()).hexdigest()", "module.hashlib.sha256(('a' * 200).encode()).hexdigest()",
        "module.hashlib.sha1('x'.encode()).name", "module.hashlib.sha256().digest_size",
        // base64
        "module.base64.b64encode('hello world'.encode())", "module.base64.b64encode('hello world'.encode()).decode()",
        "module.base64.b64decode('aGVsbG8=').decode()", "module.base64.b64decode('aGk=')",
        "module.base64.urlsafe_b64encode(module.hashlib.sha256('x'.encode()).digest())", "module.base64.b16encode('ab'.encode())",
        "module.base64.b64encode(module.hashlib.sha1('1:10.0.0.1'.encode()).digest()).decode()",
        // datetime
        "module.datetime.timedelta(seconds=90)", "module.datetime.timedelta(hours=1.5)", "module.datetime.timedelta(days=1, milliseconds=5)",
        "module.datetime.timedelta(microseconds=1)", "module.datetime.timedelta(-1)", "module.datetime.timedelta(weeks=2, minutes=3)",
        "module.datetime.timedelta(seconds=-30)", "module.datetime.timedelta(days=400, hours=25)",
        "module.datetime.timedelta(minutes=90).total_seconds()",
        "module.datetime.datetime.fromtimestamp(1700000000.5, module.datetime.timezone.utc)",
        "module.datetime.datetime.utcfromtimestamp(1700000000)",
        "module.datetime.datetime.fromtimestamp(1700000000, module.datetime.timezone.utc).isoformat()",
        "module.datetime.datetime.fromtimestamp(1700000000.25, module.datetime.timezone.utc).timestamp()",
        "(module.datetime.datetime.fromtimestamp(1700000000, module.datetime.timezone.utc) + module.datetime.timedelta(days=1, seconds=1)).isoformat()",
        "module.datetime.datetime.fromtimestamp(1700000000, module.datetime.timezone.utc).strftime('%Y-%m-%d %H:%M:%S.%f %a %b %e')",
        "module.calendar.timegm(module.datetime.datetime.fromtimestamp(1700000000, module.datetime.timezone.utc).utctimetuple())",
        "module.datetime.timezone.utc",
        // calendar
        "module.calendar.timegm((2024, 2, 29, 12, 0, 0))", "module.calendar.timegm((2024, 1, 32, 0, 0, 0))",
        "module.calendar.timegm((1969, 12, 31, 23, 59, 59, 0, 0, 0))", "module.calendar.isleap(2024)", "module.calendar.isleap(1900)",
        "module.calendar.monthrange(2024, 2)", "module.calendar.monthrange(2025, 6)", "module.calendar.weekday(2025, 6, 1)",
        "module.calendar.month_name[3]", "module.calendar.day_abbr[0]",
    ]

    static let separator = "\n----\n"

    @Test func modulesPrintWhatPythonPrints() throws {
        let dir = try EventumPipelineTests.folder([
            "generator.yml": "input: [{static: {count: 1}}]\nevent: {template: {mode: all, templates: [{e: {template: e.jinja}}]}}\noutput: [{stdout: {}}]\n",
            "e.jinja": Self.expressions.map { "{{ \($0) }}" }.joined(separator: Self.separator),
            "exprs.txt": Self.expressions.joined(separator: "\n") + "\n",
            "eval.py": """
                import base64, calendar, datetime, hashlib, json, math, sys, types, uuid, warnings
                warnings.simplefilter("ignore")
                module = types.SimpleNamespace(json=json, math=math, uuid=uuid, hashlib=hashlib, base64=base64, calendar=calendar, datetime=datetime)
                out = []
                for line in open(sys.argv[1], encoding="utf-8"):
                    try:
                        out.append(str(eval(line.rstrip("\\n"), {"module": module})))
                    except Exception as e:
                        out.append("python raised %s: %s" % (type(e).__name__, e))
                sys.stdout.write("\\n----\\n".join(out))
                """,
        ])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let events = try EventumPipelineTests.run(dir, count: 1)
        try #require(events.count == 1)
        let eg = (events[0].raw ?? "").components(separatedBy: Self.separator)
        let py = try EventumPipelineTests.sh("TZ=UTC python3 '\(dir)/eval.py' '\(dir)/exprs.txt'")
        #expect(py.status == 0, "\(py.err)")
        let want = py.out.components(separatedBy: Self.separator)
        try #require(eg.count == Self.expressions.count && want.count == Self.expressions.count, "eg \(eg.count), python \(want.count)")
        for (k, e) in Self.expressions.enumerated() {
            #expect(eg[k] == want[k], "\(e): eg printed \(eg[k].debugDescription), Python \(want[k].debugDescription)")
        }
    }

    /// What Python raises, eg reports as a counted template error.
    @Test(arguments: [
        ("module.hashlib.md5('text')", "Strings must be encoded before hashing"),
        ("module.base64.b64encode('text')", "a bytes-like object is required, not 'str'"),
        ("module.base64.b64decode('abc')", "Incorrect padding"),
        ("module.math.sqrt(-1)", "math domain error"),
        ("module.math.log(0)", "math domain error"),
        ("module.math.exp(1000)", "math range error"),
        ("module.math.floor(module.math.inf)", "cannot convert float infinity to integer"),
        ("module.json.dumps(timestamp)", "Object of type datetime is not JSON serializable"),
        ("module.json.dumps({'a': 1, 2: 3}, sort_keys=True)", "'<' not supported between instances of 'int' and 'str'"),
        ("module.json.dumps(module.math.nan, allow_nan=False)", "Out of range float values are not JSON compliant"),
        ("module.json.loads('{bad')", "json.loads:"),
        ("module.uuid.UUID('1234')", "badly formed hexadecimal UUID string"),
        ("module.datetime.timedelta(fortnights=1)", "unexpected keyword argument 'fortnights'"),
        ("dispatch.next(0)", "max_repicks must be >= 1"),
    ])
    func pythonErrorsAreTemplateErrors(_ expression: String, _ message: String) throws {
        let dir = try EventumPipelineTests.folder([
            "generator.yml": "input: [{static: {count: 2}}]\nevent: {template: {mode: all, templates: [{e: {template: e.jinja}}]}}\noutput: [{stdout: {}}]\n",
            "e.jinja": "x{{ \(expression) }}",
        ])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try EventumPipelineTests.sh("eg-sample '\(dir)' | eg-rate --now 2025-06-01T00:00:00Z | eg-tokenize")
        #expect(r.status == 1, "\(expression): \(r.err)")
        #expect(r.err.contains("e.jinja:1:") && r.err.contains(message) && r.err.contains("(2 events failed in template e of generator"), "\(expression): \(r.err)")
        #expect(EventumPipelineTests.events(r.out).isEmpty)
    }
}
