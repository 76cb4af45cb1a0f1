import Foundation
import NIOPosix

/// Threads for background computation that run at a lower priority than the rest of the
/// server, so recording, live view and the API always get the CPU first: niceness 10 for
/// historical analysis, `liveNiceness` (5) for live detection, which so comes before it. Work
/// items run on the pool's own threads, never on the cooperative pool or the event loops.
final class BackgroundThreads: Sendable {
    static let niceness: Int32 = 10
    static let liveNiceness: Int32 = 5
    private let pool: NIOThreadPool
    let threadNiceness: Int32

    init(threads: Int, niceness: Int32 = BackgroundThreads.niceness) {
        pool = NIOThreadPool(numberOfThreads: max(1, threads))
        threadNiceness = niceness
        pool.start()
    }

    /// Runs `work` on a background thread and returns its result.
    func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        let niceness = threadNiceness
        return try await pool.runIfActive {
            // On Linux a niceness belongs to a thread, and `who` 0 is the calling one: only this
            // pool's thread is lowered (threads it starts inherit it).
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, niceness)
            return try work()
        }
    }

    func shutdown() async {
        try? await pool.shutdownGracefully()
    }
}
