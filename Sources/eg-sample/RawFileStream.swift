#if canImport(Glibc)
import Glibc
#endif
import Core

/// Writes the pool of a raw sample file split by lines (the default breaker, no autotimestamp:
/// plain-file mode and most conf samples) straight from the file to the record stream, without
/// loading it: the file is streamed through `LineReader` twice, once to decide UTF-8 or Latin-1
/// (for the whole file, as `TextDecoding.decode` does; a UTF-8 sequence never contains `\n` or
/// `\r`, so lines can be checked one at a time) and once to write the events. Each event is the
/// constant prefix `{"_raw":"`, `_raw` escaped byte by byte into the output, and the constant
/// rest (sample, index, host, source, sourcetype) encoded once. The bytes written are those of
/// `SampleLoader.splitRaw` + `SamplePlan.records`: `\r\n` and lone `\r` end lines, a leading
/// byte-order mark is dropped, blank (whitespace-only) lines are skipped.
enum RawFileStream {
    /// Whether `sample` can be streamed: a file read as raw with the default breaker, no
    /// autotimestamp, not windbag.
    static func eligible(_ sample: PlannedSample) -> Bool {
        guard sample.path != nil else { return false }
        let s = sample.settings
        let type = s["sampletype"].flatMap { $0.isEmpty ? nil : $0 } ?? "raw"
        guard type == "raw" else { return false }
        if let b = s["breaker"], !b.isEmpty, b != SampleLoader.defaultBreaker { return false }
        if s.bool("autotimestamp") == true { return false }
        return SampleResolver.effectiveGenerator(s, global: Settings()) != "windbag"
    }

    /// Whether every byte of `line` is ASCII (8 bytes at a time).
    @inline(__always)
    static func isASCII(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let p = line.baseAddress else { return true }
        let n = line.count
        var k = 0
        let raw = UnsafeRawPointer(p)
        while k + 8 <= n {
            if raw.loadUnaligned(fromByteOffset: k, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
            k += 8
        }
        while k < n {
            if p[k] >= 0x80 { return false }
            k += 1
        }
        return true
    }

    /// Whether the file at `path` is valid UTF-8 (its first pass).
    static func isUTF8(path: String) throws -> Bool {
        let reader = try LineReader(path: path)
        while let line = try reader.nextLine() {
            if isASCII(line) { continue }
            if String(validating: line, as: UTF8.self) == nil { return false }
        }
        return true
    }

    /// Writes the sample's events (its stanza record is already written) to `out`.
    static func write(_ sample: PlannedSample, to out: OutputBuffer) throws {
        guard let path = sample.path else { return }
        let latin1: Bool
        let reader: LineReader
        do {
            latin1 = try !isUTF8(path: path)
            reader = try LineReader(path: path)
        } catch let e as EgError {
            throw e
        } catch {
            throw EgError.input(at: path, "cannot read sample file: \(error)")
        }
        let rest = suffix(sample)
        let prefix: [UInt8] = Array("{\"_raw\":\"".utf8)
        try out.flush()
        var buf: [UInt8] = []
        buf.reserveCapacity((1 << 18) + (1 << 16))
        var first = true
        while var line = try reader.nextLine() {
            if first {
                first = false
                if line.count >= 3, line[0] == 0xEF, line[1] == 0xBB, line[2] == 0xBF {
                    line = UnsafeBufferPointer(rebasing: line[3...])
                }
            }
            // Segments between lone `\r`s (a final `\r` is the `\r\n` pair's).
            var start = 0
            let n = line.count
            let base = line.baseAddress
            while true {
                var k = n
                if start < n, let cr = memchr(base! + start, 0x0D, n - start) {
                    k = base!.distance(to: cr.assumingMemoryBound(to: UInt8.self))
                }
                let seg = UnsafeBufferPointer(rebasing: line[start..<k])
                if !isBlank(seg, latin1: latin1) {
                    buf.append(contentsOf: prefix)
                    appendEscaped(seg, latin1: latin1, to: &buf)
                    buf.append(contentsOf: rest)
                    if buf.count >= 1 << 18 {
                        swap(&buf, &out.bytes)
                        try out.flush()
                        swap(&buf, &out.bytes)
                        if StopRequest.isRequested { return }
                    }
                }
                // A final `\r` is the `\r\n` pair's.
                if k + 1 >= n { break }
                start = k + 1
            }
        }
        swap(&buf, &out.bytes)
        try out.flush()
    }

    /// `","sample":...,"sourcetype":"..."}` and a newline: what follows `_raw` in every event.
    static func suffix(_ sample: PlannedSample) -> [UInt8] {
        func setting(_ key: String, _ fallback: String) -> String {
            if let v = sample.settings[key], !v.isEmpty { return v }
            return fallback
        }
        var out: [UInt8] = [UInt8(ascii: "\"")]
        for (key, value) in [("sample", sample.name), ("index", setting("index", "main")),
                             ("host", setting("host", "127.0.0.1")), ("source", setting("source", sample.name)),
                             ("sourcetype", setting("sourcetype", "eventgen"))] {
            out.append(UInt8(ascii: ","))
            JSONWriter.appendString(key, to: &out)
            out.append(UInt8(ascii: ":"))
            JSONWriter.appendString(value, to: &out)
        }
        out.append(contentsOf: "}\n".utf8)
        return out
    }

    /// Whether the segment is empty or all whitespace (`Character.isWhitespace`, as `splitRaw`).
    @inline(__always)
    static func isBlank(_ seg: UnsafeBufferPointer<UInt8>, latin1: Bool) -> Bool {
        var sawNonASCII = false
        for b in seg {
            if b >= 0x80 { sawNonASCII = true; continue }
            if b != 0x20 && !(b >= 0x09 && b <= 0x0D) { return false }
        }
        guard sawNonASCII else { return true }
        var text = String(decoding: seg, as: UTF8.self)
        if latin1 {
            var v = String.UnicodeScalarView()
            for b in seg { v.append(Unicode.Scalar(b)) }
            text = String(v)
        }
        return text.allSatisfy { $0.isWhitespace }
    }

    /// Appends the segment escaped as JSON string content (as `JSONWriter.appendEscaped`), its
    /// bytes taken as Latin-1 (each byte >= 0x80 becomes two UTF-8 bytes) when `latin1`.
    @inline(__always)
    static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, latin1: Bool, to out: inout [UInt8]) {
        var runStart = 0
        var k = 0
        let n = bytes.count
        while k < n {
            k = JSONWriter.firstEscapable(in: bytes, from: k, stopAtNonASCII: latin1)
            guard k < n else { break }
            let b = bytes[k]
            if k > runStart { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<k])) }
            if b >= 0x80 {
                out.append(0xC0 | b >> 6)
                out.append(0x80 | b & 0x3F)
            } else {
                JSONWriter.appendEscapeSequence(b, to: &out)
            }
            k += 1
            runStart = k
        }
        if n > runStart { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<n])) }
    }
}
