import FluentKit
import SQLKit

/// `jobs`: the durable queue of background work (docs/design/jobs.md). `payload` and `result`
/// are JSON text. `unique_key` keeps one job per piece of work (one detection job per recording
/// and model); many jobs have none. Partial indexes serve the two claims: due jobs by priority
/// and `run_at`, and running jobs by lease expiry. Jobs go with their camera and recording.
struct CreateJobs: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("jobs")
            .id()
            .field("kind", .string, .required)
            .field("payload", .string, .required)
            .field("state", .string, .required)
            .field("priority", .int, .required)
            .field("attempt", .int, .required)
            .field("max_attempts", .int, .required)
            .field("run_at", .datetime, .required)
            .field("lease_owner", .string)
            .field("lease_expires_at", .datetime)
            .field("progress", .double, .required)
            .field("result", .string)
            .field("last_error", .string)
            .field("unique_key", .string)
            .field("camera_id", .uuid, .references("cameras", "id", onDelete: .cascade))
            .field("recording_id", .uuid, .references("recordings", "id", onDelete: .cascade))
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .field("started_at", .datetime)
            .field("finished_at", .datetime)
            .unique(on: "unique_key")
            .create()
        if let sql = database as? any SQLDatabase {
            // Kind first: a claim names its kinds, and walks this index in claim order without a sort.
            try await sql.raw("CREATE INDEX jobs_due ON jobs (kind, priority DESC, run_at) WHERE state IN ('queued', 'failed')").run()
            try await sql.raw("CREATE INDEX jobs_leases ON jobs (lease_expires_at) WHERE state = 'running'").run()
            try await sql.raw("CREATE INDEX jobs_kind_state ON jobs (kind, state)").run()
            try await sql.raw("CREATE INDEX jobs_camera_created ON jobs (camera_id, created_at)").run()
            try await sql.raw("CREATE INDEX jobs_created ON jobs (created_at)").run()
            try await sql.raw("CREATE INDEX jobs_recording ON jobs (recording_id)").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("jobs").delete()
    }
}

/// `job_workers`: one row per running worker pool (id `host:pid:random`), written every few
/// seconds, so any node can show every machine's workers, what they run and how fast.
struct CreateJobWorkers: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("job_workers")
            .field("id", .string, .identifier(auto: false))
            .field("host", .string, .required)
            .field("pid", .int, .required)
            .field("kinds", .string, .required)
            .field("started_at", .datetime, .required)
            .field("heartbeat_at", .datetime, .required)
            .field("jobs", .string, .required)
            .field("frames_per_second", .double)
            .field("inference_ms", .double)
            .field("detection_available", .bool, .required)
            .field("reason", .string)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("job_workers").delete()
    }
}

/// `analyses`: a recording was analysed by a model (frames decoded, frames analysed, detections
/// found, when). Written in the same transaction as the recording's detections, so a row here
/// means the detections are complete. One row per recording and model.
struct CreateAnalyses: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("analyses")
            .id()
            .field("recording_id", .uuid, .required, .references("recordings", "id", onDelete: .cascade))
            .field("camera_id", .uuid, .required, .references("cameras", "id", onDelete: .cascade))
            .field("model", .string, .required)
            .field("frames", .int, .required)
            .field("analysed", .int, .required)
            .field("detections", .int, .required)
            .field("seconds", .double, .required)
            .field("analysed_at", .datetime, .required)
            .unique(on: "recording_id", "model")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("analyses").delete()
    }
}
