import Foundation

/// Tuning of `ActivityTracker`. Times in seconds; defaults suit 1-2 inferred frames per second.
/// docs/design/detection.md explains each choice.
public struct ActivityConfig: Sendable, Equatable, Codable {
    /// Objects first seen within this long of the first frame were already there: they never arrive.
    public var warmUp: Double
    /// Frames an object must be seen in before it counts (a single spurious frame never does).
    public var confirmHits: Int
    /// An object departs once unseen for this long and in at least `departureMisses` inferred frames.
    public var departureGrace: Double
    public var departureMisses: Int
    /// Grace for an object last seen standing still: parked cars and things on the ground drop out
    /// of detections when people pass in front or the score dips, and a real departure of a parked
    /// object is normally seen moving first (then `departureGrace` applies).
    public var stationaryDepartureGrace: Double
    /// Window over which box-centre displacement, in box sizes, decides moving / stationary.
    public var motionWindow: Double
    /// Displacement (box sizes over the window) at or above which an object is moving.
    public var movingThreshold: Double
    /// Displacement below which an object is stationary, once the window spans `stationarySpan`.
    public var stationaryThreshold: Double
    public var stationarySpan: Double
    /// A new state must hold this long before it is taken (and reported): short pauses are not stops.
    public var stateHold: Double
    /// An object that appears after warm-up and is first found standing still (a parked car the
    /// detector missed at first, or one uncovered by a passing truck) did not arrive.
    public var arrivalNeedsMovement: Bool
    /// A new track overlapping a recently lost object by at least this much continues that object.
    public var reassociationIoU: Float
    /// Classes a detector confuses for one object (a van seen as car or truck); within a group
    /// tracks may continue each other and duplicate boxes count as one object.
    public var classGroups: [[String]]
    /// How many of the latest boxes an event carries (besides the first and the most confident).
    public var recentBoxes: Int

    public init(
        warmUp: Double = 3, confirmHits: Int = 2, departureGrace: Double = 3, departureMisses: Int = 2, stationaryDepartureGrace: Double = 20,
        motionWindow: Double = 3, movingThreshold: Double = 0.5, stationaryThreshold: Double = 0.2,
        stationarySpan: Double = 2, stateHold: Double = 2, arrivalNeedsMovement: Bool = true, reassociationIoU: Float = 0.3,
        classGroups: [[String]] = [["car", "truck", "bus"], ["bicycle", "motorcycle"]], recentBoxes: Int = 3
    ) {
        self.warmUp = warmUp
        self.confirmHits = confirmHits
        self.departureGrace = departureGrace
        self.departureMisses = departureMisses
        self.stationaryDepartureGrace = stationaryDepartureGrace
        self.motionWindow = motionWindow
        self.movingThreshold = movingThreshold
        self.stationaryThreshold = stationaryThreshold
        self.stationarySpan = stationarySpan
        self.stateHold = stateHold
        self.arrivalNeedsMovement = arrivalNeedsMovement
        self.reassociationIoU = reassociationIoU
        self.classGroups = classGroups
        self.recentBoxes = recentBoxes
    }

    /// Whether a detector may call one object both `a` and `b`.
    public func related(_ a: String, _ b: String) -> Bool {
        a == b || classGroups.contains { $0.contains(a) && $0.contains(b) }
    }
}
