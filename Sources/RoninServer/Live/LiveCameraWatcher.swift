import Foundation
import Logging
import RoninCore
import RoninMedia

/// Live detection of one camera: reads the camera's tap (docs/design/events.md), runs the motion
/// gate, detector, tracker and activity state machine on every frame, writes the events and
/// publishes what it sees. Runs until its task is cancelled; a stream that ends or breaks is
/// opened again after a backoff, each time as a new watch (the state machine warms up again, so
/// what is there when it starts does not "arrive").
struct LiveCameraWatcher: Sendable {
    /// A stream with no frame for this long has ended (the camera ffmpeg restarts, or stopped).
    static let silence = 10.0
    static let touchEvery = 5.0

    let camera: UUID
    let taps: LiveTaps
    let engine: DetectionEngine
    let settings: DetectionSettingsStore
    let store: EventStore
    let flow: EventFlow
    let bus: EventBus
    let board: LiveStatusBoard
    let files: ArtifactFiles
    let ffmpegPath: String
    let ffprobePath: String
    let logger: Logger

    func run() async {
        var failures = 0
        while !Task.isCancelled {
            do {
                let watched = try await watchOnce()
                failures = watched ? 0 : failures + 1
            } catch is CancellationError {
                break
            } catch {
                failures += 1
                board.update(camera) { $0.state = "waiting"; $0.error = SecretRedactor.redactStoredSecrets("\(error)") }
                logger.info("Live detection of camera \(camera): \(error)")
            }
            let delay = min(30.0, 1.0 * pow(2, Double(min(failures, 5))))
            try? await Task.sleep(for: .seconds(delay))
        }
    }

    /// One watch: from the first frame until the stream ends, the settings change or the task is
    /// cancelled. Returns whether any frame came.
    private func watchOnce() async throws -> Bool {
        guard let port = await taps.port(for: camera) else { throw FrameSourceError("no free UDP port for the camera's tap") }
        let effective = try await settings.effective(camera: camera)
        let generation = await settings.generation
        board.update(camera) { $0.state = "starting" }
        let input = FrameInput.stream(url: "udp://\(taps.host):\(port)?fifo_size=100000&overrun_nonfatal=1&timeout=\(Int(Self.silence * 1_000_000))")
        let described = try await FrameSourceProbe(ffprobePath: ffprobePath, timeout: 20).describe(input)
        let size = described.size.fitted(maxWidth: effective.pipeline.maxWidth)
        let frames = try FrameSource(input: input, fps: effective.fps, size: size, ffmpegPath: ffmpegPath, niceness: BackgroundThreads.liveNiceness)
        let run = LiveRun(pipeline: DetectionPipeline(config: effective.pipeline, detector: try await engine.liveDetector()))
        let origin = Date()
        let watch = try await store.openWatch(camera: camera, at: origin)
        let recorder = LiveEventRecorder(camera: camera, watch: watch, origin: origin, store: store, flow: flow, files: files)
        var lastTouch = origin, lastFrame = origin
        var presence: [String: Int] = [:]
        var sawFrame = false
        board.update(camera) { $0.state = "watching"; $0.error = nil }
        defer { board.update(camera) { $0.objects = [:] } }
        do {
            for try await frame in frames {
                let now = Date()
                sawFrame = true
                lastFrame = now
                let timed = Frame(index: frame.index, time: now.timeIntervalSince(origin), width: frame.width, height: frame.height, rgb: frame.rgb)
                let analysis = try await engine.liveThreads.run { try run.process(timed) }
                if analysis.analysed { recorder.analysed(timed) }
                try await recorder.record(analysis.events, frameWidth: frame.width, frameHeight: frame.height)
                if analysis.analysed {
                    recorder.keepBetterFrames(timed, best: run.bestBoxes)
                    let seen = Dictionary(analysis.detections.map { ($0.className, 1) }, uniquingKeysWith: +)
                    if seen != presence {
                        presence = seen
                        bus.publish(.presence(camera: camera, objects: seen))
                    }
                }
                board.update(camera) { status in
                    status.frames += 1
                    if analysis.analysed { status.analysed += 1 }
                    status.last_frame_at = now
                    status.objects = presence
                    status.frames_per_second = run.framesPerSecond
                    status.inference_ms = run.inferenceMilliseconds
                }
                if now.timeIntervalSince(lastTouch) >= Self.touchEvery {
                    lastTouch = now
                    try await store.touchWatch(watch, at: now)
                    if await settings.generation != generation { break }
                }
            }
        } catch {
            try? await end(run: run, recorder: recorder, watch: watch, at: lastFrame, presence: presence)
            if Task.isCancelled { throw CancellationError() }
            throw error
        }
        try await end(run: run, recorder: recorder, watch: watch, at: lastFrame, presence: presence)
        if !sawFrame { board.update(camera) { $0.state = "waiting"; $0.error = "no frames from the camera's stream" } }
        return sawFrame
    }

    /// Ends a watch: pending departures are written, open arrivals close at the last frame.
    private func end(run: LiveRun, recorder: LiveEventRecorder, watch: UUID, at last: Date, presence: [String: Int]) async throws {
        if !presence.isEmpty { bus.publish(.presence(camera: camera, objects: [:])) }
        let closing = try await engine.liveThreads.run { run.finish() }
        try await recorder.record(closing.events, frameWidth: closing.width, frameHeight: closing.height)
        try await recorder.finish(at: last)
        try await store.endWatch(watch, at: last)
    }
}

/// One watch's pipeline and its throughput. Used by one task at a time (each frame is processed
/// on a live-detection thread, one after the other).
final class LiveRun: @unchecked Sendable {
    private var pipeline: DetectionPipeline
    private var frameWidth = 0, frameHeight = 0
    private let started = ContinuousClock.now
    private var frames = 0
    private var inferences = 0
    private var inferenceSeconds = 0.0

    init(pipeline: DetectionPipeline) {
        self.pipeline = pipeline
    }

    func process(_ frame: Frame) throws -> FrameAnalysis {
        frameWidth = frame.width
        frameHeight = frame.height
        let began = ContinuousClock.now
        let analysis = try pipeline.process(frame)
        frames += 1
        if analysis.analysed {
            inferences += 1
            inferenceSeconds += Self.seconds(began.duration(to: .now))
        }
        return analysis
    }

    var bestBoxes: [Int: TimedBox] { pipeline.bestBoxes }

    func finish() -> (events: [ActivityEvent], width: Int, height: Int) {
        (pipeline.finish(), frameWidth, frameHeight)
    }

    var framesPerSecond: Double? {
        let elapsed = Self.seconds(started.duration(to: .now))
        return elapsed > 1 ? Double(frames) / elapsed : nil
    }

    var inferenceMilliseconds: Double? {
        inferences > 0 ? inferenceSeconds / Double(inferences) * 1000 : nil
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
