import FluentKit
import Foundation
import RoninCore
import SQLKit

/// The durable job queue in the database (docs/design/jobs.md): adding jobs, claiming them with
/// a lease, renewing the lease, and ending an attempt. Every operation is one SQL statement, so
/// it is atomic on SQLite and on PostgreSQL alike; a lease holder's writes name the holder, so a
/// worker that lost its lease (cancel, expiry) cannot overwrite what another did since.
///
/// Times are the calling process's clock, passed in (`now`), so tests can move them.
struct JobQueue: Sendable {
    let database: @Sendable () -> any Database
    let wakeups: JobWakeups
    var retryPolicy = JobRetryPolicy()
    /// When this process last looked for expired leases, per set of kinds (shared by copies of
    /// the queue).
    let expiryChecks = ExpiryCheckClock()

    /// What adding a job did.
    enum EnqueueOutcome: Sendable, Equatable {
        /// A new job.
        case queued(UUID)
        /// An existing job with the same key, finished or stopped, queued again.
        case requeued(UUID)
        /// An existing job with the same key is already waiting or running: nothing changed.
        case alreadyActive(UUID)
        /// An existing job with the same key was left as it is (finished, not to be re-queued).
        case kept(UUID, JobState)
    }

    func sql() throws -> any SQLDatabase {
        guard let sql = database() as? any SQLDatabase else { throw JobQueueError("the database does not speak SQL") }
        return sql
    }

    /// Whether claims can skip rows other transactions hold (PostgreSQL); SQLite has one writer.
    static func lockClause(_ sql: any SQLDatabase) -> SQLQueryString {
        sql.dialect.name == "sqlite" ? "" : " FOR UPDATE SKIP LOCKED"
    }

    /// Adds a job. A job with the same `uniqueKey` is left alone while it waits or runs; one in a
    /// state of `requeue` is queued again with a fresh attempt count.
    @discardableResult
    func enqueue(_ job: NewJob, requeue: Set<JobState> = [], now: Date = Date()) async throws -> EnqueueOutcome {
        let outcome = try await insert(job, requeue: requeue, now: now)
        if case .alreadyActive = outcome {} else if case .kept = outcome {} else { await wakeups.notify(kind: job.kind) }
        return outcome
    }

    /// Adds many jobs, a few hundred per transaction (one sync to disk each, not one per job),
    /// waking workers once.
    func enqueue(_ jobs: [NewJob], requeue: Set<JobState> = [], now: Date = Date()) async throws -> [EnqueueOutcome] {
        var outcomes: [EnqueueOutcome] = []
        for start in stride(from: 0, to: jobs.count, by: 500) {
            let chunk = jobs[start..<min(jobs.count, start + 500)]
            outcomes += try await database().writeTransaction { db in
                guard let sql = db as? any SQLDatabase else { throw JobQueueError("the database does not speak SQL") }
                var done: [EnqueueOutcome] = []
                for job in chunk { done.append(try await insert(job, requeue: requeue, now: now, on: sql)) }
                return done
            }
        }
        for kind in Set(jobs.map(\.kind)) { await wakeups.notify(kind: kind) }
        return outcomes
    }

    private func insert(_ job: NewJob, requeue: Set<JobState>, now: Date, on given: (any SQLDatabase)? = nil) async throws -> EnqueueOutcome {
        let sql = try given ?? sql()
        let id = UUID()
        let inserted = try await sql.raw("""
            INSERT INTO jobs (id, kind, payload, state, priority, attempt, max_attempts, run_at, progress, unique_key,
                              camera_id, recording_id, created_at, updated_at)
            VALUES (\(bind: id), \(bind: job.kind), \(bind: job.payload), 'queued', \(bind: job.priority), 0, \(bind: job.maxAttempts),
                    \(bind: job.runAt), 0, \(bind: job.uniqueKey), \(bind: job.cameraID), \(bind: job.recordingID), \(bind: now), \(bind: now))
            ON CONFLICT (unique_key) DO NOTHING RETURNING id
            """).first()
        if inserted != nil { return .queued(id) }
        guard let key = job.uniqueKey else { throw JobQueueError("a job without a key was not inserted") }
        if !requeue.isEmpty {
            let states = requeue.map(\.rawValue) as [any Encodable & Sendable]
            let again = try await sql.raw("""
                UPDATE jobs SET state = 'queued', attempt = 0, priority = \(bind: job.priority), run_at = \(bind: job.runAt), progress = 0,
                       result = NULL, lease_owner = NULL, lease_expires_at = NULL, started_at = NULL, finished_at = NULL,
                       updated_at = \(bind: now)
                WHERE unique_key = \(bind: key) AND state IN (\(binds: states)) RETURNING id
                """).first()
            if let again { return .requeued(try again.decode(column: "id", as: UUID.self)) }
        }
        guard let existing = try await sql.raw("SELECT id, state FROM jobs WHERE unique_key = \(bind: key)").first() else {
            // Deleted between the two statements (its camera went): try once more.
            return try await insert(job, requeue: requeue, now: now, on: sql)
        }
        let existingID = try existing.decode(column: "id", as: UUID.self)
        let state = JobState(rawValue: try existing.decode(column: "state", as: String.self)) ?? .queued
        return state.isFinal ? .kept(existingID, state) : .alreadyActive(existingID)
    }

    /// Claims the most important due job of `kinds` for `owner`, leased until `now + lease`:
    /// first a running job whose lease ran out (its worker is gone), then a waiting one whose
    /// `run_at` has passed. A reclaimed job that has used up its attempts is parked instead.
    func claim(kinds: [String], owner: String, lease: TimeInterval, now: Date = Date()) async throws -> Job? {
        guard !kinds.isEmpty else { return nil }
        let sql = try sql()
        let kindBinds = kinds as [any Encodable & Sendable]
        // Leases rarely run out: look for expired ones at most once a second per process and set
        // of kinds (one kind's busy workers must not use up another kind's checks), with a read
        // first (no write lock), so a busy queue's claims are one statement each.
        var anyExpired = false
        if expiryChecks.due(for: kinds, now: now) {
            anyExpired = try await sql.raw("""
                SELECT id FROM jobs WHERE state = 'running' AND lease_expires_at < \(bind: now) AND kind IN (\(binds: kindBinds)) LIMIT 1
                """).first() != nil
        }
        while anyExpired {
            let expired: SQLQueryString = """
                SELECT id FROM jobs WHERE state = 'running' AND lease_expires_at < \(bind: now) AND kind IN (\(binds: kindBinds))
                ORDER BY priority DESC, lease_expires_at LIMIT 1\(Self.lockClause(sql))
                """
            guard let job = try await take(expired, owner: owner, lease: lease, now: now, on: sql) else { break }
            if job.attempt <= job.maxAttempts { return job }
            try await park(job, owner: owner, reason: "its worker stopped (lease expired) during \(job.maxAttempts) attempts", now: now)
        }
        let due: SQLQueryString = """
            SELECT id FROM jobs WHERE state IN ('queued', 'failed') AND run_at <= \(bind: now) AND kind IN (\(binds: kindBinds))
            ORDER BY priority DESC, run_at LIMIT 1\(Self.lockClause(sql))
            """
        return try await take(due, owner: owner, lease: lease, now: now, on: sql)
    }

    /// Marks the job `pick` selects as running for `owner`, in one statement.
    private func take(_ pick: SQLQueryString, owner: String, lease: TimeInterval, now: Date, on sql: any SQLDatabase) async throws -> Job? {
        let row = try await sql.raw("""
            WITH next AS MATERIALIZED (\(pick))
            UPDATE jobs SET state = 'running', lease_owner = \(bind: owner), lease_expires_at = \(bind: now.addingTimeInterval(lease)),
                   attempt = attempt + 1, started_at = \(bind: now), updated_at = \(bind: now)
            WHERE id IN (SELECT id FROM next)
            RETURNING \(unsafeRaw: Job.columns)
            """).first()
        return try row.map(Job.init(row:))
    }

    /// Renews `owner`'s lease and stores progress. False when the job is no longer running under
    /// `owner` (cancelled, or taken by another worker after the lease ran out): stop working on it.
    func heartbeat(_ id: UUID, owner: String, progress: Double, lease: TimeInterval, now: Date = Date()) async throws -> Bool {
        try await sql().raw("""
            UPDATE jobs SET lease_expires_at = \(bind: now.addingTimeInterval(lease)), progress = \(bind: min(1, max(0, progress))),
                   updated_at = \(bind: now)
            WHERE id = \(bind: id) AND state = 'running' AND lease_owner = \(bind: owner) RETURNING id
            """).first() != nil
    }

    /// Ends an attempt that worked. False when `owner` no longer held the job.
    @discardableResult
    func succeed(_ id: UUID, owner: String, result: String?, now: Date = Date()) async throws -> Bool {
        try await sql().raw("""
            UPDATE jobs SET state = 'succeeded', progress = 1, result = \(bind: result), lease_expires_at = NULL,
                   finished_at = \(bind: now), updated_at = \(bind: now)
            WHERE id = \(bind: id) AND state = 'running' AND lease_owner = \(bind: owner) RETURNING id
            """).first() != nil
    }

    /// Ends an attempt that failed: retried later (`failed`), or `parked` when no attempts are
    /// left or the error is `permanent`. Returns the new state, nil when `owner` no longer held it.
    @discardableResult
    func fail(_ job: Job, owner: String, error: String, permanent: Bool, now: Date = Date()) async throws -> JobState? {
        let next = retryPolicy.afterFailure(attempt: job.attempt, maxAttempts: job.maxAttempts, permanent: permanent, now: now)
        let finished: Date? = next.state == .parked ? now : nil
        let row = try await sql().raw("""
            UPDATE jobs SET state = \(bind: next.state.rawValue), run_at = \(bind: next.runAt ?? job.runAt), last_error = \(bind: error),
                   lease_expires_at = NULL, finished_at = \(bind: finished), updated_at = \(bind: now)
            WHERE id = \(bind: job.id) AND state = 'running' AND lease_owner = \(bind: owner) RETURNING id
            """).first()
        return row == nil ? nil : next.state
    }

    /// Hands a running job back untouched (the process is shutting down): queued again at once,
    /// and the attempt it started does not count.
    func giveBack(_ job: Job, owner: String, now: Date = Date()) async throws {
        _ = try await sql().raw("""
            UPDATE jobs SET state = 'queued', attempt = CASE WHEN attempt > 0 THEN attempt - 1 ELSE 0 END, lease_owner = NULL,
                   lease_expires_at = NULL, updated_at = \(bind: now)
            WHERE id = \(bind: job.id) AND state = 'running' AND lease_owner = \(bind: owner)
            """).run()
        await wakeups.notify(kind: job.kind)
    }

    private func park(_ job: Job, owner: String, reason: String, now: Date) async throws {
        _ = try await sql().raw("""
            UPDATE jobs SET state = 'parked', last_error = \(bind: reason), lease_expires_at = NULL, finished_at = \(bind: now),
                   updated_at = \(bind: now)
            WHERE id = \(bind: job.id) AND state = 'running' AND lease_owner = \(bind: owner)
            """).run()
    }
}

/// Paces the search for expired leases: due for a set of kinds when `interval` has passed since
/// that set's last search, by the clock the caller passes in (so tests that move time see every
/// check). Thread-safe.
final class ExpiryCheckClock: @unchecked Sendable {
    let interval: TimeInterval
    private let lock = NSLock()
    private var last: [[String]: Date] = [:]

    init(interval: TimeInterval = 1) {
        self.interval = interval
    }

    func due(for kinds: [String], now: Date) -> Bool {
        let key = kinds.sorted()
        return lock.withLock {
            if let previous = last[key], abs(now.timeIntervalSince(previous)) < interval { return false }
            last[key] = now
            return true
        }
    }
}
