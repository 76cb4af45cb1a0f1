import Foundation
import Logging
import RoninCore
import SQLKit

/// Measures the job queue itself for `bench/jobs`: `claimers` concurrent workers claim and finish
/// `jobs` empty jobs of their own kind on the configured database, each claim-and-finish timed.
/// The same statements the workers use, in the same process shape, so the figures are the
/// queue's own cost without any handler.
public struct QueueBenchmark {
    /// Latencies in milliseconds of every claim-and-finish, and the wall time of the whole run.
    public struct Result: Sendable, Codable {
        public let jobs: Int
        public let claimers: Int
        public let seconds: Double
        public let latencies_ms: [Double]
        public let claimed_twice: Int
    }

    let settings: Settings
    let logger: Logger

    public init(settings: Settings, logger: Logger = Logger(label: "ronin")) {
        self.settings = settings
        self.logger = logger
    }

    public func run(jobs count: Int, claimers: Int) async throws -> Result {
        let connector = try DatabaseConnector(settings.database, logger: logger)
        do {
            let result = try await measure(jobs: count, claimers: claimers, connector: connector)
            await connector.shutdown()
            return result
        } catch {
            await connector.shutdown()
            throw error
        }
    }

    private func measure(jobs count: Int, claimers: Int, connector: DatabaseConnector) async throws -> Result {
        try await connector.migrate()
        let queue = JobQueue(database: { connector.database }, wakeups: JobWakeups())
        let kind = "bench-\(UUID().uuidString.prefix(8).lowercased())"
        let now = Date()
        _ = try await queue.enqueue((0..<count).map { NewJob(kind: kind, payload: "{\"n\":\($0)}", priority: $0 % 3, runAt: now) })
        let started = ContinuousClock.now
        let perClaimer = try await withThrowingTaskGroup(of: ([Double], [UUID]).self) { group in
            for n in 0..<claimers {
                group.addTask {
                    var latencies: [Double] = []
                    var ids: [UUID] = []
                    let owner = "bench:\(getpid()):\(n)"
                    while true {
                        let began = ContinuousClock.now
                        guard let job = try await queue.claim(kinds: [kind], owner: owner, lease: 60) else { break }
                        guard try await queue.succeed(job.id, owner: owner, result: nil) else { throw JobQueueError("lost a job it held") }
                        let elapsed = began.duration(to: .now).components
                        latencies.append(Double(elapsed.seconds) * 1000 + Double(elapsed.attoseconds) / 1e15)
                        ids.append(job.id)
                    }
                    return (latencies, ids)
                }
            }
            var all: [([Double], [UUID])] = []
            for try await part in group { all.append(part) }
            return all
        }
        let elapsed = started.duration(to: .now).components
        let ids = perClaimer.flatMap(\.1)
        try await connector.database.writeTransaction { db in
            guard let sql = db as? any SQLDatabase else { return }
            try await sql.raw("DELETE FROM jobs WHERE kind = \(bind: kind)").run()
        }
        return Result(jobs: ids.count, claimers: claimers, seconds: Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18,
                      latencies_ms: perClaimer.flatMap(\.0), claimed_twice: ids.count - Set(ids).count)
    }
}
