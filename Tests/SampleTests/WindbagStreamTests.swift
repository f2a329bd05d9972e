import Testing
import EgTestSupport
import Foundation

/// Issue 12: a large windbag `count` streams in bounded memory (it once built the whole pool and
/// aborted at 32 GB), and a count beyond the range is a clear error.
@Suite struct WindbagStreamTests {
    @Test func largeCountStreamsInBoundedMemory() throws {
        let t = TempDir()
        let conf = t.write("wb.conf", "[wb]\ngenerator = windbag\ncount = 1000000\n")
        // 600 MB of address space: the old in-memory pool of a million events did not fit.
        let all = try ToolProcess.shell("ulimit -v 600000; eg-sample '\(conf)' | wc -l")
        #expect(all.status == 0, "\(String(decoding: all.stderr, as: UTF8.self))")
        #expect(String(decoding: all.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) == "1000001")
        let top = try ToolProcess.shell("ulimit -v 600000; eg-sample '\(conf)' | head -n 3 | tail -n 2")
        #expect(String(decoding: top.stdout, as: UTF8.self) == """
            {"_raw":"2014-01-01 00:00:00 -0700 WINDBAG Event 1 of 1000000","sample":"wb","index":"main","host":"127.0.0.1","source":"wb","sourcetype":"eventgen"}
            {"_raw":"2014-01-01 00:00:00 -0700 WINDBAG Event 2 of 1000000","sample":"wb","index":"main","host":"127.0.0.1","source":"wb","sourcetype":"eventgen"}

            """)
    }

    @Test func countBeyondTheRangeIsExitTwo() throws {
        let t = TempDir()
        let conf = t.write("wb.conf", "[wb]\ngenerator = windbag\ncount = 1000000000\n")
        let r = try Run.sample([conf])
        #expect(r.status == 2)
        #expect(r.stderr == "eg-sample: \(conf):3: [wb] count = 1000000000: expected an integer from -1 to 10000000\n")
        #expect(r.stdout.isEmpty)
    }
}
