import Core

/// The Python modules the published generators call through `module`: `datetime` (timedelta,
/// datetime.fromtimestamp), `hashlib` (md5, sha1, sha256 objects with digest and hexdigest),
/// `base64` (b64encode), `calendar` (timegm), and `faker.locale.en_US` (user_name, user_agent,
/// email, domain_name, hostname) from word lists written for eg.
enum EventumPythonModules {
    static func bytes(_ v: Value) -> [UInt8] {
        if case .bytes(let b) = v { return b }
        return Array(v.text.utf8)
    }

    /// A hash object: `.digest()` bytes, `.hexdigest()` text.
    final class Hash: TemplateObject {
        let value: [UInt8]
        init(_ v: [UInt8]) { value = v }
        var typeName: String { "hash" }
        func attribute(_ name: String) -> Value? {
            switch name {
            case "digest": return .function(NativeFunction("digest") { [value] _, _ in .bytes(value) })
            case "hexdigest": return .function(NativeFunction("hexdigest") { [value] _, _ in .string(Digests.hex(value)) })
            default: return nil
            }
        }
    }

    static func add(to module: FunctionSpace) {
        let datetime = FunctionSpace("datetime")
        datetime.add("timedelta") { a, _ in
            let units: [(String, Double)] = [("weeks", 604_800e6), ("days", 86_400e6), ("hours", 3_600e6), ("minutes", 60e6),
                                             ("seconds", 1e6), ("milliseconds", 1e3), ("microseconds", 1)]
            var total = 0.0
            for (i, v) in a.positional.enumerated() where i < 7 {
                let order = [1, 4, 6, 5, 3, 2, 0]   // timedelta(days, seconds, microseconds, milliseconds, minutes, hours, weeks)
                total += (v.number ?? 0) * units[order[i]].1
            }
            for (k, v) in a.keywords {
                guard let u = units.first(where: { $0.0 == k }) else { throw TemplateError(a.position, "timedelta() got an unexpected keyword '\(k)'") }
                total += (v.number ?? 0) * u.1
            }
            return .timedelta(Int64(total.rounded()))
        }
        let dt = FunctionSpace("datetime.datetime")
        dt.add("fromtimestamp") { a, _ in
            let s = try a.double(0, "timestamp", "fromtimestamp")
            return .datetime(DateTimeValue(micros: Int64((s * 1e6).rounded()), offset: nil))
        }
        datetime.members["datetime"] = .object(dt)
        module.members["datetime"] = .object(datetime)
        let hashlib = FunctionSpace("hashlib")
        hashlib.add("md5") { a, _ in .object(Hash(Digests.md5(bytes(a.get(0, "data") ?? .bytes([]))))) }
        hashlib.add("sha1") { a, _ in .object(Hash(Digests.sha1(bytes(a.get(0, "data") ?? .bytes([]))))) }
        hashlib.add("sha256") { a, _ in .object(Hash(Digests.sha256(bytes(a.get(0, "data") ?? .bytes([]))))) }
        module.members["hashlib"] = .object(hashlib)
        let base64 = FunctionSpace("base64")
        base64.add("b64encode") { a, _ in .bytes(Digests.base64(bytes(try a.require(0, "data", "b64encode")))) }
        module.members["base64"] = .object(base64)
        let calendar = FunctionSpace("calendar")
        calendar.add("timegm") { a, _ in
            guard let parts = try a.require(0, "tuple", "timegm").iterate(), parts.count >= 6 else {
                throw TemplateError(a.position, "timegm takes a time tuple")
            }
            let p = parts.map { $0.intValue ?? 0 }
            let t = TimeZoneSetting.utc.instant(CivilTime(year: p[0], month: p[1], day: p[2], hour: p[3], minute: p[4], second: p[5]))
            return .int(Int(t.seconds))
        }
        module.members["calendar"] = .object(calendar)
        let en = FunctionSpace("en_US")
        en.add("user_name") { _, s in .string(userName(&s.rng)) }
        en.add("email") { _, s in .string(userName(&s.rng) + "@" + domain(&s.rng)) }
        en.add("domain_name") { _, s in .string(domain(&s.rng)) }
        en.add("hostname") { _, s in .string(["web", "db", "mail", "app", "srv", "lt", "desktop"][s.rng.index(7)] + "-\(s.rng.int(in: 1...99)).\(domain(&s.rng))") }
        en.add("user_agent") { _, s in .string(agents[s.rng.index(agents.count)]) }
        let locale = FunctionSpace("locale")
        locale.members["en_US"] = .object(en)
        let faker = FunctionSpace("faker")
        faker.members["locale"] = .object(locale)
        module.members["faker"] = .object(faker)
    }

    static let first = ["james", "mary", "robert", "linda", "michael", "sarah", "david", "karen", "daniel", "nancy",
                        "kevin", "laura", "brian", "amy", "jason", "emma", "eric", "olivia", "ryan", "grace"]
    static let last = ["smith", "jones", "brown", "garcia", "miller", "davis", "wilson", "moore", "taylor", "clark",
                       "lewis", "walker", "hall", "young", "king", "wright", "scott", "green", "baker", "adams"]
    static let words = ["north", "blue", "river", "summit", "harbor", "pixel", "maple", "cedar", "orbit", "atlas"]
    static let tlds = ["com", "net", "org", "info", "biz"]
    static let agents = [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
        "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0",
    ]

    static func userName(_ rng: inout SeededRandom) -> String {
        let f = first[rng.index(first.count)], l = last[rng.index(last.count)]
        switch rng.index(3) {
        case 0: return f + "." + l
        case 1: return String(f.first!) + l + String(rng.int(in: 1...99))
        default: return f + l
        }
    }

    static func domain(_ rng: inout SeededRandom) -> String {
        words[rng.index(words.count)] + last[rng.index(last.count)] + "." + tlds[rng.index(tlds.count)]
    }
}
