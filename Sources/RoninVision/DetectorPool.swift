import Foundation
import RoninCore

/// Several detectors over one model, one per CUDA device (ML_CUDA_DEVICE_IDS) or `cpuSessions`
/// on the CPU, handed out in turn so streams spread over the GPUs.
///
/// Each detector owns its own session (a session is bound to one device), so a pool of N
/// detectors runs N frames at a time. `next()` is safe from any thread.
public final class DetectorPool: @unchecked Sendable {
    public let detectors: [YOLODetector]
    private let lock = NSLock()
    private var turn = 0

    /// Loads the model once per device. On the CPU `deviceIDs` is ignored and `cpuSessions`
    /// detectors are made; with CUDA each id in `deviceIDs` (at least one) gets a detector.
    public init(modelPath: String, options: SessionOptions, deviceIDs: [Int], thresholds: DetectionThresholds,
                nmsIoU: Float = 0.45, cpuSessions: Int = 1) throws {
        let perDevice: [SessionOptions]
        switch options.provider {
        case .cpu:
            perDevice = Array(repeating: options, count: max(1, cpuSessions))
        case .cuda(let deviceID):
            perDevice = (deviceIDs.isEmpty ? [deviceID] : deviceIDs).map(options.onDevice)
        }
        detectors = try perDevice.map {
            try YOLODetector(modelPath: modelPath, options: $0, thresholds: thresholds, nmsIoU: nmsIoU)
        }
    }

    /// Builds the pool the settings describe.
    public convenience init(settings: VisionSettings, thresholds: DetectionThresholds, nmsIoU: Float = 0.45) throws {
        try self.init(modelPath: settings.modelPath, options: settings.sessionOptions,
                      deviceIDs: settings.cudaDeviceIDs, thresholds: thresholds, nmsIoU: nmsIoU)
    }

    /// The device each detector runs on (nil for the CPU), in pool order.
    public var deviceIDs: [Int?] {
        detectors.map { detector in
            if case .cuda(let id) = detector.session.options.provider { return id }
            return nil
        }
    }

    /// The next detector in turn.
    public func next() -> YOLODetector {
        lock.lock()
        defer { lock.unlock() }
        let detector = detectors[turn % detectors.count]
        turn += 1
        return detector
    }
}
