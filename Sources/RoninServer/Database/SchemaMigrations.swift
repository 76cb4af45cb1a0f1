import FluentKit
import SQLKit

/// The schema's history, oldest first. Never edit a migration that has shipped: add a new one.
enum SchemaMigrations {
    static var all: [any Migration] {
        [CreateUsers(), CreateCameras(), CreateRecordings(), CreateRevokedSessions(), CreateDetections(),
         CreateJobs(), CreateJobWorkers(), CreateAnalyses(), CreateEvents(), CreateLiveWatches(), CreateDetectionSettings(), CreateLiveAssignments(),
         CreateStorageTiers(), CreateOfflineExports(), AddRecordingHashes()]
    }
}

/// `users`: people who sign in. `username_key` is the lowercased name, unique, so that
/// "Alice" and "alice" cannot both exist. `token_version` grows on every password change and
/// invalidates tokens issued before it.
struct CreateUsers: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("users")
            .id()
            .field("username", .string, .required)
            .field("username_key", .string, .required)
            .field("password_hash", .string, .required)
            .field("role", .string, .required)
            .field("token_version", .int, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "username_key")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("users").delete()
    }
}

/// `cameras`: one row per IP camera. `name_key` (lowercased name) and `folder_name` (the
/// storage folder) are unique. `password_encrypted` holds a Fernet token, never plaintext.
struct CreateCameras: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("cameras")
            .id()
            .field("name", .string, .required)
            .field("name_key", .string, .required)
            .field("folder_name", .string, .required)
            .field("host", .string, .required)
            .field("port", .int, .required)
            .field("username", .string, .required)
            .field("password_encrypted", .string)
            .field("stream_path", .string, .required)
            .field("substream_path", .string)
            .field("transport", .string, .required)
            .field("enabled", .bool, .required)
            .field("recording_enabled", .bool, .required)
            .field("audio_enabled", .bool, .required)
            .field("group_name", .string)
            .field("sort_order", .int, .required)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "name_key")
            .unique(on: "folder_name")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("cameras").delete()
    }
}

/// `recordings`: one row per finished segment file. Times are UTC; `path` is relative to the
/// storage root; `status` is `complete`, or `missing` when reconciliation found no file.
/// Rows go with their camera.
struct CreateRecordings: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("recordings")
            .id()
            .field("camera_id", .uuid, .required, .references("cameras", "id", onDelete: .cascade))
            .field("start_time", .datetime, .required)
            .field("end_time", .datetime, .required)
            .field("path", .string, .required)
            .field("size_bytes", .int64, .required)
            .field("duration_seconds", .double, .required)
            .field("video_codec", .string)
            .field("width", .int)
            .field("height", .int)
            .field("audio_codec", .string)
            .field("status", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "path")
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.raw("CREATE INDEX recordings_camera_start ON recordings (camera_id, start_time)").run()
            try await sql.raw("CREATE INDEX recordings_camera_end ON recordings (camera_id, end_time)").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("recordings").delete()
    }
}

/// `revoked_sessions`: tokens signed out before they expire, by token id. Rows past
/// `expires_at` are useless and are purged.
struct CreateRevokedSessions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("revoked_sessions")
            .id()
            .field("token_id", .string, .required)
            .field("expires_at", .datetime, .required)
            .unique(on: "token_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("revoked_sessions").delete()
    }
}

/// `detections`: one row per object found in one analysed frame. `detected_at` is the frame's UTC
/// instant; the box is normalised to the frame (0…1, top-left origin). `recording_id` names the
/// segment the frame came from when known. `track_id` ties a row to a tracked object within one
/// analysis run. The (camera, time, class) index serves the playback timeline's markers.
struct CreateDetections: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("detections")
            .id()
            .field("camera_id", .uuid, .required, .references("cameras", "id", onDelete: .cascade))
            .field("recording_id", .uuid, .references("recordings", "id", onDelete: .setNull))
            .field("detected_at", .datetime, .required)
            .field("class_name", .string, .required)
            .field("confidence", .double, .required)
            .field("box_x", .double, .required)
            .field("box_y", .double, .required)
            .field("box_width", .double, .required)
            .field("box_height", .double, .required)
            .field("track_id", .int)
            .field("source", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.raw("CREATE INDEX detections_camera_time ON detections (camera_id, detected_at, class_name)").run()
            try await sql.raw("CREATE INDEX detections_recording ON detections (recording_id)").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("detections").delete()
    }
}
