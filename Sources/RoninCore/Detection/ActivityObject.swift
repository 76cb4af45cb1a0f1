import Foundation

/// What `ActivityTracker` knows about one real-world object, which may span several tracker ids
/// (a track lost for a moment and born again, or duplicate boxes of related classes).
struct ActivityObject: Sendable {
    /// Where the object is in its life.
    enum Phase: Sendable, Equatable {
        /// Seen, not yet in enough frames to count.
        case tentative
        /// Confirmed after warm-up but not yet seen moving: it may turn out to have been there all along.
        case awaitingMovement
        /// Counted: it arrived, or it was already there.
        case present
    }

    let id: Int
    var phase = Phase.tentative
    var classVotes: [String: Float] = [:]
    var firstSeen: Double
    var lastSeen: Double
    var hits = 0
    var missedUpdates = 0
    var box: BoundingBox
    var state: MotionState?
    var stateSince: Double
    /// A different state the history calls for, not yet held for `stateHold`, and since when.
    var candidate: MotionState?
    var candidateSince: Double = 0
    var history = MotionHistory()
    var trail: BoxTrail
    var seenThisUpdate = false
    /// Tracker ids feeding this object, oldest first (bounded by the tracker).
    var trackIDs: [Int] = []
    /// Class of the box that updated it most recently.
    var lastClassName = ""

    init(id: Int, time: Double, box: BoundingBox, recentBoxes: Int) {
        self.id = id
        firstSeen = time
        lastSeen = time
        stateSince = time
        self.box = box
        trail = BoxTrail(recentLimit: recentBoxes)
    }

    /// The class the detector gave it most confidently over its life.
    var className: String {
        classVotes.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }?.key ?? ""
    }

    /// Whether a track of class `name` may belong to this object.
    func isRelated(to name: String, config: ActivityConfig) -> Bool {
        classVotes.keys.contains { config.related($0, name) }
    }

    /// Last known standing still, with no sign of moving off.
    var isStill: Bool { (candidate ?? state) == .stationary }

    /// Updates the motion state from the history; returns the change once a new state has held
    /// for `stateHold` (its `end` is when the new state was first seen). The first decision is
    /// taken at once and is not a change.
    mutating func settleState(at time: Double, config: ActivityConfig) -> (from: MotionState, to: MotionState, start: Double, end: Double)? {
        let proposed = history.state(current: state, config: config)
        guard let previous = state else {
            if proposed != nil { (state, stateSince) = (proposed, firstSeen) }
            return nil
        }
        guard let proposed, proposed != previous else {
            candidate = nil
            return nil
        }
        if candidate != proposed { (candidate, candidateSince) = (proposed, time) }
        guard time - candidateSince >= config.stateHold else { return nil }
        defer { (state, stateSince, candidate) = (proposed, candidateSince, nil) }
        return (previous, proposed, stateSince, candidateSince)
    }

    /// Where its box should be at `time` if it kept its recent velocity.
    func predictedBox(at time: Double) -> BoundingBox {
        let velocity = history.velocity
        let elapsed = time - lastSeen
        var moved = box
        moved.x += Float(velocity.x * elapsed)
        moved.y += Float(velocity.y * elapsed)
        return moved
    }

    mutating func observe(_ track: TrackedObject, at time: Double, config: ActivityConfig) {
        classVotes[track.className, default: 0] += track.confidence
        guard !seenThisUpdate else { return }
        seenThisUpdate = true
        lastClassName = track.className
        lastSeen = time
        hits += 1
        missedUpdates = 0
        box = track.box
        history.append(track.box, at: time, window: config.motionWindow)
        trail.append(TimedBox(time: time, box: track.box, confidence: track.confidence))
    }

    func event(_ kind: ActivityKind, start: Double, end: Double, from: MotionState? = nil, to: MotionState? = nil) -> ActivityEvent {
        ActivityEvent(kind: kind, className: className, trackID: id, start: start, end: end, from: from, to: to, boxes: trail.boxes)
    }
}
