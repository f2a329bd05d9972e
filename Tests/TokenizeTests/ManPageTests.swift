import Foundation
import Testing

/// man/eg-tokenize.1 holds the SYNOPSIS and OPTIONS that `--man-sections` prints, verbatim.
@Suite struct ManPageTests {
    @Test func manPageHasOptionsVerbatim() throws {
        let sections = try Run.tokenize(["--man-sections"], input: "")
        #expect(sections.status == 0)
        let page = try String(contentsOfFile: Run.root + "/man/eg-tokenize.1", encoding: .utf8)
        #expect(page.contains(sections.stdout))
        for s in [".SH NAME", ".SH DESCRIPTION", ".SH EXIT STATUS", ".SH EXAMPLES", ".SH SEE ALSO"] { #expect(page.contains(s)) }
    }
}
