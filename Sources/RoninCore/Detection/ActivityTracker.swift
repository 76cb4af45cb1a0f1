import Foundation

/// Turns tracks into activity: arrivals, departures and moving <-> stationary changes, one event
/// per real-world happening.
///
/// Feed it the tracks of every inferred frame (`ObjectTracker.update`'s result, possibly empty).
/// Rules, with the numbers in `ActivityConfig`:
/// - An object counts once seen in `confirmHits` frames; a single spurious frame never does.
/// - Objects first seen within `warmUp` of the first frame were already there: they never
///   arrive, but they can depart. After warm-up, an object arrives when confirmed, or (with
///   `arrivalNeedsMovement`) once seen moving; one first found standing still was only uncovered.
/// - A new track that overlaps a lost object of a related class continues it, and a duplicate
///   box of a related class (car and truck on one van) joins it, so flicker is not departure
///   plus arrival. An object departs after `departureGrace` seconds and `departureMisses` inferred
///   frames without it.
/// - Moving / stationary comes from box-centre displacement in box sizes over `motionWindow`,
///   with hysteresis; only changes of a counted object are events.
public struct ActivityTracker: Sendable {
    public let config: ActivityConfig
    private var objects: [ActivityObject] = []
    private var objectForTrack: [Int: Int] = [:]
    private var watchStart: Double?
    private var lastUpdate: Double?
    private static let trackIDsPerObject = 4

    public init(config: ActivityConfig = .init()) {
        self.config = config
    }

    /// Objects currently followed, counted or not.
    public var objectCount: Int { objects.count }

    /// The most confident box so far of each counted object, by the id its events carry: what a
    /// snapshot of the object's event should show.
    public var bestBoxes: [Int: TimedBox] {
        Dictionary(objects.compactMap { object in object.phase == .present ? object.trail.best.map { (object.id, $0) } : nil },
                   uniquingKeysWith: { first, _ in first })
    }

    /// Takes the tracks seen in the frame at `time` and returns the events it completes.
    /// A clock that goes backwards (a restarted source) finishes the previous watch first.
    public mutating func update(_ tracks: [TrackedObject], at time: Double) -> [ActivityEvent] {
        var events: [ActivityEvent] = []
        if let lastUpdate, time < lastUpdate { events = finish(at: lastUpdate) }
        lastUpdate = time
        if watchStart == nil { watchStart = time }
        for index in objects.indices { objects[index].seenThisUpdate = false }
        for track in tracks.sorted(by: { $0.id < $1.id }) {
            let index = objectIndex(for: track, at: time)
            objects[index].observe(track, at: time, config: config)
        }
        for index in objects.indices {
            if objects[index].seenThisUpdate {
                events += advance(&objects[index], at: time)
            } else {
                objects[index].missedUpdates += 1
            }
        }
        let gone = objects.filter {
            let grace = $0.isStill ? config.stationaryDepartureGrace : config.departureGrace
            return $0.missedUpdates >= config.departureMisses && time - $0.lastSeen >= grace
        }
        return events + remove(gone)
    }

    /// Ends the watch at `time`: counted objects that were moving and are missing from the latest
    /// frame depart (ones still in view did not leave, and a stationary one out of sight is more
    /// likely hidden than gone), then everything is forgotten.
    public mutating func finish(at time: Double) -> [ActivityEvent] {
        let events = remove(objects.filter { $0.missedUpdates > 0 && !$0.isStill })
        objects.removeAll()
        objectForTrack.removeAll()
        watchStart = nil
        lastUpdate = nil
        return events
    }

    /// The object a track belongs to: its own, a lost or duplicated one it continues, or a new one.
    private mutating func objectIndex(for track: TrackedObject, at time: Double) -> Int {
        if let objectID = objectForTrack[track.id], let index = objects.firstIndex(where: { $0.id == objectID }) {
            return index
        }
        var best: (index: Int, iou: Float)?
        for (index, object) in objects.enumerated() where object.isRelated(to: track.className, config: config) {
            let iou = max(object.box.iou(track.box), object.predictedBox(at: time).iou(track.box))
            let needed = object.seenThisUpdate
                ? (object.lastClassName == track.className ? Float.infinity : max(0.5, config.reassociationIoU))
                : config.reassociationIoU
            if iou >= needed, iou > (best?.iou ?? 0) { best = (index, iou) }
        }
        if let best {
            link(track.id, to: best.index)
            return best.index
        }
        objects.append(ActivityObject(id: track.id, time: track.firstSeen, box: track.box, recentBoxes: config.recentBoxes))
        link(track.id, to: objects.count - 1)
        return objects.count - 1
    }

    private mutating func link(_ trackID: Int, to index: Int) {
        objectForTrack[trackID] = objects[index].id
        objects[index].trackIDs.append(trackID)
        while objects[index].trackIDs.count > Self.trackIDsPerObject {
            objectForTrack[objects[index].trackIDs.removeFirst()] = nil
        }
    }

    /// Motion state and phase of an object seen at `time`, and the events they produce.
    private func advance(_ object: inout ActivityObject, at time: Double) -> [ActivityEvent] {
        var events: [ActivityEvent] = []
        if let change = object.settleState(at: time, config: config), object.phase == .present {
            events.append(object.event(.stateChange, start: change.start, end: change.end, from: change.from, to: change.to))
        }
        if object.phase == .tentative, object.hits >= config.confirmHits {
            if object.firstSeen <= (watchStart ?? time) + config.warmUp {
                object.phase = .present
            } else {
                object.phase = .awaitingMovement
            }
        }
        if object.phase == .awaitingMovement {
            if !config.arrivalNeedsMovement || object.state == .moving {
                object.phase = .present
                events.append(object.event(.arrival, start: object.firstSeen, end: time))
            } else if object.state == .stationary {
                object.phase = .present
            }
        }
        return events
    }

    /// Forgets `gone` objects, returning departures for those that had counted.
    private mutating func remove(_ gone: [ActivityObject]) -> [ActivityEvent] {
        guard !gone.isEmpty else { return [] }
        let ids = Set(gone.map(\.id))
        objects.removeAll { ids.contains($0.id) }
        objectForTrack = objectForTrack.filter { !ids.contains($0.value) }
        return gone.filter { $0.phase == .present }.map { $0.event(.departure, start: $0.firstSeen, end: $0.lastSeen) }
    }
}
