import FluentKit
import Foundation

/// A row of `detections`: one object found in one analysed frame (see `CreateDetections`).
final class DetectionModel: Model, @unchecked Sendable {
    static let schema = "detections"

    /// Where a detection came from.
    enum Source: String {
        case live
        case historical
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "camera_id") var cameraID: UUID
    @OptionalField(key: "recording_id") var recordingID: UUID?
    @Field(key: "detected_at") var detectedAt: Date
    @Field(key: "class_name") var className: String
    @Field(key: "confidence") var confidence: Double
    @Field(key: "box_x") var boxX: Double
    @Field(key: "box_y") var boxY: Double
    @Field(key: "box_width") var boxWidth: Double
    @Field(key: "box_height") var boxHeight: Double
    @OptionalField(key: "track_id") var trackID: Int?
    @Field(key: "source") var source: String
    @Field(key: "created_at") var createdAt: Date

    init() {}
}
