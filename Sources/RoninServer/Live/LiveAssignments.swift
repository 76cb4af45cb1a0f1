import FluentKit
import Foundation
import RoninCore
import SQLKit

/// Which live worker watches which camera, in the database (docs/design/events.md, Live workers):
/// workers say they are alive, claim free cameras under a lease, renew their leases and let go.
/// Each write is one conditional statement, so two workers never hold one camera.
struct LiveAssignments: Sendable {
    /// A lease a worker does not renew for this long runs out: its cameras go to the others.
    static let lease: TimeInterval = 15
    /// A worker not seen for this long no longer counts in the shares.
    static let workerTimeout: TimeInterval = 15

    /// One camera's holder.
    struct Assignment: Sendable, Equatable {
        let camera: UUID
        let owner: String
        /// Where the holder wants the camera's tap sent (`host:port`); nil for the recording process.
        let address: String?
        let leaseExpiresAt: Date
    }

    let database: @Sendable () -> any Database

    private func sql() throws -> any SQLDatabase {
        guard let sql = database() as? any SQLDatabase else { throw JobQueueError("the database does not speak SQL") }
        return sql
    }

    /// Records that worker `id` is alive now.
    func heartbeat(worker id: String, host: String, now: Date = Date()) async throws {
        try await sql().raw("""
            INSERT INTO live_workers (id, host, last_seen_at) VALUES (\(bind: id), \(bind: host), \(bind: now))
            ON CONFLICT (id) DO UPDATE SET last_seen_at = \(bind: now)
            """).run()
    }

    /// The workers seen recently.
    func aliveWorkers(now: Date = Date()) async throws -> Set<String> {
        let sql = try sql()
        let rows = try await sql.raw("SELECT id FROM live_workers WHERE last_seen_at >= \(bind: now.addingTimeInterval(-Self.workerTimeout))").all()
        return Set(try rows.map { try $0.decode(column: "id", as: String.self) })
    }

    func all() async throws -> [Assignment] {
        try await sql().raw("SELECT camera_id, owner, address, lease_expires_at FROM live_assignments").all().map { row in
            Assignment(camera: try row.decode(column: "camera_id", as: UUID.self), owner: try row.decode(column: "owner", as: String.self),
                       address: try row.decode(column: "address", as: String?.self),
                       leaseExpiresAt: try row.decode(column: "lease_expires_at", as: Date.self))
        }
    }

    /// Takes `camera` for `owner` when nobody holds it or its lease ran out. True when taken.
    func claim(_ camera: UUID, owner: String, address: String?, now: Date = Date()) async throws -> Bool {
        let until = now.addingTimeInterval(Self.lease)
        return try await sql().raw("""
            INSERT INTO live_assignments (camera_id, owner, address, lease_expires_at, updated_at)
            VALUES (\(bind: camera), \(bind: owner), \(bind: address), \(bind: until), \(bind: now))
            ON CONFLICT (camera_id) DO UPDATE SET owner = \(bind: owner), address = \(bind: address), lease_expires_at = \(bind: until),
                updated_at = \(bind: now)
            WHERE live_assignments.lease_expires_at < \(bind: now) OR live_assignments.owner = \(bind: owner)
            RETURNING camera_id
            """).first() != nil
    }

    /// Renews `owner`'s leases of `cameras` in one statement; returns those it still holds.
    func renew(_ cameras: [UUID], owner: String, now: Date = Date()) async throws -> Set<UUID> {
        guard !cameras.isEmpty else { return [] }
        let rows = try await sql().raw("""
            UPDATE live_assignments SET lease_expires_at = \(bind: now.addingTimeInterval(Self.lease)), updated_at = \(bind: now)
            WHERE owner = \(bind: owner) AND camera_id IN (\(binds: cameras as [any Encodable & Sendable])) RETURNING camera_id
            """).all()
        return Set(try rows.map { try $0.decode(column: "camera_id", as: UUID.self) })
    }

    /// Lets go of `camera` if `owner` holds it.
    func release(_ camera: UUID, owner: String) async throws {
        try await sql().raw("DELETE FROM live_assignments WHERE camera_id = \(bind: camera) AND owner = \(bind: owner)").run()
    }

    /// Lets go of everything `owner` holds (at shutdown) and forgets it as a worker.
    func releaseAll(owner: String) async throws {
        let sql = try sql()
        try await sql.raw("DELETE FROM live_assignments WHERE owner = \(bind: owner)").run()
        try await sql.raw("DELETE FROM live_workers WHERE id = \(bind: owner)").run()
    }

    /// After a crash: the leases of processes on this machine that are gone run out now, so the
    /// restarted process takes their cameras without waiting; workers gone for an hour are
    /// forgotten. Returns how many leases ran out.
    func releaseLeases(ofOwnersOn host: String, whoseProcessIsGone isAlive: (Int32) -> Bool, now: Date = Date()) async throws -> Int {
        let sql = try sql()
        try await sql.raw("DELETE FROM live_workers WHERE last_seen_at < \(bind: now.addingTimeInterval(-3600))").run()
        var released = 0
        for assignment in try await all() {
            guard let identity = WorkerIdentity(parsing: assignment.owner), identity.host == host, !isAlive(identity.pid) else { continue }
            try await sql.raw("""
                UPDATE live_assignments SET lease_expires_at = \(bind: now.addingTimeInterval(-1))
                WHERE camera_id = \(bind: assignment.camera) AND owner = \(bind: assignment.owner)
                """).run()
            released += 1
        }
        return released
    }
}
