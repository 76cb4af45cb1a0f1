import Foundation

/// The running half of a `FrameSource`: one ffmpeg child, its stdout pipe of raw frames and
/// the tail of its stderr.
///
/// Threading: `next()` is called by one consumer at a time (the iterator's owner); blocking
/// pipe reads run on a Dispatch thread. `terminate()` may be called from any thread (task
/// cancellation, deinit); state is guarded by `lock`. ffmpeg is started lazily on the first
/// `next()` and is always gone, and its private source file removed, once the reader finishes
/// or is released.
final class FrameReader: @unchecked Sendable {
    private let source: FrameSource
    private let lock = NSLock()
    private var process: Process?
    private var output: FileHandle?
    private var sourceFile: SourceListFile?
    private let errors = OutputTail()
    private var nextIndex = 0
    private var finished = false
    private var cancelled = false

    init(source: FrameSource) {
        self.source = source
    }

    deinit {
        terminate()
        sourceFile?.remove()
    }

    /// The next frame, nil at the end of the input.
    func next() async throws -> Frame? {
        if isFinished { return nil }
        let handle = try startIfNeeded()
        let bytes = source.frameBytes
        let pixels = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<[UInt8]?, Never>) in
                DispatchQueue.global().async {
                    continuation.resume(returning: Self.readFrame(handle.fileDescriptor, bytes: bytes))
                }
            }
        } onCancel: {
            terminate()
        }
        if let pixels, !Task.isCancelled {
            let index = nextIndex
            nextIndex += 1
            return Frame(index: index, time: source.start + Double(index) / source.fps,
                         width: source.size.width, height: source.size.height, rgb: pixels)
        }
        try await finish()
        return nil
    }

    /// Kills ffmpeg now; the pending or next read sees the end of the pipe.
    func terminate() {
        lock.lock()
        cancelled = true
        let running = process
        lock.unlock()
        if let running, running.isRunning { kill(running.processIdentifier, SIGKILL) }
    }

    /// ffmpeg's process id while it runs (for tests and diagnostics).
    var processID: Int32? {
        lock.lock(); defer { lock.unlock() }
        return process.map(\.processIdentifier)
    }

    private var isFinished: Bool {
        lock.lock(); defer { lock.unlock() }
        return finished
    }

    private func startIfNeeded() throws -> FileHandle {
        lock.lock(); defer { lock.unlock() }
        if let output { return output }
        if cancelled { throw CancellationError() }
        let prepared: (arguments: [String], sourceFile: SourceListFile?)
        do {
            prepared = try source.input.arguments(directory: FrameInput.privateDirectory())
        } catch {
            finished = true
            throw FrameSourceError("Cannot prepare \(source.input.displayName): \(error)")
        }
        sourceFile = prepared.sourceFile
        let child = Process()
        let outPipe = Pipe(), errPipe = Pipe()
        do {
            child.executableURL = URL(fileURLWithPath: try ProcessRunner.resolve(source.ffmpegPath))
        } catch {
            finished = true
            throw FrameSourceError("Cannot start ffmpeg: \(error)")
        }
        child.arguments = source.arguments(input: prepared.arguments)
        child.standardInput = FileHandle.nullDevice
        child.standardOutput = outPipe
        child.standardError = errPipe
        errors.attach(to: errPipe)
        do {
            try child.run()
        } catch {
            finished = true
            throw FrameSourceError("Cannot start ffmpeg: \(error)")
        }
        process = child
        output = outPipe.fileHandleForReading
        return outPipe.fileHandleForReading
    }

    /// After the pipe ended: waits for ffmpeg, cleans up, and reports how it ended.
    private func finish() async throws {
        let (child, wasCancelled) = lock.withLock {
            finished = true
            return (process, cancelled)
        }
        if let child {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                DispatchQueue.global().async {
                    child.waitUntilExit()
                    continuation.resume()
                }
            }
        }
        try? output?.close()
        sourceFile?.remove()
        if wasCancelled || Task.isCancelled { throw CancellationError() }
        if let child, child.terminationReason != .exit || child.terminationStatus != 0 {
            // Let the stderr reader take the last bytes ffmpeg wrote before it exited.
            try? await Task.sleep(nanoseconds: 50_000_000)
            throw FrameSourceError.failed("ffmpeg", input: source.input, status: child.terminationStatus, lines: errors.lastLines,
                                            sourceFile: sourceFile)
        }
    }

    /// Reads exactly `bytes` bytes; nil when the pipe ends first (a partial last frame is dropped).
    static func readFrame(_ descriptor: Int32, bytes: Int) -> [UInt8]? {
        var complete = false
        let buffer = [UInt8](unsafeUninitializedCapacity: bytes) { storage, count in
            var filled = 0
            while filled < bytes {
                let result = read(descriptor, storage.baseAddress! + filled, bytes - filled)
                if result > 0 {
                    filled += result
                } else if result < 0, errno == EINTR {
                    continue
                } else {
                    break
                }
            }
            complete = filled == bytes
            // Zero the tail of a short read so the array is fully initialized.
            if filled < bytes { (storage.baseAddress! + filled).initialize(repeating: 0, count: bytes - filled) }
            count = bytes
        }
        return complete ? buffer : nil
    }
}
