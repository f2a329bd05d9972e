/// Block nodes: the node after `key:`, `- ` or `---`, block mappings and block sequences.
extension YAMLParser {
    /// Parses the node that belongs to a parent at column `parent` (-1 for a document), starting on the
    /// current line or on the following, more indented ones. Leaves the cursor on the node's last line.
    mutating func parseBlockNode(parent: Int, context: Context) throws -> YAMLNode {
        try enter()
        defer { depth -= 1 }
        cur.skipInlineBlanks()
        cur.skipComment()
        var props = Properties()
        if !cur.atLineEnd {
            if context != .mappingValue, try implicitKeyAhead() {
                return try parseBlockMapping(indent: cur.column)
            }
            props = try parseProperties()
            cur.skipInlineBlanks()
            cur.skipComment()
            if !cur.atLineEnd { return try parseInlineNode(parent: parent, context: context, props: props) }
        }
        let emptyMark = props.mark ?? cur.mark
        var probe = cur
        guard try probe.skipToContent(), !probe.atDocumentMarker else {
            return try finish(YAMLNode(.null, mark: emptyMark), props, plain: false)
        }
        let c = probe.column
        let dash = probe.peek() == UInt8(ascii: "-") && probe.isBlankOrEnd(1)
        if dash && (c > parent || context == .mappingValue && c == parent) {
            cur = probe
            return try finish(try parseBlockSequence(indent: c), props, plain: false)
        }
        guard c > parent else { return try finish(YAMLNode(.null, mark: emptyMark), props, plain: false) }
        cur = probe
        if try implicitKeyAhead() {
            return try finish(try parseBlockMapping(indent: c), props, plain: false)
        }
        if props.isEmpty {
            props = try parseProperties()
            cur.skipInlineBlanks()
            if cur.atLineEnd || cur.peek() == UInt8(ascii: "#") {
                cur.skipComment()
                var next = cur
                if try next.skipToContent(), !next.atDocumentMarker, next.column > parent {
                    cur = next
                    if try implicitKeyAhead() {
                        return try finish(try parseBlockMapping(indent: cur.column), props, plain: false)
                    }
                    if cur.peek() == UInt8(ascii: "-") && cur.isBlankOrEnd(1) {
                        return try finish(try parseBlockSequence(indent: cur.column), props, plain: false)
                    }
                } else {
                    return try finish(YAMLNode(.null, mark: props.mark ?? cur.mark), props, plain: false)
                }
            }
        }
        return try parseInlineNode(parent: parent, context: context, props: props)
    }

    /// A node that starts at the cursor, on the current line.
    mutating func parseInlineNode(parent: Int, context: Context, props: Properties) throws -> YAMLNode {
        let mark = cur.mark
        let c = cur.peek()
        switch c {
        case UInt8(ascii: "*"):
            return try parseAlias(props)
        case UInt8(ascii: "|"), UInt8(ascii: ">"):
            return try finish(try parseBlockScalar(parent: parent), props, plain: false)
        case UInt8(ascii: "["), UInt8(ascii: "{"):
            return try finish(try parseFlowCollection(), props, plain: false)
        case UInt8(ascii: "\""):
            return try finish(YAMLNode(.string(try parseDoubleQuoted()), mark: mark), props, plain: false)
        case UInt8(ascii: "'"):
            return try finish(YAMLNode(.string(try parseSingleQuoted()), mark: mark), props, plain: false)
        case UInt8(ascii: "-") where cur.isBlankOrEnd(1):
            if context == .mappingValue {
                throw cur.error("a block sequence cannot start on the line of its key: put '- ' on the next line")
            }
            return try finish(try parseBlockSequence(indent: cur.column), props, plain: false)
        case UInt8(ascii: "?") where cur.isBlankOrEnd(1):
            if context == .mappingValue {
                throw cur.error("a mapping cannot start on the line of its key: put it on the next line")
            }
            return try finish(try parseBlockMapping(indent: cur.column), props, plain: false)
        default:
            let text = try parsePlain(parent: parent, flow: false)
            return try finish(YAMLNode(.string(text), mark: mark), props, plain: true)
        }
    }

    /// A block mapping whose keys sit at column `indent`; the cursor is at its first key.
    mutating func parseBlockMapping(indent: Int) throws -> YAMLNode {
        try enter()
        defer { depth -= 1 }
        let mark = cur.mark
        var pairs: [YAMLPair] = []
        while true {
            let key: YAMLNode
            let value: YAMLNode
            if cur.peek() == UInt8(ascii: "?") && cur.isBlankOrEnd(1) {
                cur.advance()
                key = try parseBlockNode(parent: indent, context: .explicitKey)
                try cur.finishLine()
                var probe = cur
                if try probe.skipToContent(), probe.column == indent, probe.peek() == UInt8(ascii: ":"),
                   probe.isBlankOrEnd(1) {
                    cur = probe
                    cur.advance()
                    value = try parseBlockNode(parent: indent, context: .mappingValue)
                } else {
                    value = YAMLNode(.null, mark: key.mark)
                }
            } else {
                key = try parseImplicitKey()
                cur.skipInlineBlanks()
                guard cur.peek() == UInt8(ascii: ":") else { throw cur.error("expected ':' after the key") }
                cur.advance()
                value = try parseBlockNode(parent: indent, context: .mappingValue)
            }
            pairs.append(YAMLPair(key: key, value: value))
            try cur.finishLine()
            var probe = cur
            guard try probe.skipToContent(), !probe.atDocumentMarker, probe.column >= indent else { break }
            cur = probe
            if cur.column > indent {
                throw cur.error("bad indentation: expected a key at column \(indent + 1), found text at column \(cur.column + 1)")
            }
            let explicit = cur.peek() == UInt8(ascii: "?") && cur.isBlankOrEnd(1)
            guard try explicit || implicitKeyAhead() else {
                if cur.peek() == UInt8(ascii: "-") && cur.isBlankOrEnd(1) {
                    throw cur.error("a '- ' entry inside a mapping: expected a key at column \(indent + 1)")
                }
                throw cur.error("expected a key followed by ':' at column \(indent + 1)")
            }
        }
        return YAMLNode(.mapping(try YAMLMerge.apply(pairs)), mark: mark)
    }

    /// A block sequence whose `- ` entries sit at column `indent`; the cursor is at the first dash.
    mutating func parseBlockSequence(indent: Int) throws -> YAMLNode {
        try enter()
        defer { depth -= 1 }
        let mark = cur.mark
        var items: [YAMLNode] = []
        while true {
            cur.advance()  // -
            items.append(try parseBlockNode(parent: indent, context: .sequenceEntry))
            try cur.finishLine()
            var probe = cur
            guard try probe.skipToContent(), !probe.atDocumentMarker, probe.column >= indent else { break }
            if probe.column > indent {
                throw probe.error("bad indentation: expected '- ' at column \(indent + 1), found text at column \(probe.column + 1)")
            }
            guard probe.peek() == UInt8(ascii: "-") && probe.isBlankOrEnd(1) else { break }
            cur = probe
        }
        return YAMLNode(.sequence(items), mark: mark)
    }

    /// Whether an implicit key (`key:`, `"key":`, `*a :`, `[a, b]:` with optional properties) starts here.
    mutating func implicitKeyAhead() throws -> Bool {
        let saved = cur
        let savedAnchors = anchors
        defer { cur = saved; anchors = savedAnchors }
        guard (try? parseProperties()) != nil else { return false }
        cur.skipInlineBlanks()
        let line = cur.line
        switch cur.peek() {
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            guard (try? (cur.peek() == UInt8(ascii: "\"") ? parseDoubleQuoted() : parseSingleQuoted())) != nil,
                  cur.line == line else { return false }
        case UInt8(ascii: "*"):
            cur.advance()
            guard (try? readName("alias")) != nil else { return false }
        case UInt8(ascii: "["), UInt8(ascii: "{"):
            guard (try? parseFlowCollection()) != nil, cur.line == line else { return false }
        case UInt8(ascii: "-"), UInt8(ascii: "?"), UInt8(ascii: ":"):
            if cur.isBlankOrEnd(1) { return cur.peek() == UInt8(ascii: ":") }
            scanPlainLine(flow: false)
        case UInt8(ascii: "|"), UInt8(ascii: ">"), UInt8(ascii: "#"), UInt8(ascii: "%"), UInt8(ascii: "@"),
             UInt8(ascii: "`"), UInt8(ascii: "&"), UInt8(ascii: "!"), 0, 10:
            return false
        default:
            if YAMLCursor.isFlowIndicator(cur.peek()) { return false }
            scanPlainLine(flow: false)
        }
        cur.skipInlineBlanks()
        return cur.peek() == UInt8(ascii: ":") && cur.isBlankOrEnd(1)
    }

    /// The key at the cursor, which `implicitKeyAhead` has confirmed.
    mutating func parseImplicitKey() throws -> YAMLNode {
        let props = try parseProperties()
        cur.skipInlineBlanks()
        let mark = cur.mark
        switch cur.peek() {
        case UInt8(ascii: "*"): return try parseAlias(props)
        case UInt8(ascii: "\""): return try finish(YAMLNode(.string(try parseDoubleQuoted()), mark: mark), props, plain: false)
        case UInt8(ascii: "'"): return try finish(YAMLNode(.string(try parseSingleQuoted()), mark: mark), props, plain: false)
        case UInt8(ascii: "["), UInt8(ascii: "{"): return try finish(try parseFlowCollection(), props, plain: false)
        case UInt8(ascii: ":") where cur.isBlankOrEnd(1):
            return try finish(YAMLNode(.null, mark: mark), props, plain: false)
        default:
            let start = cur.at.offset
            scanPlainLine(flow: false)
            return try finish(YAMLNode(.string(cur.text(start, cur.at.offset)), mark: mark), props, plain: true)
        }
    }
}
