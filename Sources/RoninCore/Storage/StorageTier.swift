import Foundation

/// Where footage lives (docs/design/tiers.md): `hot` is STORAGE_ROOT, where cameras record;
/// `warm` a larger, slower local or network disk (WARM_STORAGE_PATH); `cold` an S3-compatible
/// bucket. Footage only ever moves down, hot to warm to cold.
public enum StorageTier: String, Sendable, Codable, CaseIterable, Comparable {
    case hot
    case warm
    case cold

    public static func < (lhs: StorageTier, rhs: StorageTier) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// A limit by age, by size, or both; nil parts do not apply.
public struct StorageLimits: Sendable, Equatable, Codable {
    /// Footage that ended longer ago than this is past the limit.
    public var maxAge: TimeInterval?
    /// More footage than this, in bytes, is past the limit (oldest first).
    public var maxBytes: Int64?

    public init(maxAge: TimeInterval? = nil, maxBytes: Int64? = nil) {
        self.maxAge = maxAge
        self.maxBytes = maxBytes
    }

    public static let none = StorageLimits()
    public var isEmpty: Bool { maxAge == nil && maxBytes == nil }
}

/// The storage settings in force: what each tier keeps, when footage moves on, and when it ends.
public struct StoragePolicy: Sendable, Equatable, Codable {
    /// HOT_MAX_AGE, HOT_MAX_GB: beyond them the oldest hot footage moves to the next tier (or is
    /// deleted when there is none).
    public var hot: StorageLimits
    /// HOT_MIN_AGE: footage younger than this stays hot whatever hot's limits say (the free-space
    /// guard excepted: a full disk is worse).
    public var hotMinAge: TimeInterval?
    /// Whether a warm tier is configured (WARM_STORAGE_PATH), and what it keeps (WARM_MAX_AGE,
    /// WARM_STORAGE_MAX_GB) before footage moves on to cold (or is deleted without cold).
    public var warmConfigured: Bool
    public var warm: StorageLimits
    /// Whether a cold tier (S3) is configured.
    public var coldConfigured: Bool
    /// RETENTION_DAYS (or RETENTION_MAX_AGE) and RETENTION_MAX_GB: footage past them ends,
    /// wherever it is.
    public var retention: StorageLimits
    /// Cameras whose own retention replaces the global one (each part separately).
    public var cameraRetention: [UUID: StorageLimits]
    /// Free bytes every local disk keeps at the least (STORAGE_MIN_FREE_GB); the guard also
    /// keeps an hour of the measured recording bandwidth free, whichever is more.
    public var minFreeBytes: Int64
    /// How far back the newest footage reaches that the free-space guard and size limits take
    /// only when nothing older is left.
    public var protectNewest: TimeInterval

    public init(hot: StorageLimits = .none, hotMinAge: TimeInterval? = nil, warmConfigured: Bool = false, warm: StorageLimits = .none,
                coldConfigured: Bool = false, retention: StorageLimits = .none, cameraRetention: [UUID: StorageLimits] = [:],
                minFreeBytes: Int64 = 1_000_000_000, protectNewest: TimeInterval = 3_600) {
        self.hot = hot
        self.hotMinAge = hotMinAge
        self.warmConfigured = warmConfigured
        self.warm = warm
        self.coldConfigured = coldConfigured
        self.retention = retention
        self.cameraRetention = cameraRetention
        self.minFreeBytes = minFreeBytes
        self.protectNewest = protectNewest
    }

    /// The retention that applies to one camera: its own parts where it has them.
    public func retention(of camera: UUID) -> StorageLimits {
        guard let own = cameraRetention[camera] else { return retention }
        return StorageLimits(maxAge: own.maxAge ?? retention.maxAge, maxBytes: own.maxBytes)
    }

    /// Where footage leaving `tier` goes: the next configured tier below it, or nil (it is
    /// deleted) when there is none.
    public func next(after tier: StorageTier) -> StorageTier? {
        switch tier {
        case .hot: return warmConfigured ? .warm : coldConfigured ? .cold : nil
        case .warm: return coldConfigured ? .cold : nil
        case .cold: return nil
        }
    }
}
