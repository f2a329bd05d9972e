import Foundation

/// A replacement file read once: its non-blank lines (whitespace stripped) and, split on `,`,
/// its columns. Lines may end with `\n`, `\r\n` or a lone `\r` (some shipped samples use old
/// Mac line ends).
public final class ReplacementFile {
    /// A small integer naming the file in `SharedRows`.
    public let id: Int
    public let path: String
    public let lines: [[UInt8]]
    private var columnsCache: [[[UInt8]]]?

    public init(id: Int, path: String, lines: [[UInt8]]) {
        self.id = id
        self.path = path
        self.lines = lines
    }

    /// Every line split naively on `,` (eventgen's `line.split(",")`, no CSV quoting).
    public var columns: [[[UInt8]]] {
        if let c = columnsCache { return c }
        let c = lines.map { $0.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false).map { Array($0) } }
        columnsCache = c
        return c
    }

    /// Column `col` (1-based) of every line; a line too short is an error naming the token.
    public func column(_ col: Int, token: String) throws -> [[UInt8]] {
        var out: [[UInt8]] = []
        out.reserveCapacity(lines.count)
        for (k, row) in columns.enumerated() {
            guard col >= 1, col <= row.count else {
                throw EgError.config(at: token, "column \(col) is out of range in '\(path)' line \(k + 1), which has \(row.count) column\(row.count == 1 ? "" : "s")")
            }
            out.append(row[col - 1])
        }
        return out
    }
}

/// The process-wide cache of replacement files, and eventgen's path resolution for them (used by
/// eg-tokenize and by `eg-sample --check`).
public final class ReplacementFiles {
    private var byPath: [String: ReplacementFile] = [:]
    private var nextID = 0

    public init() {}
    /// Environment for `$VAR` expansion (tests may substitute their own).
    public var environment: [String: String] = ProcessInfo.processInfo.environment
    /// The working directory relative paths are tried against first.
    public var workingDirectory: String = FileManager.default.currentDirectoryPath

    /// Splits `path:col` (col all digits) from a plain path; a drive-letter colon is not a column.
    public static func splitColumn(_ spec: String) -> (path: String, column: Int?) {
        guard let colon = spec.lastIndex(of: ":") else { return (spec, nil) }
        let tail = spec[spec.index(after: colon)...]
        guard !tail.isEmpty, tail.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(tail) else { return (spec, nil) }
        return (String(spec[..<colon]), n)
    }

    /// The candidate locations of `path` in the order they are tried: as given (absolute, or
    /// relative to the working directory), then the conf's folder, then the sample directory,
    /// then the file's base name in the sample directory.
    public func candidates(_ path: String, confDir: String?, sampleDir: String?) -> [String] {
        let expanded = PathExpansion.expand(path, environment: environment)
        var out: [String] = []
        if expanded.hasPrefix("/") { out.append(expanded) } else {
            out.append(PathExpansion.resolve(expanded, relativeTo: workingDirectory))
            if let confDir { out.append(PathExpansion.resolve(expanded, relativeTo: confDir)) }
            if let sampleDir { out.append(PathExpansion.resolve(expanded, relativeTo: sampleDir)) }
        }
        if let sampleDir {
            let base = (expanded as NSString).lastPathComponent
            out.append(PathExpansion.resolve(base, relativeTo: sampleDir))
        }
        var seen = Set<String>()
        return out.filter { seen.insert($0).inserted }
    }

    /// Loads (once) the file a token names; `token` locates errors (`token 3 of [web.log]`).
    public func load(_ path: String, confDir: String?, sampleDir: String?, token: String) throws -> ReplacementFile {
        let tried = candidates(path, confDir: confDir, sampleDir: sampleDir)
        for p in tried {
            if let f = byPath[p] { return f }
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: p, isDirectory: &isDir), !isDir.boolValue else { continue }
            guard let data = FileManager.default.contents(atPath: p) else {
                throw EgError.config(at: token, "cannot read replacement file '\(p)'")
            }
            let f = ReplacementFile(id: nextID, path: p, lines: ReplacementFiles.lines(Array(data)))
            nextID += 1
            guard !f.lines.isEmpty else { throw EgError.config(at: token, "replacement file '\(p)' has no lines") }
            byPath[p] = f
            return f
        }
        throw EgError.config(at: token, "replacement file '\(path)' not found (tried \(tried.joined(separator: ", ")))")
    }

    /// Non-blank lines with surrounding whitespace stripped; `\n`, `\r\n` and `\r` all end a line.
    public static func lines(_ bytes: [UInt8]) -> [[UInt8]] {
        var out: [[UInt8]] = []
        var start = 0
        var k = 0
        func take(_ end: Int) {
            var a = start, b = end
            while a < b, isSpace(bytes[a]) { a += 1 }
            while b > a, isSpace(bytes[b - 1]) { b -= 1 }
            if b > a { out.append(Array(bytes[a..<b])) }
        }
        while k < bytes.count {
            let c = bytes[k]
            if c == 0x0A || c == 0x0D {
                take(k)
                if c == 0x0D, k + 1 < bytes.count, bytes[k + 1] == 0x0A { k += 1 }
                start = k + 1
            }
            k += 1
        }
        take(bytes.count)
        return out
    }

    @inline(__always) static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0B || b == 0x0C }
}
