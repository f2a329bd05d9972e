import Core

/// JSON-safe substitution: values escaped so they can sit inside a JSON string of `_raw`.
enum JSONSafe {
    /// Whether a pool line is a JSON object (its first non-blank byte is `{`).
    static func isJSONObject(_ raw: String) -> Bool {
        for b in raw.utf8 {
            if b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D { continue }
            return b == UInt8(ascii: "{")
        }
        return false
    }

    /// `value` escaped for use inside a JSON string (`"`, `\` and control characters).
    @inline(__always)
    static func escape(_ value: [UInt8], into out: inout [UInt8]) {
        out.removeAll(keepingCapacity: true)
        value.withUnsafeBufferPointer { JSONWriter.appendEscaped(bytes: $0, to: &out) }
    }

    static func escape(_ s: String) -> String {
        var out: [UInt8] = []
        escape(Array(s.utf8), into: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
