import Testing
@testable import Core

/// One test per YAML construct. The expected values are PyYAML's `yaml.safe_load` output
/// (`json.dumps(..., separators=(',', ':'), ensure_ascii=False)`), computed once and written here;
/// where YAML 1.1 (PyYAML) and YAML 1.2 (eg) differ, the 1.2 result is expected and says so.
@Suite struct YAMLConstructTests {
    /// The parsed text as compact JSON: one document as itself, several as an array.
    static func json(_ text: String) throws -> String {
        let docs = try YAML.parseDocuments(text, file: "t.yml")
        if docs.count == 1 { return JSONWriter.string(docs[0].json) }
        return JSONWriter.string(.array(docs.map(\.json)))
    }

    static let pyyaml: [(String, String, String)] = [
        ("blockMap", "a: 1\nb: two\nc:\n  d: true\n  e: ~\n",
         "{\"a\":1,\"b\":\"two\",\"c\":{\"d\":true,\"e\":null}}"),
        ("blockSeq", "- a\n- b\n-\n  - c\n  - d\n- - e\n  - f\n",
         "[\"a\",\"b\",[\"c\",\"d\"],[\"e\",\"f\"]]"),
        ("compactSeqInMap", "key:\n- a\n- b\nother: c\n",
         "{\"key\":[\"a\",\"b\"],\"other\":\"c\"}"),
        ("seqOfMaps", "- name: x\n  val: 1\n- name: y\n  val: 2.5\n",
         "[{\"name\":\"x\",\"val\":1},{\"name\":\"y\",\"val\":2.5}]"),
        ("flow", "a: [1, 2, {b: c, d: [e, f]}]\nf: {x: 1, y: 'q', z}\ng: [a: b, c]\nh: []\ni: {}\n",
         "{\"a\":[1,2,{\"b\":\"c\",\"d\":[\"e\",\"f\"]}],\"f\":{\"x\":1,\"y\":\"q\",\"z\":null},\"g\":[{\"a\":\"b\"},\"c\"],\"h\":[],\"i\":{}}"),
        ("flowMultiline", "a: [one,\n  two, # comment\n  three]\nb: {k: v,\n  k2: v2}\n",
         "{\"a\":[\"one\",\"two\",\"three\"],\"b\":{\"k\":\"v\",\"k2\":\"v2\"}}"),
        ("plainMulti", "a: this is\n  folded text\n\n  with a break\nb: x\n",
         "{\"a\":\"this is folded text\\nwith a break\",\"b\":\"x\"}"),
        ("single", "a: 'it''s'\nb: 'line one\n  line two'\nc: ''\n",
         "{\"a\":\"it's\",\"b\":\"line one line two\",\"c\":\"\"}"),
        ("double", "a: \"tab\\there\"\nb: \"\\u00e9\\x41\\U0001F600\"\nc: \"quote \\\" and \\\\\"\nd: \"fold\n  ed\"\ne: \"cont\\\n  inued\"\nf: \"\\/\\0\"\n",
         "{\"a\":\"tab\\there\",\"b\":\"éA😀\",\"c\":\"quote \\\" and \\\\\",\"d\":\"fold ed\",\"e\":\"continued\",\"f\":\"/\\u0000\"}"),
        ("literal", "a: |\n  line1\n  line2\n\nb: |-\n  strip\n\nc: |+\n  keep\n\nd: x\n",
         "{\"a\":\"line1\\nline2\\n\",\"b\":\"strip\",\"c\":\"keep\\n\\n\",\"d\":\"x\"}"),
        ("folded", "a: >\n  one\n  two\n\n  three\n    more\n  four\nb: >-\n  x\n  y\n",
         "{\"a\":\"one two\\nthree\\n  more\\nfour\\n\",\"b\":\"x y\"}"),
        ("indentIndicator", "a: |2\n    indented\n  base\nb: >1\n  sp\n",
         "{\"a\":\"  indented\\nbase\\n\",\"b\":\" sp\\n\"}"),
        ("comments", "# top\na: 1 # trailing\n# mid\nb: 'x' # q\nc: \"#notcomment\"\nd: x#y\n",
         "{\"a\":1,\"b\":\"x\",\"c\":\"#notcomment\",\"d\":\"x#y\"}"),
        ("anchors", "base: &b\n  x: 1\n  y: 2\nuse: *b\nlist: [&i 5, *i]\n",
         "{\"base\":{\"x\":1,\"y\":2},\"use\":{\"x\":1,\"y\":2},\"list\":[5,5]}"),
        ("merge", "base: &b {x: 1, y: 2}\nother: &o {y: 9, z: 3}\nm1:\n  <<: *b\n  y: 5\nm2:\n  <<: [*b, *o]\n  w: 0\n",
         "{\"base\":{\"x\":1,\"y\":2},\"other\":{\"y\":9,\"z\":3},\"m1\":{\"x\":1,\"y\":5},\"m2\":{\"y\":2,\"z\":3,\"x\":1,\"w\":0}}"),
        ("documents", "---\na: 1\n...\n---\n- b\n",
         "[{\"a\":1},[\"b\"]]"),
        ("emptyValues", "a:\nb:\n  -\n  - x\nc: {k: }\n",
         "{\"a\":null,\"b\":[null,\"x\"],\"c\":{\"k\":null}}"),
        ("quotedKeys", "\"a b\": 1\n'c:d': 2\n? e\n: 3\n",
         "{\"a b\":1,\"c:d\":2,\"e\":3}"),
        ("tags", "a: !!str 123\nb: !!int '7'\nc: !!float 2\nd: !!bool 'true'\n",
         "{\"a\":\"123\",\"b\":7,\"c\":2.0,\"d\":true}"),
        ("urls", "u: http://example.com:8080/a?b=c\nt: 12:30\nw: a:b\n",
         "{\"u\":\"http://example.com:8080/a?b=c\",\"t\":\"12:30\",\"w\":\"a:b\"}"),
        ("nestedDeep", "a:\n  b:\n    c:\n      - d: 1\n        e:\n          - f\n",
         "{\"a\":{\"b\":{\"c\":[{\"d\":1,\"e\":[\"f\"]}]}}}"),
        ("unicode", "name: Zoë\nemoji: \"😀\"\nk: 'naïve café'\n",
         "{\"name\":\"Zoë\",\"emoji\":\"😀\",\"k\":\"naïve café\"}"),
        ("trailingSpaces", "a: value   \nb:   spaced\n",
         "{\"a\":\"value\",\"b\":\"spaced\"}"),
        ("blockInSeq", "- |\n  text\n- >\n  folded\n  more\n- x\n",
         "[\"text\\n\",\"folded more\\n\",\"x\"]"),
        ("topScalar", "--- plain text\n",
         "\"plain text\""),
        ("crlf", "a: 1\r\nb:\r\n  - c\r\n",
         "{\"a\":1,\"b\":[\"c\"]}"),
    ]

    @Test(arguments: pyyaml.map { $0.0 })
    func matchesPyYAML(_ name: String) throws {
        let (_, text, expected) = Self.pyyaml.first { $0.0 == name }!
        #expect(try Self.json(text) == expected, "case \(name)")
    }

    @Test func coreSchemaTypes() throws {
        let n = try YAML.parse("""
            n1: null
            n2: ~
            n3:
            b1: true
            b2: False
            i1: 42
            i2: -17
            i3: 0x1F
            i4: 0o17
            i5: +8
            f1: 3.25
            f3: 1.5e3
            f4: .inf
            f5: -.inf
            f6: .NaN
            f7: .5
            s1: '42'
            s2: 1.2.3
            s3: yes
            s4: 0b101
            s5: 12:30
            big: 99999999999999999999
            """)
        func v(_ k: String) -> YAMLNode.Value { n[k]!.value }
        for k in ["n1", "n2", "n3"] { #expect(n[k]!.isNull, "\(k)") }
        guard case .bool(true) = v("b1"), case .bool(false) = v("b2") else { Issue.record("bools"); return }
        guard case .int(42) = v("i1"), case .int(-17) = v("i2"), case .int(31) = v("i3"), case .int(15) = v("i4"),
              case .int(8) = v("i5") else { Issue.record("ints"); return }
        guard case .float(3.25) = v("f1"), case .float(1500) = v("f3"), case .float(.infinity) = v("f4"),
              case .float(-.infinity) = v("f5"), case .float(let nan) = v("f6"), nan.isNaN,
              case .float(0.5) = v("f7"), case .float(1e20) = v("big") else { Issue.record("floats"); return }
        // YAML 1.2: yes, 0b101 and sexagesimal 12:30 are strings (PyYAML's 1.1 would say true, 5, 750).
        for (k, s) in [("s1", "42"), ("s2", "1.2.3"), ("s3", "yes"), ("s4", "0b101"), ("s5", "12:30")] {
            #expect(n[k]!.string == s, "\(k)")
        }
        #expect(JSONWriter.string(n["f3"]!.json) == "1500.0")
        #expect(n["f4"]!.json == .string("inf"))
    }

    @Test func marksAreOneBasedLineAndColumn() throws {
        let n = try YAML.parse("a:\n  b: [x, y]\n  c: 'z'\n", file: "m.yml")
        #expect(n["a"]!["b"]!.mark.description == "m.yml:2:6")
        #expect(n["a"]!["b"]!.items![1].mark.description == "m.yml:2:10")
        #expect(n["a"]!["c"]!.mark.description == "m.yml:3:6")
    }

    @Test func dottedKeysExpandIntoNestedMappings() throws {
        let n = try YAML.parse("batch.size: 10\nbatch:\n  delay: 1\nx.y.z: a\nplain: b\n").expandingDottedKeys()
        #expect(JSONWriter.string(n.json) == #"{"batch":{"size":10,"delay":1},"x":{"y":{"z":"a"}},"plain":"b"}"#)
        #expect(throws: YAMLError.self) { try YAML.parse("a.b: 1\na: 2\n").expandingDottedKeys() }
    }

    @Test func blockScalarChompingAndIndentation() throws {
        #expect(try Self.json("a: |+\n  x\n\n\n") == #"{"a":"x\n\n\n"}"#)
        #expect(try Self.json("a: >+\n  x\n  y\n\n") == #"{"a":"x y\n\n"}"#)
        #expect(try Self.json("a: |-\n  x\n\n") == #"{"a":"x"}"#)
        #expect(try Self.json("a: |\n  x\n  # not a comment\n") == #"{"a":"x\n# not a comment\n"}"#)
        #expect(try Self.json("a: |\n\n  after empty\n") == #"{"a":"\nafter empty\n"}"#)
        #expect(try Self.json("- |1\n  two\n- z\n") == #"[" two\n","z"]"#)
        #expect(try Self.json("a: |\nb: 1\n") == #"{"a":"","b":1}"#)
        #expect(try Self.json("a: >\n  x\n\n\n  y\n") == #"{"a":"x\n\ny\n"}"#)
    }

    @Test func anchorsOnKeysAndPropertiesOnTheirOwnLine() throws {
        #expect(try Self.json("- &k a: 1\n- *k\n") == #"[{"a":1},"a"]"#)
        #expect(try Self.json("a: &m\n  x: 1\nb: *m\n") == #"{"a":{"x":1},"b":{"x":1}}"#)
        #expect(try Self.json("a: !!str\n  5\n") == #"{"a":"5"}"#)
        #expect(try Self.json("a: &s [1, 2]\nb: *s\n") == #"{"a":[1,2],"b":[1,2]}"#)
    }

    @Test func documentsAndDirectives() throws {
        #expect(try YAML.parseDocuments("").isEmpty)
        #expect(try YAML.parseDocuments("# only a comment\n").isEmpty)
        #expect(try Self.json("%YAML 1.2\n---\na: 1\n") == #"{"a":1}"#)
        #expect(try Self.json("--- 1\n--- 2\n---\n") == "[1,2,null]")
        #expect(throws: YAMLError.self) { try YAML.parse("a: 1\n---\nb: 2\n") }
    }

    @Test func flowEdgeCases() throws {
        #expect(try Self.json(#"{"a":1,"b":[true,null]}"#) == #"{"a":1,"b":[true,null]}"#)
        #expect(try Self.json("[a, b, ]") == #"["a","b"]"#)
        #expect(try Self.json("{a: [1, {b: 2}], c: 'd'}") == #"{"a":[1,{"b":2}],"c":"d"}"#)
        #expect(try Self.json("[? a : b]") == #"[{"a":"b"}]"#)
        #expect(try Self.json("[http://x.y/z, a:b]") == #"["http://x.y/z","a:b"]"#)
        #expect(try Self.json("[multi\n  word, x]") == #"["multi word","x"]"#)
        #expect(try Self.json("{[a, b]: c}") == #"{"[\"a\",\"b\"]":"c"}"#)
    }
}
