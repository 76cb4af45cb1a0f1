import FluentKit
import Foundation
import RoninCore
import SQLKit

/// What people and the status page do with the queue: look, cancel, retry, count, clean up.
extension JobQueue {
    func find(_ id: UUID) async throws -> Job? {
        try await sql().raw("SELECT \(unsafeRaw: Job.columns) FROM jobs WHERE id = \(bind: id)").first().map(Job.init(row:))
    }

    /// Cancels a job that has not finished; a running one stops at its worker's next heartbeat.
    func cancel(_ id: UUID, now: Date = Date()) async throws -> Job {
        let row = try await sql().raw("""
            UPDATE jobs SET state = 'cancelled', lease_expires_at = NULL, finished_at = \(bind: now), updated_at = \(bind: now)
            WHERE id = \(bind: id) AND state IN ('queued', 'failed', 'running') RETURNING \(unsafeRaw: Job.columns)
            """).first()
        if let row {
            // A running job's worker is told at once (it also finds out at its next heartbeat).
            await wakeups.notifyCancelled(job: id)
            return try Job(row: row)
        }
        guard let job = try await find(id) else { throw APIError.notFound("No job \(id.uuidString.lowercased())") }
        throw APIError.conflict("The job has already \(job.state == .cancelled ? "been cancelled" : "finished (\(job.state.rawValue))")")
    }

    /// Queues a parked, failed or cancelled job again, with its attempts reset.
    func retry(_ id: UUID, now: Date = Date()) async throws -> Job {
        let row = try await sql().raw("""
            UPDATE jobs SET state = 'queued', attempt = 0, run_at = \(bind: now), progress = 0, result = NULL, lease_owner = NULL,
                   lease_expires_at = NULL, started_at = NULL, finished_at = NULL, updated_at = \(bind: now)
            WHERE id = \(bind: id) AND state IN ('parked', 'failed', 'cancelled') RETURNING \(unsafeRaw: Job.columns)
            """).first()
        guard let row else {
            guard let job = try await find(id) else { throw APIError.notFound("No job \(id.uuidString.lowercased())") }
            throw APIError.conflict("Only parked, failed or cancelled jobs can be retried; this one is \(job.state.rawValue)")
        }
        let job = try Job(row: row)
        await wakeups.notify(kind: job.kind)
        return job
    }

    /// Which jobs a list shows.
    struct Filter: Sendable {
        var kind: String?
        var states: [JobState] = []
        var cameraID: UUID?
    }

    /// A page of jobs, newest first, with the number of all that match.
    func list(_ filter: Filter, limit: Int, after cursor: PageCursor?) async throws -> (jobs: [Job], total: Int, next: PageCursor?) {
        let sql = try sql()
        func matching(_ query: SQLSelectBuilder) -> SQLSelectBuilder {
            var query = query
            if let kind = filter.kind { query = query.where("kind", .equal, kind) }
            if !filter.states.isEmpty { query = query.where("state", .in, filter.states.map(\.rawValue)) }
            if let camera = filter.cameraID { query = query.where("camera_id", .equal, camera) }
            return query
        }
        var page = matching(sql.select().column(SQLRaw(Job.columns)).from("jobs"))
        if let cursor {
            page = page.where { group in
                group.where("created_at", .lessThan, cursor.instantBefore)
                    .orWhere { $0.where("created_at", .lessThanOrEqual, cursor.instantAfter).where("id", .lessThan, cursor.id) }
            }
        }
        let rows = try await page.orderBy("created_at", .descending).orderBy("id", .descending).limit(limit + 1).all()
        var jobs = try rows.map(Job.init(row:))
        let more = jobs.count > limit
        if more { jobs.removeLast() }
        let total = try await matching(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from("jobs"))
            .first()?.decode(column: "n", as: Int.self) ?? 0
        return (jobs, total, more ? jobs.last.map { PageCursor(instant: $0.createdAt, id: $0.id) } : nil)
    }

    /// How many jobs of each kind wait, run, failed or are parked, and how many seconds of
    /// footage the unfinished ones still cover.
    struct KindSummary: Sendable, Equatable {
        var queued = 0, running = 0, failed = 0, parked = 0
        var backlogSeconds: Double = 0
    }

    func summary() async throws -> [String: KindSummary] {
        let sql = try sql()
        var kinds: [String: KindSummary] = [:]
        let counts = try await sql.raw("""
            SELECT kind, state, COUNT(*) AS n FROM jobs WHERE state IN ('queued', 'running', 'failed', 'parked') GROUP BY kind, state
            """).all()
        for row in counts {
            let kind = try row.decode(column: "kind", as: String.self)
            let n = try row.decode(column: "n", as: Int.self)
            switch JobState(rawValue: try row.decode(column: "state", as: String.self)) {
            case .queued: kinds[kind, default: .init()].queued = n
            case .running: kinds[kind, default: .init()].running = n
            case .failed: kinds[kind, default: .init()].failed = n
            case .parked: kinds[kind, default: .init()].parked = n
            default: break
            }
        }
        let backlog = try await sql.raw("""
            SELECT j.kind AS kind, SUM(r.duration_seconds * (1 - j.progress)) AS seconds FROM jobs j JOIN recordings r ON r.id = j.recording_id
            WHERE j.state IN ('queued', 'running', 'failed') GROUP BY j.kind
            """).all()
        for row in backlog {
            let kind = try row.decode(column: "kind", as: String.self)
            kinds[kind, default: .init()].backlogSeconds = try row.decode(column: "seconds", as: Double?.self) ?? 0
        }
        return kinds
    }

    /// Makes the running jobs of owners on `host` whose process is gone claimable at once (a
    /// restart after a crash does not wait for their leases). Returns how many.
    func releaseJobs(ofOwnersOn host: String, whoseProcessIsGone isAlive: (Int32) -> Bool, now: Date = Date()) async throws -> Int {
        let sql = try sql()
        let rows = try await sql.raw("SELECT id, lease_owner FROM jobs WHERE state = 'running' AND lease_owner LIKE \(bind: host + ":%")").all()
        var released = 0
        for row in rows {
            let owner = try row.decode(column: "lease_owner", as: String.self)
            guard let pid = WorkerIdentity(parsing: owner)?.pid, !isAlive(pid) else { continue }
            try await sql.raw("""
                UPDATE jobs SET lease_expires_at = \(bind: now.addingTimeInterval(-1)), updated_at = \(bind: now)
                WHERE id = \(bind: try row.decode(column: "id", as: UUID.self)) AND state = 'running' AND lease_owner = \(bind: owner)
                """).run()
            released += 1
        }
        return released
    }

    /// Deletes succeeded and cancelled jobs that finished before `cutoff` (parked ones stay:
    /// they wait for a person).
    @discardableResult
    func purgeFinished(before cutoff: Date) async throws -> Int {
        let rows = try await sql().raw("""
            DELETE FROM jobs WHERE state IN ('succeeded', 'cancelled') AND finished_at < \(bind: cutoff) RETURNING id
            """).all()
        return rows.count
    }

    /// Inside a handler's final transaction: throws `CancellationError` (rolling the transaction
    /// back) unless `job` is still running under `owner`. On PostgreSQL the row stays locked until
    /// the transaction ends, so a cancel either came before (and wins) or waits for the commit.
    static func requireHeld(_ job: UUID, owner: String, on sql: any SQLDatabase) async throws {
        let lock: SQLQueryString = sql.dialect.name == "sqlite" ? "" : " FOR UPDATE"
        let held = try await sql.raw("SELECT id FROM jobs WHERE id = \(bind: job) AND state = 'running' AND lease_owner = \(bind: owner)\(lock)").first()
        guard held != nil else { throw CancellationError() }
    }
}
