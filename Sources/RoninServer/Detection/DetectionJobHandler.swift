import FluentKit
import Foundation
import RoninCore
import RoninMedia

/// Historical detection of one recording (`detect` jobs): decodes the segment at
/// ML_HISTORICAL_FPS with the frame source (its ffmpeg at low priority), runs the motion gate,
/// detector and tracker of the engine (inference on background threads), and replaces the
/// recording's detections with what it found, each at its UTC instant with its box as fractions
/// of the frame.
///
/// A recording that is gone, whose file is missing, or that ffmpeg cannot decode fails for good
/// (parked with the reason); the other recordings go on.
struct DetectionJobHandler: JobHandler {
    static let kind = "detect"

    /// A `detect` job's payload.
    struct Payload: Codable, Sendable {
        let recording_id: UUID
    }

    var kind: String { Self.kind }
    let engine: DetectionEngine
    let footage: FootageStore
    let store: DetectionStore
    let events: EventStore
    let flow: EventFlow
    let fps: Double
    let ffmpegPath: String
    let database: @Sendable () -> any Database

    /// The unique key of a recording's detection job: one per recording. Which model analysed
    /// it is recorded in `analyses`; analysing again with another model queues the same job again.
    static func uniqueKey(recording: UUID) -> String {
        "detect:\(recording.uuidString.lowercased())"
    }

    static func payload(recording: UUID) -> String {
        String(decoding: (try? JSONEncoder().encode(Payload(recording_id: recording))) ?? Data(), as: UTF8.self)
    }

    func unavailableReason() async -> String? {
        await engine.unavailableReason()
    }

    func run(_ job: Job, context: JobContext) async throws -> String? {
        guard let payload = try? JSONDecoder().decode(Payload.self, from: Data(job.payload.utf8)) else {
            throw PermanentJobError("the job's payload is not a detection request: \(job.payload.prefix(200))")
        }
        guard let recording = try await RecordingModel.find(payload.recording_id, on: database()) else {
            throw PermanentJobError("recording \(payload.recording_id.uuidString.lowercased()) no longer exists")
        }
        let path: String
        do {
            path = try await footage.readableLocation(of: recording)
        } catch let error as FootageUnavailable {
            throw PermanentJobError("recording \(recording.path) cannot be read: \(error)")
        }
        let model = try await engine.model()
        var config = engine.pipelineConfig
        config.fps = fps
        let source = FrameSize(width: recording.width ?? 640, height: recording.height ?? 360)
        let size = source.fitted(maxWidth: config.maxWidth)
        let frames: FrameSource
        do {
            frames = try FrameSource(input: .footage(path), fps: fps, size: size, ffmpegPath: ffmpegPath, niceness: BackgroundThreads.niceness)
        } catch {
            throw PermanentJobError("\(error)")
        }
        let run = AnalysisRun(pipeline: DetectionPipeline(config: config, detector: try await engine.detector()), size: size, start: recording.start)
        let started = Date()
        let expectedFrames = max(1, recording.durationSeconds * fps)
        do {
            for try await frame in frames {
                try context.checkStillOurs()
                context.countFrame()
                let timing = try await engine.threads.run { try run.process(frame) }
                if let seconds = timing { context.countInference(seconds: seconds) }
                context.report(progress: Double(frame.index + 1) / expectedFrames)
            }
        } catch let error as FrameSourceError {
            throw PermanentJobError("ffmpeg could not decode \(recording.path): \(error)")
        }
        try await engine.threads.run { run.finish() }
        try context.checkStillOurs()
        guard run.frames > 0 || recording.durationSeconds < 1 else {
            throw PermanentJobError("no frame of \(recording.path) could be decoded")
        }
        let summary = DetectionStore.Summary(frames: run.frames, analysed: run.analysed, detections: run.rows.count,
                                             seconds: Date().timeIntervalSince(started))
        try await store.replace(recording: recording.id!, camera: recording.cameraID, model: model, rows: run.rows, summary: summary,
                                holder: context.owner.isEmpty ? nil : (context.job.id, context.owner))
        try await storeEvents(run, recording: recording)
        return String(decoding: try JSONEncoder().encode(summary), as: UTF8.self)
    }
}

extension DetectionJobHandler {
    /// Replaces the recording's historical events with what this analysis found, leaving out
    /// what happened while live detection watched (it reported those already) and keeping
    /// locked events as they are.
    func storeEvents(_ run: AnalysisRun, recording: RecordingModel) async throws {
        guard let id = recording.id else { return }
        let coverage = try await events.coverage(camera: recording.cameraID, start: recording.start, end: recording.end)
        let found = AnalysisRun.pairedEvents(run.activity)
        try await EventModel.query(on: database()).filter(\.$recordingID == id).filter(\.$source == EventModel.Source.historical.rawValue)
            .filter(\.$locked == false).delete()
        var counters: [String: Int] = [:]
        for activity in found {
            let key = "\(activity.trackID):\(activity.kind.rawValue)"
            let number = counters[key, default: 0]
            counters[key] = number + 1
            let event = EventStore.model(of: activity, camera: recording.cameraID, source: .historical, origin: recording.start,
                                         frameWidth: run.size.width, frameHeight: run.size.height,
                                         dedupeKey: "historical:\(id.uuidString.lowercased()):\(key):\(number)", recording: id)
            guard !coverage.covers(eventStart: event.start, end: event.end ?? event.lastSeen) else { continue }
            let stored = try await events.insert(event)
            if stored.isNew { await flow.written(stored.event) }
        }
    }
}

/// One recording's pipeline and what it found so far. Used by one task at a time (each frame
/// is processed on a background thread, one after the other).
final class AnalysisRun: @unchecked Sendable {
    private var pipeline: DetectionPipeline
    let size: FrameSize
    let start: Date
    private(set) var rows: [DetectionStore.Row] = []
    private(set) var frames = 0
    private(set) var analysed = 0
    /// Activity events in the order the pipeline reported them (times from the recording's start).
    private(set) var activity: [ActivityEvent] = []

    init(pipeline: DetectionPipeline, size: FrameSize, start: Date) {
        self.pipeline = pipeline
        self.size = size
        self.start = start
    }

    /// Analyses one frame; returns how long inference took when the detector ran.
    func process(_ frame: Frame) throws -> Double? {
        let began = ContinuousClock.now
        let analysis = try pipeline.process(frame)
        frames += 1
        activity += analysis.events
        guard analysis.analysed else { return nil }
        analysed += 1
        let width = Double(frame.width), height = Double(frame.height)
        let time = start.addingTimeInterval(analysis.time)
        for found in analysis.detections {
            let box = found.box
            let x = max(0, Double(box.x) / width), y = max(0, Double(box.y) / height)
            rows.append(DetectionStore.Row(
                time: time, className: found.className, confidence: Double(found.confidence),
                x: x, y: y, width: min(1 - x, Double(box.width) / width), height: min(1 - y, Double(box.height) / height),
                trackID: found.trackID))
        }
        let elapsed = began.duration(to: .now).components
        return Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
    }

    /// Ends the recording: departures still pending are reported.
    func finish() {
        activity += pipeline.finish()
    }

    /// The events with each arrival lasting until its object's departure (when it departed
    /// within the recording), as a live event is closed when its object leaves.
    static func pairedEvents(_ events: [ActivityEvent]) -> [ActivityEvent] {
        var paired = events
        for index in paired.indices where paired[index].kind == .arrival {
            if let departure = paired[index...].first(where: { $0.kind == .departure && $0.trackID == paired[index].trackID }) {
                paired[index].end = departure.end
                paired[index].boxes = Array((paired[index].boxes + departure.boxes.filter { box in
                    !paired[index].boxes.contains { $0.time == box.time }
                }).sorted { $0.time < $1.time }.suffix(32))
            }
        }
        return paired
    }
}
