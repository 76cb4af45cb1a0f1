import Crypto
import NIOCore
import Foundation
import Logging
import RoninCore
import RoninVision

/// The object detector the server's workers share: ONNX Runtime, the model (loaded once, on
/// background threads) and the pipeline configuration, with the model's identity for the
/// `analyses` rows. When detection cannot run, `unavailableReason` says why in words a user
/// can act on; the workers then leave detection jobs queued.
actor DetectionEngine {
    let enabled: Bool
    let vision: VisionSettings
    let pipelineConfig: DetectionPipelineConfig
    let threads: BackgroundThreads
    /// Threads of live detection, above historical analysis in priority.
    let liveThreads: BackgroundThreads
    let logger: Logger
    private var pool: Task<DetectorPool, any Error>?
    private var livePool: Task<DetectorPool, any Error>?
    private var modelIdentity: String?

    init(enabled: Bool, vision: VisionSettings, pipelineConfig: DetectionPipelineConfig, threads: BackgroundThreads, logger: Logger) {
        self.enabled = enabled
        self.vision = vision
        self.pipelineConfig = pipelineConfig
        self.threads = threads
        liveThreads = BackgroundThreads(threads: max(1, System.coreCount / 2), niceness: BackgroundThreads.liveNiceness)
        self.logger = logger
    }

    /// Nil when detection can run here; otherwise why not.
    func unavailableReason() async -> String? {
        guard enabled else { return "object detection is off (ML_ENABLED=false)" }
        if case .failure(let error) = OnnxRuntime.availability(environment: ProcessInfo.processInfo.environment) {
            return "ONNX Runtime cannot be loaded: \(error)"
        }
        guard FileManager.default.fileExists(atPath: vision.modelPath) else {
            return "no model at \(vision.modelPath): run scripts/install-deps.sh (or set ML_MODEL_PATH)"
        }
        do {
            _ = try await detectors()
            return nil
        } catch {
            return "the model at \(vision.modelPath) cannot be used: \(error)"
        }
    }

    /// The file name of the model and the start of its SHA-256: analyses by another model (or
    /// another version of the file) are different analyses.
    func model() async throws -> String {
        if let modelIdentity { return modelIdentity }
        let path = vision.modelPath
        let identity = try await threads.run {
            guard let handle = FileHandle(forReadingAtPath: path) else { throw FootageUnavailable(description: "cannot read \(path)") }
            defer { try? handle.close() }
            var hash = SHA256()
            while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hash.update(data: chunk) }
            let digest = hash.finalize().map { String(format: "%02x", $0) }.joined()
            return (path as NSString).lastPathComponent + "#" + digest.prefix(12)
        }
        modelIdentity = identity
        return identity
    }

    /// A detector to use now (detectors are thread-safe and spread over the pool's sessions).
    func detector() async throws -> YOLODetector {
        try await detectors().next()
    }

    /// A detector for live detection: its own sessions, made on the live threads, so the
    /// runtime's threads run at live detection's priority, not historical analysis's.
    func liveDetector() async throws -> YOLODetector {
        // One load however many callers ask at once; a failed load is tried again next time.
        let task = livePool ?? Task { try await makePool(on: liveThreads, purpose: "live detection") }
        livePool = task
        do { return try await task.value.next() } catch {
            livePool = nil
            throw error
        }
    }

    private func detectors() async throws -> DetectorPool {
        let task = pool ?? Task { try await makePool(on: threads, purpose: "background analysis") }
        pool = task
        do { return try await task.value } catch {
            pool = nil
            throw error
        }
    }

    private func makePool(on threads: BackgroundThreads, purpose: String) async throws -> DetectorPool {
        let (vision, config) = (vision, pipelineConfig)
        // Made on a pool thread, so the runtime's own threads inherit that thread's priority.
        let made = try await threads.run {
            _ = try OnnxRuntime.load(path: vision.sessionOptions.libraryPath)
            return try DetectorPool(settings: vision, thresholds: config.thresholds, nmsIoU: config.nmsIoU)
        }
        logger.notice("Detection model \(vision.modelPath) loaded for \(purpose) (\(made.detectors.count) session\(made.detectors.count == 1 ? "" : "s"))")
        return made
    }
}
