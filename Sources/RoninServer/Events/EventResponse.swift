import Foundation

/// An event as the API, the event stream and webhooks show it (docs/api.md, Events).
struct EventResponse: Codable, Sendable, ExplicitNullEncodable {
    struct Box: Codable, Sendable {
        let time: Date
        let x: Double, y: Double, width: Double, height: Double
        let confidence: Double
    }

    let id: UUID
    let camera_id: UUID
    let camera_name: String
    let kind: String
    let `class`: String
    let track_id: Int
    let source: String
    let start: Date
    let end: Date?
    let duration: Double
    let ongoing: Bool
    let peak_confidence: Double
    let from_state: String?
    let to_state: String?
    let boxes: [Box]
    let recording_id: UUID?
    let reviewed: Bool
    let locked: Bool
    let artifacts: String
    let snapshot_url: String
    let clean_url: String
    let mosaic_url: String
    let clip_url: String
    let created_at: Date
    let updated_at: Date

    init(_ event: EventModel, cameraName: String) {
        let id = event.id ?? UUID()
        let base = "/api/events/\(id.uuidString.lowercased())"
        self.id = id
        camera_id = event.cameraID
        camera_name = cameraName
        kind = event.kind
        `class` = event.className
        track_id = event.trackID
        source = event.source
        start = event.start
        end = event.end
        duration = event.duration
        ongoing = event.ongoing
        peak_confidence = event.peakConfidence
        from_state = event.fromState
        to_state = event.toState
        boxes = event.boxes.map { Box(time: $0.time, x: $0.x, y: $0.y, width: $0.width, height: $0.height, confidence: $0.confidence) }
        recording_id = event.recordingID
        reviewed = event.reviewed
        locked = event.locked
        artifacts = event.artifacts
        snapshot_url = base + "/snapshot.jpg"
        clean_url = base + "/snapshot.jpg?boxes=0"
        mosaic_url = base + "/mosaic.jpg"
        clip_url = base + "/clip.mp4"
        created_at = event.createdAt
        updated_at = event.updatedAt
    }
}
