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
            let copy = try await store.store(localFile: path, key: "Front/2026-12-07/10-00-00.mp4", recorded: nil, limiter: nil)
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
            let copy = try await store.store(localFile: path, key: "a.mp4", recorded: nil, limiter: BandwidthLimiter(bytesPerSecond: 1 << 30))
            #expect(copy.sha256 == hex(bytes) && copy.verified)
            #expect(FileManager.default.contents(atPath: store.path("a.mp4")) == bytes)
        }
    }

    @Test func aMissingSourceLeavesNothingBehind() async throws {
        try await withFolder { folder in
            let store = LocalTierStore(tier: .warm, root: folder + "/warm")
            await #expect(throws: FootageUnavailable.self) {
                _ = try await store.store(localFile: folder + "/gone.mp4", key: "gone.mp4", recorded: nil, limiter: nil)
            }
            #expect(!FileManager.default.fileExists(atPath: store.path("gone.mp4")))
            #expect(!FileManager.default.fileExists(atPath: store.path("gone.mp4") + ".partial"))
        }
    }

    @Test func aCopyIsCheckedAgainstTheFootageAsRecorded() async throws {
        try await withFolder { folder in
            let (path, bytes) = try source(folder, size: (2 << 20) + 99)
            let store = LocalTierStore(tier: .warm, root: folder + "/warm")
            let copy = try await store.store(localFile: path, key: "a.mp4", recorded: hex(bytes).uppercased(), limiter: nil)
            #expect(copy == StoredCopy(sha256: hex(bytes), verified: true))
            #expect(FileManager.default.contents(atPath: store.path("a.mp4")) == bytes)
        }
    }

    @Test func footageThatChangedSinceItWasRecordedIsNotStored() async throws {
        try await withFolder { folder in
            let (path, _) = try source(folder, size: 3 << 20)
            let store = LocalTierStore(tier: .warm, root: folder + "/warm")
            await #expect(throws: StorageIOError.self) {
                _ = try await store.store(localFile: path, key: "a.mp4", recorded: String(repeating: "0", count: 64), limiter: nil)
            }
            #expect(!FileManager.default.fileExists(atPath: store.path("a.mp4")))
            #expect(!FileManager.default.fileExists(atPath: store.path("a.mp4") + ".partial"))
        }
    }

    @Test func theCopyIsHashedRightBehindItsWriterToItsEnd() async throws {
        try await withFolder { folder in
            let bytes = Data((0..<((3 << 20) + 5)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 16) })
            let path = folder + "/growing.mp4"
            let first = (1 << 20) + 3
            try bytes.prefix(first).write(to: URL(fileURLWithPath: path))
            let progress = CopyProgress()
            progress.advance(to: first)
            async let hash = NicedThread.run { try FileHash.sha256(of: path, following: progress) }
            try await Task.sleep(for: .milliseconds(50))
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            try handle.seekToEnd()
            try handle.write(contentsOf: bytes.dropFirst(first))
            try handle.close()
            progress.advance(to: bytes.count)
            progress.end(failed: false)
            #expect(try await hash == hex(bytes))
        }
    }

    @Test func aHashFollowingAFailedCopyStopsInsteadOfWaiting() async throws {
        try await withFolder { folder in
            let (path, _) = try source(folder, size: 3 << 20)
            let progress = CopyProgress()
            let hash = Task { try await NicedThread.run { try FileHash.sha256(of: path, following: progress) } }
            progress.advance(to: 1 << 20)
            progress.end(failed: true)
            await #expect(throws: CancellationError.self) { _ = try await hash.value }
        }
    }

    @Test func aCopyThatComesBackShorterThanWrittenIsAnError() async throws {
        try await withFolder { folder in
            let (path, _) = try source(folder, size: 1000)
            let progress = CopyProgress()
            progress.advance(to: 2000)
            progress.end(failed: false)
            #expect(throws: StorageIOError.self) { _ = try FileHash.sha256(of: path, following: progress) }
        }
    }
}
