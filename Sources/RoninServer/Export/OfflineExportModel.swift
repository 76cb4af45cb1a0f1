import FluentKit
import Foundation
import RoninCore

/// A row of `offline_exports` (see `CreateOfflineExports`): one export of footage to removable
/// media, its range and cameras, where it goes, and its state as its job last reported it.
final class OfflineExportModel: Model, @unchecked Sendable {
    static let schema = "offline_exports"

    @ID(key: .id) var id: UUID?
    /// JSON array of camera ids, in the order asked for.
    @Field(key: "camera_ids") var cameraIDsJSON: String
    @Field(key: "start_time") var start: Date
    @Field(key: "end_time") var end: Date
    @Field(key: "time_zone") var timeZone: String
    @Field(key: "destination") var destination: String
    @Field(key: "folder") var folder: String
    @Field(key: "state") var state: String
    @OptionalField(key: "job_id") var jobID: UUID?
    @Field(key: "bytes") var bytes: Int64
    @Field(key: "files") var files: Int
    @OptionalField(key: "created_by") var createdBy: String?
    @OptionalField(key: "error") var error: String?
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    @OptionalField(key: "finished_at") var finishedAt: Date?

    init() {}

    var cameraIDs: [UUID] {
        (try? JSONDecoder().decode([UUID].self, from: Data(cameraIDsJSON.utf8))) ?? []
    }

    var range: TimeSpan { TimeSpan(start: start, end: end) }

    var jobState: JobState? { JobState(rawValue: state) }
}

/// An offline export as the API shows it (docs/api.md, Offline export).
struct OfflineExportResponse: Codable, Sendable, ExplicitNullEncodable {
    let id: UUID
    let camera_ids: [UUID]
    let start: Date
    let end: Date
    let time_zone: String
    let destination: String
    let folder: String
    let state: String
    let job_id: UUID?
    /// How far the job is, 0 to 1 (1 once it succeeded).
    let progress: Double
    let bytes: Int64
    let files: Int
    let created_by: String?
    let error: String?
    let created_at: Date
    let updated_at: Date
    let finished_at: Date?

    init(_ row: OfflineExportModel, progress: Double) {
        id = row.id!
        camera_ids = row.cameraIDs
        start = row.start
        end = row.end
        time_zone = row.timeZone
        destination = row.destination
        folder = row.folder
        state = row.state
        job_id = row.jobID
        self.progress = row.state == JobState.succeeded.rawValue ? 1 : progress
        bytes = row.bytes
        files = row.files
        created_by = row.createdBy
        error = row.error
        created_at = row.createdAt
        updated_at = row.updatedAt
        finished_at = row.finishedAt
    }
}
