import Foundation
import Testing
@testable import Core

/// The real eventgen confs and samples under `<repo>/../shared/eventgen` (read, never copied).
@Suite struct SharedConfTests {
    static let eventgen: String = {
        let repo = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return repo.deletingLastPathComponent().appendingPathComponent("shared/eventgen").path
    }()

    static func confFiles() -> [String] {
        let fm = FileManager.default
        var out: [String] = []
        let tutorials = eventgen + "/tutorials"
        for name in (try? fm.contentsOfDirectory(atPath: tutorials)) ?? [] where !name.hasPrefix(".") {
            out.append(tutorials + "/" + name)
        }
        let examples = eventgen + "/example-confs"
        if let walker = fm.enumerator(atPath: examples) {
            for case let rel as String in walker where (rel as NSString).lastPathComponent.hasPrefix("eventgen.conf") {
                out.append(examples + "/" + rel)
            }
        }
        return out.sorted()
    }

    @Test func everyTutorialAndExampleConfParses() throws {
        let files = Self.confFiles()
        #expect(files.count >= 40)
        #expect(files.contains { $0.hasSuffix("jinja/eventgen.conf.jinja_example") })
        // README/eventgen.conf.example is a document with a conf fragment, not a conf:
        // Python's parser rejects it too (MissingSectionHeaderError).
        let doc = Self.eventgen + "/tutorials/eventgen.conf.example"
        let e = #expect(throws: EgError.self) { try ConfFile.load(path: doc) }
        #expect(e?.location == doc + ":3")
        for path in files where path != doc {
            let conf = try ConfFile.load(path: path)
            #expect(!conf.sections.isEmpty, "\(path)")
        }
    }

    @Test func everyTokenIsCompleteAndItsRegexTranslates() throws {
        // Only tutorial3's standalone conf has incomplete tokens (13 and 14 set replacementType
        // twice and lack replacement, in two stanzas): eventgen drops them with an error.
        let incomplete = Self.eventgen + "/tutorials/eventgen-standalone.conf.tutorial3"
        var problems: [EgError] = []
        for path in Self.confFiles() where !path.hasSuffix("default.meta.example") && !path.hasSuffix("conf.example") {
            for section in try ConfFile.load(path: path).sections {
                let lenient = section.settings.tokensSkippingIncomplete()
                problems += lenient.problems
                if lenient.problems.isEmpty {
                    #expect(try section.settings.tokens() == lenient.tokens)
                } else {
                    #expect(throws: EgError.self) { try section.settings.tokens() }
                }
                for token in lenient.tokens {
                    _ = try PythonRegex.compile(token.pattern, context: "\(path) token \(token.number)")
                }
            }
        }
        #expect(problems.count == 4)
        #expect(problems.allSatisfy { $0.location?.hasPrefix(incomplete + ":") == true })
        #expect(problems.first?.location == incomplete + ":172")
        #expect(problems.first?.message == "[sample.mobilemusicfailure.csv] token 13 is incomplete: missing token.13.replacement")
    }

    @Test func tutorialSpotChecks() throws {
        let t2 = try ConfFile.load(path: Self.eventgen + "/tutorials/eventgen.conf.tutorial2")
        let s = try #require(t2[section: "sample.tutorial2"]).settings
        #expect(try s.int("count") == 20)
        #expect(s.bool("randomizeEvents") == true)
        #expect(try s.double("randomizeCount") == 0.2)
        #expect(s["hourOfDayRate"]?.hasPrefix("{ \"0\": 0.8,") == true)
        #expect(s["fileName"] == "/tmp/ciscosample.log")
        #expect(try s.tokens().first?.pattern == "\\w{3}\\s+\\d{1,2}\\s+\\d{2}:\\d{2}:\\d{2}")

        let t1 = try ConfFile.load(path: Self.eventgen + "/tutorials/eventgen.conf.tutorial1")
        let s1 = try #require(t1[section: "sample.tutorial1"]).settings
        #expect(s1["mode"] == "replay")
        #expect(try s1.double("timeMultiple") == 2)
        #expect(try s1.tokens()[1].replacement == "%m-%d-%Y %H:%M:%S.%f")

        // The standalone tutorial repeats token.18..29: the later definition wins.
        let st = try ConfFile.load(path: Self.eventgen + "/tutorials/eventgen-standalone.conf.tutorial2")
        for section in st.sections {
            let numbers = try section.settings.tokens().map(\.number)
            #expect(numbers == numbers.sorted())
            #expect(Set(numbers).count == numbers.count)
        }
    }

    @Test func tutorialStanzasMatchTheSharedSamples() throws {
        let set = try ConfSet.load([Self.eventgen + "/tutorials/eventgen.conf.tutorial2"], workingDirectory: "/")
        #expect(set.inputs[0].defaultSampleDir == Self.eventgen + "/samples")
        let r = SampleResolver.resolve(set)
        #expect(r.samples.map(\.name) == ["sample.tutorial2"])
        #expect(r.samples[0].path == Self.eventgen + "/samples/sample.tutorial2")
        #expect(r.warnings.isEmpty)

        for n in 0...4 {
            let set = try ConfSet.load([Self.eventgen + "/tutorials/eventgen.conf.tutorial\(n)"], workingDirectory: "/")
            let r = SampleResolver.resolve(set)
            #expect(r.samples.map(\.name) == ["sample.tutorial\(n)"], "tutorial\(n): \(r.warnings)")
        }

        let names = SampleResolver.listSampleDir(Self.eventgen + "/samples")
        #expect(names.contains("sample.mobilemusic.csv"))
        let mobile = try PythonRegex.compile("sample.mobilemusic")
        #expect(names.filter(mobile.matchesWhole) == ["sample.mobilemusic"])
        let csv = try PythonRegex.compile("vmware-perf.*\\.csv")
        #expect(names.filter(csv.matchesWhole).count == 5)
    }

    @Test func exampleConfsResolveWithTheirSampleDir() throws {
        let dir = Self.eventgen + "/example-confs/windbag"
        let set = try ConfSet.load([dir + "/eventgen.conf.windbag"], workingDirectory: "/")
        let r = SampleResolver.resolve(set)
        // windbag needs no file: the stanza runs as a sample named after it
        #expect(r.samples.map(\.name) == ["windbag"])
        #expect(r.samples[0].path == nil)

        let sample = try ConfSet.load([Self.eventgen + "/example-confs/sample/eventgen.conf.fullsample"],
                                      workingDirectory: "/")
        let rs = SampleResolver.resolve(sample)
        #expect(rs.samples.map(\.path) == [Self.eventgen + "/example-confs/sample/sample"])
    }
}
