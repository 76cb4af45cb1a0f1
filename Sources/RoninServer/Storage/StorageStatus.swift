import FluentKit
import Foundation
import RoninCore
import SQLKit

/// `GET /api/storage` as JSON: each tier with where it is, its size, use and free space, its
/// policy, migration backlog and how many days of footage it holds and is expected to hold at the
/// current rate; each camera's bandwidth; the last check. Viewers get the numbers without
/// folders, buckets or error texts.
struct StorageStatus: Codable, Sendable, ExplicitNullEncodable {
    struct Limits: Codable, Sendable, ExplicitNullEncodable {
        let max_age_seconds: Double?
        let max_bytes: Int64?
        let min_age_seconds: Double?
    }

    struct Backlog: Codable, Sendable {
        let jobs: Int
        let bytes: Int64
    }

    struct Tier: Codable, Sendable, ExplicitNullEncodable {
        let tier: String
        let configured: Bool
        let location: String?
        let reachable: Bool
        let error: String?
        let capacity_bytes: Int64?
        let free_bytes: Int64?
        let required_free_bytes: Int64?
        let used_bytes: Int64
        let recordings: Int
        let oldest: Date?
        let newest: Date?
        let policy: Limits
        let backlog: Backlog
        let days_held: Double?
        let days_expected: Double?
    }

    struct Camera: Codable, Sendable, ExplicitNullEncodable {
        let camera_id: UUID
        let name: String
        let bytes_per_second: Double
        let priority: Int
        let retention: Limits
        let recording_paused: Bool
    }

    struct Check: Codable, Sendable, ExplicitNullEncodable {
        let at: Date?
        let planned_deletions: Int
        let planned_moves: Int
        let queued: Int
        let planning_ms: Double
        let error: String?
    }

    let critical: Bool
    let shortfall_bytes: Int64
    let retention: Limits
    let tiers: [Tier]
    let cameras: [Camera]
    let last_check: Check
}

extension StorageStatus {
    /// The status from the last check's report and the index as it is now.
    static func make(report: StorageReport, footage: FootageStore, index: StorageIndex, policies: StoragePolicyStore, admin: Bool) async throws
        -> StorageStatus {
        let totals = try await index.totals()
        let backlog = try await migrationBacklog(index)
        let documents = try await policies.documents()
        // The policy as stored now (an edit shows at once, before the next check).
        let policy = try await policies.policy()
        let dailyBytes = report.bandwidths.values.reduce(0, +) * 86_400
        func limits(_ limits: StorageLimits, minAge: TimeInterval? = nil) -> Limits {
            Limits(max_age_seconds: limits.maxAge, max_bytes: limits.maxBytes, min_age_seconds: minAge)
        }
        var tiers: [Tier] = []
        for tier in StorageTier.allCases {
            let store = footage.stores[tier]
            let total = totals[tier] ?? .init()
            let disk = report.disks.first { $0.tiers.contains(tier) }
            let tierLimits: StorageLimits = tier == .hot ? policy.hot : tier == .warm ? policy.warm : .none
            let held = total.oldest.flatMap { oldest in total.newest.map { $0.timeIntervalSince(oldest) / 86_400 } }
            tiers.append(Tier(
                tier: tier.rawValue, configured: store != nil, location: admin ? store?.displayLocation : nil,
                reachable: store != nil && report.tierErrors[tier] == nil,
                error: report.tierErrors[tier].map { admin ? $0 : "not reachable (an administrator can see why)" },
                capacity_bytes: disk?.capacity, free_bytes: disk?.free, required_free_bytes: disk?.required,
                used_bytes: total.bytes, recordings: total.recordings, oldest: total.oldest, newest: total.newest,
                policy: limits(tierLimits, minAge: tier == .hot ? policy.hotMinAge : nil),
                backlog: backlog[tier] ?? Backlog(jobs: 0, bytes: 0),
                days_held: held.map { ($0 * 100).rounded() / 100 },
                days_expected: store == nil ? nil : expectedDays(tier: tier, limits: tierLimits, retention: policy.retention, total: total, disk: disk,
                                                                 dailyBytes: dailyBytes)))
        }
        let names = Dictionary(try await CameraModel.query(on: index.database()).all().compactMap { camera in camera.id.map { ($0, camera.name) } },
                               uniquingKeysWith: { a, _ in a })
        let cameras = names.sorted { $0.value.lowercased() < $1.value.lowercased() }.map { id, name in
            let document = documents[StoragePolicyStore.scope(id)]
            return Camera(camera_id: id, name: name, bytes_per_second: ((report.bandwidths[id] ?? 0) * 10).rounded() / 10,
                          priority: document?.priority ?? StoragePolicyDocument.defaultPriority, retention: limits(policy.retention(of: id)),
                          recording_paused: report.pausedCameras.contains(id))
        }
        return StorageStatus(
            critical: report.critical, shortfall_bytes: report.shortfall.values.reduce(0, +), retention: limits(policy.retention),
            tiers: tiers, cameras: cameras,
            last_check: Check(at: report.checkedAt, planned_deletions: report.plannedDeletions, planned_moves: report.plannedMoves, queued: report.queued,
                              planning_ms: (report.planningSeconds * 10_000).rounded() / 10,
                              error: report.error.map { admin ? $0 : "the last check failed (an administrator can see why)" }))
    }

    /// How many days of footage a tier will hold at the current rate: what its age limit, its
    /// size limit, its disk and the retention allow, whichever is least (nil: no bound known).
    static func expectedDays(tier: StorageTier, limits: StorageLimits, retention: StorageLimits, total: StorageIndex.Totals, disk: MeasuredDisk?,
                             dailyBytes: Double) -> Double? {
        var bounds: [Double] = []
        if let age = limits.maxAge { bounds.append(age / 86_400) }
        if let age = retention.maxAge { bounds.append(age / 86_400) }
        if dailyBytes > 0 {
            if let bytes = limits.maxBytes { bounds.append(Double(bytes) / dailyBytes) }
            if let bytes = retention.maxBytes { bounds.append(Double(bytes) / dailyBytes) }
            if let disk { bounds.append(Double(max(0, total.bytes + disk.free - disk.required)) / dailyBytes) }
        }
        return bounds.min().map { ($0 * 1000).rounded() / 1000 }
    }

    /// Moves waiting or running, by the tier the footage leaves, with its bytes.
    static func migrationBacklog(_ index: StorageIndex) async throws -> [StorageTier: Backlog] {
        let rows = try await index.sql().raw("""
            SELECT r.tier AS tier, CAST(COUNT(*) AS BIGINT) AS n, CAST(COALESCE(SUM(r.size_bytes), 0) AS BIGINT) AS bytes FROM jobs j JOIN recordings r ON r.id = j.recording_id
            WHERE j.kind = \(bind: MigrationJobHandler.kind) AND j.state IN ('queued', 'running', 'failed') GROUP BY r.tier
            """).all()
        var backlog: [StorageTier: Backlog] = [:]
        for row in rows {
            guard let tier = StorageTier(rawValue: try row.decode(column: "tier", as: String.self)) else { continue }
            backlog[tier] = Backlog(jobs: try row.decode(column: "n", as: Int.self), bytes: try row.decode(column: "bytes", as: Int64.self))
        }
        return backlog
    }
}
