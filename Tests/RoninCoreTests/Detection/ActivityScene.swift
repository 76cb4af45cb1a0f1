import Foundation
@testable import RoninCore

/// Something a synthetic camera sees: its detection at a frame time, or nil while out of view.
struct Actor {
    var detect: (Double) -> Detection?

    /// An object of `className` whose box at time t is `box(t)`, in view while `visible(t)`.
    init(_ className: String, confidence: @escaping (Double) -> Float = { _ in 0.8 },
         visible: @escaping (Double) -> Bool = { _ in true }, box: @escaping (Double) -> BoundingBox) {
        detect = { time in
            guard visible(time) else { return nil }
            return Detection(classIndex: 0, className: className, confidence: confidence(time), box: box(time))
        }
    }
}

/// Plays actors through a real `ObjectTracker` and an `ActivityTracker` at `fps`, from 0 to
/// `duration` seconds (or only at `times`, as a motion gate would), and returns every event,
/// including those of `finish`.
func play(
    _ actors: [Actor], duration: Double, fps: Double = 2, times: [Double]? = nil,
    tracker: ObjectTracker = ObjectTracker(), config: ActivityConfig = ActivityConfig()
) -> [ActivityEvent] {
    var tracker = tracker
    var activity = ActivityTracker(config: config)
    var events: [ActivityEvent] = []
    for time in times ?? (0...Int(duration * fps)).map({ Double($0) / fps }) {
        let tracks = tracker.update(actors.compactMap { $0.detect(time) }, at: time)
        events += activity.update(tracks, at: time)
    }
    return events + activity.finish(at: duration)
}

/// A compact description of an event for assertions: kind, class, transition, and times.
func summary(_ event: ActivityEvent) -> String {
    var text = "\(event.kind.rawValue) \(event.className)"
    if let from = event.from, let to = event.to { text += " \(from.rawValue)->\(to.rawValue)" }
    return text + " \(event.start)-\(event.end)"
}

/// A 100x50 car standing at (x, 300).
func parked(at x: Float) -> BoundingBox { BoundingBox(x: x, y: 300, width: 100, height: 50) }

/// A 40x80 person walking right from x = 0 at 60 px/s, starting at `start`.
func walking(from start: Double) -> (Double) -> BoundingBox {
    { time in BoundingBox(x: Float((time - start) * 60), y: 200, width: 40, height: 80) }
}
