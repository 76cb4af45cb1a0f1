import Foundation
import RoninCore
import Testing

/// The planner on small, hand-made indexes: what goes first, what never goes, and where
/// footage moves.
@Suite(.timeLimit(.minutes(2))) struct StoragePlannerTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let front = UUID(uuidString: "00000000-0000-0000-0000-00000000000A")!
    let back = UUID(uuidString: "00000000-0000-0000-0000-00000000000B")!
    static let hour: TimeInterval = 3_600
    static let gb: Int64 = 1_000_000_000

    /// Footage of `camera` ending `hoursAgo` hours before now, an hour long.
    func item(_ camera: UUID, _ hoursAgo: Double, gb: Double = 1, tier: StorageTier = .hot, events: Bool = false, locked: Bool = false) -> StoredFootage {
        let end = now.addingTimeInterval(-hoursAgo * Self.hour)
        return StoredFootage(id: UUID(), camera: camera, start: end.addingTimeInterval(-Self.hour), end: end, bytes: Int64(gb * Double(Self.gb)),
                             tier: tier, hasEvents: events || locked, locked: locked)
    }

    func deleted(_ plan: StoragePlan) -> Set<UUID> { Set(plan.deletions.map(\.footage.id)) }

    @Test func retentionByAgeEndsOldFootageButNeverLockedFootage() {
        let old = item(front, 30 * 24), locked = item(front, 31 * 24, locked: true), young = item(front, 2)
        let plan = StoragePlanner(policy: StoragePolicy(retention: .init(maxAge: 7 * 86_400))).plan([old, locked, young], disks: [], now: now)
        #expect(deleted(plan) == [old.id])
        #expect(plan.deletions.first?.reason == .age)
        #expect(!plan.isCritical)
    }

    @Test func aCamerasOwnRetentionReplacesTheGlobalOne() {
        let frontOld = item(front, 3 * 24), backOld = item(back, 3 * 24)
        let policy = StoragePolicy(retention: .init(maxAge: 7 * 86_400), cameraRetention: [back: .init(maxAge: 86_400)])
        let plan = StoragePlanner(policy: policy).plan([frontOld, backOld], disks: [], now: now)
        #expect(deleted(plan) == [backOld.id])
    }

    @Test func sizeRetentionTakesFootageWithoutEventsFirstThenEventsThenTheNewest() {
        let quietOld = item(front, 50), eventOld = item(front, 60, events: true), quietNewer = item(front, 10)
        let newest = item(front, 0.5), lockedOld = item(front, 70, locked: true)
        let all = [quietOld, eventOld, quietNewer, newest, lockedOld]
        func plan(maxGB: Int64) -> [UUID] {
            StoragePlanner(policy: StoragePolicy(retention: .init(maxBytes: maxGB * Self.gb))).plan(all, disks: [], now: now).deletions.map(\.footage.id)
        }
        #expect(plan(maxGB: 4) == [quietOld.id])
        #expect(plan(maxGB: 3) == [quietOld.id, quietNewer.id])
        #expect(plan(maxGB: 2) == [quietOld.id, quietNewer.id, eventOld.id])
        #expect(plan(maxGB: 1) == [quietOld.id, quietNewer.id, eventOld.id, newest.id], "the locked hour stays whatever the limit")
    }

    @Test func hotFootageOlderThanHotKeepsMovesToWarmThenColdOrIsDeletedWithoutThem() {
        let old = item(front, 30), young = item(front, 1), lockedOld = item(front, 40, locked: true)
        var policy = StoragePolicy(hot: .init(maxAge: 86_400))
        #expect(deleted(StoragePlanner(policy: policy).plan([old, young, lockedOld], disks: [], now: now)) == [old.id],
                "without warm or cold, hot's limits delete (but not locked footage)")
        policy.coldConfigured = true
        var plan = StoragePlanner(policy: policy).plan([old, young, lockedOld], disks: [], now: now)
        #expect(plan.deletions.isEmpty && Set(plan.moves.map(\.footage.id)) == [old.id, lockedOld.id] && plan.moves.allSatisfy { $0.to == .cold })
        policy.warmConfigured = true
        plan = StoragePlanner(policy: policy).plan([old, young, lockedOld], disks: [], now: now)
        #expect(plan.moves.allSatisfy { $0.to == .warm && $0.reason == .tierAge } && plan.moves.count == 2)
    }

    @Test func hotMinAgeKeepsYoungFootageHotWhateverTheSizeLimit() {
        let items = (0..<6).map { item(front, Double($0) + 0.5) }
        let policy = StoragePolicy(hot: .init(maxBytes: 2 * Self.gb), hotMinAge: 4 * Self.hour, coldConfigured: true)
        let plan = StoragePlanner(policy: policy).plan(items, disks: [], now: now)
        #expect(Set(plan.moves.map(\.footage.id)) == [items[4].id, items[5].id], "only footage older than four hours moves")
    }

    @Test func hotSizeLimitMovesTheOldestUntilUnderAndWarmPassesItsOwnOldestOn() {
        let hot = (0..<4).map { item(front, Double($0) * 2 + 1) }
        let warm = (0..<3).map { item(front, Double($0) + 20, tier: .warm) }
        let policy = StoragePolicy(hot: .init(maxBytes: 3 * Self.gb), warmConfigured: true, warm: .init(maxBytes: 3 * Self.gb), coldConfigured: true)
        let plan = StoragePlanner(policy: policy).plan(hot + warm, disks: [], now: now)
        #expect(plan.moves.filter { $0.to == .warm }.map(\.footage.id) == [hot[3].id])
        // Warm receives one: its own oldest goes on to cold.
        #expect(plan.moves.filter { $0.to == .cold }.map(\.footage.id) == [warm[2].id])
    }

    @Test func anUnreachableTierIsNeitherUsedNorAReasonToDelete() {
        let old = item(front, 30), coldOld = item(front, 24 * 400, tier: .cold)
        let policy = StoragePolicy(hot: .init(maxAge: 86_400), coldConfigured: true, retention: .init(maxAge: 365 * 86_400))
        let plan = StoragePlanner(policy: policy, unreachable: [.cold]).plan([old, coldOld], disks: [], now: now)
        #expect(plan.moves.isEmpty && plan.deletions.isEmpty, "hot waits for cold to come back, and cold's old footage is not forgotten")
    }

    @Test func theFreeSpaceGuardFreesWhatIsMissingInTheUsualOrder() {
        let items = [item(front, 50), item(back, 40, events: true), item(front, 30), item(back, 0.2)]
        let disk = DiskState(tiers: [.hot], freeBytes: 1 * Self.gb, requiredFreeBytes: 3 * Self.gb)
        let plan = StoragePlanner(policy: StoragePolicy()).plan(items, disks: [disk], now: now)
        #expect(plan.deletions.map(\.footage.id) == [items[0].id, items[2].id])
        #expect(plan.deletions.allSatisfy { $0.reason == .freeSpace } && !plan.isCritical)
    }

    @Test func theGuardCountsWhatThePlanAlreadyFreesAndMovesToAnotherDiskFirst() {
        let old = item(front, 24 * 40), a = item(front, 30), b = item(front, 20)
        let disk = DiskState(tiers: [.hot], freeBytes: 1 * Self.gb, requiredFreeBytes: 3 * Self.gb)
        let policy = StoragePolicy(warmConfigured: true, retention: .init(maxAge: 30 * 86_400))
        let plan = StoragePlanner(policy: policy).plan([old, a, b], disks: [disk], now: now)
        #expect(plan.deletions.map(\.footage.id) == [old.id], "past retention anyway")
        #expect(plan.moves.map(\.footage.id) == [a.id] && plan.moves[0].to == .warm && plan.moves[0].reason == .freeSpace)
    }

    @Test func hotAndWarmOnOneDiskFreeSpaceByDeleting() {
        let a = item(front, 30), b = item(front, 20, tier: .warm)
        let disk = DiskState(tiers: [.hot, .warm], freeBytes: 0, requiredFreeBytes: 1 * Self.gb)
        let plan = StoragePlanner(policy: StoragePolicy(warmConfigured: true)).plan([a, b], disks: [disk], now: now)
        #expect(plan.moves.isEmpty && plan.deletions.map(\.footage.id) == [a.id], "moving within one disk frees nothing")
    }

    @Test func onlyLockedFootageLeftIsCritical() {
        let items = [item(front, 30, locked: true), item(front, 20, locked: true)]
        let disk = DiskState(tiers: [.hot], freeBytes: 0, requiredFreeBytes: 1 * Self.gb)
        let plan = StoragePlanner(policy: StoragePolicy()).plan(items, disks: [disk], now: now)
        #expect(plan.deletions.isEmpty && plan.isCritical && plan.shortfall[[.hot]] == 1 * Self.gb)
    }

    @Test func freeSpaceIsAnHourOfBandwidthOrTheMinimum() {
        #expect(FreeSpaceGuard.bandwidth([(bytes: 900_000, seconds: 900), (bytes: 100_000, seconds: 100)]) == 1_000)
        #expect(FreeSpaceGuard.bandwidth([]) == 0)
        #expect(FreeSpaceGuard.required(minFreeBytes: 1_000, bandwidths: [1_000, 500]) == 5_400_000)
        #expect(FreeSpaceGuard.required(minFreeBytes: 9_000_000, bandwidths: [1_000]) == 9_000_000)
    }
}

/// When a check may skip reading the recordings: nothing over a limit, no disk short.
@Suite(.timeLimit(.minutes(2))) struct PlanningNeedTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let camera = UUID()

    func summary(_ tier: StorageTier, gb: Int64, daysOld: Double) -> FootageSummary {
        FootageSummary(camera: camera, tier: tier, bytes: gb * 1_000_000_000, oldestEnd: now.addingTimeInterval(-daysOld * 86_400))
    }

    @Test func nothingOverALimitNeedsNoPlan() {
        let planner = StoragePlanner(policy: StoragePolicy(hot: .init(maxAge: 7 * 86_400, maxBytes: 100_000_000_000), warmConfigured: true,
                                                           warm: .init(maxAge: 30 * 86_400), retention: .init(maxAge: 90 * 86_400, maxBytes: 500_000_000_000)))
        let parts = [summary(.hot, gb: 50, daysOld: 6), summary(.warm, gb: 200, daysOld: 29)]
        let roomy = DiskState(tiers: [.hot], freeBytes: 10_000_000_000, requiredFreeBytes: 1_000_000_000)
        #expect(!planner.needsPlanning(parts, disks: [roomy], now: now))
        #expect(planner.needsPlanning(parts, disks: [DiskState(tiers: [.hot], freeBytes: 1, requiredFreeBytes: 2)], now: now), "a disk short of space")
        #expect(planner.needsPlanning([summary(.hot, gb: 50, daysOld: 8)], disks: [roomy], now: now), "hot footage past its age")
        #expect(planner.needsPlanning([summary(.hot, gb: 101, daysOld: 1)], disks: [roomy], now: now), "hot beyond its size")
        #expect(planner.needsPlanning([summary(.warm, gb: 10, daysOld: 31)], disks: [roomy], now: now), "warm footage past its age")
        #expect(planner.needsPlanning([summary(.cold, gb: 10, daysOld: 91)], disks: [roomy], now: now), "past the retention")
        #expect(planner.needsPlanning([summary(.cold, gb: 501, daysOld: 1)], disks: [roomy], now: now), "beyond the retention's size")
    }

    @Test func hotMinAgeHoldsBackHotAgeLimits() {
        let planner = StoragePlanner(policy: StoragePolicy(hot: .init(maxAge: 86_400), hotMinAge: 3 * 86_400, coldConfigured: true))
        #expect(!planner.needsPlanning([summary(.hot, gb: 1, daysOld: 2)], disks: [], now: now))
        #expect(planner.needsPlanning([summary(.hot, gb: 1, daysOld: 4)], disks: [], now: now))
    }
}
