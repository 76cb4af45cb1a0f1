import Testing
@testable import RoninCore

/// Export slots: a limit per user inside a limit for everyone.
@Suite(.timeLimit(.minutes(2))) struct ConcurrencyQuotaTests {
    @Test func oneOwnerCannotTakeEverySlot() {
        var quota = ConcurrencyQuota<String>(total: 3, perOwner: 2)
        #expect(quota.acquire("alice") == nil)
        #expect(quota.acquire("alice") == nil)
        #expect(quota.acquire("alice") == .ownerFull)
        #expect(quota.acquire("bob") == nil)
        #expect(quota.acquire("carol") == .full)
        quota.release("alice")
        #expect(quota.acquire("carol") == nil)
        #expect(quota.inUse == 3)
    }

    @Test func releasingWhatWasNeverTakenChangesNothing() {
        var quota = ConcurrencyQuota<String>(total: 1, perOwner: 5)
        quota.release("nobody")
        #expect(quota.inUse == 0 && quota.perOwner == 1)
        #expect(quota.acquire("a") == nil)
        quota.release("a")
        quota.release("a")
        #expect(quota.inUse == 0 && quota.running(for: "a") == 0)
    }
}
