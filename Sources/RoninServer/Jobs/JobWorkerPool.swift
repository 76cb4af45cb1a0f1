import Foundation
import Logging
import RoninCore
import ServiceLifecycle

/// Runs jobs: a number of workers per kind, each claiming a job, running its handler while a
/// heartbeat renews the lease, and ending the attempt (docs/design/jobs.md). Runs in
/// `ronin serve` and alone in `ronin worker`.
///
/// A kind whose handler is unavailable (no model, no ONNX Runtime) is not claimed at all; its
/// jobs stay queued and the reason is published. On graceful shutdown the workers stop claiming,
/// running handlers are cancelled and their jobs handed back, queued again for the next start.
actor JobWorkerPool: Service {
    struct Configuration: Sendable {
        /// Workers per kind.
        var slots: [String: Int]
        var lease: TimeInterval = 60
        /// The longest an idle worker sleeps before looking again (notifications wake it sooner).
        var pollInterval: Duration = .seconds(5)
        /// How often an unavailable kind is checked again.
        var availabilityRecheck: TimeInterval = 30
        /// Finished jobs older than this are deleted.
        var keepFinished: TimeInterval = 7 * 86_400
    }

    let configuration: Configuration
    let queue: JobQueue
    let handlers: [String: any JobHandler]
    let board: WorkerStatusBoard
    let identity: WorkerIdentity
    let logger: Logger
    private var unavailable: [String: (reason: String, checked: Date)] = [:]
    private var checkedOnce: Set<String> = []
    private var running: [UUID: JobContext] = [:]
    private let startedAt = Date()

    init(configuration: Configuration, queue: JobQueue, handlers: [any JobHandler], board: WorkerStatusBoard,
         identity: WorkerIdentity = .current(), logger: Logger) {
        self.configuration = configuration
        self.queue = queue
        self.handlers = Dictionary(handlers.map { ($0.kind, $0) }, uniquingKeysWith: { first, _ in first })
        self.board = board
        self.identity = identity
        self.logger = logger
    }

    var owner: String { identity.description }

    func run() async throws {
        do {
            let released = try await queue.releaseJobs(ofOwnersOn: identity.host, whoseProcessIsGone: WorkerIdentity.processIsAlive)
            if released > 0 { logger.notice("Took back \(released) jobs left running by an earlier process on this machine") }
            try await queue.purgeFinished(before: Date().addingTimeInterval(-configuration.keepFinished))
        } catch {
            logger.error("Job queue start-up clean-up failed: \(error)")
        }
        await queue.wakeups.onCancel { [weak self] job in await self?.cancelled(job) }
        logger.notice("Job workers \(owner) running: \(configuration.slots.sorted { $0.key < $1.key }.map { "\($0.key) x\($0.value)" }.joined(separator: ", "))")
        // On shutdown every worker is cancelled: handlers stop (their ffmpeg is killed) and the
        // jobs they held are handed back for the next start.
        try? await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await self.publishStatusUntilCancelled() }
                for (kind, count) in self.configuration.slots where self.handlers[kind] != nil {
                    for _ in 0..<max(0, count) {
                        group.addTask { await self.work(kind: kind) }
                    }
                }
                await group.waitForAll()
            }
        }
        await queue.wakeups.stop()
        await board.remove(owner)
        logger.notice("Job workers stopped")
    }

    /// A job was cancelled: if it runs here, its handler stops at its next check.
    private func cancelled(_ job: UUID) {
        guard let context = running[job] else { return }
        context.markLost()
        logger.notice("Job \(context.job.kind) \(job) cancelled while running: stopping it")
    }

    /// One worker: claim, run, repeat, until shutdown.
    private func work(kind: String) async {
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            if let reason = await unavailableReason(kind) {
                logger.debug("Not taking \(kind) jobs: \(reason)")
                await queue.wakeups.wait(timeout: .seconds(configuration.availabilityRecheck))
                continue
            }
            let job: Job?
            do {
                job = try await queue.claim(kinds: [kind], owner: owner, lease: configuration.lease)
            } catch {
                logger.warning("Claiming a \(kind) job failed: \(error)")
                await queue.wakeups.wait(timeout: configuration.pollInterval)
                continue
            }
            guard let job else {
                await queue.wakeups.wait(timeout: configuration.pollInterval)
                continue
            }
            await execute(job)
        }
    }

    /// Runs one claimed job with a heartbeat beside it and ends the attempt.
    private func execute(_ job: Job) async {
        guard let handler = handlers[job.kind] else { return }
        let context = JobContext(job: job, owner: owner)
        running[job.id] = context
        await board.publish(statusReport())
        defer {
            running[job.id] = nil
            Task { await self.board.publish(self.statusReport()) }
        }
        let started = Date()
        let outcome: Result<String?, any Error> = await withTaskGroup(of: Result<String?, any Error>?.self) { group in
            group.addTask {
                do { return .success(try await handler.run(job, context: context)) } catch { return .failure(error) }
            }
            group.addTask {
                await self.heartbeat(context)
                return nil
            }
            var result: Result<String?, any Error> = .failure(CancellationError())
            for await value in group {
                if let value {
                    result = value
                    group.cancelAll()
                }
            }
            return result
        }
        let seconds = String(format: "%.1f", Date().timeIntervalSince(started))
        // Ending the attempt must happen even when this worker is being cancelled (shutdown).
        await Task { await self.end(job, outcome: outcome, context: context, seconds: seconds) }.value
    }

    private func end(_ job: Job, outcome: Result<String?, any Error>, context: JobContext, seconds: String) async {
        do {
            switch outcome {
            case .success(let result):
                if try await queue.succeed(job.id, owner: owner, result: result) {
                    logger.info("Job \(job.kind) \(job.id) done in \(seconds) s")
                }
            case .failure(let error) where error is CancellationError || context.isLost:
                if context.isLost {
                    logger.notice("Job \(job.kind) \(job.id) stopped: cancelled or taken over")
                } else {
                    try await queue.giveBack(job, owner: owner)
                    logger.notice("Job \(job.kind) \(job.id) handed back for the next start")
                }
            case .failure(let error):
                let message = SecretRedactor.shared.redact(String(describing: error))
                let state = try await queue.fail(job, owner: owner, error: message, permanent: error is PermanentJobError)
                logger.warning("Job \(job.kind) \(job.id) failed (attempt \(job.attempt) of \(job.maxAttempts)\(state == .parked ? ", parked" : "")): \(message)")
            }
        } catch {
            logger.error("Ending job \(job.id) failed: \(error); its lease will run out and it will run again")
        }
    }

    /// Renews the lease every third of it until the handler ends; marks the job lost when the
    /// queue says it is no longer ours.
    private func heartbeat(_ context: JobContext) async {
        let interval = max(0.5, configuration.lease / 3)
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(interval))
            if Task.isCancelled { return }
            do {
                if try await !queue.heartbeat(context.job.id, owner: owner, progress: context.progress, lease: configuration.lease) {
                    context.markLost()
                    return
                }
            } catch {
                logger.warning("Renewing the lease of job \(context.job.id) failed: \(error)")
            }
        }
    }

    /// Why a kind cannot run here, checked at most every `availabilityRecheck` seconds.
    private func unavailableReason(_ kind: String) async -> String? {
        guard let handler = handlers[kind] else { return "no handler" }
        if let known = unavailable[kind], Date().timeIntervalSince(known.checked) < configuration.availabilityRecheck {
            return known.reason
        }
        if checkedOnce.contains(kind), unavailable[kind] == nil { return nil }
        let reason = await handler.unavailableReason()
        checkedOnce.insert(kind)
        if let reason {
            if unavailable[kind]?.reason != reason { logger.warning("\(kind) jobs wait: \(reason)") }
            unavailable[kind] = (reason, Date())
        } else {
            if unavailable[kind] != nil { logger.notice("\(kind) jobs can run again") }
            unavailable[kind] = nil
        }
        return reason
    }

    /// Writes this pool's row in `job_workers` every few seconds.
    /// Writes this pool's row every few seconds (and `execute` whenever a job starts or ends).
    private func publishStatusUntilCancelled() async {
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            await board.publish(statusReport())
            try? await Task.sleep(for: .seconds(5))
        }
    }

    /// What this pool is doing now; throughput only while jobs run (nil: nothing measured).
    private func statusReport() -> WorkerStatusBoard.Report {
        let contexts = Array(running.values)
        let throughput = contexts.map(\.throughput)
        let reasons = unavailable.values.map(\.reason).sorted()
        let inference = throughput.map(\.inferenceMilliseconds).filter { $0 > 0 }
        return WorkerStatusBoard.Report(
            id: owner, host: identity.host, pid: Int(identity.pid), kinds: configuration.slots.keys.sorted(), startedAt: startedAt,
            jobs: contexts.map { .init(id: $0.job.id, cameraID: $0.job.cameraID, recordingID: $0.job.recordingID, progress: $0.progress) },
            framesPerSecond: throughput.isEmpty ? nil : throughput.map(\.framesPerSecond).reduce(0, +),
            inferenceMilliseconds: inference.isEmpty ? nil : inference.reduce(0, +) / Double(inference.count),
            detectionAvailable: reasons.isEmpty, reason: reasons.first)
    }
}
