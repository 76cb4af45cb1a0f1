import Foundation
import RoninCore

/// Everything that tunes one detection pipeline: what counts as a detection, how many frames a
/// second are looked at, the motion pre-filter, the tracker and the activity rules.
///
/// Built from settings (ML_CONFIDENCE_THRESHOLD, ML_CLASS_FILTER, ML_FPS), then refined by the
/// ML_PIPELINE_CONFIG JSON file (`PipelineConfigFile`); command-line options apply last.
public struct DetectionPipelineConfig: Sendable, Equatable {
    public var thresholds: DetectionThresholds
    /// Frames analysed per second of footage.
    public var fps: Double
    /// Frames wider than this are scaled down (keeping aspect) before analysis.
    public var maxWidth: Int
    /// Run the motion pre-filter; when false every frame goes to the detector.
    public var motionEnabled: Bool
    public var motion: MotionConfig
    /// Width of the gray frame the motion detector sees (height follows the aspect ratio).
    public var motionWidth: Int
    /// Seconds after which a frame is analysed even without motion.
    public var forceInferenceEvery: Double
    public var trackerIoU: Float
    public var trackerMaxAge: Double
    public var activity: ActivityConfig
    /// IoU above which overlapping boxes of one class are merged.
    public var nmsIoU: Float

    public init(thresholds: DetectionThresholds = .init(), fps: Double = 2, maxWidth: Int = 640, motionEnabled: Bool = true,
                motion: MotionConfig = .init(), motionWidth: Int = 160, forceInferenceEvery: Double = 10,
                trackerIoU: Float = 0.3, trackerMaxAge: Double = 2, activity: ActivityConfig = .init(), nmsIoU: Float = 0.45) {
        self.thresholds = thresholds
        self.fps = fps
        self.maxWidth = maxWidth
        self.motionEnabled = motionEnabled
        self.motion = motion
        self.motionWidth = motionWidth
        self.forceInferenceEvery = forceInferenceEvery
        self.trackerIoU = trackerIoU
        self.trackerMaxAge = trackerMaxAge
        self.activity = activity
        self.nmsIoU = nmsIoU
    }

    /// The configuration the settings describe, with the pipeline JSON file applied when set.
    public init(settings: Settings) throws(PipelineConfigFile.Problem) {
        self.init(thresholds: DetectionThresholds(defaultConfidence: settings.mlConfidenceThreshold,
                                                  allowedClasses: settings.mlClassFilter.map(Set.init)),
                  fps: settings.mlFPS)
        if let path = settings.mlPipelineConfig {
            try PipelineConfigFile.load(path: path).apply(to: &self)
        }
    }
}
