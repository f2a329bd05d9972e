import Core

/// `module.faker`: Faker's providers as the generators call them (`module.faker.locale.en_US.user_name()`,
/// also `locale['en_US']`), drawn from the renderer's seeded stream and eg's own word lists
/// (`FakerWords`). People (first_name, last_name, name, user_name, email, safe_email, free_email,
/// company_email), internet (domain_name, domain_word, tld, hostname, url, uri, uri_path, slug,
/// ipv4, ipv4_private, ipv4_public, ipv6, mac_address, port_number, user_agent, chrome, firefox,
/// safari, http_method), files (file_name, file_extension, mime_type, file_path), text (word,
/// words, sentence), places (city, state_abbr, street_address, address, country, country_code,
/// zipcode, phone_number), company, job, and misc (uuid4, md5, sha1, sha256, password, boolean,
/// random_int, pyint, random_element).
enum PythonModuleFaker {
    typealias W = FakerWords

    static func pick<T>(_ xs: [T], _ rng: inout SeededRandom) -> T { xs[rng.index(xs.count)] }
    static func digits(_ n: Int, _ rng: inout SeededRandom) -> String { String((0..<n).map { _ in Character(String(rng.index(10))) }) }
    static func cap(_ s: String) -> String { s.prefix(1).uppercased() + s.dropFirst() }

    static func userName(_ rng: inout SeededRandom) -> String {
        let f = pick(W.firstNames, &rng), l = pick(W.lastNames, &rng)
        switch rng.index(6) {
        case 0: return f + "." + l
        case 1: return l + "." + f
        case 2: return f + l
        case 3: return String(f.first!) + l
        case 4: return f + digits(2, &rng)
        default: return l + digits(2, &rng)
        }
    }

    static func domainWord(_ rng: inout SeededRandom) -> String {
        rng.index(2) == 0 ? pick(W.lastNames, &rng) : pick(W.companyWords, &rng) + (rng.index(2) == 0 ? "" : "-" + pick(W.lastNames, &rng))
    }

    static func domainName(_ levels: Int, _ rng: inout SeededRandom) -> String {
        var parts = [pick(W.tlds, &rng)]
        for _ in 0..<max(levels, 1) { parts.insert(domainWord(&rng), at: 0) }
        return parts.joined(separator: ".")
    }

    static func ipv4(_ rng: inout SeededRandom, _ kind: String) -> String {
        while true {
            let a = UInt32(truncatingIfNeeded: rng.next())
            let o = [a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255]
            let privateNet = o[0] == 10 || (o[0] == 172 && (16...31).contains(o[1])) || (o[0] == 192 && o[1] == 168)
            let special = o[0] == 0 || o[0] == 127 || o[0] >= 224 || (o[0] == 169 && o[1] == 254) || (o[0] == 100 && (64...127).contains(o[1]))
            if kind == "private" && !privateNet { continue }
            if kind == "public" && (privateNet || special) { continue }
            return o.map(String.init).joined(separator: ".")
        }
    }

    static func chrome(_ rng: inout SeededRandom) -> String {
        let v = "\(rng.int(in: 100...126)).0.\(rng.int(in: 4000...6500)).\(rng.int(in: 0...200))"
        let os = rng.index(10) < 2 ? pick(W.androids, &rng) : pick(rng.index(3) == 0 ? W.macs : rng.index(4) == 0 ? W.linuxes : W.windows, &rng)
        return "Mozilla/5.0 (\(os)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/\(v) \(os.hasPrefix("Linux; Android") ? "Mobile " : "")Safari/537.36"
    }

    static func firefox(_ rng: inout SeededRandom) -> String {
        let v = rng.int(in: 100...128)
        let os = pick(rng.index(2) == 0 ? W.windows : rng.index(2) == 0 ? W.linuxes : W.macs, &rng)
        return "Mozilla/5.0 (\(os); rv:\(v).0) Gecko/20100101 Firefox/\(v).0"
    }

    static func safari(_ rng: inout SeededRandom) -> String {
        let major = rng.int(in: 15...17), minor = rng.int(in: 0...6)
        if rng.index(2) == 0 {
            let ios = pick(W.iOSVersions, &rng)
            return "Mozilla/5.0 (iPhone; CPU iPhone OS \(ios) like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/\(major).\(minor) Mobile/15E148 Safari/604.1"
        }
        return "Mozilla/5.0 (\(pick(W.macs, &rng))) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/\(major).\(minor) Safari/605.1.15"
    }

    static func userAgent(_ rng: inout SeededRandom) -> String {
        switch rng.index(10) {
        case 0..<6: return chrome(&rng)
        case 6, 7: return firefox(&rng)
        case 8: return safari(&rng)
        default: return chrome(&rng).replacingOccurrences(of: "Safari/537.36", with: "Safari/537.36 Edg/\(rng.int(in: 100...126)).0.\(rng.int(in: 1000...2500)).\(rng.int(in: 0...99))")
        }
    }

    static func hexText(_ n: Int, _ rng: inout SeededRandom) -> String {
        let h = Array("0123456789abcdef")
        return String((0..<n).map { _ in h[rng.index(16)] })
    }

    static func make() -> FunctionSpace {
        let en = FunctionSpace("en_US")
        func add(_ name: String, _ f: @escaping (inout CallArguments, inout SeededRandom) throws -> String) {
            en.add(name) { a, s in .string(try f(&a, &s.rng)) }
        }
        add("first_name") { _, r in cap(pick(W.firstNames, &r)) }
        add("last_name") { _, r in cap(pick(W.lastNames, &r)) }
        add("name") { _, r in cap(pick(W.firstNames, &r)) + " " + cap(pick(W.lastNames, &r)) }
        add("user_name") { _, r in userName(&r) }
        add("email") { _, r in userName(&r) + "@" + (r.index(2) == 0 ? pick(W.freeMail, &r) : domainName(1, &r)) }
        add("safe_email") { _, r in userName(&r) + "@example." + pick(["com", "net", "org"], &r) }
        add("free_email") { _, r in userName(&r) + "@" + pick(W.freeMail, &r) }
        add("company_email") { _, r in userName(&r) + "@" + domainName(1, &r) }
        add("domain_word") { _, r in domainWord(&r) }
        add("domain_name") { a, r in domainName(try a.int(0, "levels", "domain_name", default: 1), &r) }
        add("tld") { _, r in pick(W.tlds, &r) }
        add("hostname") { a, r in
            let levels = try a.int(0, "levels", "hostname", default: 1)
            let host = pick(W.hostPrefixes, &r) + "-" + digits(2, &r)
            return levels < 1 ? host : host + "." + domainName(levels, &r)
        }
        add("uri_path") { a, r in (0..<max(try a.int(0, "deep", "uri_path", default: r.index(3) + 1), 1)).map { _ in pick(W.words, &r) }.joined(separator: "/") }
        add("slug") { _, r in (0..<3).map { _ in pick(W.words, &r) }.joined(separator: "-") }
        add("url") { _, r in "http\(r.index(2) == 0 ? "s" : "")://\(r.index(2) == 0 ? "www." : "")\(domainName(1, &r))/" }
        add("uri") { _, r in
            "http\(r.index(2) == 0 ? "s" : "")://\(domainName(1, &r))/\(pick(W.words, &r))/\(pick(W.words, &r)).\(pick(["html", "php", "jsp", "asp"], &r))"
        }
        add("ipv4") { _, r in ipv4(&r, "any") }
        add("ipv4_private") { _, r in ipv4(&r, "private") }
        add("ipv4_public") { _, r in ipv4(&r, "public") }
        add("ipv6") { _, r in (0..<8).map { _ in String(r.below(65_536), radix: 16) }.joined(separator: ":") }
        add("mac_address") { _, r in (0..<6).map { k in let b = Int(r.below(256)) & (k == 0 ? 0xFE : 0xFF); return (b < 16 ? "0" : "") + String(b, radix: 16) }.joined(separator: ":") }
        en.add("port_number") { _, s in .int(Int(s.rng.int(in: 0...65_535))) }
        add("user_agent") { _, r in userAgent(&r) }
        add("chrome") { _, r in chrome(&r) }
        add("firefox") { _, r in firefox(&r) }
        add("safari") { _, r in safari(&r) }
        add("http_method") { _, r in pick(["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"], &r) }
        add("file_extension") { _, r in pick(W.fileExtensions, &r) }
        add("file_name") { a, r in pick(W.words, &r) + "." + (a.get(0, "extension").map(\.text) ?? pick(W.fileExtensions, &r)) }
        add("file_path") { _, r in "/" + pick(W.words, &r) + "/" + pick(W.words, &r) + "." + pick(W.fileExtensions, &r) }
        add("mime_type") { _, r in pick(W.mimeTypes, &r) }
        add("word") { _, r in pick(W.words, &r) }
        en.add("words") { a, s in .list((0..<max(try a.int(0, "nb", "words", default: 3), 0)).map { _ in .string(pick(W.words, &s.rng)) }) }
        add("sentence") { a, r in
            let n = max(try a.int(0, "nb_words", "sentence", default: 6), 1)
            return cap((0..<n).map { _ in pick(W.words, &r) }.joined(separator: " ")) + "."
        }
        add("company") { _, r in cap(pick(W.companyWords, &r)) + " " + (r.index(3) == 0 ? cap(pick(W.lastNames, &r)) + " " : "") + pick(W.companySuffixes, &r) }
        add("job") { _, r in pick(W.jobs, &r) }
        add("city") { _, r in pick(W.cities, &r) }
        add("state_abbr") { _, r in pick(W.states, &r) }
        add("zipcode") { _, r in digits(5, &r) }
        add("street_address") { _, r in "\(r.int(in: 1...9999)) \(cap(pick(W.words, &r))) \(pick(W.streetSuffixes, &r))" }
        add("address") { _, r in "\(r.int(in: 1...9999)) \(cap(pick(W.words, &r))) \(pick(W.streetSuffixes, &r))\n\(pick(W.cities, &r)), \(pick(W.states, &r)) \(digits(5, &r))" }
        add("country") { _, r in pick(W.countries, &r).0 }
        add("country_code") { _, r in pick(W.countries, &r).1 }
        add("phone_number") { _, r in "(\(r.int(in: 201...989))) \(r.int(in: 200...999))-\(digits(4, &r))" }
        add("uuid4") { _, r in
            let h = Array(hexText(32, &r))
            let v = Array("89ab")[r.index(4)]
            return String(h[0..<8]) + "-" + String(h[8..<12]) + "-4" + String(h[13..<16]) + "-" + String(v) + String(h[17..<20]) + "-" + String(h[20..<32])
        }
        add("md5") { _, r in hexText(32, &r) }
        add("sha1") { _, r in hexText(40, &r) }
        add("sha256") { _, r in hexText(64, &r) }
        add("password") { a, r in
            let n = max(try a.int(0, "length", "password", default: 10), 4)
            let sets = [Array("abcdefghijklmnopqrstuvwxyz"), Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ"), Array("0123456789"), Array("!@#$%^&*()_+")]
            var chars = sets.map { pick($0, &r) }
            let all = sets.flatMap { $0 }
            while chars.count < n { chars.append(pick(all, &r)) }
            for i in stride(from: chars.count - 1, to: 0, by: -1) { chars.swapAt(i, r.index(i + 1)) }
            return String(chars)
        }
        en.add("boolean") { a, s in .bool(Int(s.rng.below(100)) < (try a.int(0, "chance_of_getting_true", "boolean", default: 50))) }
        for name in ["random_int", "pyint"] {
            en.add(name) { a, s in
                let lo = try a.int(0, name == "pyint" ? "min_value" : "min", name, default: 0)
                let hi = try a.int(1, name == "pyint" ? "max_value" : "max", name, default: 9999)
                guard lo <= hi else { throw TemplateError(a.position, "\(name)(): min must not be above max") }
                return .int(Int(s.rng.int(in: Int64(lo)...Int64(hi))))
            }
        }
        en.add("random_element") { a, s in
            guard let xs = try a.require(0, "elements", "random_element").iterate(), !xs.isEmpty else {
                throw TemplateError(a.position, "random_element() needs a non-empty sequence")
            }
            return xs[s.rng.index(xs.count)]
        }
        let locale = FunctionSpace("locale")
        locale.members["en_US"] = .object(en)
        let faker = FunctionSpace("faker")
        faker.members["locale"] = .object(locale)
        return faker
    }
}
