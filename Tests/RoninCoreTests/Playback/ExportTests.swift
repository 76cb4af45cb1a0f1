import Foundation
import XCTest
@testable import RoninCore

final class ClipPlanTests: XCTestCase {
    let t0 = ISO8601DateFormatter().date(from: "2026-11-25T03:00:00Z")!

    func segment(_ name: String, _ from: TimeInterval, _ to: TimeInterval) -> ClipPlan.Segment {
        ClipPlan.Segment(path: name, span: TimeSpan(start: t0.addingTimeInterval(from), end: t0.addingTimeInterval(to)))
    }

    func request(_ from: TimeInterval, _ to: TimeInterval) -> TimeSpan {
        TimeSpan(start: t0.addingTimeInterval(from), end: t0.addingTimeInterval(to))
    }

    func testRangeAcrossSegmentsCutsFirstAndLast() throws {
        let segments = [segment("a", 0, 900), segment("b", 900, 1800), segment("c", 1800, 2700), segment("d", 2700, 3600)]
        let plan = try XCTUnwrap(ClipPlan(segments: segments, request: request(600, 2000)))
        XCTAssertEqual(plan.parts, [.init(path: "a", inpoint: 600, outpoint: nil), .init(path: "b", inpoint: nil, outpoint: nil),
                                    .init(path: "c", inpoint: nil, outpoint: 200)])
        XCTAssertEqual(plan.covered, request(600, 2000))
    }

    func testRangeInsideOneSegment() throws {
        let plan = try XCTUnwrap(ClipPlan(segments: [segment("a", 0, 900)], request: request(100, 160)))
        XCTAssertEqual(plan.parts, [.init(path: "a", inpoint: 100, outpoint: 160)])
    }

    func testCoveredShrinksToTheFootage() throws {
        let plan = try XCTUnwrap(ClipPlan(segments: [segment("b", 900, 1800)], request: request(0, 3600)))
        XCTAssertEqual(plan.parts, [.init(path: "b", inpoint: nil, outpoint: nil)])
        XCTAssertEqual(plan.covered, request(900, 1800))
    }

    func testNoOverlapIsNil() {
        XCTAssertNil(ClipPlan(segments: [segment("a", 0, 900)], request: request(900, 1000)))
        XCTAssertNil(ClipPlan(segments: [], request: request(0, 10)))
    }

    func testFileNamesUseLocalTime() {
        let berlin = TimeZone(identifier: "Europe/Berlin")!
        XCTAssertEqual(ExportFileName.clip(folder: "Front_Door", span: request(0, 900), in: berlin),
                       "Front_Door_2026-11-25_04-00-00_to_04-15-00.mp4")
        XCTAssertEqual(ExportFileName.archive(span: request(72_000, 80_000), in: berlin),
                       "ronin_2026-11-26_00-00-00_to_02-13-20.zip")
        XCTAssertEqual(ExportFileName.clip(folder: "Back Yard", span: request(70_000, 80_000), in: berlin),
                       "Back_Yard_2026-11-25_23-26-40_to_2026-11-26_02-13-20.mp4")
    }
}

final class ZipStreamWriterTests: XCTestCase {
    func testCRC32MatchesKnownValues() {
        var crc = CRC32()
        crc.update(Array("123456789".utf8))
        XCTAssertEqual(crc.value, 0xCBF4_3926)
        var chunked = CRC32()
        let bytes = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        chunked.update(Array(bytes[..<3]))
        chunked.update(Array(bytes[3...]))
        var whole = CRC32()
        whole.update(bytes)
        XCTAssertEqual(chunked.value, whole.value)
        XCTAssertEqual(CRC32().value, 0)
    }

    /// Python's zipfile (another implementation) must read the archive and find the same bytes.
    func testArchiveReadsBackWithAnotherImplementation() throws {
        var zip = ZipStreamWriter()
        var archive: [UInt8] = []
        let entries: [(String, [UInt8])] = [("Front_Door_clip.mp4", Array(repeating: 7, count: 100_000)),
                                            ("Hof_ü.mp4", Array("hello".utf8)), ("empty.mp4", [])]
        for (name, data) in entries {
            archive += zip.beginEntry(name: name, modified: Date(timeIntervalSince1970: 1_764_000_000))
            data.withUnsafeBytes { zip.entryData($0) }
            archive += data
            archive += zip.endEntry()
        }
        archive += zip.finish()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ronin-zip-\(UUID().uuidString).zip")
        try Data(archive).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }

        let script = """
        import sys, zipfile, hashlib
        with zipfile.ZipFile(sys.argv[1]) as z:
            assert z.testzip() is None
            for info in z.infolist():
                data = z.read(info)
                print(info.filename, len(data), hashlib.sha256(data).hexdigest(), info.date_time[0])
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, output)
        let lines = output.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 3, output)
        XCTAssertTrue(lines[0].hasPrefix("Front_Door_clip.mp4 100000 "), output)
        XCTAssertTrue(lines[1].hasPrefix("Hof_ü.mp4 5 2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"), output)
        XCTAssertTrue(lines[2].hasPrefix("empty.mp4 0 "), output)
        XCTAssertTrue(lines[0].hasSuffix(" 2025"), output)
    }
}
