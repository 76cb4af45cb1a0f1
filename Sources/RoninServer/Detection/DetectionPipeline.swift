import RoninCore
import RoninMedia

/// Turns frames into detections and activity events, one frame at a time:
/// RGB frame -> small gray frame -> `MotionDetector` -> `MotionGate` -> detector (only when the
/// gate says so) -> `ObjectTracker` -> `ActivityTracker`.
///
/// Frames must come in time order from one source; frame times are the source's own clock and
/// so are event times. Not thread-safe: one pipeline per source, driven by one task.
public struct DetectionPipeline: Sendable {
    public let config: DetectionPipelineConfig
    private let detector: any ObjectDetecting
    private var motion: MotionDetector?
    private var gate: MotionGate
    private var tracker: ObjectTracker
    private var activity: ActivityTracker
    private var gray: [UInt8] = []
    private var lastTime: Double?
    /// Frames the motion detector has seen since it was (re)created.
    private var motionFrames = 0
    public private(set) var summary = DetectionSummary()

    public init(config: DetectionPipelineConfig, detector: any ObjectDetecting) {
        self.config = config
        self.detector = detector
        gate = MotionGate(forceEvery: config.forceInferenceEvery)
        tracker = ObjectTracker(iouThreshold: config.trackerIoU, maxAge: config.trackerMaxAge)
        activity = ActivityTracker(config: config.activity)
    }

    /// Analyses one frame (motion, then detection when due) and returns what it found.
    public mutating func process(_ frame: Frame) throws -> FrameAnalysis {
        let motionResult = config.motionEnabled ? detectMotion(in: frame) : nil
        // While the background model is still learning it cannot tell motion apart: look anyway.
        let learning = motionFrames <= config.motion.warmUpFrames
        let due = motionResult.map { gate.shouldInfer(motion: $0.hasMotion || learning, at: frame.time) } ?? true
        summary.frames += 1
        lastTime = frame.time
        guard due else {
            summary.skippedByMotion += 1
            return FrameAnalysis(index: frame.index, time: frame.time, analysed: false, motion: motionResult, detections: [], events: [])
        }
        summary.analysed += 1
        let found = try frame.rgb.withUnsafeBufferPointer { try detector.detect(rgb: $0, width: frame.width, height: frame.height) }
        // The detector may be shared by cameras with other thresholds: this camera's own apply here.
        let tracks = tracker.update(found.filter { config.thresholds.accepts(className: $0.className, confidence: $0.confidence) }, at: frame.time)
        let events = activity.update(tracks, at: frame.time)
        summary.events += events.count
        let detections = tracks.map { FrameDetection(trackID: $0.id, className: $0.className, confidence: $0.confidence, box: $0.box) }
        return FrameAnalysis(index: frame.index, time: frame.time, analysed: true, motion: motionResult, detections: detections, events: events)
    }

    /// The most confident box so far of each counted object, by its events' track id.
    public var bestBoxes: [Int: TimedBox] { activity.bestBoxes }

    /// Ends the run: objects still being followed whose departure was pending are reported gone.
    public mutating func finish() -> [ActivityEvent] {
        guard let lastTime else { return [] }
        let events = activity.finish(at: lastTime)
        summary.events += events.count
        return events
    }

    /// Reads `frames` to the end, handing each analysis and the closing events to `handle`.
    public mutating func run(_ frames: FrameSource, handle: (FrameAnalysis) throws -> Void,
                             finished: ([ActivityEvent]) throws -> Void) async throws -> DetectionSummary {
        for try await frame in frames {
            try handle(try process(frame))
        }
        try finished(finish())
        return summary
    }

    private mutating func detectMotion(in frame: Frame) -> MotionResult {
        let width = min(config.motionWidth, frame.width)
        let height = max(1, Int((Double(frame.height) * Double(width) / Double(frame.width)).rounded()))
        if motion?.width != width || motion?.height != height {
            motion = MotionDetector(width: width, height: height, config: config.motion)
            gray = [UInt8](repeating: 0, count: width * height)
            motionFrames = 0
        }
        motionFrames += 1
        frame.rgb.withUnsafeBufferPointer { rgb in
            gray.withUnsafeMutableBufferPointer { output in
                MotionDetector.gray(fromRGB: rgb, width: frame.width, height: frame.height, into: output, outWidth: width, outHeight: height)
            }
        }
        return gray.withUnsafeBufferPointer { motion!.apply(gray: $0) }
    }
}
