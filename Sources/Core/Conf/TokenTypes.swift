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

/// The kinds of `random` value (and `rated`'s integer and float ranges).
public enum RandomKind: Sendable, Equatable {
    case ipv4, ipv6, mac, guid
    case integer(Int64, Int64)
    case float(Double, Double, decimals: Int)
    case string(Int)
    case hex(Int)
    case list([[UInt8]])
}

/// The parser of `random` and `rated` replacements.
public enum RandomSpec {
    /// Parses the kinds; `allowOthers` false accepts only integer and float (`rated`).
    public static func parse(_ raw: String, location: String, allowOthers: Bool) throws -> RandomKind {
        let spec = raw.trimmingCharacters(in: .whitespaces)
        let lower = spec.lowercased()
        func bracket(_ prefix: String, _ open: Character, _ close: Character) -> String? {
            guard lower.hasPrefix(prefix + String(open)), spec.hasSuffix(String(close)) else { return nil }
            return String(spec.dropFirst(prefix.count + 1).dropLast())
        }
        if let body = bracket("integer", "[", "]") {
            let parts = body.split(separator: ":", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let a = Int64(parts[0]), let b = Int64(parts[1]) else {
                throw EgError.config(at: location, "bad integer range '\(raw)': expected integer[a:b] with whole numbers a and b from \(Int64.min) to \(Int64.max)")
            }
            guard a <= b else { throw EgError.config(at: location, "bad integer range '\(raw)': b must not be less than a") }
            return .integer(a, b)
        }
        if let body = bracket("float", "[", "]") {
            let parts = body.split(separator: ":", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let a = Double(parts[0]), let b = Double(parts[1]), a.isFinite, b.isFinite else {
                throw EgError.config(at: location, "bad float range '\(raw)': expected float[a:b] with numbers a and b")
            }
            guard a <= b else { throw EgError.config(at: location, "bad float range '\(raw)': b must not be less than a") }
            let decimals = parts[0].firstIndex(of: ".").map { parts[0].distance(from: $0, to: parts[0].endIndex) - 1 } ?? 0
            return .float(a, b, decimals: min(decimals, 17))
        }
        guard allowOthers else {
            throw EgError.config(at: location, "bad rated replacement '\(raw)': expected integer[a:b] or float[a:b]")
        }
        switch lower {
        case "ipv4": return .ipv4
        case "ipv6": return .ipv6
        case "mac": return .mac
        case "guid": return .guid
        default: break
        }
        for (name, isHex) in [("string", false), ("hex", true)] {
            if let body = bracket(name, "(", ")") {
                let max = SettingSchema.maxRandomLength
                guard let n = Int(body.trimmingCharacters(in: .whitespaces)), n >= 0, n <= max else {
                    throw EgError.config(at: location, "bad \(name) length in '\(raw)': expected \(name)(n) with n from 0 to \(max)")
                }
                return isHex ? .hex(n) : .string(n)
            }
        }
        if lower.hasPrefix("list") {
            let body = spec.dropFirst(4)
            guard let value = try? JSONParser.parse(String(body)), case .array(let items) = value, !items.isEmpty else {
                throw EgError.config(at: location, "bad list '\(raw)': expected list[\"a\",\"b\",...] holding a non-empty JSON list")
            }
            return .list(items.map { Array(($0.text ?? JSONWriter.string($0)).utf8) })
        }
        let hint = SettingSchema.closest(lower.prefix { $0.isLetter }.description,
                                         in: ["ipv4", "ipv6", "mac", "guid", "integer", "float", "string", "hex", "list"])
            .map { "; did you mean \($0)?" } ?? ""
        throw EgError.config(at: location, "unknown random replacement '\(raw)': expected ipv4, ipv6, mac, guid, integer[a:b], float[a:b], string(n), hex(n) or list[...]\(hint)")
    }
}
