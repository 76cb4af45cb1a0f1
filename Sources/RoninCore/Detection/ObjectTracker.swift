import Foundation

/// Keeps identities across frames: each frame's detections are matched to held tracks of the
/// same class, greedily by IoU (best pair first, at least `iouThreshold`); unmatched detections
/// start new tracks.
///
/// Each track also remembers its last velocity, and a detection is compared with both the last
/// box and the box moved on by that velocity. At 1-2 fps a walking person can move more than
/// their own width between frames, so when no box overlaps enough, a detection of similar size
/// whose centre is within `maxSpeed` box sizes per second (over at most one second) still
/// matches; such matches rank below every IoU match.
/// Memory is short: a track that was missed in an update and has not been seen for more than
/// `maxAge` seconds is forgotten, and an object seen again after that gets a new id. Gaps with
/// no updates at all (the motion gate skipping a still scene) do not age tracks out by themselves.
public struct ObjectTracker: Sendable {
    public let iouThreshold: Float
    public let maxAge: Double
    public let maxSpeed: Float
    private var tracks: [Track] = []
    private var nextID = 1

    /// A track plus what matching needs and callers do not.
    private struct Track: Sendable {
        var object: TrackedObject
        var velocityX: Float = 0
        var velocityY: Float = 0
        var missed = false

        func predicted(at time: Double) -> BoundingBox {
            let elapsed = Float(time - object.lastSeen)
            var box = object.box
            box.x += velocityX * elapsed
            box.y += velocityY * elapsed
            return box
        }

        /// IoU with the last or predicted box when it reaches `threshold`; otherwise a score below
        /// `threshold` that falls with centre distance, for nearby boxes of similar size; else 0.
        func affinity(_ detection: Detection, at time: Double, threshold: Float, maxSpeed: Float) -> Float {
            guard detection.className == object.className else { return 0 }
            let expected = predicted(at: time)
            let iou = max(object.box.iou(detection.box), expected.iou(detection.box))
            if iou >= threshold { return iou }
            let size = object.box.area.squareRoot()
            let ratio = detection.box.area / max(object.box.area, 1)
            let reach = size * maxSpeed * Float(min(max(time - object.lastSeen, 0), 1))
            guard reach > 0, ratio > 0.5, ratio < 2 else { return 0 }
            let dx = detection.box.centerX - expected.centerX
            let dy = detection.box.centerY - expected.centerY
            let distance = (dx * dx + dy * dy).squareRoot()
            return distance < reach ? threshold * 0.99 * (1 - distance / reach) : 0
        }
    }

    /// `maxSpeed` is in box sizes (square root of the box area) per second; 0 matches by IoU only.
    public init(iouThreshold: Float = 0.3, maxAge: Double = 2.0, maxSpeed: Float = 2) {
        self.iouThreshold = iouThreshold
        self.maxAge = maxAge
        self.maxSpeed = maxSpeed
    }

    /// Every track currently held, seen in this frame or not, by id.
    public var active: [TrackedObject] { tracks.map(\.object) }

    /// Matches `detections` (one frame, taken at `time`) and returns the tracks matched or born
    /// in this frame, by id. A clock that goes backwards (a restarted source) drops every track.
    public mutating func update(_ detections: [Detection], at time: Double) -> [TrackedObject] {
        tracks.removeAll { ($0.missed && time - $0.object.lastSeen > maxAge) || time < $0.object.lastSeen }
        var pairs: [(track: Int, detection: Int, score: Float)] = []
        for (trackIndex, track) in tracks.enumerated() {
            for (detectionIndex, detection) in detections.enumerated() {
                let score = track.affinity(detection, at: time, threshold: iouThreshold, maxSpeed: maxSpeed)
                if score > 0 { pairs.append((trackIndex, detectionIndex, score)) }
            }
        }
        pairs.sort { $0.score != $1.score ? $0.score > $1.score : ($0.track, $0.detection) < ($1.track, $1.detection) }
        var trackTaken = [Bool](repeating: false, count: tracks.count)
        var detectionTaken = [Bool](repeating: false, count: detections.count)
        var seen: [TrackedObject] = []
        for pair in pairs where !trackTaken[pair.track] && !detectionTaken[pair.detection] {
            trackTaken[pair.track] = true
            detectionTaken[pair.detection] = true
            observe(&tracks[pair.track], detections[pair.detection], at: time)
            seen.append(tracks[pair.track].object)
        }
        for index in tracks.indices where !trackTaken[index] {
            tracks[index].missed = true
        }
        for (index, detection) in detections.enumerated() where !detectionTaken[index] {
            let object = TrackedObject(
                id: nextID, className: detection.className, box: detection.box,
                confidence: detection.confidence, firstSeen: time, lastSeen: time, hits: 1)
            nextID += 1
            tracks.append(Track(object: object))
            seen.append(object)
        }
        return seen.sorted { $0.id < $1.id }
    }

    private func observe(_ track: inout Track, _ detection: Detection, at time: Double) {
        let elapsed = Float(time - track.object.lastSeen)
        if elapsed > 0 {
            track.velocityX = (detection.box.centerX - track.object.box.centerX) / elapsed
            track.velocityY = (detection.box.centerY - track.object.box.centerY) / elapsed
        }
        track.object.box = detection.box
        track.object.confidence = detection.confidence
        track.object.lastSeen = time
        track.object.hits += 1
        track.missed = false
    }
}
