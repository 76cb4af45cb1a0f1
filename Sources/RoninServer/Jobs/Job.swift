import Foundation
import RoninCore
import SQLKit

/// One row of `jobs` (docs/design/jobs.md), read straight from SQL.
struct Job: Sendable, Equatable {
    let id: UUID
    let kind: String
    /// The handler's input, JSON text.
    let payload: String
    let state: JobState
    let priority: Int
    let attempt: Int
    let maxAttempts: Int
    let runAt: Date
    let leaseOwner: String?
    let leaseExpiresAt: Date?
    let progress: Double
    /// The handler's output, JSON text.
    let result: String?
    let lastError: String?
    let uniqueKey: String?
    let cameraID: UUID?
    let recordingID: UUID?
    let createdAt: Date
    let updatedAt: Date
    let startedAt: Date?
    let finishedAt: Date?

    /// Every column, in the order `init(row:)` reads them.
    static let columns = "id, kind, payload, state, priority, attempt, max_attempts, run_at, lease_owner, lease_expires_at, progress, "
        + "result, last_error, unique_key, camera_id, recording_id, created_at, updated_at, started_at, finished_at"

    init(row: any SQLRow) throws {
        id = try row.decode(column: "id", as: UUID.self)
        kind = try row.decode(column: "kind", as: String.self)
        payload = try row.decode(column: "payload", as: String.self)
        let stateName = try row.decode(column: "state", as: String.self)
        guard let state = JobState(rawValue: stateName) else { throw JobQueueError("job \(id) has an unknown state '\(stateName)'") }
        self.state = state
        priority = try row.decode(column: "priority", as: Int.self)
        attempt = try row.decode(column: "attempt", as: Int.self)
        maxAttempts = try row.decode(column: "max_attempts", as: Int.self)
        runAt = try row.decode(column: "run_at", as: Date.self)
        leaseOwner = try row.decode(column: "lease_owner", as: String?.self)
        leaseExpiresAt = try row.decode(column: "lease_expires_at", as: Date?.self)
        progress = try row.decode(column: "progress", as: Double.self)
        result = try row.decode(column: "result", as: String?.self)
        lastError = try row.decode(column: "last_error", as: String?.self)
        uniqueKey = try row.decode(column: "unique_key", as: String?.self)
        cameraID = try row.decode(column: "camera_id", as: UUID?.self)
        recordingID = try row.decode(column: "recording_id", as: UUID?.self)
        createdAt = try row.decode(column: "created_at", as: Date.self)
        updatedAt = try row.decode(column: "updated_at", as: Date.self)
        startedAt = try row.decode(column: "started_at", as: Date?.self)
        finishedAt = try row.decode(column: "finished_at", as: Date?.self)
    }
}

/// What a new job is.
struct NewJob: Sendable {
    let kind: String
    let payload: String
    var priority: Int
    var runAt: Date
    var maxAttempts: Int = 3
    var uniqueKey: String?
    var cameraID: UUID?
    var recordingID: UUID?
}

/// A job queue operation that could not be done, for the log and the API's 500.
struct JobQueueError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
