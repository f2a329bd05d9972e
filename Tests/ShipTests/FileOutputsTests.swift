import Foundation
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import eg_ship

/// stdout, file (rotation), spool (atomicity), modinput (XML), dead letter, errors.
@Suite struct ShipFileOutputsTests {
    @Test func stdoutWritesRawLinesByDefault() throws {
        let input = Stream.stanza("a.log", ["index": "web"]) + Stream.event("one\n", sample: "a.log")
            + Stream.event("two", sample: "a.log", extra: [("anomaly", "a1")])
        let r = try Run.ship([], input: input)
        #expect(r.status == 0)
        #expect(r.stdout == "one\ntwo\n")
        #expect(r.stderr.contains("eg-ship: summary: stdout events=2 bytes=8 batches=1 retries=0 failed=0"))
    }

    @Test func jsonFormatWritesRecordsWithoutAnomalyUnlessKept() throws {
        let input = Stream.event("two", sample: "a.log", extra: [("anomaly", "a1")])
        let dropped = try Run.ship(["--format", "json", "-q"], input: input)
        #expect(dropped.stdout == "{\"_raw\":\"two\",\"_time\":1700000000.25,\"sample\":\"a.log\"}\n")
        #expect(dropped.stderr == "")
        let kept = try Run.ship(["--format", "json", "--keep-anomaly", "-q"], input: input)
        #expect(kept.stdout == input)
    }

    @Test func malformedRecordIsAnInputErrorWithItsLine() throws {
        let input = Stream.event("a") + Stream.event("b") + "{\"_raw\": \"x\"\n"
        let r = try Run.ship(["-q"], input: input)
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("eg-ship: stdin:3: "))
        #expect(r.stdout == "a\nb\n")   // what came before is still delivered
        let noRaw = try Run.ship(["-q"], input: "{\"x\":1}\n")
        #expect(noRaw.status == 2)
        #expect(noRaw.stderr.hasPrefix("eg-ship: stdin:1: event record has no \"_raw\""))
    }

    @Test func unknownOutputModeIsAConfigError() throws {
        let r = try Run.ship([], input: Stream.stanza("a.log", ["outputMode": "carrierpigeon"]) + Stream.event("x", sample: "a.log"))
        #expect(r.status == 2)
        // The error comes alone: nothing was delivered, so there is no summary before it.
        #expect(r.stderr.hasPrefix("eg-ship: stanza [a.log]: unknown outputMode 'carrierpigeon': expected one of "), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        // Events delivered before the bad stanza are still accounted for.
        let later = try Run.ship([], input: Stream.stanza("a.log", ["outputMode": "stdout"]) + Stream.event("x", sample: "a.log")
                                     + Stream.stanza("b.log", ["outputMode": "carrierpigeon"]) + Stream.event("y", sample: "b.log"))
        #expect(later.status == 2)
        #expect(later.stdout == "x\n")
        #expect(later.stderr.contains("eg-ship: summary: stdout events=1 "), "\(later.stderr)")
        #expect(later.stderr.contains("stanza [b.log]: unknown outputMode 'carrierpigeon'"))
        let s2s = try Run.ship([], input: Stream.stanza("a.log", ["outputMode": "s2s"]) + Stream.event("x", sample: "a.log"))
        #expect(s2s.stderr.contains("not supported yet"))
    }

    @Test func fileRotationKeepsBackups() throws {
        let dir = Run.tempDir()
        let path = dir + "/out.log"
        // Each line is 10 bytes ("event-NNN\n"); 35 bytes per file holds 3 lines.
        var input = Stream.stanza("a.log", ["outputMode": "file", "fileName": path, "fileMaxBytes": "35", "fileBackupFiles": "2"])
        for k in 0..<10 { input += Stream.event(String(format: "event-%03d", k), sample: "a.log") }
        let r = try Run.ship(["--batch-size", "4"], input: input)
        #expect(r.status == 0)
        #expect(r.stderr.contains("file:\(path) events=10 bytes=100"))
        let current = try String(contentsOfFile: path, encoding: .utf8)
        let one = try String(contentsOfFile: path + ".1", encoding: .utf8)
        let two = try String(contentsOfFile: path + ".2", encoding: .utf8)
        #expect(current == "event-009\n")
        #expect(one == "event-006\nevent-007\nevent-008\n")
        #expect(two == "event-003\nevent-004\nevent-005\n")
        #expect(!FileManager.default.fileExists(atPath: path + ".3"))
    }

    @Test func fileFlagImpliesFileOutputAndAppends() throws {
        let dir = Run.tempDir()
        let path = dir + "/x.log"
        _ = try Run.ship(["--file", path, "-q"], input: Stream.event("a"))
        _ = try Run.ship(["--file", path, "-q"], input: Stream.event("b"))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "a\nb\n")
    }

    @Test func spoolNeverShowsAPartialBatch() throws {
        let dir = Run.tempDir()
        let final = dir + "/web.log"
        let line = String(repeating: "x", count: 2000)
        var input = Stream.stanza("web.log", ["outputMode": "spool", "spoolDir": dir, "spoolFile": "<SAMPLE>"])
        for k in 0..<600 { input += Stream.event("\(k % 10)" + line, sample: "web.log") }
        // A watcher reads the final name over and over: every snapshot must be whole batches of whole lines.
        final class Flag: @unchecked Sendable { var stop = false; var bad: [String] = []; var seen = 0 }
        let flag = Flag()
        let done = DispatchSemaphore(value: 0)
        Thread {
            while !flag.stop {
                if let d = FileManager.default.contents(atPath: final) {
                    flag.seen += 1
                    let lineLen = 2002
                    if d.count % (lineLen * 20) != 0 || (d.count > 0 && d.last != 0x0A) { flag.bad.append("size \(d.count)") }
                }
            }
            done.signal()
        }.start()
        let r = try Run.ship(["--batch-size", "20", "--flush-interval", "60"], input: input)
        flag.stop = true
        done.wait()
        #expect(r.status == 0)
        #expect(flag.bad.isEmpty)
        let content = try String(contentsOfFile: final, encoding: .utf8)
        #expect(content.split(separator: "\n").count == 600)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0 != "web.log" }
        #expect(leftovers.isEmpty)
    }

    @Test func modinputIsWellFormedEscapedXML() throws {
        let tricky = "a <b> & \"c\" 'd' \u{01} é\nline2"
        let input = Stream.stanza("m.log", ["outputMode": "modinput", "index": "idx", "host": "h<1>", "sourcetype": "st&x"])
            + Stream.event(tricky, sample: "m.log") + Stream.event("plain", time: "1700000001", sample: "m.log")
        let r = try Run.ship(["-q"], input: input)
        #expect(r.status == 0)
        final class Collector: NSObject, XMLParserDelegate {
            var events: [[String: String]] = []
            var current: [String: String]?
            var text = ""
            var root = ""
            func parser(_ p: XMLParser, didStartElement e: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
                if root.isEmpty { root = e }
                if e == "event" { current = [:] }
                text = ""
            }
            func parser(_ p: XMLParser, foundCharacters s: String) { text += s }
            func parser(_ p: XMLParser, didEndElement e: String, namespaceURI: String?, qualifiedName: String?) {
                if e == "event", let c = current { events.append(c); current = nil } else { current?[e] = text }
            }
        }
        let parser = XMLParser(data: Data(r.stdout.utf8))
        let c = Collector()
        parser.delegate = c
        #expect(parser.parse(), "XML not well-formed: \(String(describing: parser.parserError))")
        #expect(c.root == "stream")
        #expect(c.events.count == 2)
        #expect(c.events[0]["data"] == "a <b> & \"c\" 'd' \u{FFFD} é\nline2")
        #expect(c.events[0]["time"] == "1700000000.25")
        #expect(c.events[0]["index"] == "idx")
        #expect(c.events[0]["host"] == "h<1>")
        #expect(c.events[0]["sourcetype"] == "st&x")
        #expect(c.events[0]["source"] == "m.log")
        #expect(c.events[1]["time"] == "1700000001")
        #expect(r.stdout.contains("<data>a &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos;"))
    }

    @Test func deadLetterKeepsUndeliverableRecords() throws {
        let dir = Run.tempDir()
        let dl = dir + "/dead.ndjson"
        let port = Run.freePort()
        let events = Stream.event("e1", sample: "t.log", extra: [("anomaly", "x")]) + Stream.event("e2", sample: "t.log")
        let input = Stream.stanza("t.log", ["outputMode": "tcpout", "tcpDestinationPort": "\(port)"]) + events
        let r = try Run.ship(["--retries", "1", "--retry-delay", "0", "--dead-letter", dl], input: input)
        #expect(r.status == 1)
        #expect(r.stderr.contains("tcpout:127.0.0.1:\(port): 2 events (first from stdin:2) not delivered"))
        #expect(r.stderr.contains("events=0 bytes=0 batches=0 retries=1 failed=2"))
        #expect(r.stderr.contains("eg-ship: 2 events could not be delivered; written to \(dl)"))
        // The stanza record first, with the settings the events were shipped with.
        #expect(try String(contentsOfFile: dl, encoding: .utf8)
            == Stream.stanza("t.log", ["outputMode": "tcpout", "tcpDestinationPort": "\(port)"]) + events)
        var st = stat()
        #expect(stat(dl, &st) == 0 && st.st_mode & 0o777 == 0o600)
    }

    @Test func manPageHoldsTheOptionsVerbatim() throws {
        let man = try String(contentsOfFile: Run.packageRoot + "/man/eg-ship.1", encoding: .utf8)
        #expect(man.contains(ShipCommand.spec.manSections))
    }
}
