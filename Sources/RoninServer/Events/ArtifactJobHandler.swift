import Foundation
import RoninCore
import RoninMedia

/// Makes an event's snapshot (`artifacts` jobs): its most confident moment with the box and label
/// drawn and the same frame clean, when the event is written and again when it is over (from a
/// better frame, if live detection saw one). The mosaic and the clip are made when first asked
/// for (`EventMediaMaker`), and by this job for a locked event, which keeps them. Everything is
/// made again when the job runs twice, so a retry after a crash leaves the same files.
///
/// Footage of a moment that is not in a file yet (the segment being written lags by a second)
/// is retried; footage that is gone for good fails the event's artifacts, with the reason.
struct ArtifactJobHandler: JobHandler {
    static let kind = "artifacts"

    /// An `artifacts` job's payload.
    struct Payload: Codable, Sendable {
        let event_id: UUID
        /// The event is over: its snapshot is made for good.
        let final: Bool
        /// Also make the mosaic and the clip now (the event is locked: it keeps them).
        var keep: Bool? = nil
        /// Events of the same object over the same time (a departure beside its arrival) that get
        /// the same snapshot, made once.
        var shared: [UUID]? = nil
    }

    var kind: String { Self.kind }
    let store: EventStore
    let files: ArtifactFiles
    let renderer: ArtifactRenderer
    let media: EventMediaMaker
    let locator: FootageLocator
    let bus: EventBus

    func unavailableReason() async -> String? { nil }

    static func job(for event: EventModel, final: Bool, generation: Int, runAt: Date, shared: [UUID] = []) -> NewJob {
        let id = event.id!
        let payload = encode(Payload(event_id: id, final: final, shared: shared.isEmpty ? nil : shared))
        // The first snapshot is what notifications and the live feed show: it comes first.
        return NewJob(kind: kind, payload: payload, priority: JobPriority.live - (final ? 20 : 5), runAt: runAt, maxAttempts: 6,
                      uniqueKey: "artifacts:\(id.uuidString.lowercased()):\(generation)", cameraID: event.cameraID, recordingID: nil)
    }

    /// The job that makes a locked event's mosaic and clip, so they outlive its footage.
    static func keepJob(for event: EventModel) -> NewJob {
        let id = event.id!
        return NewJob(kind: kind, payload: encode(Payload(event_id: id, final: !event.ongoing, keep: true)), priority: JobPriority.live - 20,
                      runAt: Date(), maxAttempts: 6, uniqueKey: "artifacts:\(id.uuidString.lowercased()):keep", cameraID: event.cameraID,
                      recordingID: nil)
    }

    private static func encode(_ payload: Payload) -> String {
        String(decoding: (try? JSONEncoder().encode(payload)) ?? Data(), as: UTF8.self)
    }

    func run(_ job: Job, context: JobContext) async throws -> String? {
        guard let payload = try? JSONDecoder().decode(Payload.self, from: Data(job.payload.utf8)) else {
            throw PermanentJobError("the job's payload is not an artifacts request: \(job.payload.prefix(200))")
        }
        // A deleted event needs nothing.
        guard let event = try await store.find(payload.event_id), let id = event.id else { return nil }
        do {
            try await make(event, id: id, payload: payload, context: context)
        } catch let error as PermanentJobError {
            try await mark(event, state: .failed, error: error.description)
            throw error
        } catch {
            // Footage this old that cannot be read will not appear any more.
            if Date().timeIntervalSince(event.end ?? event.lastSeen) > 600 {
                try await mark(event, state: .failed, error: "\(error)")
                throw PermanentJobError("\(error)")
            }
            throw error
        }
        try await mark(event, state: .ready, error: nil)
        for other in payload.shared ?? [] { try await share(from: event, id: id, to: other) }
        return #"{"final": \#(payload.final)}"#
    }

    private func make(_ event: EventModel, id: UUID, payload: Payload, context: JobContext) async throws {
        _ = try files.prepare(camera: event.cameraID, event: id)
        try await makeSnapshot(event, id: id, final: payload.final)
        context.report(progress: 0.3)
        // A locked event keeps its mosaic and clip; a locked event still going on gets them when it is over.
        guard payload.keep == true || (payload.final && event.locked), !event.ongoing else { return }
        do {
            let mosaic = try await media.file(.mosaic, of: event)
            context.report(progress: 0.6)
            let clip = try await media.file(.clip, of: event)
            // The footage after the event is still being recorded: try again later (backoff).
            guard mosaic.final, clip.final else { throw ArtifactError("the footage of the event's clip is not all recorded yet") }
        } catch is NoEventFootage {
            // Nothing to keep: the footage went before the event was locked.
        }
    }

    /// The snapshot: from the frame live detection saw the box in when there is one, otherwise
    /// from the footage at the most confident box. While the event goes on, the live frame is the
    /// best one so far; once it is over, the live frame is used only when it holds the event's
    /// most confident box (its pixels are then removed; its description stays, to say so).
    private func makeSnapshot(_ event: EventModel, id: UUID, final: Bool) async throws {
        let annotated = files.snapshot(camera: event.cameraID, event: id)
        let clean = files.snapshot(camera: event.cameraID, event: id, boxes: false)
        let live = files.liveFrame(camera: event.cameraID, event: id)
        let best = event.bestBox
        if let description = liveFrameDescription(live),
           !final || best.map({ abs($0.time.timeIntervalSince(description.time)) < 0.01 }) ?? false {
            if FileManager.default.fileExists(atPath: live.pixels) {
                let box = event.boxes.min { abs($0.time.timeIntervalSince(description.time)) < abs($1.time.timeIntervalSince(description.time)) }
                try await renderer.snapshot(rawFrame: live.pixels, width: description.width, height: description.height, boxes: label(box, event),
                                            annotated: annotated, clean: clean)
                removeScaledCopies(event, id: id)
                // The recorder saved a better frame while this one was drawn: draw that one.
                if liveFrameDescription(live)?.time != description.time { return try await makeSnapshot(event, id: id, final: final) }
                if final { try? FileManager.default.removeItem(atPath: live.pixels) }
                return
            }
            // Drawn from this very frame by an earlier run of this job.
            if FileManager.default.fileExists(atPath: annotated) { return }
        }
        let instant = best?.time ?? event.start
        guard let frame = try await locator.frame(camera: event.cameraID, at: instant) else {
            throw ArtifactError("no footage of \(ISO8601.string(instant)) yet")
        }
        try await renderer.snapshot(path: frame.path, offset: frame.offset, width: nil, boxes: label(best, event), annotated: annotated, clean: clean)
        removeScaledCopies(event, id: id)
    }

    /// The saved live frame's description.
    private func liveFrameDescription(_ live: (pixels: String, description: String)) -> LiveFrameDescription? {
        guard let data = FileManager.default.contents(atPath: live.description) else { return nil }
        return try? JSONDecoder.api.decode(LiveFrameDescription.self, from: data)
    }

    private func label(_ box: EventBox?, _ event: EventModel) -> [ArtifactRenderer.Box] {
        box.map { [ArtifactRenderer.Box(x: $0.x, y: $0.y, width: $0.width, height: $0.height,
                                        label: "\(event.className) \(Int(($0.confidence * 100).rounded()))%")] } ?? []
    }

    private func removeScaledCopies(_ event: EventModel, id: UUID) {
        let folder = files.directory(camera: event.cameraID, event: id)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where name.contains("-") && name.hasSuffix(".jpg") {
            try? FileManager.default.removeItem(atPath: folder + "/" + name)
        }
    }

    /// Gives another event of the same object the snapshot just made (hard links: no copy).
    private func share(from event: EventModel, id: UUID, to other: UUID) async throws {
        guard let target = try await store.find(other) else { return }
        let source = files.directory(camera: event.cameraID, event: id)
        let folder = try files.prepare(camera: target.cameraID, event: other)
        for name in ["snapshot.jpg", "clean.jpg"] where FileManager.default.fileExists(atPath: source + "/" + name) {
            try? FileManager.default.removeItem(atPath: folder + "/" + name)
            if link(source + "/" + name, folder + "/" + name) != 0 {
                try FileManager.default.copyItem(atPath: source + "/" + name, toPath: folder + "/" + name)
            }
        }
        try await mark(target, state: .ready, error: nil)
    }

    private func mark(_ event: EventModel, state: EventModel.ArtifactsState, error: String?) async throws {
        // Re-read: the event may have closed while the pictures were made.
        guard let id = event.id, let current = try await store.find(id) else { return }
        if state == .failed, current.artifacts == EventModel.ArtifactsState.ready.rawValue { return }
        current.artifacts = state.rawValue
        current.artifactsError = error
        current.updatedAt = Date()
        try await current.save(on: store.database())
        bus.publish(.activity(try await store.response(current)))
    }
}
