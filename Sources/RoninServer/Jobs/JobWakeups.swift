import Foundation
import Logging

/// Wakes idle workers when jobs arrive, so a new job starts within moments instead of at the
/// next poll (docs/design/jobs.md, Wake-ups).
///
/// `notify` wakes this process's waiting workers at once and, on PostgreSQL, sends
/// `NOTIFY ronin_jobs` so the pools of other processes and machines wake too; `listen` keeps a
/// connection of its own that turns their notifications into local wake-ups. Waiting is always
/// bounded by a timeout, so a lost notification costs at most one poll interval.
///
/// Cancellations travel the same way (`notifyCancelled`, payload `cancel:<job id>`): the pool
/// running the job stops it at its next frame instead of at its next heartbeat. A lost one is
/// caught by that heartbeat.
actor JobWakeups {
    static let channel = "ronin_jobs"
    static let cancelPrefix = "cancel:"

    private var waiters: [UUID: CheckedContinuation<Void, Never>] = [:]
    private var cancelHandlers: [@Sendable (UUID) async -> Void] = []
    /// Sends a notification to other processes (PostgreSQL); nil on SQLite.
    private let broadcast: (@Sendable (String) async -> Void)?
    private var listener: Task<Void, Never>?

    init(broadcast: (@Sendable (String) async -> Void)? = nil) {
        self.broadcast = broadcast
    }

    /// A job of `kind` is waiting.
    func notify(kind: String) async {
        wakeAll()
        await broadcast?(kind)
    }

    /// A job was cancelled: whoever runs it, in this process or another, is told.
    func notifyCancelled(job: UUID) async {
        await cancelled(job)
        await broadcast?(Self.cancelPrefix + job.uuidString.lowercased())
    }

    /// Calls `handler` with the id of every job cancelled anywhere from now on.
    func onCancel(_ handler: @escaping @Sendable (UUID) async -> Void) {
        cancelHandlers.append(handler)
    }

    private func cancelled(_ job: UUID) async {
        for handler in cancelHandlers { await handler(job) }
    }

    /// What another process sent: a cancellation, or a kind of job that is waiting.
    private func received(_ payload: String) async {
        if payload.hasPrefix(Self.cancelPrefix), let job = UUID(uuidString: String(payload.dropFirst(Self.cancelPrefix.count))) {
            await cancelled(job)
        } else {
            wakeAll()
        }
    }

    /// Returns when woken, when `timeout` has passed, or when the task is cancelled.
    func wait(timeout: Duration) async {
        let id = UUID()
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                waiters[id] = continuation
                Task { [weak self] in
                    try? await Task.sleep(for: timeout)
                    await self?.resume(id)
                }
            }
        } onCancel: {
            Task { await self.resume(id) }
        }
    }

    private func resume(_ id: UUID) {
        waiters.removeValue(forKey: id)?.resume()
    }

    private func wakeAll() {
        let all = waiters
        waiters = [:]
        for continuation in all.values { continuation.resume() }
    }

    /// Listens for other processes' notifications (PostgreSQL) until `stop`.
    func listen(_ notifications: DatabaseNotifications) {
        guard listener == nil else { return }
        listener = Task { [weak self] in
            await notifications.listen(Self.channel, what: "job notifications") { [weak self] payload in await self?.received(payload) }
        }
    }

    func stop() {
        listener?.cancel()
        listener = nil
        wakeAll()
    }
}
