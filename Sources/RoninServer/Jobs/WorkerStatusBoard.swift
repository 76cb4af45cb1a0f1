import FluentKit
import Foundation
import Logging
import SQLKit

/// `job_workers`: where every worker pool, on any machine, says what it is doing, so the status
/// API of any node can list them all. Rows are written every few seconds by their pool; a row
/// not refreshed for `aliveWithin` seconds belongs to a pool that is gone, and is deleted after a
/// day.
struct WorkerStatusBoard: Sendable {
    /// What one pool reports.
    struct Report: Sendable, Equatable {
        struct RunningJob: Sendable, Equatable, Codable {
            let id: UUID
            let cameraID: UUID?
            let recordingID: UUID?
            let progress: Double
        }

        let id: String
        let host: String
        let pid: Int
        let kinds: [String]
        let startedAt: Date
        let jobs: [RunningJob]
        /// Nil while nothing runs (nothing measured).
        let framesPerSecond: Double?
        let inferenceMilliseconds: Double?
        let detectionAvailable: Bool
        let reason: String?
    }

    /// A row as read back, with when it was last written.
    struct Entry: Sendable {
        let report: Report
        let heartbeatAt: Date
    }

    static let aliveWithin: TimeInterval = 30

    let database: @Sendable () -> any Database
    let logger: Logger

    func publish(_ report: Report, now: Date = Date()) async {
        do {
            guard let sql = database() as? any SQLDatabase else { return }
            let jobs = String(decoding: try JSONEncoder().encode(report.jobs), as: UTF8.self)
            try await sql.raw("""
                INSERT INTO job_workers (id, host, pid, kinds, started_at, heartbeat_at, jobs, frames_per_second, inference_ms,
                                         detection_available, reason)
                VALUES (\(bind: report.id), \(bind: report.host), \(bind: report.pid), \(bind: report.kinds.joined(separator: ",")),
                        \(bind: report.startedAt), \(bind: now), \(bind: jobs), \(bind: report.framesPerSecond),
                        \(bind: report.inferenceMilliseconds), \(bind: report.detectionAvailable), \(bind: report.reason))
                ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at, jobs = excluded.jobs,
                    frames_per_second = excluded.frames_per_second, inference_ms = excluded.inference_ms,
                    detection_available = excluded.detection_available, reason = excluded.reason
                """).run()
            try await sql.raw("DELETE FROM job_workers WHERE heartbeat_at < \(bind: now.addingTimeInterval(-86_400))").run()
        } catch {
            logger.warning("Publishing worker status failed: \(error)")
        }
    }

    func remove(_ id: String) async {
        guard let sql = database() as? any SQLDatabase else { return }
        try? await sql.raw("DELETE FROM job_workers WHERE id = \(bind: id)").run()
    }

    /// Every pool that reported in the last day, most recent first.
    func entries() async throws -> [Entry] {
        guard let sql = database() as? any SQLDatabase else { return [] }
        let rows = try await sql.raw("SELECT * FROM job_workers ORDER BY heartbeat_at DESC").all()
        return try rows.map { row in
            let jobs = try JSONDecoder().decode([Report.RunningJob].self, from: Data(try row.decode(column: "jobs", as: String.self).utf8))
            let report = Report(
                id: try row.decode(column: "id", as: String.self), host: try row.decode(column: "host", as: String.self),
                pid: try row.decode(column: "pid", as: Int.self),
                kinds: try row.decode(column: "kinds", as: String.self).split(separator: ",").map(String.init),
                startedAt: try row.decode(column: "started_at", as: Date.self), jobs: jobs,
                framesPerSecond: try row.decode(column: "frames_per_second", as: Double?.self),
                inferenceMilliseconds: try row.decode(column: "inference_ms", as: Double?.self),
                detectionAvailable: try row.decode(column: "detection_available", as: Bool.self),
                reason: try row.decode(column: "reason", as: String?.self))
            return Entry(report: report, heartbeatAt: try row.decode(column: "heartbeat_at", as: Date.self))
        }
    }
}
