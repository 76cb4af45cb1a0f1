import FluentKit
import Foundation
import Logging
import RoninCore
import SQLKit

/// Measures storage planning for `bench/storage`: a year of recordings of many cameras (15-minute
/// segments, with events and a few locked ones) written into the configured database, then the
/// storage service's work timed: reading the index (`StorageIndex.snapshot`) and planning over it
/// (`StoragePlanner.plan`) with retention by age and size, hot and warm limits and a disk short of
/// space, so every step of the planner has work to do.
public struct StoragePlanBenchmark {
    public struct Result: Sendable, Codable {
        public let recordings: Int
        public let cameras: Int
        public let read_seconds: Double
        public let plan_seconds: [Double]
        public let deletions: Int
        public let moves: Int
        public let locked_deleted: Int
    }

    let settings: Settings
    let logger: Logger

    public init(settings: Settings, logger: Logger = Logger(label: "ronin")) {
        self.settings = settings
        self.logger = logger
    }

    public func run(cameras: Int, days: Int, rounds: Int) async throws -> Result {
        let connector = try DatabaseConnector(settings.database, logger: logger)
        do {
            try await connector.migrate()
            let database: @Sendable () -> any Database = { connector.database }
            let now = Date()
            let ids = try await fill(database, cameras: cameras, days: days, now: now)
            let index = StorageIndex(database: database)
            let began = ContinuousClock.now
            let snapshot = try await index.snapshot()
            let read = Self.seconds(began.duration(to: .now))
            let total = snapshot.footage.reduce(Int64(0)) { $0 + $1.bytes }
            let policy = StoragePolicy(hot: StorageLimits(maxAge: 7 * 86_400, maxBytes: total / 4), warmConfigured: true,
                                       warm: StorageLimits(maxAge: 60 * 86_400), coldConfigured: true,
                                       retention: StorageLimits(maxAge: 330 * 86_400, maxBytes: total * 9 / 10),
                                       cameraRetention: [ids[0]: StorageLimits(maxAge: 30 * 86_400)])
            let disks = [DiskState(tiers: [.hot], freeBytes: 1_000_000_000, requiredFreeBytes: 50_000_000_000)]
            var times: [Double] = []
            var plan = StoragePlan()
            for _ in 0..<max(1, rounds) {
                let start = ContinuousClock.now
                plan = StoragePlanner(policy: policy).plan(snapshot.footage, disks: disks, now: now)
                times.append(Self.seconds(start.duration(to: .now)))
            }
            await connector.shutdown()
            return Result(recordings: snapshot.footage.count, cameras: cameras, read_seconds: read, plan_seconds: times,
                          deletions: plan.deletions.count, moves: plan.moves.count,
                          locked_deleted: plan.deletions.filter(\.footage.locked).count)
        } catch {
            await connector.shutdown()
            throw error
        }
    }

    /// `cameras` cameras with `days` days of 15-minute segments each, an event in every tenth
    /// segment and a locked one in every thousandth.
    private func fill(_ database: @escaping @Sendable () -> any Database, cameras: Int, days: Int, now: Date) async throws -> [UUID] {
        guard let sql = database() as? any SQLDatabase else { throw StorageIOError("the database does not speak SQL") }
        var ids: [UUID] = []
        let segments = days * 96
        for n in 0..<cameras {
            let id = UUID()
            ids.append(id)
            try await sql.raw("""
                INSERT INTO cameras (id, name, name_key, folder_name, host, port, username, stream_path, transport, enabled, recording_enabled,
                                     audio_enabled, sort_order, created_at, updated_at)
                VALUES (\(bind: id), \(bind: "Bench \(n)"), \(bind: "bench \(n)"), \(bind: "Bench_\(n)"), '127.0.0.1', 554, '', '/s', 'tcp',
                        \(bind: false), \(bind: false), \(bind: false), \(bind: n), \(bind: now), \(bind: now))
                """).run()
            for chunk in stride(from: 0, to: segments, by: 2_000) {
                try await database().writeTransaction { db in
                    guard let sql = db as? any SQLDatabase else { return }
                    for batch in stride(from: chunk, to: min(segments, chunk + 2_000), by: 400) {
                        var insert = sql.insert(into: "recordings").columns("id", "camera_id", "start_time", "end_time", "path", "size_bytes",
                                                                             "duration_seconds", "status", "tier", "created_at")
                        var events = sql.insert(into: "events").columns("id", "camera_id", "kind", "class_name", "track_id", "source", "start_at",
                                                                         "end_at", "last_seen_at", "ongoing", "peak_confidence", "boxes", "reviewed",
                                                                         "locked", "artifacts", "dedupe_key", "created_at", "updated_at")
                        var anyEvent = false
                        for s in batch..<min(segments, batch + 400) {
                            let end = now.addingTimeInterval(-Double(segments - s) * 900)
                            let start = end.addingTimeInterval(-900)
                            let tier = end < now.addingTimeInterval(-60 * 86_400) ? "cold" : end < now.addingTimeInterval(-7 * 86_400) ? "warm" : "hot"
                            insert = insert.values(SQLBind(UUID()), SQLBind(id), SQLBind(start), SQLBind(end), SQLBind("Bench_\(n)/\(s).mp4"),
                                                   SQLBind(Int64(90_000_000 + (s % 7) * 1_000_000)), SQLBind(900.0), SQLBind("complete"),
                                                   SQLBind(tier), SQLBind(now))
                            if s % 10 == 0 {
                                anyEvent = true
                                let at = start.addingTimeInterval(100)
                                events = events.values(SQLBind(UUID()), SQLBind(id), SQLBind("arrival"), SQLBind("person"), SQLBind(s), SQLBind("live"),
                                                       SQLBind(at), SQLBind(at.addingTimeInterval(30)), SQLBind(at.addingTimeInterval(30)), SQLBind(false),
                                                       SQLBind(0.8), SQLBind("[]"), SQLBind(false), SQLBind(s % 1000 == 0), SQLBind("ready"),
                                                       SQLBind("bench:\(n):\(s)"), SQLBind(now), SQLBind(now))
                            }
                        }
                        try await insert.run()
                        if anyEvent { try await events.run() }
                    }
                }
            }
        }
        return ids
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
