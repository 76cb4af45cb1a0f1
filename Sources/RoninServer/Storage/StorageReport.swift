import Foundation
import RoninCore

/// What the last storage check found and did, for `GET /api/storage` and the status.
struct StorageReport: Sendable {
    var checkedAt: Date?
    var policy = StoragePolicy()
    var disks: [MeasuredDisk] = []
    var bandwidths: [UUID: Double] = [:]
    var plannedDeletions = 0
    var plannedMoves = 0
    var queued = 0
    /// Bytes per disk (named by its tiers) that could not be freed.
    var shortfall: [Set<StorageTier>: Int64] = [:]
    var tierErrors: [StorageTier: String] = [:]
    var lastLoggedErrors: [StorageTier: String] = [:]
    var pausedCameras: [UUID] = []
    var planningSeconds: Double = 0
    var error: String?
    var reconciliation: StorageReconciler.Outcome?

    var critical: Bool { !shortfall.isEmpty }

    mutating func update(at now: Date, policy: StoragePolicy, disks: [MeasuredDisk], bandwidths: [UUID: Double], plan: StoragePlan, queued: Int,
                         tierErrors: [StorageTier: String], planningSeconds: Double) {
        checkedAt = now
        self.policy = policy
        self.disks = disks
        self.bandwidths = bandwidths
        plannedDeletions = plan.deletions.count
        plannedMoves = plan.moves.count
        self.queued = queued
        shortfall = plan.shortfall
        self.tierErrors = tierErrors
        self.planningSeconds = planningSeconds
        error = nil
    }
}
