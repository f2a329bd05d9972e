import Core
import Foundation

/// The Python modules templates reach through `module`: `datetime` (timedelta, datetime,
/// timezone, fromtimestamp), `hashlib` (md5, sha1, sha256, new), `base64`, `calendar`, and the
/// ones in their own files: `json`, `math`, `uuid`, `faker`. Each behaves as CPython's, down to
/// the errors for wrong argument types (`hashlib.md5('text')` needs bytes, as in Python).
enum PythonModules {
    /// A bytes argument: Python's hash and base64 functions take no str.
    static func bytes(_ v: Value, _ a: CallArguments, _ fn: String, hashing: Bool = false) throws -> [UInt8] {
        switch v {
        case .bytes(let b): return b
        case .string where hashing: throw TemplateError(a.position, "\(fn)(): Strings must be encoded before hashing (use .encode())")
        default: throw TemplateError(a.position, "\(fn)(): a bytes-like object is required, not '\(v.typeName)'")
        }
    }

    static let algorithms: Set<String> = ["md5", "sha1", "sha256"]

    static func hash(_ name: String, _ data: [UInt8]) -> [UInt8] {
        switch name {
        case "md5": return Digests.md5(data)
        case "sha1": return Digests.sha1(data)
        default: return Digests.sha256(data)
        }
    }

    /// A hash object: `.update(b)`, `.digest()`, `.hexdigest()`, `.name`, `.digest_size`, `.copy()`.
    final class Hash: TemplateObject {
        let name: String
        var data: [UInt8]
        init(_ name: String, _ data: [UInt8]) { self.name = name; self.data = data }
        var typeName: String { "_hashlib.HASH" }
        var digest: [UInt8] { PythonModules.hash(name, data) }
        func attribute(_ n: String) -> Value? {
            switch n {
            case "name": return .string(name)
            case "digest_size": return .int(["md5": 16, "sha1": 20, "sha256": 32][name]!)
            case "block_size": return .int(64)
            case "digest": return .function(NativeFunction("digest") { [unowned self] _, _ in .bytes(self.digest) })
            case "hexdigest": return .function(NativeFunction("hexdigest") { [unowned self] _, _ in .string(Digests.hex(self.digest)) })
            case "copy": return .function(NativeFunction("copy") { [unowned self] _, _ in .object(Hash(self.name, self.data)) })
            case "update":
                return .function(NativeFunction("update") { [unowned self] a, _ in
                    self.data += try PythonModules.bytes(try a.require(0, "data", "update"), a, "update", hashing: true)
                    return .none
                })
            default: return nil
            }
        }
    }

    /// `datetime.timezone`: a fixed offset (`timezone.utc`, `timezone(timedelta(hours=2))`).
    final class Timezone: TemplateObject {
        let offset: Int
        init(_ seconds: Int) { offset = seconds }
        var typeName: String { "datetime.timezone" }
        func attribute(_ name: String) -> Value? { nil }
        func appendText(to out: inout [UInt8]) {
            out.append(contentsOf: "UTC".utf8)
            if offset == 0 { return }
            let a = abs(offset)
            out.append(contentsOf: "\(offset < 0 ? "-" : "+")\(a / 36_000)\(a / 3600 % 10):\(a / 600 % 6)\(a / 60 % 10)".utf8)
        }
    }

    static func zone(_ v: Value?, _ a: CallArguments) throws -> Int? {
        guard let v else { return nil }
        switch v {
        case .none: return nil
        case .object(let z as Timezone): return z.offset
        default: throw TemplateError(a.position, "tzinfo argument must be None or of a tzinfo subclass, not type '\(v.typeName)'")
        }
    }

    static func add(to module: FunctionSpace, clock: EventClock) {
        module.members["datetime"] = .object(datetime())
        module.members["hashlib"] = .object(hashlib())
        module.members["base64"] = .object(base64())
        module.members["calendar"] = .object(calendar())
        module.members["json"] = .object(PythonModuleJSON.make())
        module.members["math"] = .object(PythonModuleMath.make())
        module.members["uuid"] = .object(PythonModuleUUID.make(clock: clock))
        module.members["faker"] = .object(PythonModuleFaker.make())
    }

    static func datetime() -> FunctionSpace {
        let datetime = FunctionSpace("datetime")
        datetime.add("timedelta") { a, _ in
            let units: [(String, Double)] = [("weeks", 604_800e6), ("days", 86_400e6), ("hours", 3_600e6), ("minutes", 60e6),
                                             ("seconds", 1e6), ("milliseconds", 1e3), ("microseconds", 1)]
            // timedelta(days, seconds, microseconds, milliseconds, minutes, hours, weeks)
            let order = [1, 4, 6, 5, 3, 2, 0]
            var total = 0.0
            if a.positional.count > 7 { throw TemplateError(a.position, "timedelta() takes at most 7 arguments") }
            for (i, v) in a.positional.enumerated() {
                guard let x = v.number else { throw TemplateError(a.position, "unsupported type for timedelta \(units[order[i]].0) component: \(v.typeName)") }
                total += x * units[order[i]].1
            }
            for (k, v) in a.keywords {
                guard let u = units.first(where: { $0.0 == k }) else { throw TemplateError(a.position, "timedelta() got an unexpected keyword argument '\(k)'") }
                guard let x = v.number else { throw TemplateError(a.position, "unsupported type for timedelta \(k) component: \(v.typeName)") }
                total += x * u.1
            }
            guard abs(total) < 8.64e19 else { throw TemplateError(a.position, "days=\(Int(total / 86_400e6)); must have magnitude <= 999999999") }
            return .timedelta(Int64(total.rounded(.toNearestOrEven)))
        }
        let dt = FunctionSpace("datetime.datetime")
        dt.add("fromtimestamp") { a, _ in
            let s = try a.double(0, "timestamp", "fromtimestamp")
            guard s.isFinite, abs(s) < 2.5e11 else { throw TemplateError(a.position, "year is out of range") }
            return .datetime(DateTimeValue(micros: Int64((s * 1e6).rounded(.toNearestOrEven)), offset: try zone(a.get(1, "tz"), a)))
        }
        dt.add("utcfromtimestamp") { a, _ in
            let s = try a.double(0, "timestamp", "utcfromtimestamp")
            guard s.isFinite, abs(s) < 2.5e11 else { throw TemplateError(a.position, "year is out of range") }
            return .datetime(DateTimeValue(micros: Int64((s * 1e6).rounded(.toNearestOrEven)), offset: nil))
        }
        datetime.members["datetime"] = .object(dt)
        let tz = FunctionSpace("datetime.timezone")
        tz.members["utc"] = .object(Timezone(0))
        datetime.members["timezone"] = .object(tz)
        return datetime
    }

    static func hashlib() -> FunctionSpace {
        let hashlib = FunctionSpace("hashlib")
        for name in ["md5", "sha1", "sha256"] {
            hashlib.add(name) { a, _ in .object(Hash(name, try a.get(0, "data").map { try bytes($0, a, name, hashing: true) } ?? [])) }
        }
        hashlib.add("new") { a, _ in
            let name = try a.require(0, "name", "new").text.lowercased()
            guard algorithms.contains(name) else { throw TemplateError(a.position, "unsupported hash type \(name) (eg has md5, sha1, sha256)") }
            return .object(Hash(name, try a.get(1, "data").map { try bytes($0, a, "new", hashing: true) } ?? []))
        }
        return hashlib
    }

    /// Standard base64 text of `b` decoded; nil when it is not valid (Python's `Incorrect padding`).
    static func base64Decode(_ text: [UInt8]) -> [UInt8]? {
        var values: [UInt8] = []
        var padding = 0
        for c in text {
            switch c {
            case 65...90: values.append(c - 65)
            case 97...122: values.append(c - 71)
            case 48...57: values.append(c + 4)
            case 43: values.append(62)
            case 47: values.append(63)
            case 61: padding += 1
            default: continue   // Python discards characters outside the alphabet
            }
            if c != 61 && padding > 0 { return nil }
        }
        guard (values.count + padding) % 4 == 0, values.count % 4 != 1 else { return nil }
        var out: [UInt8] = []
        var i = 0
        while i + 1 < values.count {
            let n = values.count - i
            let a = values[i], b = values[i + 1], c = n > 2 ? values[i + 2] : 0, d = n > 3 ? values[i + 3] : 0
            out.append(a << 2 | b >> 4)
            if n > 2 { out.append((b & 15) << 4 | c >> 2) }
            if n > 3 { out.append((c & 3) << 6 | d) }
            i += 4
        }
        return out
    }

    static func base64() -> FunctionSpace {
        let base64 = FunctionSpace("base64")
        for name in ["b64encode", "standard_b64encode", "urlsafe_b64encode"] {
            base64.add(name) { a, _ in
                let out = Digests.base64(try bytes(try a.require(0, "s", name), a, name))
                return .bytes(name == "urlsafe_b64encode" ? out.map { $0 == 43 ? 45 : $0 == 47 ? 95 : $0 } : out)
            }
        }
        for name in ["b64decode", "standard_b64decode", "urlsafe_b64decode"] {
            base64.add(name) { a, _ in
                let v = try a.require(0, "s", name)
                var text: [UInt8]
                switch v {
                case .bytes(let b): text = b
                case .string(let s) where s.utf8.allSatisfy({ $0 < 128 }): text = Array(s.utf8)
                case .string: throw TemplateError(a.position, "string argument should contain only ASCII characters")
                default: throw TemplateError(a.position, "argument should be a bytes-like object or ASCII string, not '\(v.typeName)'")
                }
                if name == "urlsafe_b64decode" { text = text.map { $0 == 45 ? 43 : $0 == 95 ? 47 : $0 } }
                guard let out = base64Decode(text) else { throw TemplateError(a.position, "Incorrect padding") }
                return .bytes(out)
            }
        }
        base64.add("b16encode") { a, _ in .bytes(Array(Digests.hex(try bytes(try a.require(0, "s", "b16encode"), a, "b16encode")).uppercased().utf8)) }
        return base64
    }

    static func isLeap(_ y: Int) -> Bool { y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) }

    /// Monday = 0, as Python's calendar counts.
    static func weekday(_ y: Int, _ m: Int, _ d: Int) -> Int {
        let days = TimeZoneSetting.utc.instant(CivilTime(year: y, month: m, day: d, hour: 0, minute: 0, second: 0)).seconds / 86_400
        return Int(((days % 7) + 7 + 3) % 7)
    }

    static func calendar() -> FunctionSpace {
        let calendar = FunctionSpace("calendar")
        calendar.add("timegm") { a, _ in
            guard let parts = try a.require(0, "tuple", "timegm").iterate(), parts.count >= 6 else {
                throw TemplateError(a.position, "timegm() takes a time tuple (year, month, day, hour, minute, second, ...)")
            }
            var p: [Int] = []
            for v in parts.prefix(6) {
                guard let x = v.intValue else { throw TemplateError(a.position, "timegm(): the tuple holds integers, not \(v.typeName)") }
                p.append(x)
            }
            // Python's timegm: the first of the month (a real date), then plain arithmetic.
            guard (1...12).contains(p[1]) else { throw TemplateError(a.position, "timegm(): month must be in 1..12") }
            let first = TimeZoneSetting.utc.instant(CivilTime(year: p[0], month: p[1], day: 1, hour: 0, minute: 0, second: 0)).seconds
            return .int(Int(first) + (p[2] - 1) * 86_400 + p[3] * 3600 + p[4] * 60 + p[5])
        }
        calendar.add("isleap") { a, _ in .bool(isLeap(try a.int(0, "year", "isleap"))) }
        calendar.add("monthrange") { a, _ in
            let y = try a.int(0, "year", "monthrange"), m = try a.int(1, "month", "monthrange")
            guard (1...12).contains(m) else { throw TemplateError(a.position, "bad month number \(m); must be 1-12") }
            let length = m == 2 ? (isLeap(y) ? 29 : 28) : [4, 6, 9, 11].contains(m) ? 30 : 31
            return .tuple([.int(weekday(y, m, 1)), .int(length)])
        }
        calendar.add("weekday") { a, _ in
            .int(weekday(try a.int(0, "year", "weekday"), try a.int(1, "month", "weekday"), try a.int(2, "day", "weekday")))
        }
        let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
        let days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
        calendar.members["month_name"] = .list([.string("")] + months.map { .string($0) })
        calendar.members["month_abbr"] = .list([.string("")] + months.map { .string(String($0.prefix(3))) })
        calendar.members["day_name"] = .list(days.map { .string($0) })
        calendar.members["day_abbr"] = .list(days.map { .string(String($0.prefix(3))) })
        return calendar
    }
}
