import Foundation
import Testing
@testable import Core

@Suite struct SampleResolverTests {
    func conf(_ text: String, files: [String]) throws -> SampleResolution {
        let file = try ConfFile.parse(text: text, path: "/app/default/eventgen.conf")
        let set = ConfSet(inputs: [ConfInput(path: "/app/default/eventgen.conf", files: [file],
                                             defaultSampleDir: "/app/samples")])
        return SampleResolver.resolve(set) { dir in dir == "/app/samples" ? files : [] }
    }

    @Test func stanzaNamesAreWholeNameRegexes() throws {
        let r = try conf("[sample.tutorial1]\n[timeorder\\.csv]\n",
                         files: ["sampleXtutorial1", "timeorderXcsv", "sample.tutorial10"])
        #expect(r.samples.map(\.name) == ["sampleXtutorial1"])
        #expect(r.samples[0].path == "/app/samples/sampleXtutorial1")
        #expect(r.samples[0].sampleDir == "/app/samples")
        #expect(r.samples[0].confPath == "/app/default/eventgen.conf")
        #expect(r.warnings.count == 1)
        #expect(r.warnings[0].contains("[timeorder\\.csv]"))
        #expect(r.warnings[0].contains("/app/samples"))
    }

    @Test func oneStanzaManyFiles() throws {
        let r = try conf("[.*\\.log]\ncount = 2\n", files: ["b.log", "a.log", "c.txt"])
        #expect(r.samples.map(\.name) == ["a.log", "b.log"])
        #expect(r.samples.allSatisfy { $0.settings["count"] == "2" && $0.stanzaName == ".*\\.log" })
    }

    @Test func masterSelectionAndTokenAppending() throws {
        let r = try conf("""
        [.*]
        count = 1
        interval = 7
        token.0.token = any
        token.0.replacementType = static
        token.0.replacement = A
        [web.*]
        count = 2
        sourcetype = web
        token.5.token = w
        token.5.replacementType = static
        token.5.replacement = W
        [web.log]
        count = 3
        token.1.token = x
        token.1.replacementType = static
        token.1.replacement = X
        token.3.token = y
        token.3.replacementType = static
        token.3.replacement = Y
        [global]
        count = 9
        index = main
        """, files: ["web.log", "webapp", "other"])
        let byName = Dictionary(uniqueKeysWithValues: r.samples.map { ($0.name, $0) })
        let web = try #require(byName["web.log"])
        #expect(web.stanzaName == "web.log")                 // exact name wins
        #expect(web.matchedStanzas == ["web.log", ".*", "web.*"])
        #expect(web.settings["count"] == "3")                 // master's own value is locked
        #expect(web.settings["interval"] == "7")              // filled from another stanza
        #expect(web.settings["sourcetype"] == "web")
        #expect(web.settings["index"] == "main")              // global default
        let tokens = try web.settings.tokens()
        #expect(tokens.map(\.number) == [1, 3, 4, 5])
        #expect(tokens.map(\.replacement) == ["X", "Y", "A", "W"])

        let app = try #require(byName["webapp"])
        #expect(app.stanzaName == "web.*")                    // longest pattern
        #expect(app.settings["count"] == "2")
        #expect(try app.settings.tokens().map(\.replacement) == ["W", "A"])
        #expect(try app.settings.tokens().map(\.number) == [5, 6])

        let other = try #require(byName["other"])
        #expect(other.stanzaName == ".*")
        #expect(other.settings["count"] == "1")
        #expect(r.samples.count == 3)
        #expect(r.warnings.isEmpty)
    }

    @Test func globalDefaultsAndDisabled() throws {
        let r = try conf("""
        [global]
        outputMode = stdout
        disabled = false
        [a]
        disabled = true
        [b]
        disabled = 0
        outputMode = file
        [c]
        """, files: ["a", "b", "c"])
        #expect(r.samples.map(\.name) == ["b", "c"])
        #expect(r.samples[0].settings["outputMode"] == "file")
        #expect(r.samples[1].settings["outputMode"] == "stdout")
        #expect(r.samples[1].settings["disabled"] == "false")
    }

    @Test func noMatchingFile() throws {
        let r = try conf("""
        [missing]
        [missing.replay]
        mode = replay
        [bag]
        generator = windbag
        [vol]
        perDayVolume = 1
        """, files: ["x"])
        #expect(r.samples.map(\.name) == ["bag"])
        #expect(r.samples[0].path == nil)
        #expect(r.samples[0].stanzaName == "bag")
        #expect(r.warnings.count == 3)
        #expect(r.warnings.allSatisfy { $0.contains("/app/samples") })
        #expect(r.warnings[0].hasPrefix("[missing]"))
    }

    @Test func invalidRegexIsALiteralName() throws {
        let r = try conf("[weird(name]\n", files: ["weird(name", "weirdname"])
        #expect(r.samples.map(\.name) == ["weird(name"])
        #expect(r.warnings.count == 1)
        #expect(r.warnings[0].contains("not a valid regex"))
    }

    @Test func sampleDirSettingAndOverride() throws {
        let file = try ConfFile.parse(text: "[a]\nsampleDir = ../data\n[b]\n[global]\nsampleDir = /abs/s\n",
                                      path: "/app/default/eventgen.conf")
        let input = ConfInput(path: "/app/default/eventgen.conf", files: [file], defaultSampleDir: "/app/samples")
        let set = ConfSet(inputs: [input])
        #expect(set.sampleDir(for: set[stanza: "a"]!) == "/app/data")
        #expect(set.sampleDir(for: set[stanza: "b"]!) == "/abs/s")
        let over = ConfSet(inputs: [input], sampleDirOverride: "/override")
        #expect(over.sampleDir(for: over[stanza: "a"]!) == "/override")
        let r = SampleResolver.resolve(set) { dir in dir == "/app/data" ? ["a"] : dir == "/abs/s" ? ["b"] : [] }
        #expect(r.samples.map(\.path) == ["/app/data/a", "/abs/s/b"])
    }

    @Test func settingsSurviveAPlainPairRoundTrip() throws {
        let r = try conf("[a]\ntoken.0.token = x\ntoken.0.replacementType = static\ntoken.0.replacement = y\n",
                         files: ["a"])
        let rebuilt = Settings(r.samples[0].settings.pairs, stanza: "a")
        #expect(try rebuilt.tokens() == r.samples[0].settings.tokens())
        #expect(rebuilt.keys == r.samples[0].settings.keys)
    }
}

@Suite struct ConfLayeringTests {
    func tempDir() throws -> String {
        let dir = NSTemporaryDirectory() + "eg-conf-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    func write(_ path: String, _ text: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    @Test func appDirectoryLayersDefaultThenLocal() throws {
        let app = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: app) }
        try write(app + "/default/eventgen.conf", "[web.log]\ncount = 1\ninterval = 10\n[global]\nindex = main\n")
        try write(app + "/local/eventgen.conf", "[web.log]\ncount = 5\n[extra]\ngenerator = windbag\n")
        try write(app + "/samples/web.log", "line\n")
        try write(app + "/samples/.hidden", "x\n")
        try FileManager.default.createDirectory(atPath: app + "/samples/web.log.d", withIntermediateDirectories: true)

        let set = try ConfSet.load([app], workingDirectory: "/")
        #expect(set.inputs[0].defaultSampleDir == app + "/samples")
        #expect(set.inputs[0].files.map(\.path) == [app + "/default/eventgen.conf", app + "/local/eventgen.conf"])
        let web = try #require(set[stanza: "web.log"])
        #expect(web.settings["count"] == "5")
        #expect(web.settings["interval"] == "10")
        #expect(web.settings.source(of: "count")?.file == app + "/local/eventgen.conf")
        #expect(set.global["index"] == "main")

        let r = SampleResolver.resolve(set)
        #expect(r.samples.map(\.name) == ["web.log", "extra"])
        #expect(r.samples[0].path == app + "/samples/web.log")
        #expect(r.samples[0].confPath == app + "/local/eventgen.conf")
        #expect(r.samples[0].settings["index"] == "main")
        #expect(SampleResolver.listSampleDir(app + "/samples") == ["web.log"])
    }

    @Test func confFileUsesParentSamplesAndLaterInputsWin() throws {
        let root = try tempDir()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try write(root + "/bundle/default/eventgen.conf", "[a]\ncount = 1\nsampleDir = mine\n")
        try write(root + "/bundle/samples/a", "x\n")
        try write(root + "/other.conf", "[a]\ncount = 2\n")
        let set = try ConfSet.load(["bundle/default/eventgen.conf", "other.conf"], workingDirectory: root)
        #expect(set.inputs[0].defaultSampleDir == root + "/bundle/samples")
        #expect(set[stanza: "a"]?.settings["count"] == "2")
        // sampleDir relative to the conf file that set it
        #expect(set.sampleDir(for: set[stanza: "a"]!) == root + "/bundle/default/mine")
        let e = #expect(throws: EgError.self) { try ConfSet.load(["nope.conf"], workingDirectory: root) }
        #expect(e?.kind == .config)
    }
}

@Suite struct PathExpansionTests {
    @Test func expandsVariablesAndBackslashes() {
        let env = ["SPLUNK_HOME": "/opt/splunk", "X": "x"]
        #expect(PathExpansion.expand("$SPLUNK_HOME/etc/apps/a.sample", environment: env) == "/opt/splunk/etc/apps/a.sample")
        #expect(PathExpansion.expand("${SPLUNK_HOME}/etc", environment: env) == "/opt/splunk/etc")
        #expect(PathExpansion.expand("a\\$X\\b", environment: env) == "a/x/b")
        #expect(PathExpansion.expand("$NOPE/a", environment: env) == "$NOPE/a")
        #expect(PathExpansion.expand("a$X/b", environment: env) == "a$X/b")
        #expect(PathExpansion.resolve("s/../t", relativeTo: "/base") == "/base/t")
        #expect(PathExpansion.resolve("/abs", relativeTo: "/base") == "/abs")
    }
}
