import Foundation
import Testing
@testable import RoninMedia

/// Trimming crash-cut fragmented MP4 files back to whole fragments.
@Suite(.timeLimit(.minutes(5))) struct FragmentTrimmerTests {
    func box(_ type: String, payload: Int) -> [UInt8] {
        let size = UInt32(8 + payload)
        return [UInt8(size >> 24), UInt8(size >> 16 & 0xff), UInt8(size >> 8 & 0xff), UInt8(size & 0xff)]
            + Array(type.utf8) + [UInt8](repeating: 0xAB, count: payload)
    }

    func file(_ bytes: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("trim-\(UUID().uuidString).mp4").path
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    func size(_ path: String) -> Int { (try? Data(contentsOf: URL(fileURLWithPath: path)).count) ?? -1 }

    var header: [UInt8] { box("ftyp", payload: 16) + box("moov", payload: 100) }
    var fragment: [UInt8] { box("moof", payload: 40) + box("mdat", payload: 500) }

    @Test func leavesCompleteFilesAlone() throws {
        let path = try file(header + fragment + fragment)
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try FragmentTrimmer.trim(path: path) == 0)
        #expect(size(path) == header.count + 2 * fragment.count)
    }

    @Test func cutsAHalfWrittenMediaBox() throws {
        let path = try file(header + fragment + Array(fragment.prefix(300)))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try FragmentTrimmer.trim(path: path) == 300)
        #expect(size(path) == header.count + fragment.count)
    }

    @Test func cutsAFragmentHeaderWithoutItsMedia() throws {
        let path = try file(header + fragment + box("moof", payload: 40))
        defer { try? FileManager.default.removeItem(atPath: path) }
        try FragmentTrimmer.trim(path: path)
        #expect(size(path) == header.count + fragment.count)
    }

    @Test func cutsATornBoxHeader() throws {
        let path = try file(header + fragment + [0, 0, 1])
        defer { try? FileManager.default.removeItem(atPath: path) }
        try FragmentTrimmer.trim(path: path)
        #expect(size(path) == header.count + fragment.count)
    }
}
