import Core

/// `module.json`: `dumps` with Python's keyword arguments (`indent`, `separators`, `sort_keys`,
/// `ensure_ascii`, `allow_nan`, `skipkeys`) and `loads`, through `PythonJSON`.
enum PythonModuleJSON {
    static func make() -> FunctionSpace {
        let json = FunctionSpace("json")
        json.add("dumps") { a, _ in
            let v = try a.require(0, "obj", "dumps")
            var o = PythonJSON.Options()
            for (k, x) in a.keywords {
                switch k {
                case "obj": break
                case "sort_keys": o.sortKeys = x.truthy
                case "ensure_ascii": o.ensureASCII = x.truthy
                case "allow_nan": o.allowNaN = x.truthy
                case "skipkeys": o.skipKeys = x.truthy
                case "check_circular": break
                case "indent":
                    switch x {
                    case .none: o.indent = nil
                    case .int(let n): o.indent = String(repeating: " ", count: max(0, min(n, 1000)))
                    case .string(let s): o.indent = s
                    default: throw TemplateError(a.position, "json.dumps(): indent must be an int, a str or None, not \(x.typeName)")
                    }
                case "separators":
                    guard case .none = x else {
                        guard let parts = x.iterate(), parts.count == 2, case .string(let item) = parts[0], case .string(let key) = parts[1] else {
                            throw TemplateError(a.position, "json.dumps(): separators must be a pair of strings (item_separator, key_separator)")
                        }
                        o.itemSeparator = item
                        o.keySeparator = key
                        break
                    }
                default: throw TemplateError(a.position, "json.dumps() got an unexpected keyword argument '\(k)'")
                }
            }
            if a.positional.count > 1 { throw TemplateError(a.position, "json.dumps() takes 1 positional argument but \(a.positional.count) were given") }
            return .string(try PythonJSON.dumps(v, o, position: a.position))
        }
        json.add("loads") { a, _ in
            let s = try a.require(0, "s", "loads")
            switch s {
            case .string(let t): return try PythonJSON.loads(t, position: a.position)
            case .bytes(let b): return try PythonJSON.loads(String(decoding: b, as: UTF8.self), position: a.position)
            default: throw TemplateError(a.position, "json.loads(): the JSON object must be str or bytes, not \(s.typeName)")
            }
        }
        return json
    }
}
