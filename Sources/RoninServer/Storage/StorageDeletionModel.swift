import FluentKit
import Foundation

/// A row of `storage_deletions`: footage retention deleted, when and why (docs/design/tiers.md).
final class StorageDeletionModel: Model, @unchecked Sendable {
    static let schema = "storage_deletions"

    @ID(key: .id) var id: UUID?
    @Field(key: "recording_id") var recordingID: UUID
    @Field(key: "camera_id") var cameraID: UUID
    @Field(key: "start_time") var start: Date
    @Field(key: "end_time") var end: Date
    @Field(key: "size_bytes") var sizeBytes: Int64
    @Field(key: "tier") var tier: String
    @Field(key: "path") var path: String
    @Field(key: "reason") var reason: String
    @Field(key: "deleted_at") var deletedAt: Date

    init() {}
}
