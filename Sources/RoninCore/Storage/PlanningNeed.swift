import Foundation

/// One camera's footage in one tier, summed: what `StoragePlanner.needsPlanning` reads instead of
/// every recording.
public struct FootageSummary: Sendable, Equatable {
    public let camera: UUID
    public let tier: StorageTier
    public let bytes: Int64
    /// When its oldest recording ended.
    public let oldestEnd: Date

    public init(camera: UUID, tier: StorageTier, bytes: Int64, oldestEnd: Date) {
        self.camera = camera
        self.tier = tier
        self.bytes = bytes
        self.oldestEnd = oldestEnd
    }
}

extension StoragePlanner {
    /// Whether anything could be due: a disk short of its reserve, footage past an age limit, or
    /// more footage than a size limit allows. When not, a check reads no recordings at all (a year
    /// of sixteen cameras is half a million rows), which is most checks.
    public func needsPlanning(_ summary: [FootageSummary], disks: [DiskState], now: Date) -> Bool {
        if disks.contains(where: { $0.freeBytes < $0.requiredFreeBytes }) { return true }
        func older(_ end: Date, than age: TimeInterval?) -> Bool { age.map { end < now.addingTimeInterval(-$0) } ?? false }
        var cameraBytes: [UUID: Int64] = [:]
        var tierBytes: [StorageTier: Int64] = [:]
        for part in summary {
            cameraBytes[part.camera, default: 0] += part.bytes
            tierBytes[part.tier, default: 0] += part.bytes
            if older(part.oldestEnd, than: policy.retention(of: part.camera).maxAge) { return true }
            switch part.tier {
            case .hot where older(part.oldestEnd, than: policy.hot.maxAge.map { max($0, policy.hotMinAge ?? 0) }): return true
            case .warm where policy.warmConfigured && older(part.oldestEnd, than: policy.warm.maxAge): return true
            default: break
            }
        }
        for (camera, bytes) in cameraBytes { if let limit = policy.retention(of: camera).maxBytes, bytes > limit { return true } }
        if let limit = policy.retention.maxBytes, cameraBytes.values.reduce(0, +) > limit { return true }
        if let limit = policy.hot.maxBytes, (tierBytes[.hot] ?? 0) > limit { return true }
        if policy.warmConfigured, let limit = policy.warm.maxBytes, (tierBytes[.warm] ?? 0) > limit { return true }
        return false
    }
}
