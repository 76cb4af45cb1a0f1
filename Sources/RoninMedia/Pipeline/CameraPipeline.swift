import Foundation
import Logging
import RoninCore

/// Supervises one camera's ffmpeg for as long as the camera should be live.
///
/// Each attempt asks `prepare` for a fresh spec (which probes the camera, so audio handling
/// follows what it sends now), writes the credential-bearing source files, and runs ffmpeg.
/// A watchdog (`StallWatch`) kills ffmpeg when one of its outputs stops advancing: ffmpeg's own
/// progress report and the recording for `stallTimeout` seconds, a live playlist (which moves
/// once per GOP) for longer.
/// After every exit the pipeline waits per `ReconnectBackoff` (1 s doubling to 60 s, jittered;
/// reset after a run of a minute or more) and tries again, until `stop()`.
///
/// Invariants: at most one ffmpeg per camera (a pid file lets the next server start kill one
/// left behind by a crash); credentials appear only in 0600 files, never in arguments or logs.
public actor CameraPipeline {
    public typealias Prepare = @Sendable () async throws -> PipelineSpec

    public nonisolated let cameraID: UUID
    /// The camera's RTSP host and port, watched during reconnect waits.
    let watchedAddress: (host: String, port: Int)
    let prepare: Prepare
    let runtimeDirectory: String
    let stallTimeout: Double
    let logger: Logger
    let onExit: @Sendable () async -> Void

    public private(set) var status = PipelineStatus(state: .stopped)
    private var supervisor: Task<Void, Never>?
    private var process: Process?
    private var backoff = ReconnectBackoff()
    /// Whether the current or last ffmpeg run got every output advancing.
    private var reachedRunning = false

    public init(cameraID: UUID, address: (host: String, port: Int), runtimeDirectory: String, stallTimeout: Double = 20,
                logger: Logger, prepare: @escaping Prepare, onExit: @escaping @Sendable () async -> Void = {}) {
        self.cameraID = cameraID
        watchedAddress = address
        self.runtimeDirectory = runtimeDirectory
        self.stallTimeout = stallTimeout
        self.logger = logger
        self.prepare = prepare
        self.onExit = onExit
    }

    /// Whether ffmpeg is running now (its newest staging file may be incomplete).
    public var isWriting: Bool { process?.isRunning ?? false }

    public func start() {
        guard supervisor == nil else { return }
        status = PipelineStatus(state: .starting, restarts: status.restarts)
        supervisor = Task { await self.superviseUntilCancelled() }
    }

    /// Stops ffmpeg gracefully (SIGTERM lets it finish the current segment), SIGKILL after 5 s.
    public func stop() async {
        guard let supervisor else { return }
        supervisor.cancel()
        if let process, process.isRunning { kill(process.processIdentifier, SIGTERM) }
        await supervisor.value
        self.supervisor = nil
        status = PipelineStatus(state: .stopped, lastError: status.lastError, restarts: status.restarts)
    }

    private func superviseUntilCancelled() async {
        killLeftover()
        // After a healthy run the last spec is reused, so a crashed ffmpeg restarts without
        // probing the camera again (which costs seconds of footage); a failed attempt re-probes.
        var reusable: PipelineSpec?
        while !Task.isCancelled {
            let started = Date()
            do {
                let spec: PipelineSpec
                if let reusable { spec = reusable } else { spec = try await prepare() }
                reusable = nil
                try await runOnce(spec)
                if reachedRunning { reusable = spec }
            } catch is CancellationError {
                break
            } catch {
                let message = SecretRedactor.shared.redact(String(describing: error))
                let permanent = (error as? ProbeFailure).map { [.authenticationFailed, .notFound, .noVideo].contains($0.reason) } ?? false
                let state: PipelineStatus.State = permanent ? .error : .reconnecting
                status = PipelineStatus(state: state, since: status.state == state ? status.since : Date(), lastError: message,
                                        restarts: status.restarts)
                logger.warning("Camera \(cameraID): \(message)")
            }
            await onExit()
            if Task.isCancelled { break }
            if Date().timeIntervalSince(started) >= 60 { backoff.reset() }
            let delay = backoff.next()
            if status.state != .error && status.state != .reconnecting {
                status.state = .reconnecting
                status.since = Date()
            }
            status.restarts += 1
            do { try await waitForRetry(delay) } catch { break }
        }
    }

    /// Sleeps `delay` seconds, but wakes early when the camera's port goes from closed to
    /// open, so a camera that comes back is recorded again within seconds however long the
    /// backoff has grown.
    private func waitForRetry(_ delay: Double) async throws {
        let deadline = Date().addingTimeInterval(delay)
        let target = watchedAddress
        var wasClosed = false
        while Date() < deadline {
            try await Task.sleep(for: .seconds(min(2, max(0.05, deadline.timeIntervalSinceNow))))
            let open = await Task.detached { PortWatch.isOpen(host: target.host, port: target.port) }.value
            if !open {
                wasClosed = true
            } else if wasClosed {
                // The camera is back: start the backoff over, since a camera that has just
                // booted often opens its port seconds before its stream is ready.
                backoff.reset()
                return
            }
        }
    }

    /// Runs ffmpeg until it exits, stalls, or the pipeline is stopped.
    private func runOnce(_ spec: PipelineSpec) async throws {
        let manager = FileManager.default
        try? manager.removeItem(atPath: spec.liveDirectory)
        for directory in [spec.liveDirectory, spec.liveSubDirectory, spec.stagingDirectory] {
            try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        let options = [("rtsp_transport", spec.endpoint.transport.rawValue), ("timeout", "10000000")]
        let id = cameraID.uuidString.lowercased()
        let main = try SourceListFile.write(url: spec.endpoint.url(), options: options, directory: runtimeDirectory, name: id)
        let sub = try spec.substreamPath.map {
            try SourceListFile.write(url: spec.endpoint.url(path: $0), options: options, directory: runtimeDirectory, name: id + "-sub")
        }
        defer {
            main.remove()
            sub?.remove()
        }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: try ProcessRunner.resolve(spec.ffmpegPath))
        process.arguments = FFmpegCommand.arguments(for: spec, mainSource: main.path, subSource: sub?.path)
        process.standardInput = FileHandle.nullDevice
        let stdout = Pipe(), stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        let report = FFmpegProgress()
        report.attach(to: stdout)
        let tail = OutputTail()
        tail.attach(to: stderr)
        try process.run()
        self.process = process
        writePidFile(process.processIdentifier)
        logger.info("Camera \(cameraID): ffmpeg \(process.processIdentifier) started for \(spec.endpoint.displayURL())")

        let outputs = PipelineOutputs(spec: spec, report: report)
        var watch = StallWatch(outputs: outputs.cadences, timeout: stallTimeout, start: Date())
        var cancelled = false
        reachedRunning = false
        while process.isRunning {
            do {
                try await Task.sleep(for: .seconds(1))
            } catch {
                cancelled = true
                break
            }
            let now = Date()
            for (name, value) in outputs.read() { watch.observe(name, value: value, at: now) }
            let verdict = watch.verdict(at: now)
            if let stalled = verdict.stalledOutput {
                let seconds = Int(verdict.idleSeconds)
                logger.warning("Camera \(cameraID): \(PipelineOutputs.describe(stalled)) has not advanced for \(seconds) s; restarting ffmpeg")
                status.lastError = "Stream stalled: \(PipelineOutputs.describe(stalled)) did not advance for \(seconds) s"
                break
            }
            let running: PipelineStatus.State = spec.recording ? .recording : .live
            if verdict.allStarted, status.state != running {
                status = PipelineStatus(state: running, restarts: status.restarts)
                reachedRunning = true
            }
        }
        await terminate(process, graceful: true)
        self.process = nil
        removePidFile()
        // A playlist nobody updates looks live to a player: remove it until ffmpeg runs again.
        try? FileManager.default.removeItem(atPath: spec.liveDirectory)
        let lastLines = tail.lastLines.suffix(3).joined(separator: " / ")
        if cancelled { throw CancellationError() }
        let reason = lastLines.isEmpty ? "ffmpeg exited with status \(process.terminationStatus)" : lastLines
        status.lastError = SecretRedactor.shared.redact(status.lastError ?? reason)
        logger.warning("Camera \(cameraID): ffmpeg exited (\(process.terminationStatus)): \(SecretRedactor.shared.redact(reason))")
        if status.lastError?.hasPrefix("Stream stalled") == true { return }
        status.lastError = SecretRedactor.shared.redact(reason)
    }

    private func terminate(_ process: Process, graceful: Bool) async {
        guard process.isRunning else { return }
        kill(process.processIdentifier, graceful ? SIGTERM : SIGKILL)
        for _ in 0..<50 where process.isRunning {
            try? await Task.sleep(for: .milliseconds(100))
        }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    // MARK: Left-over processes

    private var pidFile: String { "\(runtimeDirectory)/\(cameraID.uuidString.lowercased()).pid" }

    private func writePidFile(_ pid: Int32) {
        FileManager.default.createFile(atPath: pidFile, contents: Data("\(pid)\n".utf8), attributes: [.posixPermissions: 0o600])
    }

    private func removePidFile() {
        try? FileManager.default.removeItem(atPath: pidFile)
    }

    /// Kills an ffmpeg a crashed server left running for this camera, recognised by its
    /// source file in our runtime folder.
    private func killLeftover() {
        guard let text = try? String(contentsOfFile: pidFile, encoding: .utf8),
              let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) else { return }
        let marker = "\(runtimeDirectory)/\(cameraID.uuidString.lowercased())"
        if let cmdline = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"),
           String(decoding: cmdline, as: UTF8.self).contains(marker) {
            logger.notice("Camera \(cameraID): stopping ffmpeg \(pid) left from an earlier run")
            kill(pid, SIGKILL)
            usleep(200_000)
        }
        removePidFile()
    }
}
