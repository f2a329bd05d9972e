import Foundation

/// eventgen's path handling (`Sample.pathParser`): backslashes become `/`, and each path segment
/// that starts with `$` and names an environment variable (`$SPLUNK_HOME`, `${SPLUNK_HOME}`) is
/// replaced by its value; unknown variables are left as written.
public enum PathExpansion {
    public static func expand(_ path: String,
                              environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let slashed = path.replacingOccurrences(of: "\\", with: "/")
        guard slashed.contains("$") else { return slashed }
        return slashed.split(separator: "/", omittingEmptySubsequences: false).map { seg -> String in
            guard seg.hasPrefix("$") else { return String(seg) }
            if seg.hasPrefix("${"), let close = seg.firstIndex(of: "}") {
                let name = String(seg[seg.index(seg.startIndex, offsetBy: 2)..<close])
                if let value = environment[name] { return value + seg[seg.index(after: close)...] }
                return String(seg)
            }
            return environment[String(seg.dropFirst())] ?? String(seg)
        }.joined(separator: "/")
    }

    /// An absolute, standardized path: `path` as is when absolute, else joined to `base`.
    public static func resolve(_ path: String, relativeTo base: String) -> String {
        let joined = path.hasPrefix("/") ? path : (base.hasSuffix("/") ? base + path : base + "/" + path)
        return (joined as NSString).standardizingPath
    }
}
