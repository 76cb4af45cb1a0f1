import Foundation
import Logging
import RoninCore

/// Reads and writes footage in one tier (docs/design/tiers.md). Every reader and writer of
/// footage goes through a tier store; none builds storage paths itself. Keys are the recording's
/// `path`, the same in every tier.
protocol TierStore: Sendable {
    var tier: StorageTier { get }
    /// Where the tier is, for the status: a folder, or `s3://bucket/prefix`.
    var displayLocation: String { get }

    /// A path or URL that ffmpeg and ffprobe can read the footage at (a presigned URL for cold).
    func readableLocation(_ key: String) async throws -> String
    /// The local file, for tiers on a local disk; nil for cold.
    func localFile(_ key: String) -> String?
    /// The size of the stored footage; nil when there is none under the key.
    func size(_ key: String) async throws -> Int64?
    /// Copies a local file in under `key`, durably (synced to disk; on S3 checked by the server
    /// against its SHA-256), through `limiter`: the SHA-256 of what was read (or, given the
    /// footage's SHA-256 as it was recorded, of the copy read back, which must match it), and
    /// whether the copy was read back and checked already.
    func store(localFile: String, key: String, recorded: String?, limiter: BandwidthLimiter?) async throws -> StoredCopy
    /// Whether what is stored under `key` has this size and SHA-256 (hex).
    func verify(key: String, size: Int64, sha256: String) async throws -> Bool
    /// Which of `keys` the tier holds (a cold tier lists its bucket once instead of asking each).
    func existing(_ keys: [String]) async throws -> Set<String>
    /// Removes the footage under `key`; nothing happens when there is none.
    func delete(_ key: String) async throws
    /// Capacity and free bytes of the disk, for local tiers; nil for cold.
    func diskUsage() -> (capacity: Int64, free: Int64)?
    /// Whether the tier can be used now (a disk mounted, a bucket answering); why not otherwise.
    func reachability() async -> String?
}

/// What `TierStore.store` copied: the SHA-256 (hex) of what it read, and whether it has read
/// the copy back and found the same (otherwise `TierStore.verify` does that next).
struct StoredCopy: Sendable, Equatable {
    let sha256: String
    let verified: Bool
}

/// A recording's footage cannot be read (its file is gone, or its storage is not reachable).
struct FootageUnavailable: Error, CustomStringConvertible {
    let description: String
}

/// The tiers this installation has, and the way to each recording's footage.
struct FootageStore: Sendable {
    let stores: [StorageTier: any TierStore]

    init(_ stores: [any TierStore]) {
        self.stores = Dictionary(stores.map { ($0.tier, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The tiers the settings name: hot always, warm when WARM_STORAGE_PATH is set, cold when an
    /// S3 bucket is; moves into them share `limiter`.
    static func configured(_ settings: Settings, limiter: BandwidthLimiter?, logger: Logger) throws -> FootageStore {
        var stores: [any TierStore] = [LocalTierStore(tier: .hot, root: settings.storageRoot)]
        if let warm = settings.storage.warmPath { stores.append(LocalTierStore(tier: .warm, root: warm)) }
        if let cold = settings.storage.cold { stores.append(try ColdTierStore.make(cold, limiter: limiter, logger: logger)) }
        return FootageStore(stores)
    }

    /// Hot storage only: `{STORAGE_ROOT}/{key}`.
    static func hotOnly(storageRoot: String) -> FootageStore {
        FootageStore([LocalTierStore(tier: .hot, root: storageRoot)])
    }

    func store(_ tier: StorageTier) throws -> any TierStore {
        guard let store = stores[tier] else { throw FootageUnavailable(description: "this server has no \(tier.rawValue) storage") }
        return store
    }

    /// A location ffmpeg can read a recording at, wherever it is.
    func readableLocation(of recording: RecordingModel) async throws -> String {
        let tier = StorageTier(rawValue: recording.tier) ?? .hot
        let store = try store(tier)
        if let local = store.localFile(recording.path) {
            guard FileManager.default.isReadableFile(atPath: local) else {
                throw FootageUnavailable(description: "the file \(recording.path) is not on \(tier.rawValue) storage")
            }
            return local
        }
        return try await store.readableLocation(recording.path)
    }
}
