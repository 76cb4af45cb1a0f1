import ArgumentParser
import Foundation
import RoninCore
import RoninMedia
import RoninServer
import RoninVision

/// `ronin detect`: runs the detection engine over a file, a recording or a camera stream and
/// prints every detection and activity event; the quickest way to see what the NVR would find.
///
/// Anything that keeps detection from running (no ONNX Runtime, no model, an unreadable input,
/// a bad setting) ends the command with status 1 and one line on stderr saying why.
struct DetectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detect",
        abstract: "Detect objects and activity in a video file or RTSP stream and print them.",
        discussion: "Reads the ML_* settings like `ronin serve`; options given here win. With --json every line is one JSON object "
            + "(type detection, event, then summary).")

    @Argument(help: "A video file, a recording, or an rtsp:// URL.")
    var input: String

    @Option(help: "Frames analysed per second of footage (default ML_FPS, 2).")
    var fps: Double?

    @Flag(help: "Print one JSON object per line.")
    var json = false

    @Option(help: "ONNX model file (default ML_MODEL_PATH).")
    var model: String?

    @Option(help: "Inference threads, 0 = automatic (default ML_THREADS).")
    var threads: Int?

    @Option(help: "cpu or cuda (default ML_PROVIDER).")
    var provider: String?

    @Option(name: .customLong("device-id"), help: "CUDA device number.")
    var deviceID: Int?

    @Flag(name: .customLong("no-motion"), help: "Analyse every frame instead of skipping still ones.")
    var noMotion = false

    @Option(help: "Pipeline JSON file (default ML_PIPELINE_CONFIG).")
    var config: String?

    func run() async throws {
        do {
            try await detect()
        } catch let error as ExitCode {
            throw error
        } catch {
            FileHandle.standardError.write(Data("ronin detect: \(SecretRedactor.shared.redact(String(describing: error)))\n".utf8))
            throw ExitCode.failure
        }
    }

    private func detect() async throws {
        if let fps, !(0.1...30).contains(fps) { throw DetectFailure("--fps must be from 0.1 to 30, got \(fps)") }
        var environment = try SettingsLoader.environment()
        if let config { environment["ML_PIPELINE_CONFIG"] = config }
        let settings = try Settings(environment: environment)
        guard settings.mlEnabled else { throw DetectFailure("object detection is off (ML_ENABLED=false)") }
        var pipelineConfig = try DetectionPipelineConfig(settings: settings)
        if let fps { pipelineConfig.fps = fps }
        if noMotion { pipelineConfig.motionEnabled = false }
        let vision = try visionSettings(environment)

        _ = try OnnxRuntime.load(path: vision.sessionOptions.libraryPath, environment: environment)
        let source = FrameInput(input)
        let description = try await FrameSourceProbe(ffprobePath: settings.ffprobePath).describe(source)
        let detector = try YOLODetector(modelPath: vision.modelPath, options: vision.sessionOptions,
                                        thresholds: pipelineConfig.thresholds, nmsIoU: pipelineConfig.nmsIoU)
        let size = description.size.fitted(maxWidth: pipelineConfig.maxWidth)
        let frames = try FrameSource(input: source, fps: pipelineConfig.fps, size: size, ffmpegPath: settings.ffmpegPath)
        let report = DetectionReport(json: json, analysed: size, source: description.size)
        let output = LineWriter()
        if !json {
            output.write("Detecting in \(source.displayName) (\(description.size), analysed at \(size), \(pipelineConfig.fps) fps, "
                + "motion filter \(pipelineConfig.motionEnabled ? "on" : "off"))")
        }
        let started = Date()
        var pipeline = DetectionPipeline(config: pipelineConfig, detector: detector)
        let summary = try await pipeline.run(frames) { analysis in
            report.lines(for: analysis).forEach(output.write)
        } finished: { events in
            events.map(report.event).forEach(output.write)
        }
        output.write(report.summary(summary, elapsed: Date().timeIntervalSince(started)))
        output.flush()
    }

    /// ML_MODEL_PATH, ML_THREADS, ML_PROVIDER and friends, with this command's options on top.
    private func visionSettings(_ environment: [String: String]) throws -> VisionSettings {
        var environment = environment
        if let model { environment["ML_MODEL_PATH"] = model }
        if let threads { environment["ML_THREADS"] = String(threads) }
        if let provider { environment["ML_PROVIDER"] = provider }
        if let deviceID { environment["ML_CUDA_DEVICE_IDS"] = String(deviceID) }
        return try VisionSettings(environment: environment)
    }
}

/// A reason `ronin detect` cannot run, printed as is.
struct DetectFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Buffered stdout lines, flushed every few lines so a pipe reader sees progress.
final class LineWriter: @unchecked Sendable {
    private var buffer = Data()

    func write(_ line: String) {
        buffer.append(Data((line + "\n").utf8))
        if buffer.count > 8192 { flush() }
    }

    func flush() {
        FileHandle.standardOutput.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}
