import Foundation

/// A long-running child process whose standard output is read in pieces as the consumer asks,
/// so a slow consumer slows the child down (the pipe fills) instead of filling memory.
///
/// Threading: `read(upTo:)` is called by one consumer at a time; the blocking `read(2)` runs on
/// a Dispatch thread. `terminate()` may be called from any thread (task cancellation, deinit).
/// The child is always gone once `finish()` returned or the object is released.
public final class StreamingChild: @unchecked Sendable {
    /// How the child ended.
    public struct Exit: Sendable {
        public let status: Int32
        public let exitedNormally: Bool
        /// The last lines it wrote to standard error (ffmpeg's noise left out).
        public let errorLines: [String]
        public var succeeded: Bool { exitedNormally && status == 0 }
    }

    private let lock = NSLock()
    private let process = Process()
    private let output: FileHandle
    private let errors = OutputTail()
    private var terminated = false

    /// Starts `executable` (a path, or a name looked up on PATH) with `arguments`, at
    /// `niceness` (0: as the server; 10: background work that must yield to recording).
    public init(executable: String, arguments: [String], niceness: Int32 = 0) throws {
        process.executableURL = URL(fileURLWithPath: try ProcessRunner.resolve(executable))
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        let outPipe = Pipe(), errPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        errors.attach(to: errPipe)
        try process.run()
        if niceness > 0 { _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(process.processIdentifier), niceness) }
        output = outPipe.fileHandleForReading
    }

    deinit {
        terminate()
    }

    public var processID: Int32 { process.processIdentifier }

    /// Up to `limit` bytes, as soon as some are there; nil at the end of the output.
    public func read(upTo limit: Int) async -> [UInt8]? {
        await blocking { Self.read(self.output.fileDescriptor, upTo: limit, exactly: false) }
    }

    /// Exactly `count` bytes; nil when the output ends first (a short tail is dropped).
    public func read(exactly count: Int) async -> [UInt8]? {
        await blocking { Self.read(self.output.fileDescriptor, upTo: count, exactly: true) }
    }

    /// Kills the child now; a pending or later read sees the end of the output.
    public func terminate() {
        lock.lock()
        terminated = true
        lock.unlock()
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    public var wasTerminated: Bool {
        lock.lock(); defer { lock.unlock() }
        return terminated
    }

    /// Waits for the child to exit and reports how it ended.
    public func finish() async -> Exit {
        await blocking { self.process.waitUntilExit() }
        try? output.close()
        // Let the standard-error reader take the last bytes written before the exit.
        if process.terminationStatus != 0 { try? await Task.sleep(nanoseconds: 50_000_000) }
        return Exit(status: process.terminationStatus, exitedNormally: process.terminationReason == .exit, errorLines: errors.lastLines)
    }

    private func blocking<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                DispatchQueue.global().async { continuation.resume(returning: work()) }
            }
        } onCancel: {
            terminate()
        }
    }

    static func read(_ descriptor: Int32, upTo limit: Int, exactly: Bool) -> [UInt8]? {
        var filled = 0
        let buffer = [UInt8](unsafeUninitializedCapacity: limit) { storage, count in
            while filled < limit {
                let result = Foundation.read(descriptor, storage.baseAddress! + filled, limit - filled)
                if result > 0 {
                    filled += result
                    if !exactly { break }
                } else if result < 0, errno == EINTR {
                    continue
                } else {
                    break
                }
            }
            count = filled
        }
        if exactly { return filled == limit ? buffer : nil }
        return filled > 0 ? buffer : nil
    }
}
