import RoninCore

/// Anything that finds objects in an RGB24 frame, in source pixels: the YOLO detector, or a
/// scripted stand-in in tests.
public protocol ObjectDetecting: AnyObject, Sendable {
    func detect(rgb: UnsafeBufferPointer<UInt8>, width: Int, height: Int) throws -> [Detection]
}

/// One object found in a frame, with the identity the tracker gave it.
public struct FrameDetection: Sendable, Equatable, Codable {
    public var trackID: Int
    public var className: String
    public var confidence: Float
    public var box: BoundingBox
}

/// What the pipeline made of one frame. `analysed` is false when the motion pre-filter let the
/// detector skip the frame; then `detections` is empty (nothing was looked for), which is not the
/// same as an analysed frame with nothing in it.
public struct FrameAnalysis: Sendable {
    public var index: Int
    public var time: Double
    public var analysed: Bool
    /// The motion detector's verdict (nil with the pre-filter off).
    public var motion: MotionResult?
    public var detections: [FrameDetection]
    public var events: [ActivityEvent]
}

/// Counts over a whole run. `frames == analysed + skippedByMotion`.
public struct DetectionSummary: Sendable, Equatable {
    public var frames = 0
    public var analysed = 0
    public var skippedByMotion = 0
    public var events = 0

    public init() {}
}
