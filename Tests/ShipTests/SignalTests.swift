import Foundation
import Testing

@Suite struct ShipSignalTests {
    /// Events reach the file by time (before the input ends), and SIGTERM flushes the rest and
    /// prints the summary.
    @Test func timeFlushAndSigtermFlush() throws {
        let path = Run.tempDir() + "/sig.log"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Run.binary())
        p.arguments = ["--file", path, "--flush-interval", "0.2"]
        let inPipe = Pipe(), errPipe = Pipe()
        p.standardInput = inPipe
        p.standardError = errPipe
        try p.run()
        inPipe.fileHandleForWriting.write(Data((Stream.event("a") + Stream.event("b")).utf8))
        var lines = 0
        for _ in 0..<200 where lines < 2 {
            usleep(50_000)
            lines = ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").count
        }
        #expect(lines == 2)   // delivered by the flush timer while stdin is still open
        inPipe.fileHandleForWriting.write(Data(Stream.event("c").utf8))
        usleep(20_000)
        p.terminate()
        p.waitUntilExit()
        let err = String(decoding: errPipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(p.terminationStatus == 0)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "a\nb\nc\n")
        #expect(err.contains("file:\(path) events=3 bytes=6"))
    }
}
