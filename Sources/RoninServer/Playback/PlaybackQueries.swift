import FluentKit
import Foundation
import RoninCore
import SQLKit

/// The database reads behind playback: segment spans and detection counts for a window.
///
/// Reads go straight through SQLKit and fetch only the columns needed (no model decoding), so a
/// day timeline reads about a hundred narrow rows per camera. Every read is a range scan of the
/// (camera_id, start_time) index: segments that start inside a window, plus the few that start
/// just before it and may run into it (a camera's segments follow one another, so the last
/// `precedingSegments` starts before a window are the only ones that can cover its first instant).
struct PlaybackQueries: Sendable {
    /// How many segments starting before a window are checked for running into it.
    static let precedingSegments = 8
    /// Longer than the longest segment the recorder writes (RECORDING_SEGMENT_MINUTES ≤ 24 h),
    /// with room for a segment that ran past its cut point to the next keyframe.
    static let maxSegmentSeconds: TimeInterval = 25 * 3600

    let database: @Sendable () -> any Database

    func sql() throws -> any SQLDatabase {
        guard let sql = database() as? any SQLDatabase else { throw APIError(.internalServerError, "internal", "The database does not speak SQL") }
        return sql
    }

    /// Complete segments of `cameraID` overlapping `window`, as spans with the tier that holds
    /// each, oldest first.
    func segmentSpans(camera cameraID: UUID, overlapping window: TimeSpan) async throws -> [TieredSpan] {
        let sql = try sql()
        let complete = RecordingModel.Status.complete.rawValue
        let inside = try await sql.select()
            .column("start_time").column("end_time").column("tier").from(RecordingModel.schema)
            .where("camera_id", .equal, cameraID)
            .where("start_time", .greaterThanOrEqual, window.start).where("start_time", .lessThan, window.end)
            .where("status", .in, [complete, RecordingModel.Status.recording.rawValue])
            .orderBy("start_time")
            .all()
        let before = try await sql.select()
            .column("start_time").column("end_time").column("tier").from(RecordingModel.schema)
            .where("camera_id", .equal, cameraID)
            .where("start_time", .lessThan, window.start)
            .where("start_time", .greaterThanOrEqual, window.start.addingTimeInterval(-Self.maxSegmentSeconds))
            .where("status", .in, [complete, RecordingModel.Status.recording.rawValue])
            .orderBy("start_time", .descending).limit(Self.precedingSegments)
            .all()
        var spans = try before.reversed().map(Self.tieredSpan).filter { $0.span.end > window.start }
        spans += try inside.map(Self.tieredSpan)
        return spans
    }

    /// Which of `days` (consecutive windows) some complete segment of `cameraID` overlaps,
    /// asked in one statement: per day, a segment starting in it, or else one that started
    /// before it (at most a segment's length before) and runs into it.
    func daysWithFootage(camera cameraID: UUID, among days: [LocalDay]) async throws -> [LocalDay] {
        guard !days.isEmpty else { return [] }
        let sql = try sql()
        let complete = RecordingModel.Status.complete.rawValue
        var rows: [SQLQueryString] = []
        for (index, day) in days.enumerated() {
            rows.append("(\(bind: index), \(bind: day.start.addingTimeInterval(-Self.maxSegmentSeconds)), \(bind: day.start), \(bind: day.end))")
        }
        let query: SQLQueryString = """
            WITH d(i, lo, s, e) AS (VALUES \(rows.joined(separator: ", ")))
            SELECT d.i AS i FROM d
            WHERE EXISTS (SELECT 1 FROM recordings r WHERE r.camera_id = \(bind: cameraID) AND r.start_time >= d.s
                          AND r.start_time < d.e AND r.status IN (\(bind: complete), \(bind: RecordingModel.Status.recording.rawValue)))
               OR EXISTS (SELECT 1 FROM recordings r WHERE r.camera_id = \(bind: cameraID) AND r.start_time >= d.lo
                          AND r.start_time < d.s AND r.end_time > d.s AND r.status IN (\(bind: complete), \(bind: RecordingModel.Status.recording.rawValue)))
            ORDER BY d.i
            """
        return try await sql.raw(query).all().map { days[try $0.decode(column: "i", as: Int.self)] }
    }

    static func span(_ row: any SQLRow) throws -> TimeSpan {
        TimeSpan(start: try row.decode(column: "start_time", as: Date.self), end: try row.decode(column: "end_time", as: Date.self))
    }

    /// A row's span and tier (a tier this server does not know reads as hot, where footage is recorded).
    static func tieredSpan(_ row: any SQLRow) throws -> TieredSpan {
        TieredSpan(try span(row), tier: StorageTier(rawValue: try row.decode(column: "tier", as: String.self)) ?? .hot)
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
