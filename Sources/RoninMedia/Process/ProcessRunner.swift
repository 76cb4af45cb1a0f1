import Foundation

/// Runs a short-lived external program (ffprobe and friends) to completion under a deadline.
///
/// Output is collected from both pipes concurrently so a chatty child can never block on a
/// full pipe; each stream keeps at most `outputLimit` bytes. When the deadline passes the child
/// gets SIGTERM, then SIGKILL two seconds later, and the result says it timed out.
public struct ProcessRunner: Sendable {
    /// What a finished run produced.
    public struct Result: Sendable {
        public let exitCode: Int32
        public let stdout: Data
        public let stderr: Data
        public let timedOut: Bool
        public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
        public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    }

    /// The program could not be started at all.
    public struct LaunchFailure: Error, CustomStringConvertible {
        public let executable: String
        public let reason: String
        public var description: String { "could not start \(executable): \(reason)" }
    }

    public var outputLimit = 4 * 1024 * 1024

    public init() {}

    /// Runs `executable` at niceness 10, as background media work (artifacts, clips) must yield
    /// to recording and live view.
    public func runInBackground(_ executable: String, arguments: [String], timeout: Double) async throws -> Result {
        try await run("nice", arguments: ["-n", "10", try Self.resolve(executable)] + arguments, timeout: timeout)
    }

    public func run(_ executable: String, arguments: [String], timeout: Double) async throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Self.resolve(executable))
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        let outPipe = Pipe(), errPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        let limit = outputLimit
        let state = RunState()

        return try await withCheckedThrowingContinuation { continuation in
            let group = DispatchGroup()
            for (pipe, isError) in [(outPipe, false), (errPipe, true)] {
                group.enter()
                DispatchQueue.global().async {
                    let data = Self.readAll(pipe.fileHandleForReading, limit: limit)
                    state.store(data, isError: isError)
                    group.leave()
                }
            }
            group.enter()
            process.terminationHandler = { _ in group.leave() }
            do {
                try process.run()
            } catch {
                continuation.resume(throwing: LaunchFailure(executable: executable, reason: "\(error)"))
                return
            }
            let pid = process.processIdentifier
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
                guard process.isRunning else { return }
                state.markTimedOut()
                kill(pid, SIGTERM)
                DispatchQueue.global().asyncAfter(deadline: .now() + 2) {
                    if process.isRunning { kill(pid, SIGKILL) }
                }
            }
            group.notify(queue: .global()) {
                let (out, err, timedOut) = state.snapshot()
                continuation.resume(returning: Result(exitCode: process.terminationStatus, stdout: out, stderr: err, timedOut: timedOut))
            }
        }
    }

    /// Finds an executable by name on PATH, or returns an explicit path unchanged.
    public static func resolve(_ executable: String) throws -> String {
        if executable.contains("/") { return executable }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(executable)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw LaunchFailure(executable: executable, reason: "not found on PATH")
    }

    static func readAll(_ handle: FileHandle, limit: Int) -> Data {
        var collected = Data()
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            if collected.count < limit { collected.append(chunk.prefix(limit - collected.count)) }
        }
        return collected
    }
}

/// Collects a run's outputs from the reader threads.
private final class RunState: @unchecked Sendable {
    private let lock = NSLock()
    private var out = Data(), err = Data(), timedOut = false

    func store(_ data: Data, isError: Bool) {
        lock.lock(); defer { lock.unlock() }
        if isError { err = data } else { out = data }
    }

    func markTimedOut() {
        lock.lock(); defer { lock.unlock() }
        timedOut = true
    }

    func snapshot() -> (Data, Data, Bool) {
        lock.lock(); defer { lock.unlock() }
        return (out, err, timedOut)
    }
}
