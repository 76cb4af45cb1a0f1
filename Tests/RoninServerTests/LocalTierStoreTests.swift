import Crypto
import Foundation
import Testing
@testable import RoninServer

/// Copies into a local tier (docs/design/tiers.md, Moving): byte for byte in kernel-sized chunks,
/// with and without a bandwidth limit, checked before the copy gets its real name.
@Suite(.timeLimit(.minutes(2))) struct LocalTierStoreTests {
    func withFolder(_ body: (String) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ronin-tier-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try await body(folder)
    }

    /// A file of `size` bytes that differ from chunk to chunk (a copy that repeated or skipped a
    /// chunk would not match).
    func source(_ folder: String, size: Int) throws -> (path: String, bytes: Data) {
        let bytes = Data((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 20) })
        let path = folder + "/source.mp4"
        try bytes.write(to: URL(fileURLWithPath: path))
        return (path, bytes)
    }

    func hex(_ data: Data) -> String { SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined() }

    @Test(arguments: [0, 1, 3 << 20, (17 << 20) + 12345])
    func aCopyIsTheSourceByteForByteAndIsVerifiedBeforeItIsNamed(size: Int) async throws {
        try await withFolder { folder in
            let (path, bytes) = try source(folder, size: size)
            let store = LocalTierStore(tier: .warm, root: folder + "/warm")
            let copy = try await store.store(localFile: path, key: "Front/2026-12-07/10-00-00.mp4", limiter: nil)
            #expect(copy == StoredCopy(sha256: hex(bytes), verified: true))
            #expect(FileManager.default.contents(atPath: store.path("Front/2026-12-07/10-00-00.mp4")) == bytes)
            #expect(!FileManager.default.fileExists(atPath: store.path("Front/2026-12-07/10-00-00.mp4") + ".partial"))
            #expect(try await store.verify(key: "Front/2026-12-07/10-00-00.mp4", size: Int64(size), sha256: copy.sha256))
        }
    }

    @Test func aLimitedCopyGoesAMegabyteAtATimeAndIsTheSame() async throws {
        try await withFolder { folder in
            let (path, bytes) = try source(folder, size: (5 << 20) + 7)
            let store = LocalTierStore(tier: .warm, root: folder + "/warm")
            let copy = try await store.store(localFile: path, key: "a.mp4", limiter: BandwidthLimiter(bytesPerSecond: 1 << 30))
            #expect(copy.sha256 == hex(bytes) && copy.verified)
            #expect(FileManager.default.contents(atPath: store.path("a.mp4")) == bytes)
        }
    }

    @Test func aMissingSourceLeavesNothingBehind() async throws {
        try await withFolder { folder in
            let store = LocalTierStore(tier: .warm, root: folder + "/warm")
            await #expect(throws: FootageUnavailable.self) {
                _ = try await store.store(localFile: folder + "/gone.mp4", key: "gone.mp4", limiter: nil)
            }
            #expect(!FileManager.default.fileExists(atPath: store.path("gone.mp4")))
            #expect(!FileManager.default.fileExists(atPath: store.path("gone.mp4") + ".partial"))
        }
    }
}
