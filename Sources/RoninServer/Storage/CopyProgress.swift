import Foundation

/// How far a copy into a tier has got, for the thread that hashes the copy as it is written
/// (`LocalTierStore.store`): the copier advances it after each chunk and ends it once; the
/// follower waits until there is more to read or the copy is over.
final class CopyProgress: @unchecked Sendable {
    /// What the follower may read now.
    struct State: Equatable {
        var written = 0
        var ended = false
        var failed = false
    }

    private let condition = NSCondition()
    private var state = State()

    func advance(to written: Int) {
        update { $0.written = written }
    }

    /// The copy is over: every byte is written, or it failed and the follower should stop.
    func end(failed: Bool) {
        update {
            $0.ended = true
            $0.failed = failed
        }
    }

    /// Waits until more than `offset` bytes are written or the copy is over.
    func wait(beyond offset: Int) -> State {
        condition.lock()
        defer { condition.unlock() }
        while state.written <= offset, !state.ended { condition.wait() }
        return state
    }

    private func update(_ change: (inout State) -> Void) {
        condition.lock()
        change(&state)
        condition.broadcast()
        condition.unlock()
    }
}
