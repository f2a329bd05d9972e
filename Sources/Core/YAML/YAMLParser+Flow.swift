/// Flow collections: `[a, b]` and `{k: v, k2}`, nested, across lines, with single-pair entries.
extension YAMLParser {
    /// A flow sequence or mapping starting at the cursor's `[` or `{`.
    mutating func parseFlowCollection() throws -> YAMLNode {
        try enter()
        defer { depth -= 1 }
        let mark = cur.mark
        let isMap = cur.peek() == UInt8(ascii: "{")
        let close = isMap ? UInt8(ascii: "}") : UInt8(ascii: "]")
        cur.advance()
        var items: [YAMLNode] = []
        var pairs: [YAMLPair] = []
        while true {
            try skipFlowSpace()
            if cur.peek() == close { cur.advance(); break }
            if cur.atEnd {
                throw YAMLError("unterminated flow \(isMap ? "mapping" : "sequence"): expected '\(Character(Unicode.Scalar(close)))'", at: mark)
            }
            if cur.peek() == UInt8(ascii: ",") { throw cur.error("an empty entry: expected a value before ','") }
            let entryMark = cur.mark
            var explicitKey = false
            if cur.peek() == UInt8(ascii: "?") && cur.isBlankOrEnd(1) {
                cur.advance()
                explicitKey = true
                try skipFlowSpace()
            }
            let key = try parseFlowNode(close: close)
            try skipFlowSpace()
            var value: YAMLNode?
            if cur.peek() == UInt8(ascii: ":") {
                cur.advance()
                try skipFlowSpace()
                if cur.peek() == UInt8(ascii: ",") || cur.peek() == close {
                    value = YAMLNode(.null, mark: cur.mark)
                } else {
                    value = try parseFlowNode(close: close)
                }
                try skipFlowSpace()
            } else if explicitKey || isMap {
                value = YAMLNode(.null, mark: key.mark)
            }
            if isMap {
                pairs.append(YAMLPair(key: key, value: value!))
            } else if let value {
                items.append(YAMLNode(.mapping([YAMLPair(key: key, value: value)]), mark: entryMark))
            } else {
                items.append(key)
            }
            if cur.peek() == UInt8(ascii: ",") { cur.advance(); continue }
            if cur.peek() == close { continue }
            if cur.atEnd {
                throw YAMLError("unterminated flow \(isMap ? "mapping" : "sequence"): expected '\(Character(Unicode.Scalar(close)))'", at: mark)
            }
            throw cur.error("expected ',' or '\(Character(Unicode.Scalar(close)))' in a flow \(isMap ? "mapping" : "sequence")")
        }
        if isMap { return YAMLNode(.mapping(try YAMLMerge.apply(pairs)), mark: mark) }
        return YAMLNode(.sequence(items), mark: mark)
    }

    /// One node inside a flow collection; an empty one (straight to `:`, `,` or the closer) is null.
    mutating func parseFlowNode(close: UInt8) throws -> YAMLNode {
        let props = try parseProperties()
        try skipFlowSpace()
        let mark = props.mark ?? cur.mark
        let c = cur.peek()
        switch c {
        case UInt8(ascii: "*"): return try parseAlias(props)
        case UInt8(ascii: "["), UInt8(ascii: "{"): return try finish(try parseFlowCollection(), props, plain: false)
        case UInt8(ascii: "\""): return try finish(YAMLNode(.string(try parseDoubleQuoted()), mark: mark), props, plain: false)
        case UInt8(ascii: "'"): return try finish(YAMLNode(.string(try parseSingleQuoted()), mark: mark), props, plain: false)
        case UInt8(ascii: ","), close:
            return try finish(YAMLNode(.null, mark: mark), props, plain: false)
        case UInt8(ascii: ":") where !plainCanStart(flow: true):
            return try finish(YAMLNode(.null, mark: mark), props, plain: false)
        default:
            if cur.atEnd { return try finish(YAMLNode(.null, mark: mark), props, plain: false) }
            let text = try parsePlain(parent: -1, flow: true)
            return try finish(YAMLNode(.string(text), mark: mark), props, plain: true)
        }
    }

    /// Blanks, line breaks and comments between flow entries.
    mutating func skipFlowSpace() throws {
        while true {
            let c = cur.peek()
            if c == 32 || c == 9 { cur.advance(); continue }
            if c == 10 {
                cur.advance()
                if cur.atDocumentMarker { throw cur.error("a document marker inside a flow collection: close it first") }
                continue
            }
            if c == UInt8(ascii: "#") { cur.skipComment(); continue }
            return
        }
    }
}
