import FluentKit
import Foundation
import Logging
import RoninCore

/// The storage side of background work: the index the planner reads, the policies, and the
/// handlers of `migrate` and `retain` jobs, sharing one bandwidth limit (MIGRATION_MAX_MBPS).
struct StorageWork: Sendable {
    let index: StorageIndex
    let policies: StoragePolicyStore
    let migration: MigrationJobHandler
    let retention: RetentionJobHandler

    init(settings: Settings, footage: FootageStore, artifacts: ArtifactFiles, limiter: BandwidthLimiter?, database: @escaping @Sendable () -> any Database,
         logger: Logger) {
        index = StorageIndex(database: database)
        policies = StoragePolicyStore(base: settings.storage.policy, database: database)
        migration = MigrationJobHandler(footage: footage, limiter: limiter, database: database, logger: logger)
        retention = RetentionJobHandler(footage: footage, index: index, artifacts: artifacts, database: database, logger: logger)
    }
}
