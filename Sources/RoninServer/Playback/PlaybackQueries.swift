import FluentKit
import Foundation
import RoninCore
import SQLKit

/// The database reads behind playback: segment spans and detection counts for a window.
///
/// Reads go straight through SQLKit and fetch only the columns needed (no model decoding), so a
/// day timeline reads about a hundred narrow rows per camera. The overlap query bounds
/// `start_time` on both sides, which keeps it a range scan of the (camera_id, start_time) index:
/// a segment starts at most `maxSegmentSeconds` before any instant it covers.
struct PlaybackQueries: Sendable {
    /// Longer than the longest segment the recorder writes (RECORDING_SEGMENT_MINUTES ≤ 24 h),
    /// with room for a segment that ran past its cut point to the next keyframe.
    static let maxSegmentSeconds: TimeInterval = 25 * 3600

    let database: @Sendable () -> any Database

    func sql() throws -> any SQLDatabase {
        guard let sql = database() as? any SQLDatabase else { throw APIError(.internalServerError, "internal", "The database does not speak SQL") }
        return sql
    }

    /// Complete segments of `cameraID` overlapping `window`, as spans, oldest first.
    func segmentSpans(camera cameraID: UUID, overlapping window: TimeSpan) async throws -> [TimeSpan] {
        let rows = try await sql().select()
            .column("start_time").column("end_time")
            .from(RecordingModel.schema)
            .where("camera_id", .equal, cameraID)
            .where("start_time", .greaterThanOrEqual, window.start.addingTimeInterval(-Self.maxSegmentSeconds))
            .where("start_time", .lessThan, window.end)
            .where("end_time", .greaterThan, window.start)
            .where("status", .equal, RecordingModel.Status.complete.rawValue)
            .orderBy("start_time")
            .all()
        return try rows.map { row in
            TimeSpan(start: try row.decode(column: "start_time", as: Date.self), end: try row.decode(column: "end_time", as: Date.self))
        }
    }

    /// One bucket of detections of one class.
    struct MarkerBucket: Sendable {
        let className: String
        let index: Int
        let count: Int
    }

    /// Detections of `cameraID` in `window`, counted per class and per `bucketSeconds` bucket
    /// aligned to the window's start. Counting happens in the database.
    func markerBuckets(camera cameraID: UUID, in window: TimeSpan, bucketSeconds: Int) async throws -> [MarkerBucket] {
        let sql = try sql()
        let origin = window.start.timeIntervalSince1970
        // Both numbers are ours (a Double and an Int), never user text.
        let bucket: SQLQueryString = sql.dialect.name == "sqlite"
            ? "CAST((detected_at - \(unsafeRaw: String(origin))) / \(unsafeRaw: String(bucketSeconds)) AS INTEGER)"
            : "CAST(FLOOR((EXTRACT(EPOCH FROM detected_at) - \(unsafeRaw: String(origin))) / \(unsafeRaw: String(bucketSeconds))) AS BIGINT)"
        let query: SQLQueryString = """
            SELECT class_name, \(bucket) AS bucket, COUNT(*) AS n FROM detections
            WHERE camera_id = \(bind: cameraID) AND detected_at >= \(bind: window.start) AND detected_at < \(bind: window.end)
            GROUP BY class_name, bucket ORDER BY bucket, class_name
            """
        return try await sql.raw(query).all().map { row in
            MarkerBucket(className: try row.decode(column: "class_name", as: String.self),
                         index: try row.decode(column: "bucket", as: Int.self),
                         count: try row.decode(column: "n", as: Int.self))
        }
    }
}
