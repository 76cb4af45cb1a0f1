import FluentKit
import Foundation
import Logging
import RoninCore
import SQLKit

/// Moves one recording down a tier (`migrate` jobs, docs/design/tiers.md, Moving): copy,
/// verify (size, and the SHA-256 of what was stored against the footage's as recorded, or
/// against what was read for rows indexed without one), switch the row in one
/// statement that checks it still says where the footage came from, then delete the source.
///
/// Every step can be cut by a crash or kill -9 and the job run again: before the switch the
/// row still names the source, which is intact, and the copy is made again; after it the row
/// names the destination, and the run only removes what is left at the source, once the
/// destination is checked to be there in full. Nothing is lost and nothing is kept twice.
struct MigrationJobHandler: JobHandler {
    static let kind = "migrate"

    struct Payload: Codable, Sendable {
        let recording_id: UUID
        let to: StorageTier
        let reason: String
    }

    var kind: String { Self.kind }
    let footage: FootageStore
    let limiter: BandwidthLimiter?
    let database: @Sendable () -> any Database
    let logger: Logger

    func unavailableReason() async -> String? { nil }

    static func job(recording: UUID, camera: UUID, to tier: StorageTier, reason: StoragePlan.Reason) -> NewJob {
        let payload = Payload(recording_id: recording, to: tier, reason: reason.rawValue)
        let text = String(decoding: (try? JSONEncoder().encode(payload)) ?? Data(), as: UTF8.self)
        return NewJob(kind: kind, payload: text, priority: reason == .freeSpace ? JobPriority.freeSpace : JobPriority.storage, runAt: Date(),
                      maxAttempts: 6, uniqueKey: "migrate:\(recording.uuidString.lowercased()):\(tier.rawValue)", cameraID: camera, recordingID: recording)
    }

    func run(_ job: Job, context: JobContext) async throws -> String? {
        guard let payload = try? JSONDecoder().decode(Payload.self, from: Data(job.payload.utf8)) else {
            throw PermanentJobError("the job's payload is not a move: \(job.payload.prefix(200))")
        }
        guard let row = try await RecordingModel.find(payload.recording_id, on: database()) else { return #"{"moved": false, "gone": true}"# }
        let from = StorageTier(rawValue: row.tier) ?? .hot
        let destination = try footage.store(payload.to)
        if from == payload.to {
            // Switched by an earlier run that stopped before removing the source.
            try await removeLeftovers(of: row, above: payload.to, destination: destination)
            return #"{"moved": true, "resumed": true}"#
        }
        guard payload.to > from else { throw PermanentJobError("footage never moves up, from \(from.rawValue) to \(payload.to.rawValue)") }
        guard row.status == RecordingModel.Status.complete.rawValue else { return #"{"moved": false, "status": "\#(row.status)"}"# }
        let source = try footage.store(from)
        if let reason = await source.reachability() { throw StorageIOError("\(from.rawValue) storage: \(reason)") }
        if let reason = await destination.reachability() { throw StorageIOError("\(payload.to.rawValue) storage: \(reason)") }
        guard let local = source.localFile(row.path) else { throw PermanentJobError("footage in \(from.rawValue) storage cannot be moved on") }
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: local), let size = (attributes[.size] as? NSNumber)?.int64Value else {
            throw PermanentJobError("\(row.path) is not on \(from.rawValue) storage")
        }
        try context.checkStillOurs()
        let copy = try await destination.store(localFile: local, key: row.path, recorded: row.sha256, limiter: limiter)
        context.report(progress: 0.8)
        // A local tier has read its copy back already; S3 is asked for the object's size and
        // checksum. Either way the copy must be the footage as it was recorded, where that is known.
        let intact = copy.verified ? try await destination.size(row.path) == size : try await destination.verify(key: row.path, size: size, sha256: copy.sha256)
        guard intact, row.sha256.map({ $0.lowercased() == copy.sha256 }) ?? true else {
            try? await destination.delete(row.path)
            throw StorageIOError("the copy of \(row.path) in \(payload.to.rawValue) storage does not match the original; it was removed")
        }
        try context.checkStillOurs()
        guard try await switchTier(row.id!, from: from, to: payload.to, holder: (job.id, context.owner)) else {
            // Deleted (or moved by someone else) meanwhile: the copy is not anyone's footage.
            if try await RecordingModel.find(payload.recording_id, on: database()) == nil { try? await destination.delete(row.path) }
            return #"{"moved": false, "changed": true}"#
        }
        try await source.delete(row.path)
        logger.info("Moved \(row.path) from \(from.rawValue) to \(payload.to.rawValue) storage (\(payload.reason), \(size) bytes)")
        return #"{"moved": true, "bytes": \#(size)}"#
    }

    /// The row now names `to`, if it still named `from` and the job is still this worker's.
    private func switchTier(_ id: UUID, from: StorageTier, to: StorageTier, holder: (job: UUID, owner: String)) async throws -> Bool {
        try await database().writeTransaction { db in
            guard let sql = db as? any SQLDatabase else { return false }
            if !holder.owner.isEmpty { try await JobQueue.requireHeld(holder.job, owner: holder.owner, on: sql) }
            return try await sql.raw("""
                UPDATE recordings SET tier = \(bind: to.rawValue) WHERE id = \(bind: id) AND tier = \(bind: from.rawValue)
                  AND status = 'complete' RETURNING id
                """).first() != nil
        }
    }

    /// Removes copies left in the tiers above `tier`, once the footage in `tier` is there in full.
    private func removeLeftovers(of row: RecordingModel, above tier: StorageTier, destination: any TierStore) async throws {
        guard let stored = try await destination.size(row.path), stored > 0 else {
            throw StorageIOError("\(row.path) is recorded as in \(tier.rawValue) storage, which does not hold it")
        }
        for upper in StorageTier.allCases where upper < tier {
            guard let store = footage.stores[upper], let size = try await store.size(row.path) else { continue }
            guard size == stored else {
                logger.warning("Left \(row.path) in \(upper.rawValue) storage: its size differs from the \(tier.rawValue) copy")
                continue
            }
            try await store.delete(row.path)
        }
    }
}
