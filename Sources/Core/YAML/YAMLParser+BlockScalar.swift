/// Literal (`|`) and folded (`>`) block scalars with chomping (`+`, `-`) and indentation indicators.
extension YAMLParser {
    enum Chomping { case strip, clip, keep }

    /// A block scalar whose header is at the cursor, belonging to a parent at column `parent`.
    mutating func parseBlockScalar(parent: Int) throws -> YAMLNode {
        let mark = cur.mark
        let folded = cur.peek() == UInt8(ascii: ">")
        cur.advance()
        var chomping = Chomping.clip
        var increment: Int?
        for _ in 0..<2 {
            let c = cur.peek()
            if (c == UInt8(ascii: "+") || c == UInt8(ascii: "-")) && chomping == .clip {
                chomping = c == UInt8(ascii: "+") ? .keep : .strip
                cur.advance()
            } else if c >= UInt8(ascii: "1") && c <= UInt8(ascii: "9") && increment == nil {
                increment = Int(c - UInt8(ascii: "0"))
                cur.advance()
            } else if c == UInt8(ascii: "0") {
                throw cur.error("a block scalar indentation indicator must be 1 to 9")
            }
        }
        if !cur.isBlankOrEnd() {
            throw cur.error("expected a chomping indicator (+ or -), an indentation digit or the end of the line after '\(folded ? ">" : "|")'")
        }
        try cur.finishLine()
        if cur.peek() == 10 { cur.advance() }
        let minIndent = max(parent + 1, 1)
        var breaks: [UInt8] = []
        var indent: Int
        if let m = increment {
            indent = minIndent + m - 1
            scanBreaks(indent: indent, into: &breaks)
        } else {
            var maxIndent = 0
            while true {
                while cur.peek() == 32 { cur.advance() }
                maxIndent = max(maxIndent, cur.column)
                guard cur.peek() == 10 else { break }
                breaks.append(10)
                cur.advance()
            }
            indent = max(minIndent, maxIndent)
        }
        var out: [UInt8] = []
        var lineBreak: [UInt8] = []
        while cur.column == indent && !cur.atEnd {
            out += breaks
            let leadingNonSpace = cur.peek() != 32 && cur.peek() != 9
            let start = cur.at.offset
            while !cur.atLineEnd { cur.advance() }
            out += cur.bytes[start..<cur.at.offset]
            lineBreak = []
            if cur.peek() == 10 { lineBreak = [10]; cur.advance() }
            breaks = []
            scanBreaks(indent: indent, into: &breaks)
            if cur.column == indent && !cur.atEnd {
                if folded && lineBreak == [10] && leadingNonSpace && cur.peek() != 32 && cur.peek() != 9 {
                    if breaks.isEmpty { out.append(32) }
                } else {
                    out += lineBreak
                }
            } else {
                break
            }
        }
        if chomping != .strip { out += lineBreak }
        if chomping == .keep { out += breaks }
        standBeforeLastBreak()
        return YAMLNode(.string(String(decoding: out, as: UTF8.self)), mark: mark)
    }

    /// Empty lines (at most `indent` spaces) after a content line, one break each.
    private mutating func scanBreaks(indent: Int, into breaks: inout [UInt8]) {
        while true {
            while cur.column < indent && cur.peek() == 32 { cur.advance() }
            guard cur.peek() == 10 else { return }
            breaks.append(10)
            cur.advance()
        }
    }

    /// Leaves the cursor on the scalar's last line, just before its break, when it stopped at the start
    /// of a less indented line: the caller reads on from there.
    private mutating func standBeforeLastBreak() {
        guard !cur.atEnd, !cur.atLineEnd else { return }
        var i = cur.at.offset
        while i > 0 && cur.bytes[i - 1] == 32 { i -= 1 }
        guard i > 0, cur.bytes[i - 1] == 10 else { return }
        i -= 1
        var col = 0
        var j = i
        while j > 0 && cur.bytes[j - 1] != 10 {
            if cur.bytes[j - 1] & 0xC0 != 0x80 { col += 1 }
            j -= 1
        }
        cur.at = YAMLPosition(offset: i, line: cur.at.line - 1, column: col)
    }
}
