import FluentKit
import Foundation
import Logging
import Testing
@testable import RoninCore
@testable import RoninServer

/// Moves between two local tiers on a real SQLite database, including runs that start where a
/// crash left one (docs/design/tiers.md, Moving): nothing lost, nothing kept twice.
@Suite(.serialized, .timeLimit(.minutes(5))) struct MigrationJobHandlerTests {
    struct Fixture {
        let hot: String
        let warm: String
        let queue: JobQueue
        let handler: MigrationJobHandler
        let database: @Sendable () -> any Database
    }

    func withTiers(_ body: (Fixture) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ronin-migrate-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let hot = folder + "/hot", warm = folder + "/warm"
        for path in [hot, warm] { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
        let connector = try DatabaseConnector(.sqlite(path: folder + "/ronin.sqlite"), logger: Logger(label: "test"))
        do {
            try await connector.migrate()
            let database: @Sendable () -> any Database = { connector.database }
            let footage = FootageStore([LocalTierStore(tier: .hot, root: hot), LocalTierStore(tier: .warm, root: warm)])
            try await body(Fixture(hot: hot, warm: warm, queue: JobQueue(database: database, wakeups: JobWakeups()),
                                   handler: MigrationJobHandler(footage: footage, limiter: nil, database: database, logger: Logger(label: "test")),
                                   database: database))
        } catch {
            await connector.shutdown()
            throw error
        }
        await connector.shutdown()
    }

    /// A camera and one recording of `bytes` under `key`, its row in `tier`.
    func recording(_ fixture: Fixture, key: String, tier: StorageTier) async throws -> RecordingModel {
        let camera = CameraModel()
        camera.name = "Gate \(UUID().uuidString.prefix(4))"
        camera.nameKey = camera.name.lowercased()
        camera.folderName = camera.name
        camera.host = "127.0.0.1"
        camera.port = 554
        camera.username = ""
        camera.streamPath = "/stream"
        camera.transport = "tcp"
        camera.enabled = false
        camera.recordingEnabled = false
        camera.audioEnabled = false
        camera.sortOrder = 0
        camera.createdAt = Date()
        camera.updatedAt = Date()
        try await camera.create(on: fixture.database())
        let row = RecordingModel()
        row.cameraID = camera.id!
        row.start = Date(timeIntervalSince1970: 1_800_000_000)
        row.end = row.start.addingTimeInterval(60)
        row.path = key
        row.sizeBytes = 0
        row.durationSeconds = 60
        row.status = RecordingModel.Status.complete.rawValue
        row.tier = tier.rawValue
        row.createdAt = Date()
        try await row.create(on: fixture.database())
        return row
    }

    func write(_ path: String, _ bytes: [UInt8]) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
    }

    func run(_ fixture: Fixture, _ row: RecordingModel, to tier: StorageTier) async throws -> String? {
        try await fixture.queue.enqueue(MigrationJobHandler.job(recording: row.id!, camera: row.cameraID, to: tier, reason: .tierAge))
        let job = try #require(try await fixture.queue.claim(kinds: [MigrationJobHandler.kind], owner: "test", lease: 60))
        return try await fixture.handler.run(job, context: JobContext(job: job, owner: "test"))
    }

    func tier(_ fixture: Fixture, _ row: RecordingModel) async throws -> String? {
        try await RecordingModel.find(row.id, on: fixture.database())?.tier
    }

    static let footage = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }

    @Test func aMoveCopiesVerifiesSwitchesAndThenRemovesTheSource() async throws {
        try await withTiers { fixture in
            let key = "Gate/2027-01-15/08-00-00.mp4"
            let row = try await recording(fixture, key: key, tier: .hot)
            try write(fixture.hot + "/" + key, Self.footage)
            _ = try await run(fixture, row, to: .warm)
            #expect(try await tier(fixture, row) == "warm")
            #expect(!FileManager.default.fileExists(atPath: fixture.hot + "/" + key))
            #expect(FileManager.default.contents(atPath: fixture.warm + "/" + key) == Data(Self.footage))
            #expect(!FileManager.default.fileExists(atPath: fixture.warm + "/" + key + ".partial"))
        }
    }

    @Test func aCopyCutByACrashIsMadeAgainFromTheIntactSource() async throws {
        try await withTiers { fixture in
            let key = "Gate/2027-01-15/08-01-00.mp4"
            let row = try await recording(fixture, key: key, tier: .hot)
            try write(fixture.hot + "/" + key, Self.footage)
            try write(fixture.warm + "/" + key + ".partial", Array(Self.footage.prefix(1000)))
            _ = try await run(fixture, row, to: .warm)
            #expect(try await tier(fixture, row) == "warm")
            #expect(FileManager.default.contents(atPath: fixture.warm + "/" + key) == Data(Self.footage))
            #expect(!FileManager.default.fileExists(atPath: fixture.warm + "/" + key + ".partial"))
            #expect(!FileManager.default.fileExists(atPath: fixture.hot + "/" + key))
        }
    }

    @Test func aRunAfterTheSwitchOnlyRemovesTheSourceLeftBehind() async throws {
        try await withTiers { fixture in
            let key = "Gate/2027-01-15/08-02-00.mp4"
            // Killed after the row switched, before the source was removed.
            let row = try await recording(fixture, key: key, tier: .warm)
            try write(fixture.hot + "/" + key, Self.footage)
            try write(fixture.warm + "/" + key, Self.footage)
            let result = try await run(fixture, row, to: .warm)
            #expect(result?.contains("resumed") == true)
            #expect(!FileManager.default.fileExists(atPath: fixture.hot + "/" + key))
            #expect(FileManager.default.contents(atPath: fixture.warm + "/" + key) == Data(Self.footage))
        }
    }

    @Test func aLeftoverThatDiffersFromTheMovedFootageIsNotDeleted() async throws {
        try await withTiers { fixture in
            let key = "Gate/2027-01-15/08-03-00.mp4"
            let row = try await recording(fixture, key: key, tier: .warm)
            try write(fixture.hot + "/" + key, Array(Self.footage.prefix(5000)))
            try write(fixture.warm + "/" + key, Self.footage)
            _ = try await run(fixture, row, to: .warm)
            #expect(FileManager.default.fileExists(atPath: fixture.hot + "/" + key), "not the same footage: a person should look at it")
        }
    }

    @Test func footageThatIsNotThereIsParkedAndTheRowStays() async throws {
        try await withTiers { fixture in
            let key = "Gate/2027-01-15/08-04-00.mp4"
            let row = try await recording(fixture, key: key, tier: .hot)
            await #expect(throws: PermanentJobError.self) { _ = try await run(fixture, row, to: .warm) }
            #expect(try await tier(fixture, row) == "hot")
            #expect(!FileManager.default.fileExists(atPath: fixture.warm + "/" + key))
        }
    }
}
