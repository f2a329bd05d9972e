/// The result of parsing a command line against a `CommandSpec`.
public struct ParsedArguments: Sendable {
    /// Options in the order given, by long name (flags have a nil value).
    public var options: [(name: String, value: String?)] = []
    /// Arguments that are not options (`-` alone is a positional: standard input).
    public var positionals: [String] = []

    /// True when the flag or option was given.
    public func has(_ name: String) -> Bool { options.contains { $0.name == name } }

    /// The last value given for `name`.
    public func value(_ name: String) -> String? { options.last { $0.name == name }?.value }

    /// Every value given for `name`, in order.
    public func values(_ name: String) -> [String] { options.filter { $0.name == name }.compactMap(\.value) }

    /// The last value of `name` as an integer; a non-integer is a usage error.
    public func int(_ name: String) throws -> Int? {
        guard let v = value(name) else { return nil }
        guard let i = Int(v) else { throw EgError.usage("--\(name) expects an integer, got '\(v)'") }
        return i
    }

    /// The last value of `name` as a number; a non-number is a usage error.
    public func double(_ name: String) throws -> Double? {
        guard let v = value(name) else { return nil }
        guard let d = Double(v), d.isFinite else { throw EgError.usage("--\(name) expects a number, got '\(v)'") }
        return d
    }

    /// `--seed` as a 64-bit seed.
    public func seed() throws -> UInt64? {
        guard let v = value("seed") else { return nil }
        guard let s = RandomSeed.parse(v) else { throw EgError.usage("--seed expects an integer, got '\(v)'") }
        return s
    }
}

extension CommandSpec {
    /// Parses `arguments` (without the program name): `--name value`, `--name=value`, `-x value`,
    /// `-xVALUE`, `--` ending the options. Unknown or malformed options are usage errors.
    public func parse(_ arguments: [String]) throws -> ParsedArguments {
        var result = ParsedArguments()
        var k = 0
        var optionsEnded = false
        while k < arguments.count {
            let arg = arguments[k]
            k += 1
            if optionsEnded || arg == "-" || !arg.hasPrefix("-") {
                result.positionals.append(arg)
                continue
            }
            if arg == "--" { optionsEnded = true; continue }
            let spec: OptionSpec
            var inline: String?
            if arg.hasPrefix("--") {
                let body = arg.dropFirst(2)
                let name: Substring
                if let eq = body.firstIndex(of: "=") {
                    name = body[..<eq]
                    inline = String(body[body.index(after: eq)...])
                } else {
                    name = body
                }
                guard let s = options.first(where: { $0.long == name }) else {
                    throw EgError.usage("unknown option '--\(name)'")
                }
                spec = s
            } else {
                let letter = arg[arg.index(after: arg.startIndex)]
                guard let s = options.first(where: { $0.short == letter }) else {
                    throw EgError.usage("unknown option '-\(letter)'")
                }
                spec = s
                let rest = arg.dropFirst(2)
                if !rest.isEmpty {
                    guard s.value != nil else { throw EgError.usage("option '-\(letter)' takes no value") }
                    inline = String(rest)
                }
            }
            if spec.value != nil {
                if inline == nil {
                    guard k < arguments.count else {
                        throw EgError.usage("option '--\(spec.long)' needs a value (\(spec.value!))")
                    }
                    inline = arguments[k]
                    k += 1
                }
                result.options.append((spec.long, inline))
            } else {
                if inline != nil { throw EgError.usage("option '--\(spec.long)' takes no value") }
                result.options.append((spec.long, nil))
            }
        }
        return result
    }
}
