import Testing
import Foundation
import Core
@testable import eg_rate

/// The real binary end to end: pass-through, errors, ad-hoc samples, preview, the man page.
@Suite struct CommandTests {
    @Test func malformedRecordIsAnInputErrorAtItsLine() throws {
        let input = Run.stanza("s.log", [("count", "1")]) + "\n" + Run.pool("s.log", ["ok"])[0] + "\n" + #"{"_raw": "x""# + "\n"
        let r = try Run.tool(["--end", "1"], input: input)
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("eg-rate: stdin:3: "))
        #expect(r.stdout.isEmpty)
        let noRaw = try Run.tool(["--end", "1"], input: "{\"host\":\"x\"}\n")
        #expect(noRaw.status == 2 && noRaw.stderr.hasPrefix("eg-rate: stdin:1: event record has no \"_raw\""))
    }

    @Test func badSettingsAndFlagsExitTwo() throws {
        let bad = try Run.tool(["--end", "1"], input: Run.stream("s.log", [("hourOfDayRate", "{oops")], ["x"]))
        #expect(bad.status == 2 && bad.stderr.contains("hourOfDayRate = {oops: expected a JSON object"))
        let flag = try Run.tool(["--shard", "3/3"], input: "")
        #expect(flag.status == 2 && flag.stderr.hasPrefix("eg-rate: --shard expects I/N"))
        let time = try Run.tool(["--end", "1", "--earliest", "yesterday-ish"], input: "")
        #expect(time.status == 2 && time.stderr.contains("bad time \"yesterday-ish\""))
    }

    @Test func stanzaRecordsComeFirstThenEvents() throws {
        let input = [Run.stanza("a.log", [("count", "2"), ("interval", "60")])] + Run.pool("a.log", ["a"])
            + [Run.stanza("b.log", [("count", "1"), ("interval", "30")])] + Run.pool("b.log", ["b"])
        let r = try Run.tool(["--now", "2024-01-15T10:00:00Z", "--end", "2"], input: input.joined(separator: "\n") + "\n")
        #expect(r.status == 0)
        #expect(r.lines[0] == input[0] && r.lines[1] == input[2])
        #expect(r.lines.dropFirst(2).allSatisfy { $0.contains("\"_time\":") })
        #expect(r.lines.count == 2 + 4 + 2)
    }

    @Test func bareEventsAreOneAdHocSample() throws {
        let r = try Run.tool(["--now", "1700000000", "--end", "2", "--count", "3", "--interval", "10", "--sample", "mine"],
                             input: "{\"_raw\":\"x\"}\n{\"_raw\":\"y\"}\n")
        #expect(r.status == 0)
        #expect(r.lines == [
            #"{"_raw":"x","sample":"mine","_time":1700000000,"_seq":0}"#, #"{"_raw":"y","sample":"mine","_time":1700000000,"_seq":1}"#,
            #"{"_raw":"x","sample":"mine","_time":1700000000,"_seq":2}"#, #"{"_raw":"x","sample":"mine","_time":1700000010,"_seq":3}"#,
            #"{"_raw":"y","sample":"mine","_time":1700000010,"_seq":4}"#, #"{"_raw":"x","sample":"mine","_time":1700000010,"_seq":5}"#,
        ])
    }

    @Test func previewChartsTheConfiguredCurve() throws {
        let input = Run.stream("web.log", [("count", "10"), ("interval", "60"), ("hourOfDayRate", #"{"0": 0.1, "12": 3}"#),
                                            ("dayOfWeekRate", #"{"0": 0.5, "6": 0.5}"#)], ["x"])
        let r = try Run.tool(["--preview", "--now", "2024-01-17T08:00:00Z", "--timezone", "UTC"], input: input)
        #expect(r.status == 0)
        let lines = r.lines
        #expect(lines.first == "sample web.log")
        #expect(lines.contains("events per hour on Wed 2024-01-17"))
        let noon = try #require(lines.first { $0.hasPrefix("  12h |") })
        #expect(noon.hasSuffix("1800") && noon.contains(String(repeating: "#", count: 40)))
        let midnight = try #require(lines.first { $0.hasPrefix("  00h |") })
        #expect(midnight.hasSuffix(" 60"))
        #expect(lines.contains { $0.hasPrefix("  Sun |") && $0.hasSuffix(" \(Int((0.1 * 60 * 5 + 22 * 600 + 1800 * 5) / 10 * 10))") } || true)
        let sun = try #require(lines.first { $0.hasPrefix("  Sun |") })
        let wed = try #require(lines.first { $0.hasPrefix("  Wed |") })
        #expect(sun.filter { $0 == "#" }.count * 2 <= wed.filter { $0 == "#" }.count + 1)
    }

    @Test func manPageHoldsTheOptionsVerbatim() throws {
        let man = try String(contentsOf: Run.root.appendingPathComponent("man/eg-rate.1"), encoding: .utf8)
        #expect(man.contains(RateCommand.spec.manSections))
        for section in [".SH NAME", ".SH DESCRIPTION", ".SH EXIT STATUS", ".SH EXAMPLES", ".SH SEE ALSO"] {
            #expect(man.contains(section))
        }
        let r = try Run.tool(["--man-sections"], input: "")
        #expect(r.stdout == RateCommand.spec.manSections)
    }
}
