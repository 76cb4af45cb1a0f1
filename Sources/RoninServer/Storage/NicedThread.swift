import Foundation

/// Runs blocking footage work (hashing, syncing) on a thread of its own at background niceness:
/// it neither holds one of Swift's few cooperative threads nor takes CPU from recording and live
/// view when they need it. On Linux a thread's niceness is its own, and the thread ends with
/// the work.
enum NicedThread {
    static let niceness: Int32 = 10

    static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, niceness)
                continuation.resume(with: Result { try work() })
            }
            thread.start()
        }
    }
}
