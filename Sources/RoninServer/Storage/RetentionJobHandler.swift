import FluentKit
import Foundation
import Logging
import RoninCore
import SQLKit

/// Deletes one recording (`retain` jobs, docs/design/tiers.md, Deleting): its row is marked
/// `deleting` (hidden from playback), its file goes from its tier, then in one transaction the
/// deletion is logged and the row goes with its detections, analyses and waiting detection job.
/// A crash at any step leaves either the row (marked, and finished by the next run: start-up
/// queues every `deleting` row again) or nothing: never a row without a file that playback
/// offers, nor a file without a row. Footage a locked event overlaps is never deleted, whatever
/// the job says; events left without any footage go with their pictures.
struct RetentionJobHandler: JobHandler {
    static let kind = "retain"

    struct Payload: Codable, Sendable {
        let recording_id: UUID
        let reason: String
    }

    var kind: String { Self.kind }
    let footage: FootageStore
    let index: StorageIndex
    let artifacts: ArtifactFiles
    let database: @Sendable () -> any Database
    let logger: Logger

    func unavailableReason() async -> String? { nil }

    static func job(recording: UUID, camera: UUID, reason: StoragePlan.Reason) -> NewJob {
        let payload = String(decoding: (try? JSONEncoder().encode(Payload(recording_id: recording, reason: reason.rawValue))) ?? Data(), as: UTF8.self)
        return NewJob(kind: kind, payload: payload, priority: reason == .freeSpace ? JobPriority.freeSpace : JobPriority.storage, runAt: Date(),
                      maxAttempts: 5, uniqueKey: "retain:\(recording.uuidString.lowercased())", cameraID: camera, recordingID: recording)
    }

    func run(_ job: Job, context: JobContext) async throws -> String? {
        guard let payload = try? JSONDecoder().decode(Payload.self, from: Data(job.payload.utf8)) else {
            throw PermanentJobError("the job's payload is not a deletion: \(job.payload.prefix(200))")
        }
        guard let row = try await RecordingModel.find(payload.recording_id, on: database()) else { return #"{"deleted": false, "gone": true}"# }
        if try await index.isLocked(camera: row.cameraID, span: TimeSpan(start: row.start, end: row.end)) {
            if row.status == RecordingModel.Status.deleting.rawValue {
                row.status = RecordingModel.Status.complete.rawValue
                try await row.save(on: database())
            }
            logger.notice("Kept \(row.path): a locked event happened in it")
            return #"{"deleted": false, "locked": true}"#
        }
        try context.checkStillOurs()
        let tier = StorageTier(rawValue: row.tier) ?? .hot
        if row.status != RecordingModel.Status.deleting.rawValue {
            row.status = RecordingModel.Status.deleting.rawValue
            try await row.save(on: database())
        }
        try await footage.store(tier).delete(row.path)
        try await finish(row, tier: tier, reason: payload.reason)
        try await removeOrphanedEvents(camera: row.cameraID, span: TimeSpan(start: row.start, end: row.end))
        logger.info("Deleted \(row.path) from \(tier.rawValue) storage (\(payload.reason))")
        return #"{"deleted": true}"#
    }

    /// The log row and the recording's rows, in one transaction.
    private func finish(_ row: RecordingModel, tier: StorageTier, reason: String) async throws {
        let id = row.id!
        try await database().writeTransaction { db in
            guard let sql = db as? any SQLDatabase else { return }
            try await sql.raw("""
                INSERT INTO storage_deletions (id, recording_id, camera_id, start_time, end_time, size_bytes, tier, path, reason, deleted_at)
                VALUES (\(bind: UUID()), \(bind: id), \(bind: row.cameraID), \(bind: row.start), \(bind: row.end), \(bind: row.sizeBytes),
                        \(bind: tier.rawValue), \(bind: row.path), \(bind: reason), \(bind: Date()))
                """).run()
            try await sql.raw("DELETE FROM detections WHERE recording_id = \(bind: id)").run()
            try await sql.raw("DELETE FROM analyses WHERE recording_id = \(bind: id)").run()
            try await sql.raw("DELETE FROM jobs WHERE recording_id = \(bind: id) AND kind <> \(bind: Self.kind) AND state <> 'running'").run()
            try await sql.raw("DELETE FROM recordings WHERE id = \(bind: id)").run()
        }
    }

    /// Unlocked events of the camera that overlapped the deleted footage and that no remaining
    /// footage covers go, with their pictures: their footage is gone.
    private func removeOrphanedEvents(camera: UUID, span: TimeSpan) async throws {
        let events = try await EventModel.query(on: database()).filter(\.$cameraID == camera).filter(\.$locked == false)
            .filter(\.$ongoing == false).filter(\.$start < span.end).filter(\.$lastSeen >= span.start).all()
        for event in events {
            let end = max(event.end ?? event.lastSeen, event.start.addingTimeInterval(0.001))
            let covered = try await RecordingModel.query(on: database()).filter(\.$cameraID == camera)
                .filter(\.$status == RecordingModel.Status.complete.rawValue)
                .filter(\.$start < end).filter(\.$end > event.start).count()
            guard covered == 0, let id = event.id else { continue }
            try await event.delete(on: database())
            artifacts.remove(camera: camera, event: id)
        }
    }
}
