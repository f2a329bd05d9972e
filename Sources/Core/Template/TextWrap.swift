/// Python's `textwrap.wrap` as Jinja's `wordwrap` calls it (no tab expansion, whitespace kept,
/// whitespace dropped at line ends, no indents, no line limit), on code points.
struct TextWrap {
    let width: Int
    let breakLongWords: Bool
    /// Words split after hyphens between letters and before `--` (textwrap's `wordsep_re`).
    let splitOnHyphens: Bool
    /// A long word broken after its last hyphen that fits.
    let breakOnHyphens: Bool

    typealias Chunk = ArraySlice<Unicode.Scalar>

    /// The wrapped lines of one paragraph.
    func wrap(_ text: Chunk) -> [[Unicode.Scalar]] {
        var chunks = Array(split(text).reversed())
        var lines: [[Unicode.Scalar]] = []
        while !chunks.isEmpty {
            var line: [Chunk] = []
            var len = 0
            if PyText.isBlank(chunks[chunks.count - 1]) && !lines.isEmpty { chunks.removeLast() }
            while let c = chunks.last, len + c.count <= width {
                line.append(chunks.removeLast())
                len += c.count
            }
            if let c = chunks.last, c.count > width {
                handleLongWord(&chunks, &line, len)
                len = line.reduce(0) { $0 + $1.count }
            }
            if let last = line.last, PyText.isBlank(last) {
                len -= last.count
                line.removeLast()
            }
            if !line.isEmpty { lines.append(line.flatMap { $0 }) }
        }
        return lines
    }

    private func handleLongWord(_ chunks: inout [Chunk], _ line: inout [Chunk], _ len: Int) {
        let spaceLeft = width < 1 ? 1 : width - len
        let chunk = chunks[chunks.count - 1]
        if breakLongWords {
            var end = spaceLeft
            if breakOnHyphens && chunk.count > spaceLeft {
                // Break after the last hyphen that fits, if something other than hyphens precedes it.
                let head = chunk.prefix(spaceLeft)
                if let h = head.lastIndex(where: { $0 == "-" }), h > chunk.startIndex,
                   chunk[chunk.startIndex..<h].contains(where: { $0 != "-" }) {
                    end = h - chunk.startIndex + 1
                }
            }
            let cut = chunk.startIndex + Swift.min(end, chunk.count)
            line.append(chunk[..<cut])
            chunks[chunks.count - 1] = chunk[cut...]
        } else if line.isEmpty {
            line.append(chunks.removeLast())
        }
    }

    /// textwrap's `_split`: whitespace runs and words; with `splitOnHyphens`, words also break
    /// after a hyphen between letters and before an em-dash (`--`), as its `wordsep_re` does.
    func split(_ text: Chunk) -> [Chunk] {
        let s = Array(text)
        let n = s.count
        var out: [Chunk] = []
        func ws(_ i: Int) -> Bool {
            guard i < n else { return false }
            switch s[i].value { case 0x09...0x0D, 0x20: return true; default: return false }
        }
        var i = 0
        if !splitOnHyphens {
            while i < n {
                let start = i
                let space = ws(i)
                while i < n && ws(i) == space { i += 1 }
                out.append(text[(text.startIndex + start)..<(text.startIndex + i)])
            }
            return out
        }
        func at(_ i: Int) -> Unicode.Scalar? { i >= 0 && i < n ? s[i] : nil }
        func letter(_ i: Int) -> Bool { at(i).map { PyText.isWord($0) && !PyText.isDigit($0) } ?? false }
        func word(_ i: Int) -> Bool { at(i).map(PyText.isWord) ?? false }
        func wordPunct(_ i: Int) -> Bool { at(i).map { PyText.isWord($0) || "!\"'&.,?".unicodeScalars.contains($0) } ?? false }
        func hyphen(_ i: Int) -> Bool { at(i) == "-" }
        /// `-{2,}\w` starting at `i`: the end of the hyphen run, or nil.
        func emDash(_ i: Int) -> Int? {
            var j = i
            while hyphen(j) { j += 1 }
            return j - i >= 2 && word(j) ? j : nil
        }
        while i < n {
            let start = i
            if ws(i) {
                while ws(i) { i += 1 }
            } else if wordPunct(i - 1), let end = emDash(i) {
                i = end
            } else {
                // The shortest run of non-whitespace that ends a word.
                var e = i + 1
                while true {
                    if hyphen(e) && ((letter(e - 2) && letter(e - 1)) || (letter(e - 3) && hyphen(e - 2) && letter(e - 1)))
                        && letter(e + 1) && (letter(e + 2) || (hyphen(e + 2) && letter(e + 3))) {
                        e += 1
                        break
                    }
                    if e == n || ws(e) { break }
                    if wordPunct(e - 1) && emDash(e) != nil { break }
                    e += 1
                }
                i = e
            }
            out.append(text[(text.startIndex + start)..<(text.startIndex + i)])
        }
        return out
    }
}
