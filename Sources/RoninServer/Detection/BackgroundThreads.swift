import Foundation
import NIOPosix

/// Threads for background computation (model inference of historical analysis) that run at a
/// lower priority (niceness 10) than the rest of the server, so recording, live view and the
/// API always get the CPU first. Work items run on the pool's own threads, never on the
/// cooperative pool or the event loops.
final class BackgroundThreads: Sendable {
    static let niceness: Int32 = 10
    private let pool: NIOThreadPool

    init(threads: Int) {
        pool = NIOThreadPool(numberOfThreads: max(1, threads))
        pool.start()
    }

    /// Runs `work` on a background thread and returns its result.
    func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await pool.runIfActive {
            // On Linux a niceness belongs to a thread, and `who` 0 is the calling one: only this
            // pool's thread is lowered (threads it starts inherit it).
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, Self.niceness)
            return try work()
        }
    }

    func shutdown() async {
        try? await pool.shutdownGracefully()
    }
}
