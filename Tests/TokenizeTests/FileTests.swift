import Core
import Foundation
import Testing

/// file, file:col, mvfile, seqfile, integerid, host token, and path resolution.
@Suite struct FileTests {
    static func write(_ dir: String, _ name: String, _ text: String) -> String {
        let p = dir + "/" + name
        _ = FileManager.default.createFile(atPath: p, contents: Data(text.utf8))
        return p
    }

    static let rows = ["1,alpha,A", "2,beta,B", "3,gamma,C", "4,delta,D", "5,epsilon,E"]

    @Test func fileAndColumnsShareRowsPerEvent() throws {
        let dir = Run.tempDir()
        let f = FileTests.write(dir, "rows.csv", FileTests.rows.joined(separator: "\r") + "\r")
        let lines = FileTests.write(dir, "names.txt", "  one \n\ntwo\r\nthree\n")
        let input = (0..<600).map { _ in Run.line([("_raw", .string("n=0 name=x up=X line=L"))]) }.joined(separator: "\n") + "\n"
        let r = try Run.tokenize(["--seed", "5",
                                  "--token", #"n=(\d+)"#, "--type", "mvfile", "--replacement", f + ":1",
                                  "--token", #"name=(\w+)"#, "--type", "mvfile", "--replacement", f + ":2",
                                  "--token", #"up=(\w+)"#, "--type", "file", "--replacement", f + ":3",
                                  "--token", #"line=(\w+)"#, "--type", "file", "--replacement", lines], input: input)
        #expect(r.status == 0, "\(r.stderr)")
        var seenRows = Set<String>(), seenLines = Set<String>()
        for rec in r.records {
            let parts = (rec.raw ?? "").split(separator: " ").map { String($0.split(separator: "=")[1]) }
            let row = "\(parts[0]),\(parts[1]),\(parts[2])"
            #expect(FileTests.rows.contains(row), "row \(row) mixes rows")
            seenRows.insert(row)
            seenLines.insert(parts[3])
        }
        #expect(seenRows.count == 5)
        #expect(seenLines == ["one", "two", "three"])
    }

    @Test func bundleSharesMvfileRows() throws {
        let dir = Run.tempDir()
        let f = FileTests.write(dir, "rows.csv", FileTests.rows.joined(separator: "\n"))
        let stanza = Run.stanza(sample: "b.csv", settings: [
            ("bundlelines", "true"),
            ("token.0.token", #"user=(\w+)"#), ("token.0.replacementType", "mvfile"), ("token.0.replacement", f + ":2"),
            ("token.1.token", #"id=(\d+)"#), ("token.1.replacementType", "mvfile"), ("token.1.replacement", f + ":1"),
        ])
        var lines = [stanza]
        for b in 0..<40 {
            for k in 0..<3 {
                lines.append(Run.line([("_raw", .string(k == 1 ? "id=0" : "user=x step \(k)")), ("_time", .number("1700000000")),
                                       ("sample", .string("b.csv")), ("_bundle", .number(String(b)))]))
            }
        }
        let r = try Run.tokenize(["--seed", "9"], input: lines.joined(separator: "\n") + "\n")
        #expect(r.status == 0, "\(r.stderr)")
        let events = Array(r.records.dropFirst())
        #expect(events.count == 120)
        var users = Set<String>()
        for b in 0..<40 {
            let raws = events[(b * 3)..<(b * 3 + 3)].map { $0.raw ?? "" }
            let u0 = raws[0].split(separator: " ")[0].dropFirst(5), u2 = raws[2].split(separator: " ")[0].dropFirst(5)
            let id = raws[1].dropFirst(3)
            #expect(u0 == u2)
            #expect(FileTests.rows.contains { $0.hasPrefix("\(id),\(u0),") }, "id \(id) and user \(u0) are not one row")
            users.insert(String(u0))
        }
        #expect(users.count > 1)
    }

    @Test func seqfileIsSequentialAndWraps() throws {
        let dir = Run.tempDir()
        let f = FileTests.write(dir, "rows.csv", FileTests.rows.joined(separator: "\n") + "\n")
        let input = (0..<12).map { _ in Run.line([("_raw", .string("a=x b=y"))]) }.joined(separator: "\n") + "\n"
        let r = try Run.tokenize(["--token", #"a=(\w+)"#, "--type", "seqfile", "--replacement", f + ":2",
                                  "--token", #"b=(\S+)"#, "--type", "seqfile", "--replacement", f], input: input)
        let names = ["alpha", "beta", "gamma", "delta", "epsilon"]
        #expect(r.records.map { $0.raw ?? "" } == (0..<12).map { "a=\(names[$0 % 5]) b=\(FileTests.rows[$0 % 5])" })
    }

    @Test func integeridContinuesAcrossRunsWithState() throws {
        let state = Run.tempDir() + "/state"
        let stanza = Run.stanza(sample: "ids.log", settings: [
            ("token.2.token", #"transID=(\d+)"#), ("token.2.replacementType", "integerid"), ("token.2.replacement", "10000")])
        let input = ([stanza] + (0..<5).map { _ in Run.line([("_raw", .string("transID=000")), ("sample", .string("ids.log"))]) })
            .joined(separator: "\n") + "\n"
        let first = try Run.tokenize(["--state", state], input: input)
        #expect(first.records.dropFirst().map { $0.raw ?? "" } == (10000..<10005).map { "transID=\($0)" })
        let second = try Run.tokenize(["--state", state], input: input)
        #expect(second.records.dropFirst().map { $0.raw ?? "" } == (10005..<10010).map { "transID=\($0)" })
        // Without --state every run starts again.
        let plain = try Run.tokenize([], input: input)
        #expect(plain.records.dropFirst().first?.raw == "transID=10000")
    }

    @Test func hostToken() throws {
        let dir = Run.tempDir()
        let f = FileTests.write(dir, "hosts.txt", "web-1\nweb-2\nweb-3\n")
        let stanza = Run.stanza(sample: "h.log", settings: [("host.token", "(HOST)"), ("host.replacement", f)])
        let input = ([stanza] + (0..<60).map { _ in
            Run.line([("_raw", .string("HOST stays")), ("host", .string("HOST.example")), ("sample", .string("h.log"))]) })
            .joined(separator: "\n") + "\n"
        let r = try Run.tokenize(["--seed", "1"], input: input)
        let events = r.records.dropFirst()
        #expect(events.allSatisfy { $0.raw == "HOST stays" })
        let hosts = Set(events.compactMap { $0.string("host") })
        #expect(hosts == ["web-1.example", "web-2.example", "web-3.example"])
    }

    @Test func relativePathsFallBackToConfFolderAndSampleDir() throws {
        let dir = Run.tempDir()
        try FileManager.default.createDirectory(atPath: dir + "/samples", withIntermediateDirectories: true)
        _ = FileTests.write(dir, "samples/colors.txt", "red\n")
        _ = FileTests.write(dir, "near-conf.txt", "blue\n")
        let stanza = StanzaRecord(sample: "c.log", stanza: "c.log", conf: dir + "/eventgen.conf", sampleDir: dir + "/samples",
                                  settings: [("token.0.token", "A"), ("token.0.replacementType", "file"), ("token.0.replacement", "colors.txt"),
                                             ("token.1.token", "B"), ("token.1.replacementType", "file"), ("token.1.replacement", "near-conf.txt"),
                                             ("token.2.token", "C"), ("token.2.replacementType", "file"), ("token.2.replacement", "$EGTEST_DIR/near-conf.txt")]).record.jsonText
        var env = ProcessInfo.processInfo.environment
        env["EGTEST_DIR"] = dir
        let r = try Run.tokenize([], input: stanza + "\n" + Run.line([("_raw", .string("A B C")), ("sample", .string("c.log"))]) + "\n",
                                 environment: env, directory: "/")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.records.last?.raw == "red blue blue")
    }
}
