import FluentKit
import Foundation
import RoninCore
import SQLKit

/// What storage planning and the status read from the database: every complete recording with
/// its tier and whether events (locked ones especially) happened in it, totals per tier, and
/// each camera's recording bandwidth.
///
/// "Has events" counts events that start inside the recording; "locked" counts locked events
/// that overlap it at all (an event spanning two segments locks both).
struct StorageIndex: Sendable {
    let database: @Sendable () -> any Database

    struct Totals: Sendable, Equatable {
        var bytes: Int64 = 0
        var recordings: Int = 0
        var oldest: Date?
        var newest: Date?
    }

    func sql() throws -> any SQLDatabase {
        guard let sql = database() as? any SQLDatabase else { throw StorageIOError("the database does not speak SQL") }
        return sql
    }

    /// What the planner sees: every complete recording no move or deletion is under way for, and
    /// by tier the bytes that moves and deletions under way are about to free (a check must not
    /// plan again what the last one queued, nor take more footage than the disk lacks).
    struct Snapshot: Sendable {
        let footage: [StoredFootage]
        let leaving: [StorageTier: Int64]
    }

    func snapshot() async throws -> Snapshot {
        let sql = try sql()
        let locked = try await lockedSpans()
        let rows = try await sql.raw("""
            SELECT r.id AS id, r.camera_id AS camera_id, r.start_time AS start_time, r.end_time AS end_time, r.size_bytes AS size_bytes,
                   r.tier AS tier, r.status AS status,
                   CASE WHEN EXISTS (SELECT 1 FROM events e WHERE e.camera_id = r.camera_id AND e.start_at >= r.start_time
                                     AND e.start_at < r.end_time) THEN 1 ELSE 0 END AS has_events,
                   CASE WHEN EXISTS (SELECT 1 FROM jobs j WHERE j.recording_id = r.id
                                     AND j.kind IN (\(bind: MigrationJobHandler.kind), \(bind: RetentionJobHandler.kind))
                                     AND j.state IN ('queued', 'running', 'failed')) THEN 1 ELSE 0 END AS busy
            FROM recordings r WHERE r.status IN ('complete', 'deleting')
            """).all()
        var footage: [StoredFootage] = []
        var leaving: [StorageTier: Int64] = [:]
        for row in rows {
            let tier = StorageTier(rawValue: try row.decode(column: "tier", as: String.self)) ?? .hot
            let bytes = try row.decode(column: "size_bytes", as: Int64.self)
            if try row.decode(column: "busy", as: Int.self) != 0 || row.decode(column: "status", as: String.self) != "complete" {
                leaving[tier, default: 0] += bytes
                continue
            }
            footage.append(try item(row, locked: locked))
        }
        return Snapshot(footage: footage, leaving: leaving)
    }

    /// Every complete recording as the planner sees it (moves and deletions under way included).
    func footage() async throws -> [StoredFootage] {
        let sql = try sql()
        let locked = try await lockedSpans()
        let rows = try await sql.raw("""
            SELECT r.id AS id, r.camera_id AS camera_id, r.start_time AS start_time, r.end_time AS end_time, r.size_bytes AS size_bytes,
                   r.tier AS tier,
                   CASE WHEN EXISTS (SELECT 1 FROM events e WHERE e.camera_id = r.camera_id AND e.start_at >= r.start_time
                                     AND e.start_at < r.end_time) THEN 1 ELSE 0 END AS has_events
            FROM recordings r WHERE r.status = 'complete'
            """).all()
        return try rows.map { try item($0, locked: locked) }
    }

    private func item(_ row: any SQLRow, locked: [UUID: [TimeSpan]]) throws -> StoredFootage {
        let camera = try row.decode(column: "camera_id", as: UUID.self)
        let start = try row.decode(column: "start_time", as: Date.self)
        let end = try row.decode(column: "end_time", as: Date.self)
        let isLocked = locked[camera]?.contains { $0.start < end && start < $0.end } ?? false
        return StoredFootage(id: try row.decode(column: "id", as: UUID.self), camera: camera, start: start, end: end,
                             bytes: try row.decode(column: "size_bytes", as: Int64.self),
                             tier: StorageTier(rawValue: try row.decode(column: "tier", as: String.self)) ?? .hot,
                             hasEvents: try row.decode(column: "has_events", as: Int.self) != 0 || isLocked, locked: isLocked)
    }

    /// Each camera's footage per tier, summed, for deciding whether a check needs a plan at all.
    func summary() async throws -> [FootageSummary] {
        let rows = try await sql().raw("""
            SELECT camera_id, tier, CAST(COALESCE(SUM(size_bytes), 0) AS BIGINT) AS bytes, MIN(end_time) AS oldest_end
            FROM recordings WHERE status = 'complete' GROUP BY camera_id, tier
            """).all()
        return try rows.map { row in
            FootageSummary(camera: try row.decode(column: "camera_id", as: UUID.self),
                           tier: StorageTier(rawValue: try row.decode(column: "tier", as: String.self)) ?? .hot,
                           bytes: try row.decode(column: "bytes", as: Int64.self), oldestEnd: try row.decode(column: "oldest_end", as: Date.self))
        }
    }

    /// The spans of locked events, by camera.
    func lockedSpans() async throws -> [UUID: [TimeSpan]] {
        let rows = try await sql().raw("""
            SELECT camera_id, start_at, end_at, last_seen_at FROM events WHERE locked = \(bind: true)
            """).all()
        var spans: [UUID: [TimeSpan]] = [:]
        for row in rows {
            let start = try row.decode(column: "start_at", as: Date.self)
            let end = try row.decode(column: "end_at", as: Date?.self) ?? row.decode(column: "last_seen_at", as: Date.self)
            spans[try row.decode(column: "camera_id", as: UUID.self), default: []].append(TimeSpan(start: start, end: max(end, start.addingTimeInterval(0.001))))
        }
        return spans
    }

    /// Whether a locked event overlaps `span` of `camera` (checked again just before deleting).
    func isLocked(camera: UUID, span: TimeSpan) async throws -> Bool {
        try await lockedSpans()[camera]?.contains { $0.overlaps(span) } ?? false
    }

    /// Bytes, recordings and the oldest and newest footage in each tier.
    func totals() async throws -> [StorageTier: Totals] {
        let rows = try await sql().raw("""
            SELECT tier, CAST(COUNT(*) AS BIGINT) AS n, CAST(COALESCE(SUM(size_bytes), 0) AS BIGINT) AS bytes, MIN(start_time) AS oldest, MAX(end_time) AS newest
            FROM recordings WHERE status = 'complete' GROUP BY tier
            """).all()
        var totals: [StorageTier: Totals] = [:]
        for row in rows {
            guard let tier = StorageTier(rawValue: try row.decode(column: "tier", as: String.self)) else { continue }
            totals[tier] = Totals(bytes: try row.decode(column: "bytes", as: Int64.self), recordings: try row.decode(column: "n", as: Int.self),
                                  oldest: try row.decode(column: "oldest", as: Date?.self), newest: try row.decode(column: "newest", as: Date?.self))
        }
        return totals
    }

    /// Each camera's recording bandwidth in bytes per second, from its finished segments that
    /// ended in the past `window` (an hour). The segment being written is left out: its size and
    /// duration are updated a few seconds apart, and on a small disk the free-space reserve (an
    /// hour of this figure) is far larger than the footage, so a wobble in it would delete all.
    func bandwidths(now: Date = Date(), window: TimeInterval = 3_600) async throws -> [UUID: Double] {
        let rows = try await sql().raw("""
            SELECT camera_id, CAST(COALESCE(SUM(size_bytes), 0) AS BIGINT) AS bytes, COALESCE(SUM(duration_seconds), 0) AS seconds FROM recordings
            WHERE end_time > \(bind: now.addingTimeInterval(-window)) AND status NOT IN ('missing', 'recording') GROUP BY camera_id
            """).all()
        var found: [UUID: Double] = [:]
        for row in rows {
            let bytes = try row.decode(column: "bytes", as: Int64.self)
            let seconds = try row.decode(column: "seconds", as: Double.self)
            found[try row.decode(column: "camera_id", as: UUID.self)] = FreeSpaceGuard.bandwidth([(bytes: bytes, seconds: seconds)])
        }
        return found
    }
}
