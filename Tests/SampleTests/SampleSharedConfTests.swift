import Foundation
import Testing

/// Every conf shipped with eventgen (tutorials and example confs, read from `../shared/eventgen`)
/// either loads with the samples and event counts stated here (verified independently with
/// Python's `csv` module, `re` and line counts), or fails with the clear message stated here.
@Suite struct SampleSharedConfTests {
    /// One conf and what eg-sample must make of it.
    struct Case: CustomStringConvertible, Sendable {
        var conf: String
        var status: Int32 = 0
        /// sample name → number of pool events.
        var samples: [String: Int] = [:]
        /// (sample, key, value) checks on the stanza record's merged settings.
        var settings: [(String, String, String)] = []
        /// A text stderr must contain.
        var stderr: String? = nil
        var description: String { conf }
    }

    static let noSamples = "no samples to generate"

    static let cases: [Case] = [
        // tutorials (run with --sample-dir ../shared/eventgen/samples)
        Case(conf: "tutorials/eventgen-standalone.conf.tutorial1", status: 2,
             stderr: "[cisco.sample]: no sample file in "),
        Case(conf: "tutorials/eventgen-standalone.conf.tutorial2", samples: ["sample.businessevent": 1],
             settings: [("sample.businessevent", "count", "10"), ("sample.businessevent", "host", "host4.foobar.com"),
                        ("sample.businessevent", "token.29.replacementType", "mvfile")]),
        Case(conf: "tutorials/eventgen-standalone.conf.tutorial3", samples: ["sample.mobilemusic.csv": 5],
             settings: [("sample.mobilemusic.csv", "sampletype", "csv"), ("sample.mobilemusic.csv", "bundlelines", "true")],
             stderr: "[sample.mobilemusicfailure.csv]: no sample file in "),
        Case(conf: "tutorials/eventgen.conf.example", status: 2,
             stderr: "eventgen.conf.example:3: expected '[stanza]' before the first setting"),
        Case(conf: "tutorials/eventgen.conf.tutorial0", samples: ["sample.tutorial0": 12],
             settings: [("sample.tutorial0", "mode", "replay"), ("sample.tutorial0", "outputMode", "httpevent"),
                        ("sample.tutorial0", "end", "1")]),
        Case(conf: "tutorials/eventgen.conf.tutorial1", samples: ["sample.tutorial1": 1966],
             settings: [("sample.tutorial1", "sampletype", "csv"), ("sample.tutorial1", "token.0.replacementType", "replaytimestamp"),
                        ("sample.tutorial1", "token.4.replacementType", "replaytimestamp")]),
        Case(conf: "tutorials/eventgen.conf.tutorial2", samples: ["sample.tutorial2": 274],
             settings: [("sample.tutorial2", "count", "20"), ("sample.tutorial2", "interval", "15"),
                        ("sample.tutorial2", "earliest", "-15s"), ("sample.tutorial2", "token.0.replacement", "%b %d %H:%M:%S")]),
        Case(conf: "tutorials/eventgen.conf.tutorial3", samples: ["sample.tutorial3": 1],
             settings: [("sample.tutorial3", "count", "10000"), ("sample.tutorial3", "interval", "1")]),
        Case(conf: "tutorials/eventgen.conf.tutorial4", samples: ["sample.tutorial4": 3],
             settings: [("sample.tutorial4", "bundlelines", "true"), ("sample.tutorial4", "sampletype", "csv")]),
        // example confs (their own sampleDir settings)
        Case(conf: "example-confs/autotimestamp/eventgen.conf.autotimestamp", samples: ["replay": 12],
             settings: [("replay", "token.0.replacement", "%Y-%m-%d %H:%M:%S"), ("replay", "token.0.replacementType", "timestamp"),
                        ("replay", "host", "localhost")]),
        Case(conf: "example-confs/backfill/eventgen.conf.backfillend", samples: ["sample": 5],
             settings: [("sample", "end", "3"), ("sample", "count", "10")]),
        Case(conf: "example-confs/backfill/eventgen.conf.backfillreplay", samples: ["replay": 12],
             settings: [("replay", "generator", "replay"), ("replay", "interval", "0")]),
        Case(conf: "example-confs/backfill/eventgen.conf.backfillsample", samples: ["sample": 5],
             settings: [("sample", "interval", "1")]),
        Case(conf: "example-confs/breakersample/eventgen.conf.breakersample", samples: ["breakersample": 2],
             settings: [("breakersample", "breaker", "^\\d{14}\\.\\d{6}"), ("breakersample", "count", "3")]),
        Case(conf: "example-confs/breakersample/eventgen.conf.randombreakersample", samples: ["breakersample": 2],
             settings: [("breakersample", "randomizeEvents", "true")]),
        Case(conf: "example-confs/bundlelines/eventgen.conf.bundlelinescsv", samples: ["csv": 5],
             settings: [("csv", "bundlelines", "true"), ("csv", "sampletype", "csv")]),
        Case(conf: "example-confs/bundlelines/eventgen.conf.bundlelinesraw", samples: ["raw": 5],
             settings: [("raw", "bundlelines", "true")]),
        Case(conf: "example-confs/counter/eventgen.conf.counter", status: 2,
             stderr: "[100multiproc]: no sample file in "),
        Case(conf: "example-confs/eventgen.conf.test1", status: 2, stderr: "[weblog.sample]: no sample file in "),
        Case(conf: "example-confs/httpevent/eventgen.conf.httpevent", samples: ["windbag": 5],
             settings: [("windbag", "outputMode", "httpevent"), ("windbag", "sequentialTimestamp", "true")]),
        Case(conf: "example-confs/jinja/eventgen.conf.jinja", samples: ["test_jinja": 1, "test_jinja_loop": 1, "test_jinja_timeslice": 1],
             settings: [("test_jinja", "generator", "jinja")]),
        Case(conf: "example-confs/jinja/eventgen.conf.jinja_basic", samples: ["Test_Jinja": 1],
             settings: [("Test_Jinja", "generator", "jinja")]),
        Case(conf: "example-confs/jinja/eventgen.conf.jinja_example", samples: ["Advanced_Jinja": 1],
             settings: [("Advanced_Jinja", "generator", "jinja")]),
        Case(conf: "example-confs/jinja/eventgen.conf.jinja_time_examples", samples: ["Test_Jinja_TimeExamples": 1],
             settings: [("Test_Jinja_TimeExamples", "generator", "jinja")]),
        Case(conf: "example-confs/largerconfig/eventgen.conf.largerconfig",
             samples: ["windbag": 5, "sample": 5, "sample.mobilemusic.csv": 3, "replay": 12, "csv": 5, "breakersample": 2],
             settings: [("windbag", "generator", "windbag"), ("replay", "generator", "replay"), ("csv", "bundlelines", "true"),
                        ("breakersample", "breaker", "^\\d{14}\\.\\d{6}"), ("sample.mobilemusic.csv", "count", "1")]),
        Case(conf: "example-confs/medium_test/eventgen.conf.fileoutput", samples: ["windbag": 5],
             settings: [("windbag", "outputMode", "file")]),
        Case(conf: "example-confs/medium_test/eventgen.conf.scsoutput", status: 2,
             stderr: "[windbag] outputMode = scsout is not supported yet"),
        Case(conf: "example-confs/medium_test/eventgen.conf.syslogoutput", samples: ["windbag": 5],
             settings: [("windbag", "outputMode", "syslogout")]),
        Case(conf: "example-confs/medium_test/eventgen.conf.syslogoutputwithheader", samples: ["windbag": 5],
             settings: [("windbag", "syslogAddHeader", "true")]),
        Case(conf: "example-confs/medium_test/eventgen.conf.tcpoutput", samples: ["windbag": 5],
             settings: [("windbag", "outputMode", "tcpout")]),
        Case(conf: "example-confs/medium_test/eventgen.conf.udpoutput", samples: ["windbag": 5],
             settings: [("windbag", "outputMode", "udpout")]),
        Case(conf: "example-confs/perdayvolume/eventgen.conf.perdayvolume", samples: ["perdayvolume": 5],
             settings: [("perdayvolume", "perDayVolume", "1.1")]),
        Case(conf: "example-confs/perdayvolume/eventgen.conf.perdayvolumesinglerun", samples: ["perdayvolume": 5],
             settings: [("perdayvolume", "perDayVolume", ".01"), ("perdayvolume", "interval", "0")]),
        Case(conf: "example-confs/perf/eventgen.conf.perfsample", samples: ["sample": 5],
             settings: [("sample", "count", "100000"), ("sample", "outputMode", "devnull")]),
        Case(conf: "example-confs/perf/eventgen.conf.perfsampleweblog", samples: ["sample.shoppingapacheBrowse": 1],
             settings: [("sample.shoppingapacheBrowse", "sourcetype", "access_combined"),
                        ("sample.shoppingapacheBrowse", "token.6.replacement", "integer[100:1000]")]),
        Case(conf: "example-confs/perf/eventgen.conf.perfsampleweblog-s2s", status: 2,
             stderr: "[sample.shoppingapacheBrowse] outputMode = s2s is not supported yet"),
        Case(conf: "example-confs/perf/eventgen.conf.perfweblog", status: 2,
             stderr: "[weblog] generator = weblog is not supported yet"),
        Case(conf: "example-confs/perf/eventgen.conf.perfwindbag", samples: ["windbag": 500_000],
             settings: [("windbag", "count", "500000"), ("windbag", "token.0.replacementType", "timestamp"),
                        ("windbag", "sequentialTimestamp", "true")]),
        Case(conf: "example-confs/replay/eventgen.conf.badtimestamp", samples: ["badtimestamp": 9],
             settings: [("badtimestamp", "generator", "replay")]),
        Case(conf: "example-confs/replay/eventgen.conf.replay", samples: ["replay": 12],
             settings: [("replay", "mode", "replay"), ("replay", "token.1.replacementType", "random")]),
        Case(conf: "example-confs/replay/eventgen.conf.timeorder", status: 2, stderr: "[timeorder]: no sample file in "),
        Case(conf: "example-confs/replaytimestamp/eventgen.conf.replaytimestamp", samples: ["sample.mobilemusic.csv": 3],
             settings: [("sample.mobilemusic.csv", "bundlelines", "true"), ("sample.mobilemusic.csv", "end", "5")]),
        Case(conf: "example-confs/sample/eventgen.conf.epochtime", samples: ["sample": 5],
             settings: [("sample", "token.0.replacement", "%s.%f")]),
        Case(conf: "example-confs/sample/eventgen.conf.fullsample", samples: ["sample": 5],
             settings: [("sample", "count", "0")]),
        Case(conf: "example-confs/sample/eventgen.conf.longsample", samples: ["sample": 5],
             settings: [("sample", "count", "10")]),
        Case(conf: "example-confs/sample/eventgen.conf.notoken", samples: ["sample": 5],
             settings: [("sample", "end", "1")]),
        Case(conf: "example-confs/sample/eventgen.conf.randomsample", samples: ["sample": 5],
             settings: [("sample", "randomizeEvents", "true")]),
        Case(conf: "example-confs/sample/eventgen.conf.shortsample", samples: ["sample": 5],
             settings: [("sample", "count", "3")]),
        Case(conf: "example-confs/scsout/eventgen.conf", status: 2,
             stderr: "[splunk_cloud_platform_events.txt] outputMode = scsout is not supported yet"),
        Case(conf: "example-confs/splitsample/eventgen.conf.splitcounter", samples: ["sample": 5],
             settings: [("sample", "count", "33")]),
        Case(conf: "example-confs/unit/eventgen.conf.config", samples: ["sample": 5],
             settings: [("sample", "perDayVolume", "1"), ("sample", "sequentialTimestamp", "false"),
                        ("sample", "outputMode", "splunkstream")]),
        Case(conf: "example-confs/windbag/eventgen.conf.windbag", samples: ["windbag": 5],
             settings: [("windbag", "token.0.replacementType", "replaytimestamp"), ("windbag", "sequentialTimestamp", "true")]),
        Case(conf: "example-confs/windbag/eventgen.conf.windbag.end", samples: ["windbag": 5, "windbag2": 5],
             settings: [("windbag", "interval", "-1"), ("windbag2", "interval", "3"), ("windbag2", "end", "5")]),
    ]

    @Test(arguments: cases)
    func sharedConf(_ c: Case) throws {
        let base = Run.shared + "/eventgen"
        var args = [base + "/" + c.conf]
        if c.conf.hasPrefix("tutorials/") { args = ["--sample-dir", base + "/samples"] + args }
        let tmp = TempDir()
        let r = try Run.sample(args, cwd: tmp.path, env: ["SPLUNK_HOME": base])
        #expect(r.status == c.status, "\(c.conf): \(r.stderr)")
        if let text = c.stderr { #expect(r.stderr.contains(text), "\(c.conf): \(r.stderr)") }
        if c.status == 2 && c.samples.isEmpty {
            #expect(r.stdout.isEmpty)
            if c.stderr?.contains("no sample file") == true { #expect(r.stderr.contains(Self.noSamples)) }
        }
        #expect(r.counts == c.samples, "\(c.conf)")
        for (sample, key, value) in c.settings {
            #expect(r.setting(sample, key) == value, "\(c.conf): [\(sample)] \(key)")
        }
    }

    /// Every conf file under the shared folders is in the table.
    @Test func tableCoversEveryConf() throws {
        let base = Run.shared + "/eventgen"
        let fm = FileManager.default
        var found: [String] = []
        for top in ["tutorials", "example-confs"] {
            let e = fm.enumerator(atPath: base + "/" + top)
            while let p = e?.nextObject() as? String {
                let name = (p as NSString).lastPathComponent
                if name.hasPrefix("eventgen") && name.contains(".conf") { found.append(top + "/" + p) }
            }
        }
        #expect(Set(found) == Set(Self.cases.map(\.conf)))
        #expect(found.count == Self.cases.count)
    }
}
