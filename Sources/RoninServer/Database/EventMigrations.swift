import FluentKit
import SQLKit

/// `events`: activity events (docs/design/events.md). `end_at` is null while `ongoing`; `boxes`
/// is JSON text (fractions of the frame); `dedupe_key` makes writing an event idempotent.
/// Events go with their camera; a historical event keeps its row when its recording goes
/// (retention decides about events separately).
struct CreateEvents: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("events")
            .id()
            .field("camera_id", .uuid, .required, .references("cameras", "id", onDelete: .cascade))
            .field("kind", .string, .required)
            .field("class_name", .string, .required)
            .field("track_id", .int, .required)
            .field("source", .string, .required)
            .field("start_at", .datetime, .required)
            .field("end_at", .datetime)
            .field("last_seen_at", .datetime, .required)
            .field("ongoing", .bool, .required)
            .field("peak_confidence", .double, .required)
            .field("from_state", .string)
            .field("to_state", .string)
            .field("boxes", .string, .required)
            .field("recording_id", .uuid, .references("recordings", "id", onDelete: .setNull))
            .field("reviewed", .bool, .required)
            .field("locked", .bool, .required)
            .field("artifacts", .string, .required)
            .field("artifacts_error", .string)
            .field("dedupe_key", .string, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "dedupe_key")
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.raw("CREATE INDEX events_start ON events (start_at, id)").run()
            try await sql.raw("CREATE INDEX events_camera_start ON events (camera_id, start_at)").run()
            try await sql.raw("CREATE INDEX events_recording ON events (recording_id)").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("events").delete()
    }
}

/// `live_watches`: when live detection watched a camera, from its first frame to its last
/// (`end_at` null while it watches; `last_frame_at` moves on while it does, so a crash leaves
/// a watch that ends at its last frame).
struct CreateLiveWatches: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("live_watches")
            .id()
            .field("camera_id", .uuid, .required, .references("cameras", "id", onDelete: .cascade))
            .field("start_at", .datetime, .required)
            .field("last_frame_at", .datetime, .required)
            .field("end_at", .datetime)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.raw("CREATE INDEX live_watches_camera ON live_watches (camera_id, start_at)").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("live_watches").delete()
    }
}

/// `detection_settings`: the detection configuration made in the UI, one JSON document per
/// scope (`global`, or a camera's id). What is not set there comes from the environment.
struct CreateDetectionSettings: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("detection_settings")
            .field("scope", .string, .identifier(auto: false))
            .field("document", .string, .required)
            .field("updated_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("detection_settings").delete()
    }
}

/// `live_workers` and `live_assignments`: the processes that run live detection, each seen
/// within the last few seconds, and which of them watches which camera under a lease
/// (docs/design/events.md, Live workers). `address` is where a worker on another machine wants the
/// camera's tap sent; null for the process that records the camera.
struct CreateLiveAssignments: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("live_workers")
            .field("id", .string, .identifier(auto: false))
            .field("host", .string, .required)
            .field("last_seen_at", .datetime, .required)
            .create()
        try await database.schema("live_assignments")
            .field("camera_id", .uuid, .identifier(auto: false), .references("cameras", "id", onDelete: .cascade))
            .field("owner", .string, .required)
            .field("address", .string)
            .field("lease_expires_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("live_assignments").delete()
        try await database.schema("live_workers").delete()
    }
}
