import Foundation
import RoninCore

/// A stretch of a range whose footage lives in one storage tier.
struct TierRunResponse: Codable, Sendable {
    let start: Date
    let end: Date
    /// hot, warm or cold
    let tier: String
}

/// A consolidated range of footage as the API shows it, with where its footage lives.
struct FootageRangeResponse: Codable, Sendable {
    let start: Date
    let end: Date
    let recordings: Int
    /// Consecutive runs of one tier each, covering the range exactly.
    let tiers: [TierRunResponse]
}

/// A span without footage.
struct GapResponse: Codable, Sendable {
    let start: Date
    let end: Date
}

/// Detections of one class within one bucket of the ruler.
struct MarkerResponse: Codable, Sendable {
    let `class`: String
    let start: Date
    let end: Date
    let count: Int
}

/// One camera's part of a day timeline.
struct CameraTimelineResponse: Codable, Sendable {
    let camera_id: UUID
    let ranges: [FootageRangeResponse]
    let gaps: [GapResponse]
    let recorded_seconds: Double
    /// Seconds of the day's footage per tier (only tiers holding some).
    let tier_seconds: [String: Double]
    let markers: [MarkerResponse]
    let counts: [String: Int]
}

/// The day a timeline describes, in the viewer's time zone.
struct TimelineDay: Codable, Sendable {
    let date: String
    let tz: String
    let day_start: Date
    let day_end: Date
    let hours: Int
    let length_seconds: Double
    let bucket_seconds: Int

    init(_ day: LocalDay, tz: String, bucketSeconds: Int) {
        date = day.date
        self.tz = tz
        day_start = day.start
        day_end = day.end
        hours = day.hours
        length_seconds = day.lengthSeconds
        bucket_seconds = bucketSeconds
    }
}

/// `GET /api/playback/{camera_id}/timeline`: the day and one camera's footage, flattened.
struct TimelineResponse: Encodable, Sendable {
    let day: TimelineDay
    let camera: CameraTimelineResponse

    func encode(to encoder: any Encoder) throws {
        try day.encode(to: encoder)
        try camera.encode(to: encoder)
    }
}

/// `GET /api/playback/timeline?camera_ids=`: the day once, then each camera in the order asked.
struct MultiTimelineResponse: Encodable, Sendable {
    let day: TimelineDay
    let cameras: [CameraTimelineResponse]

    private enum Keys: String, CodingKey { case cameras }

    func encode(to encoder: any Encoder) throws {
        try day.encode(to: encoder)
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(cameras, forKey: .cameras)
    }
}

/// One camera's days with footage in a month.
struct CameraDaysResponse: Codable, Sendable {
    let camera_id: UUID
    let days: [String]
}

/// `GET /api/playback/{camera_id}/days`.
struct DaysResponse: Codable, Sendable {
    let camera_id: UUID
    let month: String
    let tz: String
    let days: [String]
}

/// `GET /api/playback/days?camera_ids=`: the union of days, and each camera's own.
struct MultiDaysResponse: Codable, Sendable {
    let month: String
    let tz: String
    let days: [String]
    let cameras: [CameraDaysResponse]
}
