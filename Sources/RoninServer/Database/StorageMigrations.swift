import FluentKit
import SQLKit

/// Storage tiers (docs/design/tiers.md): each recording says which tier holds it (`tier`: hot,
/// warm or cold; its `path` is the same key relative to every tier's root); a recording being
/// deleted is `status = 'deleting'` until its file is gone. `storage_deletions` records every
/// deletion (what, when, why); `storage_samples` the use of each tier over time;
/// `storage_policies` the policies edited in the UI (`global`, or a camera's id), as JSON.
struct CreateStorageTiers: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("ALTER TABLE recordings ADD COLUMN tier VARCHAR(8) NOT NULL DEFAULT 'hot'").run()
        try await sql.raw("CREATE INDEX recordings_tier_end ON recordings (tier, end_time)").run()
        try await database.schema("storage_deletions")
            .id()
            .field("recording_id", .uuid, .required)
            .field("camera_id", .uuid, .required)
            .field("start_time", .datetime, .required)
            .field("end_time", .datetime, .required)
            .field("size_bytes", .int64, .required)
            .field("tier", .string, .required)
            .field("path", .string, .required)
            .field("reason", .string, .required)
            .field("deleted_at", .datetime, .required)
            .create()
        try await sql.raw("CREATE INDEX storage_deletions_at ON storage_deletions (deleted_at)").run()
        try await database.schema("storage_samples")
            .id()
            .field("sampled_at", .datetime, .required)
            .field("tier", .string, .required)
            .field("used_bytes", .int64, .required)
            .field("recordings", .int64, .required)
            .field("free_bytes", .int64)
            .field("capacity_bytes", .int64)
            .create()
        try await sql.raw("CREATE INDEX storage_samples_at ON storage_samples (sampled_at)").run()
        try await database.schema("storage_policies")
            .field("scope", .string, .identifier(auto: false))
            .field("document", .string, .required)
            .field("updated_at", .datetime, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("storage_policies").delete()
        try await database.schema("storage_samples").delete()
        try await database.schema("storage_deletions").delete()
    }
}

/// `recordings.sha256`: the SHA-256 (hex) of a segment's file, taken when it was indexed
/// (docs/design/tiers.md, Moving): a move checks its copy against the footage as it was
/// recorded. Rows indexed before it have none; their moves hash the source instead.
struct AddRecordingHashes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("ALTER TABLE recordings ADD COLUMN sha256 VARCHAR(64)").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("ALTER TABLE recordings DROP COLUMN sha256").run()
    }
}
