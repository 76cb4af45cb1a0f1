import Foundation
import RoninCore
import RoninMedia

/// The frame saved beside an event: its size and its UTC instant.
struct LiveFrameDescription: Codable, Sendable {
    let width: Int
    let height: Int
    let time: Date
}

/// Writes what one live watch of one camera reports: an arrival as an ongoing event, closed
/// when its object departs (the departure written beside it); state changes as they come; at
/// the end of the watch, arrivals still open close at the last frame. Used by one watcher task.
final class LiveEventRecorder: @unchecked Sendable {
    let camera: UUID
    let watch: UUID
    let origin: Date
    let store: EventStore
    let flow: EventFlow
    let files: ArtifactFiles
    /// The latest analysed frames, so a new event's snapshot is the very frame its box is from.
    private var recentFrames: [Frame] = []
    static let framesKept = 8
    private var openArrivals: [Int: UUID] = [:]
    /// The time of the frame saved for each open arrival, by track id.
    private var savedFrameTimes: [Int: Double] = [:]
    private var counters: [String: Int] = [:]

    init(camera: UUID, watch: UUID, origin: Date, store: EventStore, flow: EventFlow, files: ArtifactFiles) {
        self.files = files
        self.camera = camera
        self.watch = watch
        self.origin = origin
        self.store = store
        self.flow = flow
    }

    func record(_ activities: [ActivityEvent], frameWidth: Int, frameHeight: Int) async throws {
        for activity in activities {
            let counterKey = "\(activity.trackID):\(activity.kind.rawValue)"
            let number = counters[counterKey, default: 0]
            counters[counterKey] = number + 1
            let key = "live:\(camera.uuidString.lowercased()):\(watch.uuidString.lowercased()):\(counterKey):\(number)"
            let event = EventStore.model(of: activity, camera: camera, source: .live, origin: origin, frameWidth: frameWidth,
                                         frameHeight: frameHeight, dedupeKey: key)
            let stored = try await store.insert(event)
            // A departure closes its object's arrival; both cover the same footage, so the
            // arrival's artifacts job makes the files of both.
            let arrival = activity.kind == .departure ? openArrivals.removeValue(forKey: activity.trackID) : nil
            if arrival != nil { savedFrameTimes[activity.trackID] = nil }
            // A departure beside its arrival shows the arrival's pictures: no frame of its own.
            if stored.isNew, arrival == nil, let id = stored.event.id {
                let kept = keepFrame(for: activity, event: id)
                if activity.kind == .arrival, let kept { savedFrameTimes[activity.trackID] = kept }
            }
            if stored.isNew {
                await flow.written(stored.event, artifactsMadeElsewhere: arrival != nil)
            }
            if let arrival {
                if let closed = try await store.close(arrival, end: event.lastSeen, boxes: event.boxes) {
                    await flow.closed(closed, shared: [stored.event.id].compactMap { $0 })
                } else if stored.isNew {
                    await flow.makeArtifacts(of: stored.event)
                }
            }
            if activity.kind == .arrival, let id = stored.event.id { openArrivals[activity.trackID] = id }
        }
    }

    /// Remembers an analysed frame (times on the watch's clock, as the events' boxes).
    func analysed(_ frame: Frame) {
        recentFrames.append(frame)
        if recentFrames.count > Self.framesKept { recentFrames.removeFirst(recentFrames.count - Self.framesKept) }
    }

    /// After an analysed frame: an open arrival whose object was seen more confidently than
    /// ever in this very frame gets it as its snapshot's frame (`best`: each counted object's most
    /// confident box so far, by track id), so the closed event shows its best moment.
    func keepBetterFrames(_ frame: Frame, best: [Int: TimedBox]) {
        for (track, id) in openArrivals {
            guard let box = best[track], abs(box.time - frame.time) < 0.001, savedFrameTimes[track] != frame.time else { continue }
            if save(frame, event: id) { savedFrameTimes[track] = frame.time }
        }
    }

    /// Saves the frame of the event's most confident box that is still at hand, for its
    /// snapshot; returns its time.
    private func keepFrame(for activity: ActivityEvent, event id: UUID) -> Double? {
        for box in activity.boxes.sorted(by: { $0.confidence > $1.confidence }) {
            guard let frame = recentFrames.first(where: { abs($0.time - box.time) < 0.001 }) else { continue }
            return save(frame, event: id) ? frame.time : nil
        }
        return nil
    }

    /// Writes the frame, then its description (the artifacts job reads them in the other order
    /// and checks the description again after reading the pixels).
    private func save(_ frame: Frame, event id: UUID) -> Bool {
        let paths = files.liveFrame(camera: camera, event: id)
        let description = LiveFrameDescription(width: frame.width, height: frame.height, time: origin.addingTimeInterval(frame.time))
        do {
            _ = try files.prepare(camera: camera, event: id)
            try Data(frame.rgb).write(to: URL(fileURLWithPath: paths.pixels), options: .atomic)
            try JSONEncoder.api.encode(description).write(to: URL(fileURLWithPath: paths.description), options: .atomic)
            return true
        } catch {
            return false
        }
    }

    /// Closes the arrivals whose objects were still in view when the watch ended at `time`.
    func finish(at time: Date) async throws {
        for (_, id) in openArrivals {
            if let closed = try await store.close(id, end: time) { await flow.closed(closed) }
        }
        openArrivals.removeAll()
        savedFrameTimes.removeAll()
    }
}
