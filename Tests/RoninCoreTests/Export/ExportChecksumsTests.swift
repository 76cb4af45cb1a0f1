import Foundation
import RoninCore
import Testing

/// SHA256SUMS as `sha256sum` writes and reads it, refusing paths that leave the folder, and the
/// comparison that `ronin verify-export` reports.
@Suite(.timeLimit(.minutes(2))) struct ExportChecksumsTests {
    let a = String(repeating: "a", count: 64)
    let b = String(repeating: "b", count: 64)
    let c = String(repeating: "c", count: 64)

    @Test func writesSortedLinesThatParseBack() throws {
        var sums = ExportChecksums()
        sums.set("manifest.json", sha256: a)
        sums.set("cameras/Front Door/Front_Door_2026-11-25_03-00-00_to_04-00-00.mp4", sha256: b.uppercased())
        sums.set("index.html", sha256: c)
        #expect(sums.text == """
            \(b)  cameras/Front Door/Front_Door_2026-11-25_03-00-00_to_04-00-00.mp4
            \(c)  index.html
            \(a)  manifest.json

            """)
        #expect(try ExportChecksums.parse(sums.text) == sums)
    }

    @Test func readsWhatSha256sumWrites() throws {
        // Binary-mode markers, CRLF line ends and blank lines, as other tools leave them.
        let text = "\(a) *video.mp4\r\n\n\(b)  dir/x y.jpg\n"
        let sums = try ExportChecksums.parse(text)
        #expect(sums.entries == ["video.mp4": a, "dir/x y.jpg": b])
    }

    @Test func escapedNamesRoundTrip() throws {
        var sums = ExportChecksums()
        sums.set("odd\\name\nhere.mp4", sha256: a)
        #expect(sums.text == "\\\(a)  odd\\\\name\\nhere.mp4\n")
        #expect(try ExportChecksums.parse(sums.text).entries == ["odd\\name\nhere.mp4": a])
    }

    @Test func refusesPathsOutsideTheFolderAndMalformedLines() {
        for (text, line) in [("\(a)  /etc/passwd", 1), ("\(a)  ../secret", 1), ("\(a)  cameras/../../x", 1), ("\(a)  a//b", 1),
                             ("\(a)  ok\nnot a checksum line", 2), ("\(a.dropLast())  short", 1), ("\(a) one-space", 1),
                             ("\(a)  same\n\(b)  same", 2), ("\\\(a)  bad\\escape", 1)] {
            #expect(throws: ExportChecksums.ParseError.self) { try ExportChecksums.parse(text) }
            do {
                _ = try ExportChecksums.parse(text)
            } catch {
                #expect(error.line == line, "\(text)")
            }
        }
    }

    @Test func comparisonNamesMissingExtraAndChangedFiles() {
        let expected = ["a.mp4": a, "b.mp4": b, "c.jpg": c]
        let actual = ["a.mp4": a, "b.mp4": c, "d.txt": a]
        let differences = ExportChecksums.compare(expected: expected, actual: actual)
        #expect(differences.missing == ["c.jpg"])
        #expect(differences.changed == ["b.mp4"])
        #expect(differences.extra == ["d.txt"])
        #expect(differences.lines == ["missing: c.jpg", "extra: d.txt", "changed: b.mp4"])
        #expect(!differences.isEmpty)
        #expect(ExportChecksums.compare(expected: expected, actual: expected).isEmpty)
        // Case of the hex digits does not matter.
        #expect(ExportChecksums.compare(expected: ["a": a.uppercased()], actual: ["a": a]).isEmpty)
    }

    @Test func mergingDoesNotRepeatFindings() {
        var first = ExportChecksums.compare(expected: ["x": a], actual: [:])
        var second = ExportChecksums.compare(expected: ["x": a, "y": b], actual: ["y": c])
        second.problems = ["manifest.json is not valid JSON"]
        first.merge(second)
        #expect(first.missing == ["x"])
        #expect(first.changed == ["y"])
        #expect(first.problems == ["manifest.json is not valid JSON"])
    }
}
