import FluentKit
import Foundation
import Logging
import RoninCore

/// Start-up reconciliation of the tiers below hot (hot storage is reconciled per camera by the
/// segment indexer before its pipeline starts): each recording a warm or cold row names is looked
/// for in its tier; one whose footage is gone is marked `missing`, one whose footage came back
/// is `complete` again. A tier that cannot be reached is reported and left alone: its rows are
/// never marked missing because a disk is unmounted or a bucket does not answer.
struct StorageReconciler: Sendable {
    let footage: FootageStore
    let database: @Sendable () -> any Database
    let logger: Logger

    struct TierOutcome: Sendable, Equatable {
        var checked = 0
        var missing = 0
        var restored = 0
        var unreachable: String?
    }

    typealias Outcome = [StorageTier: TierOutcome]

    func run() async -> Outcome {
        var outcome: Outcome = [:]
        for tier in [StorageTier.warm, .cold] {
            guard let store = footage.stores[tier] else { continue }
            do {
                outcome[tier] = try await reconcile(tier, store: store)
            } catch {
                outcome[tier] = TierOutcome(unreachable: SecretRedactor.shared.redact("\(error)"))
            }
            if let reason = outcome[tier]?.unreachable {
                logger.warning("\(tier.rawValue.capitalized) storage could not be checked at start: \(reason); its footage is left as it is")
            } else if let found = outcome[tier], found.missing + found.restored > 0 {
                logger.notice("\(tier.rawValue.capitalized) storage: \(found.checked) recordings checked, \(found.missing) missing, \(found.restored) back")
            }
        }
        return outcome
    }

    private func reconcile(_ tier: StorageTier, store: any TierStore) async throws -> TierOutcome {
        if let reason = await store.reachability() { return TierOutcome(unreachable: reason) }
        let db = database()
        let rows = try await RecordingModel.query(on: db).filter(\.$tier == tier.rawValue)
            .filter(\.$status != RecordingModel.Status.deleting.rawValue).all()
        let present = try await store.existing(rows.map(\.path))
        var outcome = TierOutcome(checked: rows.count)
        for row in rows {
            let there = present.contains(row.path)
            if !there, row.status == RecordingModel.Status.complete.rawValue {
                row.status = RecordingModel.Status.missing.rawValue
                try await row.save(on: db)
                outcome.missing += 1
            } else if there, row.status == RecordingModel.Status.missing.rawValue {
                row.status = RecordingModel.Status.complete.rawValue
                try await row.save(on: db)
                outcome.restored += 1
            }
        }
        return outcome
    }
}
