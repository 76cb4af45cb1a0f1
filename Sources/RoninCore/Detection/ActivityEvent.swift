import Foundation

/// Whether a tracked object is moving or standing still (decided with hysteresis by `ActivityTracker`).
public enum MotionState: String, Sendable, Codable {
    case moving, stationary
}

/// What happened to an object: it came into view, left it, or started / stopped moving.
public enum ActivityKind: String, Sendable, Codable {
    case arrival, departure
    case stateChange = "state_change"
}

/// A box of an object at one moment (source pixels, frame time), kept for snapshots.
public struct TimedBox: Sendable, Equatable, Codable {
    public var time: Double
    public var box: BoundingBox
    public var confidence: Float

    public init(time: Double, box: BoundingBox, confidence: Float) {
        self.time = time
        self.box = box
        self.confidence = confidence
    }
}

/// One real-world event about one object.
///
/// - arrival: `start` is when the object was first seen, `end` when the arrival was confirmed.
/// - departure: `start` is when the object was first seen (for objects there from the start, the
///   start of watching), `end` when it was last seen, so `duration` is how long it stayed.
/// - stateChange: `from` -> `to`; `start` is when the previous state began, `end` when the new
///   one was decided.
///
/// `boxes` is a bounded, time-ordered sample of the object's boxes up to `end`: the first, the
/// most confident and the last few.
public struct ActivityEvent: Sendable, Equatable, Codable {
    public var kind: ActivityKind
    public var className: String
    public var trackID: Int
    public var start: Double
    public var end: Double
    public var from: MotionState?
    public var to: MotionState?
    public var boxes: [TimedBox]

    public var duration: Double { end - start }

    public init(
        kind: ActivityKind, className: String, trackID: Int, start: Double, end: Double,
        from: MotionState? = nil, to: MotionState? = nil, boxes: [TimedBox] = []
    ) {
        self.kind = kind
        self.className = className
        self.trackID = trackID
        self.start = start
        self.end = end
        self.from = from
        self.to = to
        self.boxes = boxes
    }
}
