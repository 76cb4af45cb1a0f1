import Foundation

/// Box centres of one object over the last `window` seconds, and the moving / stationary decision
/// made from them: the largest distance of a centre in the window from the latest centre, in units
/// of the latest box's size (the square root of its area, so tall people and wide cars compare
/// alike). Between the two thresholds the previous state holds (hysteresis).
struct MotionHistory: Sendable, Equatable {
    /// One box centre at one frame time.
    private struct Sample: Sendable, Equatable {
        var time: Double
        var x: Double
        var y: Double
    }

    private var samples: [Sample] = []
    private var size = 1.0

    mutating func append(_ box: BoundingBox, at time: Double, window: Double) {
        samples.append(Sample(time: time, x: Double(box.centerX), y: Double(box.centerY)))
        size = max(1, Double(box.area).squareRoot())
        samples.removeAll { $0.time < time - window }
    }

    /// Time covered by the samples in the window.
    var span: Double {
        guard let first = samples.first, let last = samples.last else { return 0 }
        return last.time - first.time
    }

    /// Centre velocity over the window in pixels per second (zero until two samples span time).
    var velocity: (x: Double, y: Double) {
        guard let first = samples.first, let last = samples.last, last.time > first.time else { return (0, 0) }
        let elapsed = last.time - first.time
        return ((last.x - first.x) / elapsed, (last.y - first.y) / elapsed)
    }

    /// Largest centre displacement within the window, in box sizes.
    var displacement: Double {
        guard let last = samples.last else { return 0 }
        var farthest = 0.0
        for sample in samples {
            let dx = sample.x - last.x
            let dy = sample.y - last.y
            farthest = max(farthest, (dx * dx + dy * dy).squareRoot())
        }
        return farthest / size
    }

    /// The state the samples call for, given the current one; `nil` while undecided.
    func state(current: MotionState?, config: ActivityConfig) -> MotionState? {
        let moved = displacement
        if moved >= config.movingThreshold { return .moving }
        if moved < config.stationaryThreshold, span >= config.stationarySpan { return .stationary }
        return current
    }
}
