import FluentKit
import Foundation
import RoninCore

/// Builds calendar days and day timelines for cameras from the recordings and detections
/// tables (see docs/design/playback.md). Stateless; safe to share.
struct PlaybackService: Sendable {
    let queries: PlaybackQueries
    /// The present, so that today's unrecorded future is not reported as a gap.
    var now: @Sendable () -> Date = { Date() }

    /// One camera's footage and detection markers on a local day.
    func timeline(camera cameraID: UUID, day: LocalDay, bucketSeconds: Int) async throws -> CameraTimelineResponse {
        let window = TimeSpan(start: day.start, end: day.end)
        let spans = try await queries.segmentSpans(camera: cameraID, overlapping: window)
        let consolidated = TimelineConsolidator.consolidate(tiered: spans, within: window, coveredUntil: now())
        let buckets = try await queries.markerBuckets(camera: cameraID, in: window, bucketSeconds: bucketSeconds)
        var counts: [String: Int] = [:]
        let markers = buckets.map { bucket -> MarkerResponse in
            counts[bucket.className, default: 0] += bucket.count
            let start = day.start.addingTimeInterval(TimeInterval(bucket.index * bucketSeconds))
            return MarkerResponse(class: bucket.className, start: start,
                                  end: min(start.addingTimeInterval(TimeInterval(bucketSeconds)), day.end), count: bucket.count)
        }
        return CameraTimelineResponse(
            camera_id: cameraID,
            ranges: consolidated.ranges.map { range in
                FootageRangeResponse(start: range.span.start, end: range.span.end, recordings: range.recordings,
                                     tiers: range.tiers.map { TierRunResponse(start: $0.span.start, end: $0.span.end, tier: $0.tier.rawValue) })
            },
            gaps: consolidated.gaps.map { GapResponse(start: $0.start, end: $0.end) },
            recorded_seconds: consolidated.recordedSeconds,
            tier_seconds: Dictionary(uniqueKeysWithValues: consolidated.tierSeconds.map { ($0.key.rawValue, $0.value) }),
            markers: markers, counts: counts)
    }

    /// The dates among `days` (a month, in order) on which the camera has footage.
    func daysWithFootage(camera cameraID: UUID, among days: [LocalDay]) async throws -> [String] {
        try await queries.daysWithFootage(camera: cameraID, among: days).map(\.date)
    }
}
