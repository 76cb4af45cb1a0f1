import Foundation
import Logging

/// Wakes idle workers when jobs arrive, so a new job starts within moments instead of at the
/// next poll (docs/design/jobs.md, Wake-ups).
///
/// `notify` wakes this process's waiting workers at once and, on PostgreSQL, sends
/// `NOTIFY ronin_jobs` so the pools of other processes and machines wake too; `listen` keeps a
/// connection of its own that turns their notifications into local wake-ups. Waiting is always
/// bounded by a timeout, so a lost notification costs at most one poll interval.
actor JobWakeups {
    static let channel = "ronin_jobs"

    private var waiters: [UUID: CheckedContinuation<Void, Never>] = [:]
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
            await notifications.listen(Self.channel, what: "job notifications") { [weak self] _ in await self?.wakeAll() }
        }
    }

    func stop() {
        listener?.cancel()
        listener = nil
        wakeAll()
    }
}
