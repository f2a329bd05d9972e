import Core

/// eg-sample on Eventum generators: when the positionals are generator folders or generator.yml
/// files, load each and write its stanza record (or, with --list, describe it).
enum GeneratorCommand {
    /// Runs the generators named by the positionals; false when there are none (eventgen input).
    static func handle(_ args: ParsedArguments) throws -> Bool {
        let found = try args.positionals.map { ($0, try GeneratorInput.files(for: $0)) }
        let files = found.compactMap(\.1).flatMap { $0 }
        if files.isEmpty {
            if args.value("params") != nil || !args.values("param").isEmpty {
                throw EgError.usage("--params and --param apply to Eventum generators (a folder with generator.yml, or the file)")
            }
            return false
        }
        if let other = found.first(where: { $0.1 == nil }) {
            throw EgError.usage("\(other.0) is not an Eventum generator: give generators and eventgen confs to separate eg-sample runs")
        }
        let seed = try args.seed()
        let params = try GeneratorParams(json: args.value("params"), pairs: args.values("param"))
        let listing = args.has("list")
        var generators: [LoadedGenerator] = []
        for f in files {
            var g = try GeneratorLoader.load(f, params: params, listing: listing)
            var n = 2
            let base = g.name
            while generators.contains(where: { $0.name == g.name }) { g.name = "\(base)-\(n)"; n += 1 }
            generators.append(g)
        }
        for name in params.named where !generators.contains(where: { g in
            g.params.contains { $0.name == name } || g.defaultsReplaced.contains(name) }) {
            let known = Set(generators.flatMap { g in g.params.map(\.name) + paramDefaults(g) }).sorted()
            throw EgError.usage("--param \(name): no generator of this run has a param of that name"
                                + (known.isEmpty ? "" : " (its params: \(known.joined(separator: ", ")))"))
        }
        let out = OutputBuffer()
        if args.has("check") {
            // Loading checked every plugin (a problem is thrown, exit 2).
            try out.write("eg-sample: check: ok, \(generators.count) generator\(generators.count == 1 ? "" : "s"), no problems\n")
        } else if listing {
            try out.write(Secrets.redact(GeneratorList.render(generators)))
        } else {
            for g in generators { try out.write(record(g, seed: seed)) }
        }
        try out.flush()
        return true
    }

    /// The names of a generator's template params (its defaults).
    static func paramDefaults(_ g: LoadedGenerator) -> [String] {
        guard case .object(let f)? = g.eventum["event"]?["params"] else { return [] }
        return f.map(\.key)
    }

    /// The stanza record of a generator: `sample` and `stanza` are its name, `conf` its generator.yml,
    /// `sampleDir` its folder, `settings` the defaults the later tools read (with `--seed`, its `seed`,
    /// as for an eventgen stanza, so one seed on eg-sample makes the whole pipeline reproducible),
    /// `eventum` the rest.
    static func record(_ g: LoadedGenerator, seed: UInt64? = nil) -> Record {
        let r = StanzaRecord(sample: g.name, stanza: g.name, conf: g.file, sampleDir: g.dir,
                             settings: [(key: "timezone", value: "UTC")], eventum: g.eventum).record
        return seed.map { StanzaRecord.withSeed(r, $0) } ?? r
    }
}
