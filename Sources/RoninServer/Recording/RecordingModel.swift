import FluentKit
import Foundation

/// A row of `recordings`: one finished segment file, in the tier `tier` under the key `path`
/// (docs/design/tiers.md).
final class RecordingModel: Model, @unchecked Sendable {
    static let schema = "recordings"

    enum Status: String {
        case complete
        case missing
        /// Retention is deleting it: hidden from playback; the row goes once the file has.
        case deleting
        /// The segment ffmpeg is writing now (its `path` is the staging file's): it grows, plays up
        /// to its last fragment, and becomes `complete`, the same row, when the segment closes.
        case recording
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "camera_id") var cameraID: UUID
    @Field(key: "start_time") var start: Date
    @Field(key: "end_time") var end: Date
    @Field(key: "path") var path: String
    @Field(key: "size_bytes") var sizeBytes: Int64
    @Field(key: "duration_seconds") var durationSeconds: Double
    @OptionalField(key: "video_codec") var videoCodec: String?
    @OptionalField(key: "width") var width: Int?
    @OptionalField(key: "height") var height: Int?
    @OptionalField(key: "audio_codec") var audioCodec: String?
    @Field(key: "status") var status: String
    @Field(key: "tier") var tier: String
    /// The file's SHA-256 (hex) when it was indexed; nil for a segment still being written and
    /// for rows indexed before hashes were kept.
    @OptionalField(key: "sha256") var sha256: String?
    @Field(key: "created_at") var createdAt: Date

    init() {}
}

/// A recording as the API shows it.
struct RecordingResponse: Codable, Sendable, ExplicitNullEncodable {
    let id: UUID
    let camera_id: UUID
    let start: Date
    let end: Date
    let duration_seconds: Double
    let size_bytes: Int64
    let video_codec: String?
    let width: Int?
    let height: Int?
    let audio_codec: String?
    let status: String
    /// Where the footage is: hot, warm or cold.
    let tier: String
    /// The file's SHA-256 as it was recorded (null while it is being written).
    let sha256: String?
    /// The segment is still being written (`status` is `recording`): its end moves on.
    let in_progress: Bool
    /// The file, relative to the storage root: for admins (it names the camera's folder on disk).
    let path: String?
    let file_url: String

    init(_ recording: RecordingModel, admin: Bool) {
        id = recording.id!
        camera_id = recording.cameraID
        start = recording.start
        end = recording.end
        duration_seconds = recording.durationSeconds
        size_bytes = recording.sizeBytes
        video_codec = recording.videoCodec
        width = recording.width
        height = recording.height
        audio_codec = recording.audioCodec
        status = recording.status
        tier = recording.tier
        sha256 = recording.sha256
        in_progress = recording.status == RecordingModel.Status.recording.rawValue
        path = admin ? recording.path : nil
        file_url = "/api/recordings/\(id.uuidString.lowercased())/file"
    }
}
