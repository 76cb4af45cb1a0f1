import Foundation
import NIOCore
import RoninCore

/// The clip exports running now, limited per user and in all (`ConcurrencyQuota`): each export
/// runs an ffmpeg and reads every segment of its range, so a few at once are what a small NVR
/// can give without slowing recording. Past the limit the answer is `429` with Retry-After.
actor ExportSlots {
    /// A slot held by one export; given back when released or when nothing holds it any more
    /// (a client that went away before its body was written).
    final class Slot: Sendable {
        private let slots: ExportSlots
        private let owner: UUID

        fileprivate init(slots: ExportSlots, owner: UUID) {
            self.slots = slots
            self.owner = owner
        }

        deinit {
            let (slots, owner) = (slots, owner)
            Task { await slots.release(owner) }
        }
    }

    static let retryAfterSeconds = 10
    private var quota: ConcurrencyQuota<UUID>

    init(total: Int, perUser: Int) {
        quota = ConcurrencyQuota(total: total, perOwner: perUser)
    }

    /// A slot for `user`, or the `429` to answer with.
    func acquire(for user: UUID) throws -> Slot {
        switch quota.acquire(user) {
        case nil:
            return Slot(slots: self, owner: user)
        case .ownerFull:
            throw APIError(.tooManyRequests, "too_many_exports",
                           "You already have \(quota.perOwner) exports running; wait for one to finish (EXPORT_MAX_CONCURRENT_PER_USER)",
                           headers: [.retryAfter: String(Self.retryAfterSeconds)])
        case .full:
            throw APIError(.tooManyRequests, "too_many_exports",
                           "\(quota.total) exports are running; try again shortly (EXPORT_MAX_CONCURRENT)",
                           headers: [.retryAfter: String(Self.retryAfterSeconds)])
        }
    }

    fileprivate func release(_ user: UUID) {
        quota.release(user)
    }

    var inUse: Int { quota.inUse }
}

/// Notices a client that stopped reading a long download: when one write has waited longer
/// than `limit` seconds, `onStall` runs (stop ffmpeg, close the connection, which ends the
/// waiting write with an error). Writes that complete, however slowly overall, never trip it.
final class WriteStallWatchdog: @unchecked Sendable {
    private let lock = NSLock()
    private var pendingSince: ContinuousClock.Instant?
    private var task: Task<Void, Never>?

    init(limit: Duration, onStall: @escaping @Sendable () -> Void) {
        task = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(500))
                guard let self, let since = self.pending, since.duration(to: .now) > limit else { continue }
                onStall()
                return
            }
        }
    }

    deinit { task?.cancel() }

    private var pending: ContinuousClock.Instant? {
        lock.withLock { pendingSince }
    }

    /// Runs one write under watch.
    func watch<T>(_ write: () async throws -> T) async throws -> T {
        lock.withLock { pendingSince = .now }
        defer { lock.withLock { pendingSince = nil } }
        return try await write()
    }

    func stop() { task?.cancel() }
}
