import Foundation
import Testing

/// One `--seed` on eg-sample or eg-rate travels down the pipe in the stanza records, so a
/// pipeline is reproducible without repeating it; a tool's own `--seed` still wins.
@Suite struct SeedTravelTests {
    static let rate = "eg-rate --now 2026-03-02T10:00:00Z --end 40"
    static func run(_ sample: String, _ rate: String, _ tokenize: String) throws -> Data {
        // A random token on top of the stanza's timestamps, so eg-tokenize's seed shows in the output.
        let random = "--token ' (\\d+): ' --type random --replacement 'integer[1:1000000]'"
        let r = try Run.sh("eg-sample \(sample) examples/cisco | \(SeedTravelTests.rate) \(rate) | eg-tokenize \(tokenize) \(random) | eg-ship --output stdout")
        #expect(r.status == 0, "\(r.stderr)")
        return r.stdout
    }

    @Test func oneSeedMakesThePipelineByteIdentical() throws {
        let explicit = try Self.run("", "--seed 7", "--seed 7")
        #expect(explicit.count > 1000)
        let fromSample = try Self.run("--seed 7", "", "")
        #expect(fromSample == explicit)
        #expect(try Self.run("--seed 7", "", "") == fromSample)
        #expect(try Self.run("", "--seed 7", "") == explicit)
        #expect(try Self.run("--seed 8", "", "") != explicit)
    }

    @Test func aToolsOwnSeedOverridesTheTravellingOne() throws {
        // eg-rate's --seed replaces eg-sample's for eg-rate and for everything after it.
        #expect(try Self.run("--seed 7", "--seed 8", "") == Self.run("", "--seed 8", "--seed 8"))
        // eg-tokenize's own --seed wins over the one in the stanza records.
        let mixed = try Self.run("--seed 7", "", "--seed 9")
        #expect(mixed == (try Self.run("", "--seed 7", "--seed 9")))
        #expect(mixed != (try Self.run("", "--seed 7", "--seed 7")))
    }

    @Test func theSeedTravelsAsTheStanzasSeedSetting() throws {
        let r = try Run.sh("eg-sample --seed 42 examples/cisco | head -1")
        #expect(r.text.contains("\"seed\":\"42\""), "\(r.text)")
        let rate = try Run.sh("eg-sample --seed 42 examples/cisco | eg-rate --seed 5 --end 1 | head -1")
        #expect(rate.text.contains("\"seed\":\"5\"") && !rate.text.contains("\"seed\":\"42\""), "\(rate.text)")
    }
}
