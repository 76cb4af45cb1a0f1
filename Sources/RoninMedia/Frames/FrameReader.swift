import Foundation

/// The running half of a `FrameSource`: one ffmpeg child (a `StreamingChild`) whose output is
/// raw frames, and the private source file that hides a stream's credentials from `ps`.
///
/// Threading: `next()` is called by one consumer at a time (the iterator's owner).
/// `terminate()` may be called from any thread (task cancellation, deinit); state is guarded by
/// `lock`. ffmpeg is started lazily on the first `next()` and is always gone, and its private
/// source file removed, once the reader finishes or is released.
final class FrameReader: @unchecked Sendable {
    private let source: FrameSource
    private let lock = NSLock()
    private var child: StreamingChild?
    private var sourceFile: SourceListFile?
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
        let running = try startIfNeeded()
        if let pixels = await running.read(exactly: source.frameBytes), !Task.isCancelled {
            let index = nextIndex
            nextIndex += 1
            return Frame(index: index, time: source.start + Double(index) / source.fps,
                         width: source.size.width, height: source.size.height, rgb: pixels)
        }
        try await finish(running)
        return nil
    }

    /// Kills ffmpeg now; the pending or next read sees the end of the pipe.
    func terminate() {
        let running = withLock { () -> StreamingChild? in
            cancelled = true
            return child
        }
        running?.terminate()
    }

    /// ffmpeg's process id while it runs (for tests and diagnostics).
    var processID: Int32? {
        withLock { child?.processID }
    }

    private var isFinished: Bool {
        withLock { finished }
    }

    private func withLock<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock(); defer { lock.unlock() }
        return try body()
    }

    private func startIfNeeded() throws -> StreamingChild {
        try withLock {
            if let child { return child }
            if cancelled { throw CancellationError() }
            let prepared: (arguments: [String], sourceFile: SourceListFile?)
            do {
                prepared = try source.input.arguments(directory: FrameInput.privateDirectory())
            } catch {
                finished = true
                throw FrameSourceError("Cannot prepare \(source.input.displayName): \(error)")
            }
            sourceFile = prepared.sourceFile
            do {
                let started = try StreamingChild(executable: source.ffmpegPath, arguments: source.arguments(input: prepared.arguments),
                                                 niceness: source.niceness)
                child = started
                return started
            } catch {
                finished = true
                throw FrameSourceError("Cannot start ffmpeg: \(error)")
            }
        }
    }

    /// After the pipe ended: waits for ffmpeg, cleans up, and reports how it ended.
    private func finish(_ running: StreamingChild) async throws {
        let wasCancelled = withLock { () -> Bool in
            finished = true
            return cancelled
        }
        let exit = await running.finish()
        sourceFile?.remove()
        if wasCancelled || Task.isCancelled { throw CancellationError() }
        if !exit.succeeded {
            throw FrameSourceError.failed("ffmpeg", input: source.input, status: exit.status, lines: exit.errorLines,
                                          sourceFile: sourceFile)
        }
    }
}
