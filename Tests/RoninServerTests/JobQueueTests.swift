import FluentKit
import Foundation
import Logging
import Testing
@testable import RoninServer
@testable import RoninCore

/// The job queue's semantics on a real SQLite database, with time passed in: claims by priority
/// and due time, leases that expire and are taken over, backoff and parking, cancel and retry,
/// and one job per unique key. (The same statements run on PostgreSQL in the API tests.)
@Suite(.serialized, .timeLimit(.minutes(5))) struct JobQueueTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    func at(_ seconds: Double) -> Date { start.addingTimeInterval(seconds) }

    func withQueue(_ body: (JobQueue) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ronin-jobs-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let connector = try DatabaseConnector(.sqlite(path: folder + "/ronin.sqlite"), logger: Logger(label: "test"))
        do {
            try await connector.migrate()
            try await body(JobQueue(database: { connector.database }, wakeups: JobWakeups()))
        } catch {
            await connector.shutdown()
            throw error
        }
        await connector.shutdown()
    }

    func job(_ name: String, priority: Int = 10, runAt: Double = 0, key: String? = nil, attempts: Int = 3) -> NewJob {
        NewJob(kind: "test", payload: "{\"name\":\"\(name)\"}", priority: priority, runAt: at(runAt), maxAttempts: attempts, uniqueKey: key)
    }

    @Test func claimsTheMostImportantDueJobFirstAndNeverTwice() async throws {
        try await withQueue { queue in
            try await queue.enqueue(job("low", priority: 10, runAt: 0), now: at(0))
            try await queue.enqueue(job("high", priority: 30, runAt: 2), now: at(0))
            try await queue.enqueue(job("later", priority: 99, runAt: 100), now: at(0))
            try await queue.enqueue(job("low-older", priority: 10, runAt: -5), now: at(0))
            #expect(try await queue.claim(kinds: ["other"], owner: "a", lease: 60, now: at(10)) == nil)
            var names: [String] = []
            while let claimed = try await queue.claim(kinds: ["test"], owner: "a", lease: 60, now: at(10)) {
                #expect(claimed.state == .running && claimed.attempt == 1 && claimed.leaseOwner == "a")
                names.append(claimed.payload)
            }
            #expect(names == ["{\"name\":\"high\"}", "{\"name\":\"low-older\"}", "{\"name\":\"low\"}"], "not yet due: 'later'")
        }
    }

    @Test func anExpiredLeaseIsTakenOverAndTheOldOwnerCanNoLongerWrite() async throws {
        try await withQueue { queue in
            try await queue.enqueue(job("a"), now: at(0))
            let first = try #require(try await queue.claim(kinds: ["test"], owner: "worker-1", lease: 30, now: at(1)))
            #expect(try await queue.heartbeat(first.id, owner: "worker-1", progress: 0.4, lease: 30, now: at(20)))
            #expect(try await queue.claim(kinds: ["test"], owner: "worker-2", lease: 30, now: at(45)) == nil, "renewed until 50")
            let second = try #require(try await queue.claim(kinds: ["test"], owner: "worker-2", lease: 30, now: at(51)))
            #expect(second.id == first.id && second.attempt == 2 && second.leaseOwner == "worker-2" && second.progress == 0.4)
            #expect(try await !queue.heartbeat(first.id, owner: "worker-1", progress: 0.9, lease: 30, now: at(52)))
            #expect(try await !queue.succeed(first.id, owner: "worker-1", result: nil, now: at(52)))
            #expect(try await queue.succeed(first.id, owner: "worker-2", result: "{\"ok\":true}", now: at(60)))
            let done = try #require(try await queue.find(first.id))
            #expect(done.state == .succeeded && done.result == "{\"ok\":true}" && done.progress == 1 && done.finishedAt == at(60))
        }
    }


    @Test func anotherKindsClaimInTheSameSecondDoesNotHideAnExpiredLease() async throws {
        try await withQueue { queue in
            try await queue.enqueue(job("a"), now: at(0))
            _ = try #require(try await queue.claim(kinds: ["test"], owner: "crashed", lease: 5, now: at(0)))
            // A busy pool's other kinds claim moments before this kind's worker looks again.
            #expect(try await queue.claim(kinds: ["other"], owner: "next", lease: 5, now: at(10)) == nil)
            let taken = try #require(try await queue.claim(kinds: ["test"], owner: "next", lease: 5, now: at(10.2)))
            #expect(taken.attempt == 2 && taken.leaseOwner == "next")
        }
    }
    @Test func aJobThatKeepsKillingItsWorkerIsParked() async throws {
        try await withQueue { queue in
            try await queue.enqueue(job("crashy", attempts: 2), now: at(0))
            _ = try #require(try await queue.claim(kinds: ["test"], owner: "w1", lease: 10, now: at(0)))
            _ = try #require(try await queue.claim(kinds: ["test"], owner: "w2", lease: 10, now: at(11)))
            #expect(try await queue.claim(kinds: ["test"], owner: "w3", lease: 10, now: at(22)) == nil)
            let parked = try #require(try await queue.list(.init(states: [.parked]), limit: 10, after: nil).jobs.first)
            #expect(parked.lastError?.contains("lease expired") == true)
        }
    }

    @Test func failuresAreRetriedWithBackoffThenParkedAndRetriedByHand() async throws {
        try await withQueue { queue in
            try await queue.enqueue(job("flaky", attempts: 2), now: at(0))
            let first = try #require(try await queue.claim(kinds: ["test"], owner: "w", lease: 60, now: at(0)))
            #expect(try await queue.fail(first, owner: "w", error: "boom", permanent: false, now: at(1)) == .failed)
            #expect(try await queue.claim(kinds: ["test"], owner: "w", lease: 60, now: at(10)) == nil, "backing off until 11")
            let second = try #require(try await queue.claim(kinds: ["test"], owner: "w", lease: 60, now: at(12)))
            #expect(second.attempt == 2)
            #expect(try await queue.fail(second, owner: "w", error: "boom again", permanent: false, now: at(13)) == .parked)
            #expect(try await queue.claim(kinds: ["test"], owner: "w", lease: 60, now: at(10_000)) == nil)
            let retried = try await queue.retry(first.id, now: at(20))
            #expect(retried.state == .queued && retried.attempt == 0 && retried.lastError == "boom again")
            let third = try #require(try await queue.claim(kinds: ["test"], owner: "w", lease: 60, now: at(21)))
            #expect(third.attempt == 1)
            #expect(try await queue.fail(third, owner: "w", error: "corrupt", permanent: true, now: at(22)) == .parked)
        }
    }

    @Test func cancelStopsWaitingAndRunningJobsAndRefusesFinishedOnes() async throws {
        try await withQueue { queue in
            try await queue.enqueue(job("waiting"), now: at(0))
            try await queue.enqueue(job("running", priority: 50), now: at(0))
            let running = try #require(try await queue.claim(kinds: ["test"], owner: "w", lease: 60, now: at(1)))
            let cancelled = try await queue.cancel(running.id, now: at(2))
            #expect(cancelled.state == .cancelled)
            #expect(try await !queue.heartbeat(running.id, owner: "w", progress: 0.5, lease: 60, now: at(3)), "the worker learns it must stop")
            let waiting = try #require(try await queue.list(.init(states: [.queued]), limit: 10, after: nil).jobs.first)
            #expect(try await queue.cancel(waiting.id, now: at(4)).state == .cancelled)
            await #expect(throws: APIError.self) { try await queue.cancel(waiting.id, now: at(5)) }
            await #expect(throws: APIError.self) { try await queue.retry(UUID(), now: at(5)) }
            #expect(try await queue.retry(waiting.id, now: at(6)).state == .queued)
            await #expect(throws: APIError.self) { try await queue.retry(waiting.id, now: at(7)) }
        }
    }

    @Test func aCancelledJobsPoolIsToldAndItsFinalWriteIsRefused() async throws {
        try await withQueue { queue in
            try await queue.enqueue(job("one"), now: at(0))
            let claimed = try #require(try await queue.claim(kinds: ["test"], owner: "a", lease: 60, now: at(1)))
            let sql = try queue.sql()
            try await JobQueue.requireHeld(claimed.id, owner: "a", on: sql)
            await #expect(throws: CancellationError.self) { try await JobQueue.requireHeld(claimed.id, owner: "b", on: sql) }
            let told = CancelledIDs()
            await queue.wakeups.onCancel { await told.add($0) }
            _ = try await queue.cancel(claimed.id, now: at(2))
            #expect(await told.ids == [claimed.id])
            await #expect(throws: CancellationError.self) { try await JobQueue.requireHeld(claimed.id, owner: "a", on: sql) }
        }
    }

    @Test func oneJobPerKeyUnlessAskedToRunAgain() async throws {
        try await withQueue { queue in
            guard case .queued(let id) = try await queue.enqueue(job("a", key: "detect:r1:m"), now: at(0)) else { Issue.record("not queued"); return }
            #expect(try await queue.enqueue(job("a", key: "detect:r1:m"), now: at(1)) == .alreadyActive(id))
            let claimed = try #require(try await queue.claim(kinds: ["test"], owner: "w", lease: 60, now: at(2)))
            #expect(try await queue.enqueue(job("a", key: "detect:r1:m"), requeue: [.succeeded], now: at(3)) == .alreadyActive(id))
            try await queue.succeed(claimed.id, owner: "w", result: nil, now: at(4))
            #expect(try await queue.enqueue(job("a", key: "detect:r1:m"), now: at(5)) == .kept(id, .succeeded))
            #expect(try await queue.enqueue(job("a", key: "detect:r1:m"), requeue: [.succeeded], now: at(6)) == .requeued(id))
            let again = try #require(try await queue.find(id))
            #expect(again.state == .queued && again.attempt == 0 && again.result == nil)
            let outcomes = try await queue.enqueue((0..<700).map { job("bulk-\($0)", key: "k\($0 % 350)") }, now: at(7))
            #expect(outcomes.filter { if case .queued = $0 { true } else { false } }.count == 350)
            #expect(try await queue.list(.init(), limit: 500, after: nil).total == 351)
        }
    }

    @Test func listsPageNewestFirstWithoutGapsOrRepeats() async throws {
        try await withQueue { queue in
            for n in 0..<25 { try await queue.enqueue(job("j\(n)"), now: at(Double(n / 3))) }
            var seen: [UUID] = []
            var cursor: PageCursor?
            repeat {
                let page = try await queue.list(.init(kind: "test"), limit: 7, after: cursor)
                #expect(page.total == 25)
                seen += page.jobs.map(\.id)
                cursor = page.next
            } while cursor != nil
            #expect(seen.count == 25 && Set(seen).count == 25)
            let all = try await queue.list(.init(), limit: 100, after: nil).jobs
            #expect(all.map(\.id) == seen)
            #expect(zip(all, all.dropFirst()).allSatisfy { $0.createdAt >= $1.createdAt })
        }
    }

    @Test func identitiesParseBackAndDeadOwnersLoseTheirJobs() async throws {
        let me = WorkerIdentity.current()
        #expect(WorkerIdentity(parsing: me.description) == me)
        #expect(WorkerIdentity(parsing: "host:with:colons:123:abc") == WorkerIdentity(host: "host:with:colons", pid: 123, nonce: "abc"))
        #expect(WorkerIdentity(parsing: "garbage") == nil)
        #expect(WorkerIdentity.processIsAlive(getpid()))
        try await withQueue { queue in
            try await queue.enqueue(job("orphan"), now: at(0))
            let dead = WorkerIdentity(host: me.host, pid: 999_999, nonce: "x").description
            _ = try #require(try await queue.claim(kinds: ["test"], owner: dead, lease: 3600, now: at(0)))
            #expect(try await queue.releaseJobs(ofOwnersOn: me.host, whoseProcessIsGone: { $0 == getpid() }, now: at(5)) == 1)
            let taken = try #require(try await queue.claim(kinds: ["test"], owner: me.description, lease: 60, now: at(6)))
            #expect(taken.attempt == 2)
        }
    }
}

/// The job ids a cancel subscriber was told of.
private actor CancelledIDs {
    var ids: [UUID] = []
    func add(_ id: UUID) { ids.append(id) }
}
