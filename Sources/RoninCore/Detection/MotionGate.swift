import Foundation

/// Decides which frames go to the (expensive) detector: frames with motion, the first frame, and
/// at least one frame every `forceEvery` seconds so stationary objects stay known (and tracks of
/// parked cars do not go stale). A clock that jumps backwards (a restarted source) counts as a
/// fresh start.
public struct MotionGate: Sendable {
    public let forceEvery: Double
    private var lastInference: Double?

    public init(forceEvery: Double = 10) {
        self.forceEvery = forceEvery
    }

    public mutating func shouldInfer(motion: Bool, at time: Double) -> Bool {
        let due: Bool
        if let lastInference, time >= lastInference {
            due = motion || time - lastInference >= forceEvery
        } else {
            due = true
        }
        if due { lastInference = time }
        return due
    }
}
