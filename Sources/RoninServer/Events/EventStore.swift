import FluentKit
import Foundation
import RoninCore
import SQLKit

/// Reads and writes `events` and `live_watches`. Writes are idempotent by `dedupe_key`, so an
/// event written twice (a retried job, a replayed watch) is one row.
struct EventStore: Sendable {
    let database: @Sendable () -> any Database

    /// What a list of events is narrowed to (every part optional).
    struct Filter: Sendable {
        var camera: UUID?
        var classes: [String] = []
        var kinds: [String] = []
        var sources: [String] = []
        var start: Date?
        var end: Date?
        var reviewed: Bool?
        var ongoing: Bool?
    }

    /// The row made from an activity event whose times count from `origin`, with boxes in
    /// pixels of a `frameWidth` x `frameHeight` frame.
    static func model(of activity: ActivityEvent, camera: UUID, source: EventModel.Source, origin: Date, frameWidth: Int, frameHeight: Int,
                      dedupeKey: String, recording: UUID? = nil, now: Date = Date()) -> EventModel {
        let width = Double(max(1, frameWidth)), height = Double(max(1, frameHeight))
        let boxes = activity.boxes.map { timed -> EventBox in
            let x = max(0, min(1, Double(timed.box.x) / width)), y = max(0, min(1, Double(timed.box.y) / height))
            return EventBox(time: origin.addingTimeInterval(timed.time), x: x, y: y,
                            width: max(0, min(1 - x, Double(timed.box.width) / width)), height: max(0, min(1 - y, Double(timed.box.height) / height)),
                            confidence: Double(timed.confidence))
        }
        let event = EventModel()
        event.id = UUID()
        event.cameraID = camera
        event.kind = activity.kind.rawValue
        event.className = activity.className
        event.trackID = activity.trackID
        event.source = source.rawValue
        event.start = origin.addingTimeInterval(activity.start)
        let end = origin.addingTimeInterval(activity.end)
        // An arrival goes on until its object departs; the others are over when they are reported.
        event.ongoing = activity.kind == .arrival && source == .live
        event.end = event.ongoing ? nil : end
        event.lastSeen = end
        event.peakConfidence = boxes.map(\.confidence).max() ?? 0
        event.fromState = activity.from?.rawValue
        event.toState = activity.to?.rawValue
        event.boxesJSON = EventBox.encode(boxes)
        event.recordingID = recording
        event.reviewed = false
        event.locked = false
        event.artifacts = EventModel.ArtifactsState.pending.rawValue
        event.dedupeKey = dedupeKey
        event.createdAt = now
        event.updatedAt = now
        return event
    }

    /// Writes `event` unless one with its dedupe key exists; returns the stored row and whether
    /// it is new.
    func insert(_ event: EventModel) async throws -> (event: EventModel, isNew: Bool) {
        if let existing = try await EventModel.query(on: database()).filter(\.$dedupeKey == event.dedupeKey).first() {
            return (existing, false)
        }
        try await event.create(on: database())
        return (event, true)
    }

    /// Closes an ongoing event at `end` (its object left or the watch ended), keeping the boxes
    /// seen since it started.
    func close(_ id: UUID, end: Date, boxes: [EventBox]? = nil, now: Date = Date()) async throws -> EventModel? {
        guard let event = try await EventModel.find(id, on: database()), event.ongoing else { return nil }
        event.ongoing = false
        event.end = max(end, event.start)
        event.lastSeen = max(event.lastSeen, end)
        if let boxes {
            var merged = event.boxes
            merged += boxes.filter { box in !merged.contains { $0.time == box.time } }
            event.boxesJSON = EventBox.encode(Array(merged.sorted { $0.time < $1.time }.suffix(32)))
            event.peakConfidence = max(event.peakConfidence, boxes.map(\.confidence).max() ?? 0)
        }
        event.updatedAt = now
        try await event.save(on: database())
        return event
    }

    func find(_ id: UUID) async throws -> EventModel? {
        try await EventModel.find(id, on: database())
    }

    /// Camera names by id, for answers that show them.
    func cameraNames(_ ids: Set<UUID>) async throws -> [UUID: String] {
        guard !ids.isEmpty else { return [:] }
        let cameras = try await CameraModel.query(on: database()).filter(\.$id ~~ Array(ids)).all()
        return Dictionary(uniqueKeysWithValues: cameras.compactMap { camera in camera.id.map { ($0, camera.name) } })
    }

    func response(_ event: EventModel) async throws -> EventResponse {
        let names = try await cameraNames([event.cameraID])
        return EventResponse(event, cameraName: names[event.cameraID] ?? "")
    }

    /// Events matching `filter`, newest first, a page at a time.
    func list(_ filter: Filter, limit: Int, after cursor: PageCursor?) async throws -> (events: [EventModel], total: Int, next: PageCursor?) {
        func matching(_ query: QueryBuilder<EventModel>) -> QueryBuilder<EventModel> {
            var query = query
            if let camera = filter.camera { query = query.filter(\.$cameraID == camera) }
            if !filter.classes.isEmpty { query = query.filter(\.$className ~~ filter.classes) }
            if !filter.kinds.isEmpty { query = query.filter(\.$kind ~~ filter.kinds) }
            if !filter.sources.isEmpty { query = query.filter(\.$source ~~ filter.sources) }
            if let start = filter.start { query = query.filter(\.$start >= start) }
            if let end = filter.end { query = query.filter(\.$start < end) }
            if let reviewed = filter.reviewed { query = query.filter(\.$reviewed == reviewed) }
            if let ongoing = filter.ongoing { query = query.filter(\.$ongoing == ongoing) }
            return query
        }
        var page = matching(EventModel.query(on: database()))
        if let cursor {
            page = page.group(.or) { group in
                group.filter(\.$start < cursor.instantBefore)
                    .group(.and) { $0.filter(\.$start <= cursor.instantAfter).filter(\.$id < cursor.id) }
            }
        }
        var events = try await page.sort(\.$start, .descending).sort(\.$id, .descending).limit(limit + 1).all()
        let more = events.count > limit
        if more { events.removeLast() }
        let total = try await matching(EventModel.query(on: database())).count()
        let next = more ? events.last.flatMap { event in event.id.map { PageCursor(instant: event.start, id: $0) } } : nil
        return (events, total, next)
    }

    // MARK: Live watches

    func openWatch(camera: UUID, at start: Date) async throws -> UUID {
        let id = UUID()
        guard let sql = database() as? any SQLDatabase else { throw JobQueueError("the database does not speak SQL") }
        try await sql.raw("INSERT INTO live_watches (id, camera_id, start_at, last_frame_at) VALUES (\(bind: id), \(bind: camera), \(bind: start), \(bind: start))").run()
        return id
    }

    func touchWatch(_ id: UUID, at time: Date) async throws {
        guard let sql = database() as? any SQLDatabase else { return }
        try await sql.raw("UPDATE live_watches SET last_frame_at = \(bind: time) WHERE id = \(bind: id)").run()
    }

    func endWatch(_ id: UUID, at time: Date) async throws {
        guard let sql = database() as? any SQLDatabase else { return }
        try await sql.raw("UPDATE live_watches SET last_frame_at = \(bind: time), end_at = \(bind: time) WHERE id = \(bind: id)").run()
    }

    /// After a crash, or when a camera's live worker stopped: the camera's watches left open end
    /// at their last frame, and its live events still ongoing close there (every camera's when
    /// `camera` is nil). Returns the events closed.
    func endAbandonedWatches(camera: UUID? = nil, now: Date = Date()) async throws -> [EventModel] {
        guard let sql = database() as? any SQLDatabase else { return [] }
        if let camera {
            try await sql.raw("UPDATE live_watches SET end_at = last_frame_at WHERE end_at IS NULL AND camera_id = \(bind: camera)").run()
        } else {
            try await sql.raw("UPDATE live_watches SET end_at = last_frame_at WHERE end_at IS NULL").run()
        }
        var query = EventModel.query(on: database()).filter(\.$ongoing == true).filter(\.$source == EventModel.Source.live.rawValue)
        if let camera { query = query.filter(\.$cameraID == camera) }
        let ongoing = try await query.all()
        var closed: [EventModel] = []
        for event in ongoing {
            let row = try await sql.raw("""
                SELECT MAX(last_frame_at) AS last FROM live_watches WHERE camera_id = \(bind: event.cameraID) AND start_at <= \(bind: event.lastSeen)
                """).first()
            let last = (try? row?.decode(column: "last", as: Date?.self)) ?? nil
            if let id = event.id, let event = try await close(id, end: max(last ?? event.lastSeen, event.lastSeen), now: now) { closed.append(event) }
        }
        return closed
    }

    /// When live detection watched `camera` around `start`...`end`.
    func coverage(camera: UUID, start: Date, end: Date, on db: (any Database)? = nil) async throws -> LiveCoverage {
        guard let sql = (db ?? database()) as? any SQLDatabase else { return LiveCoverage(watches: []) }
        let rows = try await sql.raw("""
            SELECT start_at, last_frame_at, end_at FROM live_watches
            WHERE camera_id = \(bind: camera) AND start_at <= \(bind: end.addingTimeInterval(60)) AND last_frame_at >= \(bind: start.addingTimeInterval(-60))
            """).all()
        let watches = try rows.map { row in
            let ended = try row.decode(column: "end_at", as: Date?.self)
            let last = try row.decode(column: "last_frame_at", as: Date.self)
            // An open watch whose frames stopped more than a minute ago belongs to a process that died.
            let end: Date? = ended ?? (Date().timeIntervalSince(last) > 60 ? last : nil)
            return LiveCoverage.Watch(start: try row.decode(column: "start_at", as: Date.self), end: end)
        }
        return LiveCoverage(watches: watches)
    }
}
