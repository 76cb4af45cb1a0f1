import FluentKit
import Foundation
import RoninCore

/// A row of `events`: one arrival, departure or state change of one object (see `CreateEvents`).
final class EventModel: Model, @unchecked Sendable {
    static let schema = "events"

    /// Where an event came from.
    enum Source: String, Codable, Sendable {
        case live, historical
    }

    /// Whether the event's pictures and clip are made.
    enum ArtifactsState: String, Codable, Sendable {
        case pending, ready, failed
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "camera_id") var cameraID: UUID
    @Field(key: "kind") var kind: String
    @Field(key: "class_name") var className: String
    @Field(key: "track_id") var trackID: Int
    @Field(key: "source") var source: String
    @Field(key: "start_at") var start: Date
    @OptionalField(key: "end_at") var end: Date?
    @Field(key: "last_seen_at") var lastSeen: Date
    @Field(key: "ongoing") var ongoing: Bool
    @Field(key: "peak_confidence") var peakConfidence: Double
    @OptionalField(key: "from_state") var fromState: String?
    @OptionalField(key: "to_state") var toState: String?
    @Field(key: "boxes") var boxesJSON: String
    @OptionalField(key: "recording_id") var recordingID: UUID?
    @Field(key: "reviewed") var reviewed: Bool
    @Field(key: "locked") var locked: Bool
    @Field(key: "artifacts") var artifacts: String
    @OptionalField(key: "artifacts_error") var artifactsError: String?
    @Field(key: "dedupe_key") var dedupeKey: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date

    init() {}

    /// The stored boxes, oldest first.
    var boxes: [EventBox] {
        (try? JSONDecoder.api.decode([EventBox].self, from: Data(boxesJSON.utf8))) ?? []
    }

    /// The box of the event's most confident moment.
    var bestBox: EventBox? {
        boxes.max { $0.confidence < $1.confidence }
    }

    /// Seconds from start to end (for an ongoing event: to its last sighting).
    var duration: Double {
        max(0, (end ?? lastSeen).timeIntervalSince(start))
    }
}

/// One box of an event at one instant, in fractions of the frame.
struct EventBox: Codable, Sendable, Equatable {
    let time: Date
    let x: Double, y: Double, width: Double, height: Double
    let confidence: Double

    static func encode(_ boxes: [EventBox]) -> String {
        String(decoding: (try? JSONEncoder.api.encode(boxes)) ?? Data("[]".utf8), as: UTF8.self)
    }
}
