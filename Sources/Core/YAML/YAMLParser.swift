/// A recursive-descent YAML 1.2 parser over a `YAMLCursor`: documents, block and flow collections,
/// every scalar style, anchors, aliases and tags. The parts live in YAMLParser+*.swift.
struct YAMLParser {
    /// What encloses a block node, which decides what may start on the same line.
    enum Context { case document, sequenceEntry, mappingValue, explicitKey }

    /// An anchor and tag written before a node.
    struct Properties {
        var anchor: String?
        var tag: String?
        var mark: YAMLMark?
        var isEmpty: Bool { anchor == nil && tag == nil }
    }

    var cur: YAMLCursor
    var anchors: [String: YAMLNode] = [:]
    var depth = 0
    static let maxDepth = 400

    init(text: String, file: String) throws {
        cur = try YAMLCursor(text: text, file: file)
    }

    /// Every document of the stream.
    mutating func parseStream() throws -> [YAMLNode] {
        var docs: [YAMLNode] = []
        while true {
            guard try cur.skipToContent() else { return docs }
            while cur.column == 0 && cur.peek() == UInt8(ascii: "%") {
                try parseDirective()
                guard try cur.skipToContent() else { throw cur.error("a directive must be followed by '---'") }
                guard cur.atDocumentMarker && cur.peek() == UInt8(ascii: "-") else {
                    throw cur.error("expected '---' after the directives")
                }
            }
            if cur.atDocumentMarker && cur.peek() == UInt8(ascii: "-") {
                cur.advance(3)
            } else if cur.atDocumentMarker {
                cur.advance(3)  // `...` with no document before it
                try cur.finishLine()
                continue
            }
            anchors = [:]
            docs.append(try parseBlockNode(parent: -1, context: .document))
            try cur.finishLine()
            guard try cur.skipToContent() else { return docs }
            if cur.atDocumentMarker {
                if cur.peek() == UInt8(ascii: ".") {
                    cur.advance(3)
                    try cur.finishLine()
                }
                continue
            }
            throw cur.error("unexpected content at column \(cur.column + 1): expected a key, '- ' or the end of the document")
        }
    }

    /// `%YAML 1.x` and `%TAG` lines are read and checked; other directives are skipped.
    mutating func parseDirective() throws {
        let start = cur.at.offset
        while !cur.atLineEnd && cur.peek() != 32 && cur.peek() != 9 { cur.advance() }
        let name = cur.text(start, cur.at.offset)
        cur.skipInlineBlanks()
        let argStart = cur.at.offset
        while !cur.atLineEnd && cur.peek() != UInt8(ascii: "#") { cur.advance() }
        let arg = cur.text(argStart, cur.at.offset).trimmingBlanks
        if name == "%YAML" && !(arg.hasPrefix("1.")) {
            throw YAMLError("unsupported YAML version \(arg): expected 1.x", at: cur.mark)
        }
        try cur.finishLine()
    }

    mutating func enter() throws {
        depth += 1
        if depth > Self.maxDepth { throw cur.error("nesting deeper than \(Self.maxDepth) levels") }
    }

    /// Reads `&anchor` and `!tag` in either order before a node.
    mutating func parseProperties() throws -> Properties {
        var p = Properties()
        while true {
            let c = cur.peek()
            if c == UInt8(ascii: "&") {
                if p.anchor != nil { throw cur.error("a node can have only one anchor") }
                if p.mark == nil { p.mark = cur.mark }
                cur.advance()
                p.anchor = try readName("anchor")
            } else if c == UInt8(ascii: "!") {
                if p.tag != nil { throw cur.error("a node can have only one tag") }
                if p.mark == nil { p.mark = cur.mark }
                p.tag = try readTag()
            } else {
                return p
            }
            cur.skipInlineBlanks()
        }
    }

    /// An anchor or alias name: up to a blank or a flow indicator.
    mutating func readName(_ what: String) throws -> String {
        let start = cur.at.offset
        while !cur.isBlankOrEnd() && !YAMLCursor.isFlowIndicator(cur.peek()) { cur.advance() }
        if cur.at.offset == start { throw cur.error("expected an \(what) name") }
        return cur.text(start, cur.at.offset)
    }

    mutating func readTag() throws -> String {
        let start = cur.at.offset
        cur.advance()  // !
        if cur.peek() == UInt8(ascii: "<") {
            cur.advance()
            let s = cur.at.offset
            while cur.peek() != UInt8(ascii: ">") {
                if cur.isBlankOrEnd() { throw cur.error("unterminated verbatim tag: expected '>'") }
                cur.advance()
            }
            let t = cur.text(s, cur.at.offset)
            cur.advance()
            return t
        }
        while !cur.isBlankOrEnd() && !YAMLCursor.isFlowIndicator(cur.peek()) { cur.advance() }
        let t = cur.text(start, cur.at.offset)
        if t.hasPrefix("!!") { return "tag:yaml.org,2002:" + t.dropFirst(2) }
        return t
    }

    /// Applies properties to a parsed node: resolves its tag and records its anchor.
    mutating func finish(_ node: YAMLNode, _ props: Properties, plain: Bool) throws -> YAMLNode {
        var n = node
        if let m = props.mark { n.mark = m }
        if let tag = props.tag {
            n = try YAMLSchema.apply(tag: tag, to: n)
        } else if plain, case .string(let s) = n.value {
            n.value = YAMLSchema.resolvePlain(s)
        }
        if let a = props.anchor { anchors[a] = n }
        return n
    }

    /// `*name`: a copy of the anchored node.
    mutating func parseAlias(_ props: Properties) throws -> YAMLNode {
        let mark = cur.mark
        if !props.isEmpty { throw cur.error("an alias cannot have an anchor or a tag") }
        cur.advance()
        let name = try readName("alias")
        guard var node = anchors[name] else {
            throw YAMLError("unknown alias *\(name): no anchor &\(name) before it", at: mark)
        }
        node.mark = mark
        return node
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    var trimmingBlanks: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}
