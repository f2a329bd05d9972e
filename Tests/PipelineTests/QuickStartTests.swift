import Foundation
import Testing

/// The quick start: a plain log file replayed with current timestamps in one step,
/// `eg-sample --autotimestamp FILE | eg-rate | eg-tokenize | eg-ship`, on log files in several
/// timestamp formats written by the test. Every timestamp in the output must be current (inside
/// the window eg-rate was asked for) and everything around it byte-identical to the file's line.
@Suite struct QuickStartTests {
    /// A timestamp format: how to find it in a line and how to read it back.
    struct Stamp {
        var regex: String
        var format: String
        /// True when the format has no year (syslog): the current year is assumed.
        var yearless = false
        /// How many characters of the match the format reads (the fraction is left out), if not all.
        var length: Int? = nil
    }

    static let apache = Stamp(regex: #"\d{2}/[A-Z][a-z]{2}/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4}"#, format: "dd/MMM/yyyy:HH:mm:ss Z")
    static let iso = Stamp(regex: #"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3,6}Z"#, format: "yyyy-MM-dd'T'HH:mm:ss", length: 19)
    static let syslog = Stamp(regex: #"^[A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2}"#, format: "MMM d HH:mm:ss", yearless: true)
    static let log4j = Stamp(regex: #"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3,6}"#, format: "yyyy-MM-dd HH:mm:ss", length: 19)
    static let sql = Stamp(regex: #"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?![,\d])"#, format: "yyyy-MM-dd HH:mm:ss")
    static let us = Stamp(regex: #"\d{2}/\d{2}/\d{4} \d{2}:\d{2}:\d{2}"#, format: "MM/dd/yyyy HH:mm:ss")

    /// The log files: name, lines (old timestamps, numbers that must stay), formats in them.
    static let files: [(name: String, lines: [String], stamps: [Stamp])] = [
        ("access.log", [
            #"127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326"#,
            #"10.20.30.40 - - [10/Oct/2000:13:56:01 -0700] "POST /login?id=2000 HTTP/1.1" 302 0 "-" "curl/8.5.0""#,
            #"192.168.0.7 - - [11/Oct/2000:00:00:09 -0700] "GET /img/13:55.png HTTP/1.1" 404 512"#,
        ], [apache]),
        ("app.json.log", [
            #"2019-03-01T08:15:27.123Z level=info user=42 msg="login ok" took=17ms"#,
            #"2019-03-01T08:15:29.004567Z level=warn user=7 msg="slow query" took=2019ms"#,
        ], [iso]),
        ("auth.log", [
            "Mar  1 08:15:27 bastion sshd[4242]: Accepted publickey for deploy from 10.1.2.3 port 50022 ssh2",
            "Mar 14 23:59:59 bastion sudo: deploy : TTY=pts/0 ; PWD=/srv ; COMMAND=/bin/ls 12:00:00",
        ], [syslog]),
        ("server.log", [
            "2018-07-04 09:00:00,001 INFO  [main] com.example.Server - started in 1234 ms",
            "2018-07-04 09:00:05,250 ERROR [pool-1] com.example.Db - timeout after 30000 ms (attempt 3)",
        ], [log4j]),
        ("jobs.log", [
            "2017-01-02 03:04:05 job=7 queued; run at 01/02/2017 04:00:00 by cron",
            "2017-01-02 03:04:06 job=8 done",
        ], [sql, us]),
    ]

    /// Each match of the file's formats in `line` replaced by `<T>`, and the matched texts.
    static func template(_ line: String, _ stamps: [Stamp]) -> (String, [(String, Stamp)]) {
        var out = line
        var found: [(String, Stamp)] = []
        for s in stamps {
            let re = try! NSRegularExpression(pattern: s.regex, options: [.anchorsMatchLines])
            let ns = out as NSString
            for m in re.matches(in: out, range: NSRange(location: 0, length: ns.length)) {
                found.append((ns.substring(with: m.range), s))
            }
            out = re.stringByReplacingMatches(in: out, range: NSRange(location: 0, length: ns.length), withTemplate: "<T>")
        }
        return (out, found)
    }

    /// The time a timestamp names (UTC; the pipeline runs with TZ=UTC).
    static func time(_ text: String, _ s: Stamp) -> Double? {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "UTC")
        f.dateFormat = s.yearless ? "yyyy " + s.format : s.format
        let year = Calendar(identifier: .gregorian).component(.year, from: Date())
        let body = s.yearless ? "\(year) " + text.split(separator: " ").joined(separator: " ")
            : String(text.prefix(s.length ?? text.count))
        return f.date(from: body)?.timeIntervalSince1970
    }

    /// Writes the files, runs `rate` between eg-sample and eg-tokenize for each, and checks every
    /// output line; returns each file's event times.
    func replay(rate: String, window: Double) throws -> [String: [Double]] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("eg-quickstart-\(getpid())-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var times: [String: [Double]] = [:]
        for file in Self.files {
            let path = dir.appendingPathComponent(file.name).path
            try (file.lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            let t0 = Date().timeIntervalSince1970.rounded(.down)
            let r = try Run.sh("eg-sample --autotimestamp '\(path)' | \(rate) | eg-tokenize | eg-ship", environment: ["TZ": "UTC"])
            let t1 = Date().timeIntervalSince1970.rounded(.up)
            #expect(r.status == 0, "\(file.name): \(r.stderr)")
            let templates = Set(file.lines.map { Self.template($0, file.stamps).0 })
            #expect(templates.allSatisfy { $0.contains("<T>") })
            var fileTimes: [Double] = []
            for line in r.text.split(separator: "\n").map(String.init) {
                let (shape, stamps) = Self.template(line, file.stamps)
                #expect(templates.contains(shape), "\(file.name): \(line) is not a line of the file with new timestamps")
                #expect(!stamps.isEmpty, "\(file.name): \(line)")
                let parsed = stamps.compactMap { Self.time($0.0, $0.1) }
                #expect(parsed.count == stamps.count, "\(file.name): unreadable timestamp in \(line)")
                // All the timestamps of one event are its time.
                #expect(Set(parsed).count <= 1, "\(file.name): \(line)")
                guard let t = parsed.first else { continue }
                #expect(t >= t0 - window - 1 && t <= t1 + 1, "\(file.name): \(line) is not within [now\(window > 0 ? "-\(Int(window))s" : ""), now]")
                fileTimes.append(t)
            }
            times[file.name] = fileTimes
        }
        return times
    }

    @Test func wholeFileComesOutOnceWithTheCurrentTime() throws {
        let times = try replay(rate: "eg-rate --end 1", window: 0)
        for file in Self.files {
            #expect(times[file.name]?.count == file.lines.count, "\(file.name)")
        }
    }

    @Test func countEventsSpreadOverTheLastHour() throws {
        let times = try replay(rate: "eg-rate --count 40 --earliest -1h --end 1", window: 3600)
        for file in Self.files {
            let t = times[file.name] ?? []
            #expect(t.count == 40, "\(file.name)")
            #expect(t == t.sorted(), "\(file.name): events out of time order")
            // 40 uniform times in an hour: all within 30 minutes has a probability below 1e-10.
            #expect((t.max() ?? 0) - (t.min() ?? 0) > 1800, "\(file.name): \(t)")
        }
    }

    @Test func autotimestampTokensAreInTheStanzaRecord() throws {
        let r = try Run.sh("printf '%s\\n' '[10/Oct/2000:13:55:36 -0700] GET /' | eg-sample --autotimestamp")
        #expect(r.status == 0, "\(r.stderr)")
        let stanza = r.text.split(separator: "\n").first.map(String.init) ?? ""
        #expect(stanza.contains(#""autotimestamp":"true""#), "\(stanza)")
        #expect(stanza.contains(#""token.0.replacementType":"timestamp","token.0.replacement":"%d/%b/%Y:%H:%M:%S %z""#), "\(stanza)")
        // A file without a known timestamp is replayed as it is, with a warning.
        let none = try Run.sh("printf '%s\\n' 'no time here 42' | eg-sample --autotimestamp")
        #expect(none.status == 0)
        #expect(none.stderr == "eg-sample: warning: stdin: autotimestamp found no timestamp it knows in [stdin]: its events are replayed with their text as it is (add a timestamp token, or an autotimestamps catalogue)\n", "\(none.stderr)")
        #expect(!none.text.contains("token.0"))
        #expect(try Run.sh("printf '%s\\n' '[10/Oct/2000:13:55:36 -0700] GET /' | eg-sample --autotimestamp").stderr.isEmpty)
        // Without the flag the file is passed through as it is.
        let plain = try Run.sh("printf '%s\\n' '[10/Oct/2000:13:55:36 -0700] GET /' | eg-sample")
        #expect(!plain.text.contains("token.0"), "\(plain.text)")
    }
}
