/// Jinja's `urlize`: the text HTML-escaped, with each whitespace-separated word that is a URL
/// (`http(s)://`, `www.`, a bare domain under a common TLD, an IP address) or an email address
/// (`mailto:` or bare) made a link; leading `(`/`<` and trailing `.,)>` stay outside the link
/// unless they balance brackets inside it. Links get `rel="noopener"` (Jinja's default policy).
struct Urlize {
    typealias Text = [Unicode.Scalar]
    let trimLimit: Int?
    let relAttr: Text
    let targetAttr: Text
    let extraSchemes: [Text]?

    init(_ args: CallArguments, _ pos: SourcePosition) throws {
        switch args.get(0, "trim_url_limit") {
        case nil, .none?: trimLimit = nil
        default: trimLimit = try args.int(0, "trim_url_limit", "urlize")
        }
        var rel = Set<String>()
        if let r = args.get(3, "rel"), r.truthy { rel.formUnion(Urlize.words(r.text)) }
        if args.get(1, "nofollow")?.truthy ?? false { rel.insert("nofollow") }
        rel.insert("noopener")
        let relText = rel.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }.joined(separator: " ")
        relAttr = Array(" rel=\"\(Filters.escapeHTML(relText))\"".unicodeScalars)
        if let t = args.get(2, "target"), t.truthy {
            targetAttr = Array(" target=\"\(Filters.escapeHTML(t.text))\"".unicodeScalars)
        } else {
            targetAttr = []
        }
        switch args.get(4, "extra_schemes") {
        case nil, .none?: extraSchemes = nil
        case let v?:
            guard let items = v.iterate() else { throw TemplateError(pos, "urlize: '\(v.typeName)' object is not iterable") }
            extraSchemes = try items.map { s in
                let t = Array(s.text.unicodeScalars)
                guard Urlize.isSchemePrefix(t) else { throw TemplateError(pos, "urlize: \(s.text.debugRepr) is not a valid URI scheme prefix.") }
                return t
            }
        }
    }

    static func words(_ s: String) -> [String] {
        s.unicodeScalars.split(whereSeparator: PyText.isSpace).map { PyText.string($0) }
    }

    /// `[\w.+-]{2,}:/{0,2}`, the whole text.
    static func isSchemePrefix(_ t: Text) -> Bool {
        guard let colon = t.firstIndex(of: ":"), colon >= 2 else { return false }
        guard t[..<colon].allSatisfy({ PyText.isWord($0) || $0 == "." || $0 == "+" || $0 == "-" }) else { return false }
        let rest = t[(colon + 1)...]
        return rest.count <= 2 && rest.allSatisfy { $0 == "/" }
    }

    func apply(_ text: String) -> String {
        let escaped = Array(Filters.escapeHTML(text).unicodeScalars)
        var out = Text()
        out.reserveCapacity(escaped.count)
        var i = 0
        while i < escaped.count {
            let start = i
            let space = PyText.isSpace(escaped[i])
            while i < escaped.count && PyText.isSpace(escaped[i]) == space { i += 1 }
            let word = Array(escaped[start..<i])
            if space { out += word } else { out += link(word) }
        }
        return PyText.string(out)
    }

    private static let lt = Array("&lt;".unicodeScalars), gt = Array("&gt;".unicodeScalars)

    /// One word with its URL or address made a link.
    func link(_ word: Text) -> Text {
        var head = Text(), middle = word[...], tail = Text()
        while true {
            if let c = middle.first, c == "(" || c == "<" { head.append(c); middle = middle.dropFirst() }
            else if middle.starts(with: Self.lt) { head += Self.lt; middle = middle.dropFirst(4) }
            else { break }
        }
        while true {
            if let c = middle.last, c == ")" || c == ">" || c == "." || c == "," || c == "\n" { tail.insert(c, at: 0); middle = middle.dropLast() }
            else if middle.reversed().starts(with: Self.gt.reversed()) { tail.insert(contentsOf: Self.gt, at: 0); middle = middle.dropLast(4) }
            else { break }
        }
        var m = Text(middle)
        // Prefer balancing brackets inside the URL to leaving a closing one outside.
        for (open, close) in [(Text(["("]), Text([")"])), (Text(["<"]), Text([">"])), (Self.lt, Self.gt)] {
            let opens = Self.count(m, open)
            guard opens > Self.count(m, close) else { continue }
            for _ in 0..<Swift.min(opens, Self.count(tail, close)) {
                guard let at = Self.find(tail, close) else { break }
                let end = at + close.count
                m += tail[..<end]
                tail.removeFirst(end)
            }
        }
        if Self.isHTTP(m) {
            let scheme = m.starts(with: "https://".unicodeScalars) || m.starts(with: "http://".unicodeScalars)
            m = anchor(scheme ? m : Array("https://".unicodeScalars) + m, attributes: true, trim(m))
        } else if m.starts(with: "mailto:".unicodeScalars) && Self.isEmail(m.dropFirst(7)) {
            m = anchor(m, attributes: false, Array(m.dropFirst(7)))
        } else if m.contains("@") && !m.starts(with: "www.".unicodeScalars) && m.first != "@" && !m.contains(":") && Self.isEmail(m[...]) {
            m = anchor(Array("mailto:".unicodeScalars) + m, attributes: false, m)
        } else if let extraSchemes {
            for scheme in extraSchemes where m != scheme && m.starts(with: scheme) {
                m = anchor(m, attributes: true, m)
            }
        }
        return head + m + tail
    }

    /// `<a href="href" rel=… target=…>text</a>`.
    private func anchor(_ href: Text, attributes: Bool, _ text: Text) -> Text {
        var a = Array("<a href=\"".unicodeScalars)
        a += href
        a.append("\"")
        if attributes { a += relAttr; a += targetAttr }
        a.append(">")
        a += text
        a += "</a>".unicodeScalars
        return a
    }

    private func trim(_ m: Text) -> Text {
        guard let limit = trimLimit, m.count > limit else { return m }
        // Python's m[:limit], a negative limit counting from the end.
        let keep = limit >= 0 ? limit : Swift.max(0, m.count + limit)
        return Array(m.prefix(keep)) + "...".unicodeScalars
    }

    static func count(_ s: Text, _ sub: Text) -> Int {
        var n = 0, i = 0
        while i + sub.count <= s.count {
            if s[i..<(i + sub.count)].elementsEqual(sub) { n += 1; i += sub.count } else { i += 1 }
        }
        return n
    }

    static func find(_ s: Text, _ sub: Text) -> Int? {
        var i = 0
        while i + sub.count <= s.count {
            if s[i..<(i + sub.count)].elementsEqual(sub) { return i }
            i += 1
        }
        return nil
    }

    /// `^\S+@\w[\w.-]*\.\w+$`.
    static func isEmail(_ s: ArraySlice<Unicode.Scalar>) -> Bool {
        guard let at = s.lastIndex(of: "@"), at > s.startIndex, !s.contains(where: PyText.isSpace) else { return false }
        let domain = s[(at + 1)...]
        guard let first = domain.first, PyText.isWord(first),
              domain.allSatisfy({ PyText.isWord($0) || $0 == "." || $0 == "-" }),
              let dot = domain.lastIndex(of: "."), dot > domain.startIndex else { return false }
        let tld = domain[(dot + 1)...]
        return !tld.isEmpty && tld.allSatisfy(PyText.isWord)
    }

    /// Jinja's `_http_re` (case-insensitive): a host (scheme or `www.` and a domain, a bare
    /// domain under com/net/int/edu/gov/org/info/mil, or a scheme and an IPv4/IPv6 address),
    /// then an optional `:port` of 1-5 digits and an optional `/`, `?` or `#` part.
    static func isHTTP(_ s: Text) -> Bool {
        for end in 0...s.count where end == s.count || s[end] == ":" || s[end] == "/" || s[end] == "?" || s[end] == "#" {
            if restMatches(s[end...]) && hostMatches(s[..<end]) { return true }
        }
        return false
    }

    private static func restMatches(_ r: ArraySlice<Unicode.Scalar>) -> Bool {
        var r = r
        if r.first == ":" {
            let digits = r.dropFirst().prefix(while: PyText.isDigit)
            guard !digits.isEmpty else { return false }
            // Backtracking may give the port fewer digits, but then a digit must start the path: no.
            guard digits.count <= 5 else { return false }
            r = r.dropFirst(1 + digits.count)
        }
        guard let c = r.first else { return true }
        return (c == "/" || c == "?" || c == "#") && !r.contains(where: PyText.isSpace)
    }

    /// Case-insensitive match of a code point with an ASCII lowercase letter, as Python's `re`
    /// folds case (`ſ` is `s`, `K` (Kelvin) is `k`, `İ` and `ı` are `i`).
    static func fold(_ u: Unicode.Scalar, _ c: Unicode.Scalar) -> Bool {
        if u.value < 0x80 { return u.value | 0x20 == c.value && (u.value | 0x20) >= 0x61 && (u.value | 0x20) <= 0x7A }
        switch u.value {
        case 0x17F: return c == "s"
        case 0x212A: return c == "k"
        case 0x130, 0x131: return c == "i"
        default: return false
        }
    }

    static func foldedPrefix(_ s: ArraySlice<Unicode.Scalar>, _ p: String) -> Bool {
        let ps = Array(p.unicodeScalars)
        guard s.count >= ps.count else { return false }
        for (u, c) in zip(s, ps) {
            if c.value >= 0x61 && c.value <= 0x7A { if !fold(u, c) { return false } } else if u != c { return false }
        }
        return true
    }

    static func isLetterAZ(_ u: Unicode.Scalar) -> Bool {
        if u.value < 0x80 { let c = u.value | 0x20; return c >= 0x61 && c <= 0x7A }
        return u.value == 0x17F || u.value == 0x212A || u.value == 0x130 || u.value == 0x131
    }

    static func isLabel(_ u: Unicode.Scalar) -> Bool { PyText.isWord(u) || u == "%" || u == "-" }

    private static func hostMatches(_ h: ArraySlice<Unicode.Scalar>) -> Bool {
        var scheme = 0
        if foldedPrefix(h, "https://") { scheme = 8 } else if foldedPrefix(h, "http://") { scheme = 7 }
        // (https?://|www\.) (([\w%-]+\.)+)? ([a-z]{2,63} | xn--[\w%]{2,59})
        let lead = scheme > 0 ? scheme : (foldedPrefix(h, "www.") ? 4 : 0)
        if lead > 0 {
            let rest = h.dropFirst(lead)
            let labels = rest.split(separator: ".", omittingEmptySubsequences: false)
            if let tld = labels.last, labels.dropLast().allSatisfy({ !$0.isEmpty && $0.allSatisfy(isLabel) }) {
                if (2...63).contains(tld.count) && tld.allSatisfy(isLetterAZ) { return true }
                if foldedPrefix(tld, "xn--") && (2...59).contains(tld.count - 4) && tld.dropFirst(4).allSatisfy({ PyText.isWord($0) || $0 == "%" }) { return true }
            }
        }
        // ([\w%-]{2,63}\.)+ (com|net|int|edu|gov|org|info|mil)
        let labels = h.split(separator: ".", omittingEmptySubsequences: false)
        if labels.count >= 2, let tld = labels.last,
           ["com", "net", "int", "edu", "gov", "org", "info", "mil"].contains(where: { tld.count == $0.count && foldedPrefix(tld, $0) }),
           labels.dropLast().allSatisfy({ (2...63).contains($0.count) && $0.allSatisfy(isLabel) }) { return true }
        // (https?://) (IPv4 | IPv6)
        guard scheme > 0 else { return false }
        let addr = h.dropFirst(scheme)
        let parts = addr.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 4 && parts.allSatisfy({ (1...3).contains($0.count) && $0.allSatisfy(PyText.isDigit) }) { return true }
        return isIPv6(addr)
    }

    /// `\[([\da-f]{0,4}:){2}([\da-f]{0,4}:?){1,6}]`.
    private static func isIPv6(_ a: ArraySlice<Unicode.Scalar>) -> Bool {
        guard a.first == "[", a.last == "]", a.count >= 2 else { return false }
        let inner = a.dropFirst().dropLast()
        func hex(_ u: Unicode.Scalar) -> Bool { PyText.isDigit(u) || (u.value | 0x20 >= 0x61 && u.value | 0x20 <= 0x66 && u.value < 0x80) }
        guard inner.allSatisfy({ hex($0) || $0 == ":" }) else { return false }
        var runs = inner.split(separator: ":", omittingEmptySubsequences: false)
        // The first two groups end at the first two colons.
        guard runs.count >= 3, runs[0].count <= 4, runs[1].count <= 4 else { return false }
        runs.removeFirst(2)
        // Then up to six groups of up to four digits, each with an optional colon.
        var groups = 0
        for (k, run) in runs.enumerated() {
            let last = k == runs.count - 1
            groups += last ? (run.count + 3) / 4 : Swift.max(1, (run.count + 3) / 4)
        }
        return groups <= 6
    }
}

extension String {
    /// Python's repr of this text.
    var debugRepr: String { Value.string(self).repr }
}
