import Foundation

/// One `replacementType`: its name, the syntax of its `replacement` and what it produces.
public struct TokenTypeDescriptor: Sendable {
    public let name: String
    public let replacement: String
    public let meaning: String
}

/// The registry of token types (`token.<n>.replacementType`), and the checks of a replacement
/// that need no file: eg-tokenize builds its generators from the same parsers, and
/// `eg-sample --check` reports what eg-tokenize would refuse.
public enum TokenTypes {
    public static let all: [TokenTypeDescriptor] = [
        .init(name: "static", replacement: "any text", meaning: "the text itself"),
        .init(name: "timestamp", replacement: "a strftime format, e.g. %Y-%m-%d %H:%M:%S.%3f", meaning: "the event's time"),
        .init(name: "replaytimestamp", replacement: "a strftime format or a JSON list of formats", meaning: "the original time moved to the event's time"),
        .init(name: "random", replacement: "ipv4, ipv6, mac, guid, integer[a:b], float[a:b], string(n), hex(n) or list[...]", meaning: "a random value"),
        .init(name: "rated", replacement: "integer[a:b] or float[a:b]", meaning: "a random number times the hour and weekday rates"),
        .init(name: "file", replacement: "<path> or <path>:<column>", meaning: "a random line (or column of a row) of a file"),
        .init(name: "mvfile", replacement: "<path>:<column>", meaning: "a column of one random row per event"),
        .init(name: "seqfile", replacement: "<path> or <path>:<column>", meaning: "the file's lines in order"),
        .init(name: "integerid", replacement: "an integer", meaning: "a counter from that integer, one up per event"),
    ]

    /// The type names, in registry order.
    public static let names: [String] = all.map(\.name)

    /// `static, timestamp, ... or integerid`, for messages.
    public static var list: String { names.dropLast().joined(separator: ", ") + " or " + names.last! }

    /// The problem with a strftime format (`timestamp`, `replaytimestamp`), or nil.
    public static func strftimeProblem(_ format: String) -> String? {
        let unknown = Strftime(format).unknownDirectives
        guard !unknown.isEmpty else { return nil }
        return unknown.map(\.problem).joined(separator: "; ")
    }

    /// The formats of a `replaytimestamp` replacement (one format, or a JSON list of them).
    public static func replayFormats(_ spec: String, at location: String) throws -> [String] {
        let t = spec.trimmingCharacters(in: .whitespaces)
        var list: [String]
        if t.hasPrefix("[") {
            guard let v = try? JSONParser.parse(t), case .array(let items) = v, !items.isEmpty,
                  items.allSatisfy({ $0.stringValue != nil }) else {
                throw EgError.config(at: location, "bad replaytimestamp formats '\(spec)': expected a format or a JSON list of format strings")
            }
            list = items.compactMap(\.stringValue)
        } else {
            list = [spec]
        }
        list = list.filter { !$0.isEmpty }
        guard !list.isEmpty else { throw EgError.config(at: location, "replaytimestamp needs at least one format") }
        for f in list {
            if let p = strftimeProblem(f) { throw EgError.config(at: location, "replaytimestamp format '\(f)': \(p)") }
        }
        return list
    }

    /// The start of an `integerid` counter.
    public static func integerIDStart(_ spec: String, at location: String) throws -> Int64 {
        guard let v = Int64(spec.trimmingCharacters(in: [" ", "\t"])) else {
            throw EgError.config(at: location, "bad integerid start '\(spec)': expected an integer from \(Int64.min) to \(Int64.max)")
        }
        return v
    }

    /// Checks a replacement without reading files: the error eg-tokenize would stop on, thrown.
    public static func check(type: String, replacement: String, at location: String) throws {
        switch type {
        case "static", "file", "seqfile": return
        case "timestamp":
            if let p = strftimeProblem(replacement) { throw EgError.config(at: location, "timestamp format '\(replacement)': \(p)") }
        case "replaytimestamp": _ = try replayFormats(replacement, at: location)
        case "random": _ = try RandomSpec.parse(replacement, location: location, allowOthers: true)
        case "rated": _ = try RandomSpec.parse(replacement, location: location, allowOthers: false)
        case "mvfile":
            if ReplacementFiles.splitColumn(replacement).column == nil {
                throw EgError.config(at: location, "mvfile replacement '\(replacement)' needs a column: <path>:<column>")
            }
        case "integerid": _ = try integerIDStart(replacement, at: location)
        default: throw unknownType(type, at: location)
        }
    }

    /// The error for an unknown `replacementType`, with a suggestion when one is close.
    public static func unknownType(_ type: String, at location: String) -> EgError {
        let hint = SettingSchema.closest(type, in: names).map { "; did you mean \($0)?" } ?? ""
        return EgError.config(at: location, "unknown replacementType '\(type)': expected \(list)\(hint)")
    }
}
