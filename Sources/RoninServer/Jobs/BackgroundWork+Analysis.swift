import FluentKit
import Foundation
import RoninCore
import SQLKit

extension BackgroundWork {
    /// What asking for the analysis of a range did.
    struct AnalysisOutcome: Sendable, Equatable {
        var recordings = 0
        var queued = 0
        var alreadyAnalysed = 0
        var alreadyQueued = 0
        /// The detection jobs that now cover the range (queued, running, or left as they were).
        var jobIDs: [UUID] = []
    }

    /// Queues detection for the complete recordings of `cameras` overlapping `[from, to)`,
    /// newest first: those already analysed by the current model only when `force`; stopped
    /// jobs (parked, cancelled) run again, since a person asked.
    func queueAnalysis(cameras: [UUID], from: Date, to: Date, force: Bool, now: Date = Date()) async throws -> AnalysisOutcome {
        let model = await currentModel()
        guard let sql = database() as? any SQLDatabase else { throw JobQueueError("the database does not speak SQL") }
        let rows = try await sql.raw("""
            SELECT r.id AS id, r.camera_id AS camera_id, r.start_time AS start_time,
                   CASE WHEN \(Self.analysedCondition(model: model)) THEN 1 ELSE 0 END AS analysed
            FROM recordings r
            WHERE r.camera_id IN (\(binds: Array(Set(cameras)) as [any Encodable & Sendable])) AND r.status = 'complete'
              AND r.start_time < \(bind: to) AND r.end_time > \(bind: from)
            """).all()
        let found = try rows.map { (id: try $0.decode(column: "id", as: UUID.self), camera: try $0.decode(column: "camera_id", as: UUID.self),
                                    start: try $0.decode(column: "start_time", as: Date.self), analysed: try $0.decode(column: "analysed", as: Int.self) > 0) }
        var outcome = AnalysisOutcome(recordings: found.count)
        var jobs: [NewJob] = []
        for (recording, runAt) in BacklogOrder.runTimes(found, start: \.start, now: now) {
            if recording.analysed && !force {
                outcome.alreadyAnalysed += 1
                continue
            }
            jobs.append(detectionJob(recording: recording.id, camera: recording.camera, priority: JobPriority.requested, runAt: runAt))
        }
        // Not analysed by the current model although its job succeeded: another model ran it.
        let requeue: Set<JobState> = [.parked, .cancelled, .succeeded]
        for result in try await queue.enqueue(jobs, requeue: requeue, now: now) {
            switch result {
            case .queued(let id), .requeued(let id):
                outcome.queued += 1
                outcome.jobIDs.append(id)
            case .alreadyActive(let id):
                outcome.alreadyQueued += 1
                outcome.jobIDs.append(id)
            case .kept:
                outcome.alreadyAnalysed += 1
            }
        }
        return outcome
    }
}
