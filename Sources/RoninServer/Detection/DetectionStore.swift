import FluentKit
import Foundation
import SQLKit

/// Writes what historical analysis found. A recording's detections are replaced in one
/// transaction, together with its `analyses` row, so a reader sees the old set or the new, and
/// an analysis that runs twice (at-least-once jobs) leaves the same rows, never duplicates.
struct DetectionStore: Sendable {
    /// One detection to store: the frame's UTC instant, and the box as fractions of the frame.
    struct Row: Sendable, Equatable {
        let time: Date
        let className: String
        let confidence: Double
        let x: Double, y: Double, width: Double, height: Double
        let trackID: Int?
    }

    /// What one analysis of a recording amounted to.
    struct Summary: Sendable, Equatable, Codable {
        let frames: Int
        let analysed: Int
        let detections: Int
        let seconds: Double
    }

    /// Rows per INSERT statement (13 values each stays far below SQLite's variable limit).
    static let batch = 500

    let database: @Sendable () -> any Database

    func replace(recording: UUID, camera: UUID, model: String, rows: [Row], summary: Summary, holder: (job: UUID, owner: String)? = nil,
                 now: Date = Date()) async throws {
        try await database().writeTransaction { db in
            guard let sql = db as? any SQLDatabase else { throw JobQueueError("the database does not speak SQL") }
            // A job cancelled (or taken over) while it ran writes nothing.
            if let holder { try await JobQueue.requireHeld(holder.job, owner: holder.owner, on: sql) }
            try await sql.raw("DELETE FROM detections WHERE recording_id = \(bind: recording) AND source = 'historical'").run()
            for start in stride(from: 0, to: rows.count, by: Self.batch) {
                var insert = sql.insert(into: "detections").columns(
                    "id", "camera_id", "recording_id", "detected_at", "class_name", "confidence", "box_x", "box_y", "box_width",
                    "box_height", "track_id", "source", "created_at")
                for row in rows[start..<min(rows.count, start + Self.batch)] {
                    insert = insert.values(SQLBind(UUID()), SQLBind(camera), SQLBind(recording), SQLBind(row.time), SQLBind(row.className),
                                           SQLBind(row.confidence), SQLBind(row.x), SQLBind(row.y), SQLBind(row.width), SQLBind(row.height),
                                           SQLBind(row.trackID), SQLBind("historical"), SQLBind(now))
                }
                try await insert.run()
            }
            try await sql.raw("DELETE FROM analyses WHERE recording_id = \(bind: recording) AND model = \(bind: model)").run()
            try await sql.raw("""
                INSERT INTO analyses (id, recording_id, camera_id, model, frames, analysed, detections, seconds, analysed_at)
                VALUES (\(bind: UUID()), \(bind: recording), \(bind: camera), \(bind: model), \(bind: summary.frames), \(bind: summary.analysed),
                        \(bind: summary.detections), \(bind: summary.seconds), \(bind: now))
                """).run()
        }
    }
}
