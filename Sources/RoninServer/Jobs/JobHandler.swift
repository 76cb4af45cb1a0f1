import Foundation

/// The work of one kind of job. Handlers are idempotent: running one twice, or stopping one
/// anywhere and running it again, leaves the same result (docs/design/jobs.md, Idempotency).
protocol JobHandler: Sendable {
    /// The `kind` of the jobs it runs.
    var kind: String { get }

    /// Nil when jobs of this kind can run in this process now; otherwise why not (the pool then
    /// leaves them queued and says so in the status).
    func unavailableReason() async -> String?

    /// Does the job; returns its result as JSON text. Throws `PermanentJobError` for what
    /// retrying cannot fix, anything else to be retried, `CancellationError` when told to stop.
    func run(_ job: Job, context: JobContext) async throws -> String?
}

/// A job error that retrying will not fix (a corrupt file, a recording that is gone): the job is
/// parked at once with this message.
struct PermanentJobError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// What a running handler shares with its worker: progress for the next heartbeat, throughput
/// for the status, and whether the job was taken away (cancelled, or its lease lost), in which
/// case the handler stops at once. Thread-safe.
final class JobContext: @unchecked Sendable {
    let job: Job
    /// The worker pool holding the job's lease; a handler's final write checks it still does
    /// (`JobQueue.requireHeld`), in the same transaction.
    let owner: String
    private let lock = NSLock()
    private var progressValue: Double = 0
    private var lost = false
    private var frames = 0
    private var inferenceSeconds: Double = 0
    private var inferences = 0
    private let started = ContinuousClock.now

    init(job: Job, owner: String = "") {
        self.job = job
        self.owner = owner
    }

    var progress: Double { lock.withLock { progressValue } }

    /// How far the job is, 0 to 1.
    func report(progress: Double) {
        lock.withLock { progressValue = min(1, max(0, progress)) }
    }

    /// Frames decoded, and one model inference and how long it took.
    func countFrame() { lock.withLock { frames += 1 } }

    func countInference(seconds: Double) {
        lock.withLock {
            inferences += 1
            inferenceSeconds += seconds
        }
    }

    /// Frames per second and milliseconds per inference so far.
    var throughput: (framesPerSecond: Double, inferenceMilliseconds: Double) {
        lock.withLock {
            let elapsed = started.duration(to: .now)
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            return (seconds > 0 ? Double(frames) / seconds : 0, inferences > 0 ? 1000 * inferenceSeconds / Double(inferences) : 0)
        }
    }

    /// True once the job is no longer this worker's; the handler should stop.
    var isLost: Bool { lock.withLock { lost } }

    func markLost() { lock.withLock { lost = true } }

    /// Throws `CancellationError` when the job was taken away or the task was cancelled.
    func checkStillOurs() throws {
        if isLost { throw CancellationError() }
        try Task.checkCancellation()
    }
}
