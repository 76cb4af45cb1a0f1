import Testing
@testable import RoninServer

/// Parsing of HTTP `Range` headers against a file of known size.
@Suite(.timeLimit(.minutes(5))) struct FileResponderTests {
    @Test(arguments: [
        ("bytes=0-99", 0...99), ("bytes=100-", 100...999), ("bytes=-100", 900...999), ("bytes=900-5000", 900...999),
        ("bytes=0-0", 0...0), ("bytes=-5000", 0...999), ("bytes=10-19, 30-39", 10...19),
    ])
    func acceptsSatisfiableRanges(header: String, expected: ClosedRange<Int>) {
        #expect(FileResponder.parseRange(header, size: 1000) == expected)
    }

    @Test(arguments: ["bytes=1000-", "bytes=500-100", "bytes=-0", "items=0-1", "bytes=a-b", "bytes=", "0-100"])
    func refusesUnsatisfiableOrMalformedRanges(header: String) {
        #expect(FileResponder.parseRange(header, size: 1000) == nil)
    }
}
