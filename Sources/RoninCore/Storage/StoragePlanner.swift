import Foundation

/// One recording as storage planning sees it.
public struct StoredFootage: Sendable, Equatable {
    public let id: UUID
    public let camera: UUID
    public let start: Date
    public let end: Date
    public let bytes: Int64
    public let tier: StorageTier
    /// Some activity event happened in it: it goes after footage without events.
    public let hasEvents: Bool
    /// A locked event happened in it: it is never deleted (it may move).
    public let locked: Bool

    public init(id: UUID, camera: UUID, start: Date, end: Date, bytes: Int64, tier: StorageTier, hasEvents: Bool = false, locked: Bool = false) {
        self.id = id
        self.camera = camera
        self.start = start
        self.end = end
        self.bytes = bytes
        self.tier = tier
        self.hasEvents = hasEvents
        self.locked = locked
    }
}

/// One local disk the NVR writes to, as measured now: hot and warm may share one.
public struct DiskState: Sendable, Equatable {
    public let tiers: Set<StorageTier>
    public let freeBytes: Int64
    /// What the free-space guard keeps free on it (`FreeSpaceGuard.required`).
    public let requiredFreeBytes: Int64

    public init(tiers: Set<StorageTier>, freeBytes: Int64, requiredFreeBytes: Int64) {
        self.tiers = tiers
        self.freeBytes = freeBytes
        self.requiredFreeBytes = requiredFreeBytes
    }
}

/// What storage should do now: footage to move down a tier and footage to delete, each with
/// why, and what could not be freed.
public struct StoragePlan: Sendable, Equatable {
    public enum Reason: String, Sendable, Codable {
        /// Older than the retention (RETENTION_DAYS / RETENTION_MAX_AGE, or the camera's own).
        case age
        /// Beyond RETENTION_MAX_GB, or the camera's own size.
        case size
        /// The disk's free space fell below what the guard keeps free.
        case freeSpace = "free_space"
        /// Older than its tier keeps (HOT_MAX_AGE, WARM_MAX_AGE).
        case tierAge = "tier_age"
        /// Beyond its tier's size (HOT_MAX_GB, WARM_STORAGE_MAX_GB).
        case tierSize = "tier_size"
        /// Asked for by a person (`POST /api/storage/migrate`).
        case manual
    }

    public struct Move: Sendable, Equatable {
        public let footage: StoredFootage
        public let to: StorageTier
        public let reason: Reason
    }

    public struct Deletion: Sendable, Equatable {
        public let footage: StoredFootage
        public let reason: Reason
    }

    public var moves: [Move] = []
    public var deletions: [Deletion] = []
    /// Per disk (named by its tiers), bytes the guard wanted freed that only locked footage,
    /// or footage with nowhere to go, was left to give: the storage is critical.
    public var shortfall: [Set<StorageTier>: Int64] = [:]

    public var isCritical: Bool { !shortfall.isEmpty }

    public init() {}
}

/// Decides what to move and what to delete (docs/design/tiers.md, What goes first). Pure: the
/// recordings, the policy and the disks in, a plan out; the storage service carries it out as
/// jobs that verify before they delete.
///
/// Order of decisions, each seeing the ones before:
/// 1. Retention by age, per camera: everything past it ends, wherever it is.
/// 2. Retention by size, per camera and then overall.
/// 3. Tier limits, hot then warm: by age, then by size; to the next tier, or deleted when there
///    is none (footage younger than HOT_MIN_AGE stays hot).
/// 4. The free-space guard, per disk: what is still missing is moved off (when a next tier on
///    another disk exists) or deleted.
///
/// Whenever footage must go to make room (2 and 4), it goes in this order: footage without events,
/// oldest first; then footage with events, oldest first; then, last, what was recorded in the
/// past `protectNewest` (oldest first). Locked footage is never deleted; a tier that is unreachable
/// is neither a source nor a destination, and never a reason to delete.
public struct StoragePlanner: Sendable {
    public let policy: StoragePolicy
    public let unreachable: Set<StorageTier>

    public init(policy: StoragePolicy, unreachable: Set<StorageTier> = []) {
        self.policy = policy
        self.unreachable = unreachable
    }

    public func plan(_ footage: [StoredFootage], disks: [DiskState], now: Date) -> StoragePlan {
        // Sorted once, oldest first: every list below is filtered from it and keeps that order.
        var state = PlanState(footage: footage.sorted(by: PlanState.oldestFirst))
        retainByAge(&state, now: now)
        retainBySize(&state, now: now)
        applyTierLimits(&state, tier: .hot, limits: policy.hot, minAge: policy.hotMinAge, now: now)
        applyTierLimits(&state, tier: .warm, limits: policy.warm, minAge: nil, now: now)
        for disk in disks { guardFreeSpace(&state, disk: disk, now: now) }
        return state.plan
    }

    // MARK: - The steps

    private func retainByAge(_ state: inout PlanState, now: Date) {
        for item in state.footage where !item.locked {
            if let maxAge = policy.retention(of: item.camera).maxAge, item.end < now.addingTimeInterval(-maxAge), usable(item.tier) {
                state.delete(item, .age)
            }
        }
    }

    private func retainBySize(_ state: inout PlanState, now: Date) {
        let limited = Set(policy.cameraRetention.filter { $0.value.maxBytes != nil }.keys)
        var byCamera: [UUID: [StoredFootage]] = [:]
        if !limited.isEmpty {
            for item in state.remaining where limited.contains(item.camera) { byCamera[item.camera, default: []].append(item) }
        }
        for camera in byCamera.keys.sorted(by: { $0.uuidString < $1.uuidString }) {
            guard let maxBytes = policy.retention(of: camera).maxBytes, let mine = byCamera[camera] else { continue }
            var excess = mine.reduce(0) { $0 + $1.bytes } - maxBytes
            for item in victims(mine, now: now) where excess > 0 && !item.locked && usable(item.tier) {
                state.delete(item, .size)
                excess -= item.bytes
            }
        }
        if let maxBytes = policy.retention.maxBytes {
            let all = state.remaining
            var excess = all.reduce(0) { $0 + $1.bytes } - maxBytes
            for item in victims(all, now: now) where excess > 0 && !item.locked && usable(item.tier) {
                state.delete(item, .size)
                excess -= item.bytes
            }
        }
    }

    private func applyTierLimits(_ state: inout PlanState, tier: StorageTier, limits: StorageLimits, minAge: TimeInterval?, now: Date) {
        guard !limits.isEmpty, usable(tier), tier != .warm || policy.warmConfigured else { return }
        let next = policy.next(after: tier)
        // With a next tier that cannot be reached now, footage waits where it is.
        if let next, !usable(next) { return }
        let keepYoungerThan = now.addingTimeInterval(-(minAge ?? 0))
        var here = state.remaining.filter { $0.tier == tier || state.arriving(at: tier, $0) }
        func leave(_ item: StoredFootage, _ reason: StoragePlan.Reason) {
            if let next {
                state.move(item, to: next, reason)
            } else if !item.locked {
                state.delete(item, reason)
            }
        }
        if let maxAge = limits.maxAge {
            let cutoff = min(now.addingTimeInterval(-maxAge), keepYoungerThan)
            for item in here where item.end < cutoff && item.tier == tier { leave(item, .tierAge) }
            here = here.filter { state.location(of: $0) == tier }
        }
        if let maxBytes = limits.maxBytes {
            var excess = here.reduce(0) { $0 + $1.bytes } - maxBytes
            for item in here where excess > 0 && item.end < keepYoungerThan && item.tier == tier && (next != nil || !item.locked) {
                leave(item, .tierSize)
                excess -= item.bytes
            }
        }
    }

    private func guardFreeSpace(_ state: inout PlanState, disk: DiskState, now: Date) {
        let onDisk = { (tier: StorageTier?) in tier.map { disk.tiers.contains($0) } ?? false }
        // What the plan already frees on this disk, and what it already brings to it.
        var freed: Int64 = 0
        for deletion in state.plan.deletions where onDisk(deletion.footage.tier) { freed += deletion.footage.bytes }
        for move in state.plan.moves {
            if onDisk(move.footage.tier), !onDisk(move.to) { freed += move.footage.bytes }
            if onDisk(move.to), !onDisk(move.footage.tier) { freed -= move.footage.bytes }
        }
        var deficit = disk.requiredFreeBytes - disk.freeBytes - freed
        guard deficit > 0 else { return }
        let here = state.remaining.filter { onDisk(state.location(of: $0)) && state.location(of: $0) == $0.tier }
        for item in victims(here, now: now) where deficit > 0 {
            if let next = policy.next(after: item.tier), usable(next), !onDisk(next) {
                state.move(item, to: next, .freeSpace)
            } else if !item.locked {
                state.delete(item, .freeSpace)
            } else {
                continue
            }
            deficit -= item.bytes
        }
        if deficit > 0 { state.plan.shortfall[disk.tiers] = deficit }
    }

    // MARK: - Helpers

    /// The order in which footage goes to make room (see the type's documentation), from items
    /// already oldest first; locked footage is left in (it may still move).
    func victims(_ items: [StoredFootage], now: Date) -> [StoredFootage] {
        let recent = now.addingTimeInterval(-policy.protectNewest)
        var quiet: [StoredFootage] = [], eventful: [StoredFootage] = [], newest: [StoredFootage] = []
        for item in items {
            if item.end > recent { newest.append(item) } else if item.hasEvents { eventful.append(item) } else { quiet.append(item) }
        }
        return quiet + eventful + newest
    }

    private func usable(_ tier: StorageTier) -> Bool { !unreachable.contains(tier) }
}

/// The plan as it is being made, and where each recording is in it.
struct PlanState {
    let footage: [StoredFootage]
    var plan = StoragePlan()
    private var deleted: Set<UUID> = []
    private var movedTo: [UUID: StorageTier] = [:]

    init(footage: [StoredFootage]) {
        self.footage = footage
    }

    static func oldestFirst(_ a: StoredFootage, _ b: StoredFootage) -> Bool {
        if a.start != b.start { return a.start < b.start }
        // Ties (cameras whose segments start together) by id, compared as bytes.
        return withUnsafeBytes(of: a.id.uuid) { x in withUnsafeBytes(of: b.id.uuid) { y in memcmp(x.baseAddress!, y.baseAddress!, 16) < 0 } }
    }

    /// Footage not deleted by the plan so far.
    var remaining: [StoredFootage] { footage.filter { !deleted.contains($0.id) } }

    /// Where a recording will be once the plan is carried out (nil: deleted).
    func location(of item: StoredFootage) -> StorageTier? {
        deleted.contains(item.id) ? nil : movedTo[item.id] ?? item.tier
    }

    func arriving(at tier: StorageTier, _ item: StoredFootage) -> Bool { movedTo[item.id] == tier }

    mutating func delete(_ item: StoredFootage, _ reason: StoragePlan.Reason) {
        guard !item.locked, !deleted.contains(item.id) else { return }
        deleted.insert(item.id)
        if movedTo.removeValue(forKey: item.id) != nil { plan.moves.removeAll { $0.footage.id == item.id } }
        plan.deletions.append(.init(footage: item, reason: reason))
    }

    mutating func move(_ item: StoredFootage, to tier: StorageTier, _ reason: StoragePlan.Reason) {
        guard !deleted.contains(item.id), movedTo[item.id] == nil, tier > item.tier else { return }
        movedTo[item.id] = tier
        plan.moves.append(.init(footage: item, to: tier, reason: reason))
    }
}
