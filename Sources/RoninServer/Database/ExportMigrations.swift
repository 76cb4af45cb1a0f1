import FluentKit
import SQLKit

/// `offline_exports` (docs/design/tiers.md, Offline export): one row per export of footage to
/// removable media. `camera_ids` is a JSON array of ids; `start_time`/`end_time` the UTC range;
/// `time_zone` the IANA zone of the file names; `destination` the folder asked for and `folder`
/// the export's own folder inside it. `state` mirrors the job (`job_id`) that writes it, and
/// stays once the job row is purged; `bytes` and `files` grow as files are written.
struct CreateOfflineExports: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("offline_exports")
            .id()
            .field("camera_ids", .string, .required)
            .field("start_time", .datetime, .required)
            .field("end_time", .datetime, .required)
            .field("time_zone", .string, .required)
            .field("destination", .string, .required)
            .field("folder", .string, .required)
            .field("state", .string, .required)
            .field("job_id", .uuid)
            .field("bytes", .int64, .required)
            .field("files", .int, .required)
            .field("created_by", .string)
            .field("error", .string)
            .field("created_at", .datetime, .required)
            .field("updated_at", .datetime, .required)
            .field("finished_at", .datetime)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.raw("CREATE INDEX offline_exports_created ON offline_exports (created_at, id)").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("offline_exports").delete()
    }
}
