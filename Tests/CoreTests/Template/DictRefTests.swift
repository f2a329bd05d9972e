import Testing
@testable import Core

/// Dicts below and above the size where lookups switch from comparing keys in order to a hash
/// index: the same answers, Python's key equality (1 == 1.0 == True) and insertion order.
@Suite struct DictRefTests {
    @Test func smallAndLargeDictsAgreeWithAReferenceModel() {
        var rng = SeededRandom(seed: 3, stream: "dict")
        for size in [3, 8, 9, 40] {
            let d = DictRef()
            var model: [(Int, Int)] = []
            for step in 0..<400 {
                let k = rng.index(size * 2)
                switch rng.index(4) {
                case 0:
                    d[.int(k)] = nil
                    model.removeAll { $0.0 == k }
                default:
                    d[.int(k)] = .int(step)
                    if let i = model.firstIndex(where: { $0.0 == k }) { model[i].1 = step } else { model.append((k, step)) }
                }
                #expect(d.count == model.count)
                #expect(d.keys.compactMap(\.intValue) == model.map(\.0))
                #expect(d.values.compactMap(\.intValue) == model.map(\.1))
                for (mk, mv) in model { #expect(d[.int(mk)]?.intValue == mv) }
                #expect(d[.int(size * 2 + 1)] == nil)
            }
        }
    }

    @Test func keysThatPythonTreatsAsEqualAreOneKey() {
        for extra in [0, 20] {
            let d = DictRef()
            for i in 0..<extra { d[.string("k\(i)")] = Value.none }
            d[.int(1)] = .string("a")
            d[.float(1.0)] = .string("b")
            d[.bool(true)] = .string("c")
            #expect(d.count == extra + 1)
            #expect(d[.int(1)]?.text == "c")
            #expect(d.keys.last?.intValue == 1)
            d["name"] = .int(5)
            #expect(d[.string("name")]?.intValue == 5)
            let c = d.copy()
            c["name"] = nil
            #expect(c["name"] == nil && d["name"]?.intValue == 5)
            d.removeAll()
            #expect(d.count == 0 && d[.int(1)] == nil)
        }
    }

    @Test func templatesSeeTheSameDictAtEverySize() throws {
        let text = "{% set d = {} %}{% for i in range(12) %}{% do d.update({i: i * i}) %}{% endfor %}"
            + "{% do d.pop(3) %}{{ d | length }} {{ d[11] }} {{ d.get(3, 'gone') }} {{ d.keys() | list | first }} {{ 10 in d }}"
        #expect(try TemplateTests.renderText(text) == "11 121 gone 0 True")
    }
}
