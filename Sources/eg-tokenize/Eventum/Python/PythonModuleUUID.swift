import Core

/// The time of the event being rendered, for what Python takes from the clock (`uuid.uuid1()`):
/// the event's own time keeps a seeded run reproducible.
final class EventClock {
    var micros: Int64 = 0
}

/// A `uuid.UUID`: prints as `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`; `hex`, `urn`, `bytes`,
/// `version`, `variant`, `fields` and the field attributes as Python's.
final class PythonUUID: TemplateObject {
    let bytes: [UInt8]
    init(_ b: [UInt8]) { bytes = b }
    var typeName: String { "UUID" }

    var hex: String { Digests.hex(bytes) }
    var text: String {
        let h = Array(hex)
        return String(h[0..<8]) + "-" + String(h[8..<12]) + "-" + String(h[12..<16]) + "-" + String(h[16..<20]) + "-" + String(h[20..<32])
    }

    func field(_ from: Int, _ count: Int) -> Int { bytes[from..<(from + count)].reduce(0) { $0 << 8 | Int($1) } }

    func attribute(_ name: String) -> Value? {
        switch name {
        case "hex": return .string(hex)
        case "urn": return .string("urn:uuid:" + text)
        case "bytes": return .bytes(bytes)
        case "bytes_le": return .bytes(bytes[0..<4].reversed() + bytes[4..<6].reversed() + bytes[6..<8].reversed() + Array(bytes[8...]))
        case "variant":
            let v = bytes[8]
            return .string(v & 0x80 == 0 ? "reserved for NCS compatibility" : v & 0x40 == 0 ? "specified in RFC 4122"
                           : v & 0x20 == 0 ? "reserved for Microsoft compatibility" : "reserved for future definition")
        case "version": return bytes[8] & 0xC0 == 0x80 ? .int(Int(bytes[6] >> 4)) : Value.none
        case "time_low": return .int(field(0, 4))
        case "time_mid": return .int(field(4, 2))
        case "time_hi_version": return .int(field(6, 2))
        case "clock_seq_hi_variant": return .int(Int(bytes[8]))
        case "clock_seq_low": return .int(Int(bytes[9]))
        case "clock_seq": return .int((Int(bytes[8]) & 0x3F) << 8 | Int(bytes[9]))
        case "node": return .int(field(10, 6))
        case "time": return .int((field(6, 2) & 0x0FFF) << 48 | field(4, 2) << 32 | field(0, 4))
        case "fields": return .tuple([.int(field(0, 4)), .int(field(4, 2)), .int(field(6, 2)), .int(Int(bytes[8])), .int(Int(bytes[9])), .int(field(10, 6))])
        default: return nil
        }
    }
    func appendText(to out: inout [UInt8]) { out.append(contentsOf: text.utf8) }

    /// `bytes` with the RFC 4122 variant and `version` set.
    static func versioned(_ b: [UInt8], _ version: UInt8) -> PythonUUID {
        var b = Array(b.prefix(16))
        b[6] = (b[6] & 0x0F) | (version << 4)
        b[8] = (b[8] & 0x3F) | 0x80
        return PythonUUID(b)
    }

    /// `UUID('...')`: hex digits with optional `urn:uuid:`, braces and hyphens, as Python accepts.
    static func parse(_ s: String) -> PythonUUID? {
        var t = s.replacingOccurrences(of: "urn:", with: "").replacingOccurrences(of: "uuid:", with: "")
        while t.first == "{" || t.first == "}" { t.removeFirst() }
        while t.last == "{" || t.last == "}" { t.removeLast() }
        let h = Array(t.replacingOccurrences(of: "-", with: "").utf8)
        guard h.count == 32 else { return nil }
        var b: [UInt8] = []
        for i in stride(from: 0, to: 32, by: 2) {
            guard let x = UInt8(String(decoding: h[i..<(i + 2)], as: UTF8.self), radix: 16) else { return nil }
            b.append(x)
        }
        return PythonUUID(b)
    }
}

/// `module.uuid`: `uuid4()` from the seeded stream, `uuid1()` at the event's time (with a random
/// node and clock sequence, as Python uses when it has no hardware address), `uuid3`/`uuid5`
/// (MD5/SHA-1 of a namespace and a name), `UUID(hex)` / `UUID(bytes=...)` and the `NAMESPACE_*`s.
enum PythonModuleUUID {
    static func random(_ n: Int, _ rng: inout SeededRandom) -> [UInt8] {
        var b: [UInt8] = []
        while b.count < n { var x = rng.next(); for _ in 0..<8 { b.append(UInt8(truncatingIfNeeded: x)); x >>= 8 } }
        return Array(b.prefix(n))
    }

    static func namespace(_ a: CallArguments, _ fn: String) throws -> (PythonUUID, [UInt8]) {
        guard case .object(let ns as PythonUUID) = try a.require(0, "namespace", fn) else {
            throw TemplateError(a.position, "uuid.\(fn)(): namespace must be a UUID (uuid.NAMESPACE_DNS, uuid.UUID('...'))")
        }
        let name = try a.require(1, "name", fn)
        switch name {
        case .string(let s): return (ns, ns.bytes + Array(s.utf8))
        case .bytes(let b): return (ns, ns.bytes + b)
        default: throw TemplateError(a.position, "uuid.\(fn)(): name must be str or bytes, not \(name.typeName)")
        }
    }

    static func make(clock: EventClock) -> FunctionSpace {
        let u = FunctionSpace("uuid")
        for (name, hex) in [("NAMESPACE_DNS", "6ba7b810-9dad-11d1-80b4-00c04fd430c8"), ("NAMESPACE_URL", "6ba7b811-9dad-11d1-80b4-00c04fd430c8"),
                            ("NAMESPACE_OID", "6ba7b812-9dad-11d1-80b4-00c04fd430c8"), ("NAMESPACE_X500", "6ba7b814-9dad-11d1-80b4-00c04fd430c8")] {
            u.members[name] = .object(PythonUUID.parse(hex)!)
        }
        u.add("uuid4") { _, s in .object(PythonUUID.versioned(random(16, &s.rng), 4)) }
        var node: [UInt8]? = nil
        var last: Int64 = 0
        u.add("uuid1") { a, s in
            // 100-ns intervals since 1582-10-15, strictly increasing as Python keeps them.
            var t = clock.micros * 10 + 0x01B2_1DD2_1381_4000
            if t <= last { t = last + 1 }
            last = t
            if node == nil {
                var n = random(6, &s.rng)
                n[0] |= 0x01   // a random node has the multicast bit set (RFC 4122 4.5)
                node = n
            }
            var nodeBytes = node!
            if let n = a.get(0, "node"), case .int(let x) = n {
                nodeBytes = (0..<6).map { UInt8(truncatingIfNeeded: x >> (8 * (5 - $0))) }
            }
            let seq: Int
            if let c = a.get(1, "clock_seq"), case .int(let x) = c { seq = x & 0x3FFF } else { seq = Int(s.rng.below(1 << 14)) }
            let low = UInt32(truncatingIfNeeded: t), mid = UInt16(truncatingIfNeeded: t >> 32), hi = UInt16(truncatingIfNeeded: t >> 48) & 0x0FFF | 0x1000
            var b: [UInt8] = []
            for k in stride(from: 24, through: 0, by: -8) { b.append(UInt8(truncatingIfNeeded: low >> UInt32(k))) }
            b += [UInt8(mid >> 8), UInt8(truncatingIfNeeded: mid), UInt8(hi >> 8), UInt8(truncatingIfNeeded: hi)]
            b += [UInt8((seq >> 8) & 0x3F | 0x80), UInt8(seq & 0xFF)]
            return .object(PythonUUID(b + nodeBytes))
        }
        u.add("uuid3") { a, _ in .object(PythonUUID.versioned(Digests.md5(try namespace(a, "uuid3").1), 3)) }
        u.add("uuid5") { a, _ in .object(PythonUUID.versioned(Digests.sha1(try namespace(a, "uuid5").1), 5)) }
        u.add("UUID") { a, _ in
            if let h = a.get(0, "hex") {
                guard case .string(let s) = h else { throw TemplateError(a.position, "uuid.UUID(): hex must be a str, not \(h.typeName)") }
                guard let v = PythonUUID.parse(s) else { throw TemplateError(a.position, "badly formed hexadecimal UUID string") }
                return .object(v)
            }
            if let b = a.keyword("bytes") {
                guard case .bytes(let x) = b, x.count == 16 else { throw TemplateError(a.position, "bytes is not a 16-char string") }
                return .object(PythonUUID(x))
            }
            throw TemplateError(a.position, "uuid.UUID() needs hex or bytes=")
        }
        return u
    }
}
