import Foundation

/// Tuning of `MotionDetector`, per frame at the detector's own rate (the numbers assume a small
/// gray frame, 160x90 or so, at 1-10 fps).
public struct MotionConfig: Sendable, Equatable, Codable {
    /// How fast the background follows the scene (weight of the newest frame once warmed up).
    public var learningRate: Float
    /// A pixel has changed when its squared distance from the background exceeds this many variances.
    public var varianceThreshold: Float
    /// Variance of a fresh pixel model, and the bounds variances are kept within (gray levels squared).
    public var initialVariance: Float
    public var minimumVariance: Float
    public var maximumVariance: Float
    /// Changed pixels, as a fraction of the frame, needed to call it motion.
    public var minimumChangedFraction: Double
    /// Frames that only teach the background; they never report motion.
    public var warmUpFrames: Int
    /// Remove a uniform brightness shift (lights, clouds, auto exposure) before comparing pixels.
    public var compensateBrightness: Bool

    public init(
        learningRate: Float = 0.02, varianceThreshold: Float = 16, initialVariance: Float = 15,
        minimumVariance: Float = 4, maximumVariance: Float = 75, minimumChangedFraction: Double = 0.002,
        warmUpFrames: Int = 5, compensateBrightness: Bool = true
    ) {
        self.learningRate = learningRate
        self.varianceThreshold = varianceThreshold
        self.initialVariance = initialVariance
        self.minimumVariance = minimumVariance
        self.maximumVariance = maximumVariance
        self.minimumChangedFraction = minimumChangedFraction
        self.warmUpFrames = warmUpFrames
        self.compensateBrightness = compensateBrightness
    }
}

/// What `MotionDetector` saw in one frame: the fraction of pixels that differ from the background
/// and whether that is enough to count as motion.
public struct MotionResult: Sendable, Equatable {
    public var changedFraction: Double
    public var hasMotion: Bool

    public init(changedFraction: Double, hasMotion: Bool) {
        self.changedFraction = changedFraction
        self.hasMotion = hasMotion
    }
}
