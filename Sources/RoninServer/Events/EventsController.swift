import FluentKit
import Foundation
import Hummingbird
import Logging
import RoninCore
import RoninMedia

/// `/api/events`: the activity log (list, one event, review, lock, delete) and each event's
/// artifacts (snapshot, mosaic, clip). See docs/api.md, Events.
struct EventsController {
    static let maxLimit = 500
    static let defaultLimit = 50
    static let kinds = ["arrival", "departure", "state_change"]
    static let sources = ["live", "historical"]

    let store: EventStore
    let files: ArtifactFiles
    let renderer: ArtifactRenderer
    let media: EventMediaMaker
    let queue: JobQueue
    let bus: EventBus
    let logger: Logger
    let responder = FileResponder()

    /// `PATCH /api/events/{id}`'s body.
    struct Change: Decodable {
        let reviewed: Bool?
        let locked: Bool?
    }

    struct Page: Codable, Sendable, ExplicitNullEncodable {
        let events: [EventResponse]
        let total: Int
        let next_cursor: String?
    }

    func register(on api: APIRouteTable) {
        api.add(APIOperation(.get, "/api/events", "Activity events, newest first, page by page", tag: "events", access: .signedIn)
            .query("camera_id", "string", "Only this camera").query("class", "string", "Only these classes, comma-separated")
            .query("kind", "string", "arrival, departure, state_change (comma-separated)").query("source", "string", "live or historical")
            .query("start", "string", "Events starting at or after (UTC ISO 8601)").query("end", "string", "Events starting before")
            .query("reviewed", "boolean", "Only reviewed (true) or unreviewed (false)").query("ongoing", "boolean", "Only ongoing or only finished")
            .query("limit", "integer", "Events per page, 1 to 500 (default 50)").query("cursor", "string", "next_cursor of the previous page")
            .returns(200, "A page of events", "EventPage").returns(400, "Bad parameters", "Error"), handler: list)
        api.add(APIOperation(.get, "/api/events/{id}", "One event", tag: "events", access: .signedIn)
            .returns(200, "The event", "Event").returns(404, "No such event", "Error"), handler: get)
        api.add(APIOperation(.patch, "/api/events/{id}", "Mark an event reviewed, or lock it (admins) so it is kept", tag: "events", access: .signedIn)
            .body("EventChange").returns(200, "The event", "Event").returns(403, "Locking needs an admin", "Error")
            .returns(404, "No such event", "Error").returns(422, "Nothing to change", "Error"), handler: patch)
        api.add(APIOperation(.delete, "/api/events/{id}", "Delete an event and its artifacts", tag: "events", access: .admin)
            .returns(204, "Deleted").returns(404, "No such event", "Error").returns(409, "The event is locked", "Error"), handler: delete)
        api.add(APIOperation(.get, "/api/events/{id}/snapshot.jpg", "The event's best frame, with its box drawn (boxes=0: clean)", tag: "events",
                             access: .signedIn)
            .query("boxes", "boolean", "Draw the boxes (default true)").query("height", "integer", "Scale to this height, 16 to 2160")
            .returns(200, "JPEG", nil, contentType: "image/jpeg").returns(404, "No such event, or not made yet", "Error").withHead(), handler: snapshot)
        api.add(APIOperation(.get, "/api/events/{id}/mosaic.jpg", "Four moments of the event, 2x2, each with its time", tag: "events", access: .signedIn)
            .returns(200, "JPEG", nil, contentType: "image/jpeg").returns(404, "No such event, or no footage", "Error").withHead(), handler: mosaic)
        api.add(APIOperation(.get, "/api/events/{id}/clip.mp4", "The event's footage with EVENT_PRE_SECONDS before and EVENT_POST_SECONDS after",
                             tag: "events", access: .signedIn)
            .returns(200, "MP4 (range requests answered with 206)", nil, contentType: "video/mp4")
            .returns(404, "No such event, or no footage", "Error").withHead(), handler: clip)
    }

    @Sendable func list(_ request: Request, context: RoninRequestContext) async throws -> JSONResponse<Page> {
        let query = request.uri.queryParameters
        var filter = EventStore.Filter()
        if let raw = query.get("camera_id") {
            guard let camera = UUID(uuidString: raw) else { throw APIError.badRequest("'\(ErrorMiddleware.printable(raw))' is not a valid camera id") }
            filter.camera = camera
        }
        filter.classes = try DetectionsController.classes(query.get("class"))
        filter.kinds = try Self.values(query.get("kind"), name: "kind", allowed: Self.kinds)
        filter.sources = try Self.values(query.get("source"), name: "source", allowed: Self.sources)
        if query.get("start") != nil { filter.start = try RecordingsController.time(query.get("start"), name: "start") }
        if query.get("end") != nil { filter.end = try RecordingsController.time(query.get("end"), name: "end") }
        if let start = filter.start, let end = filter.end, end <= start { throw APIError.badRequest("'end' must be after 'start'") }
        if query.get("reviewed") != nil { filter.reviewed = try request.flag("reviewed", default: false) }
        if query.get("ongoing") != nil { filter.ongoing = try request.flag("ongoing", default: false) }
        let limit = try DetectionsController.limit(query.get("limit"), default: Self.defaultLimit, max: Self.maxLimit)
        let cursor = try query.get("cursor").map { raw -> PageCursor in
            guard let cursor = PageCursor(encoded: raw) else { throw APIError.badRequest("'cursor' is not one this server gave out") }
            return cursor
        }
        let page = try await store.list(filter, limit: limit, after: cursor)
        let names = try await store.cameraNames(Set(page.events.map(\.cameraID)))
        return JSONResponse(Page(events: page.events.map { EventResponse($0, cameraName: names[$0.cameraID] ?? "") }, total: page.total,
                                 next_cursor: page.next?.encoded))
    }

    @Sendable func get(_ request: Request, context: RoninRequestContext) async throws -> JSONResponse<EventResponse> {
        JSONResponse(try await store.response(try await event(context)))
    }

    @Sendable func patch(_ request: Request, context: RoninRequestContext) async throws -> JSONResponse<EventResponse> {
        let change = try await JSONBody.decode(Change.self, from: request, limit: 4096)
        guard change.reviewed != nil || change.locked != nil else { throw APIError.validation("Send 'reviewed' or 'locked' (true or false)") }
        let event = try await event(context)
        if change.locked != nil, try context.requireUser().role != .admin { throw APIError.forbidden("Locking and unlocking events is for admins") }
        if let reviewed = change.reviewed { event.reviewed = reviewed }
        let locking = change.locked == true && !event.locked
        if let locked = change.locked { event.locked = locked }
        event.updatedAt = Date()
        try await event.save(on: store.database())
        // A locked event keeps its mosaic and clip: they are made now, to outlive the footage.
        if locking { try await queue.enqueue(ArtifactJobHandler.keepJob(for: event), requeue: [.succeeded, .cancelled, .parked]) }
        let response = try await store.response(event)
        bus.publish(.activity(response))
        return JSONResponse(response)
    }

    @Sendable func delete(_ request: Request, context: RoninRequestContext) async throws -> Response {
        let event = try await event(context)
        guard !event.locked else { throw APIError(.conflict, "event_locked", "The event is locked; unlock it first") }
        try await event.delete(on: store.database())
        files.remove(camera: event.cameraID, event: event.id!)
        bus.publish(.deleted(event: event.id!))
        return Response(status: .noContent)
    }

    @Sendable func snapshot(_ request: Request, context: RoninRequestContext) async throws -> Response {
        let event = try await event(context)
        let boxes = try request.flag("boxes", default: true)
        let height = try request.uri.queryParameters.get("height").map { raw -> Int in
            guard let value = Int(raw), (16...2160).contains(value) else { throw APIError.badRequest("'height' must be a whole number from 16 to 2160") }
            return value
        }
        let id = event.id!
        let full = files.snapshot(camera: event.cameraID, event: id, boxes: boxes)
        guard FileManager.default.fileExists(atPath: full) else { throw notReady(event, context: context) }
        var path = full
        if let height {
            path = files.scaledSnapshot(camera: event.cameraID, event: id, boxes: boxes, height: height)
            if !FileManager.default.fileExists(atPath: path) {
                do {
                    try await renderer.scaled(full, height: height, output: path)
                } catch {
                    logger.warning("The snapshot of event \(id) could not be scaled: \(error)")
                    throw Self.failure("The snapshot could not be scaled", detail: "\(error)", context: context)
                }
            }
        }
        return try await serve(path, event: event, type: "image/jpeg", request: request, context: context)
    }

    @Sendable func mosaic(_ request: Request, context: RoninRequestContext) async throws -> Response {
        try await made(.mosaic, type: "image/jpeg", request: request, context: context)
    }

    @Sendable func clip(_ request: Request, context: RoninRequestContext) async throws -> Response {
        try await made(.clip, type: "video/mp4", request: request, context: context)
    }

    /// An event's mosaic or clip, made from the footage the first time it is asked for (kept once
    /// the event is over and its footage recorded; made again every few seconds until then, and
    /// never cached by the browser meanwhile).
    private func made(_ kind: EventMediaMaker.Kind, type: String, request: Request, context: RoninRequestContext) async throws -> Response {
        let event = try await event(context)
        let made: EventMediaMaker.Made
        do {
            made = try await media.file(kind, of: event)
        } catch is NoEventFootage {
            throw APIError.notFound("There is no footage of this event")
        } catch {
            logger.warning("The \(kind.rawValue) of event \(event.id!) could not be made: \(error)")
            throw Self.failure("The event's \(kind.rawValue) could not be made", detail: "\(error)", context: context)
        }
        guard made.final else {
            return try await responder.respond(path: made.path, contentType: type, request: request, context: context, cacheControl: "no-store")
        }
        return try await serve(made.path, event: event, type: type, request: request, context: context)
    }

    private func serve(_ path: String, event: EventModel, type: String, request: Request, context: RoninRequestContext) async throws -> Response {
        // Pictures of an event that is over and whose artifacts are made do not change again.
        let final = !event.ongoing && event.artifacts == EventModel.ArtifactsState.ready.rawValue
        return try await responder.respond(path: path, contentType: type, request: request, context: context,
                                           cacheControl: final ? "private, max-age=31536000, immutable" : "private, no-cache")
    }

    private func notReady(_ event: EventModel, context: RoninRequestContext) -> APIError {
        guard event.artifacts == EventModel.ArtifactsState.failed.rawValue else {
            return APIError(.notFound, "not_ready", "The event's pictures are being made; try again in a few seconds")
        }
        let reason = context.user?.role == .admin ? ": \(event.artifactsError ?? "unknown reason")" : " (an administrator can see why)"
        return APIError(.notFound, "artifact_failed", "The event's pictures could not be made" + reason)
    }

    /// A picture or clip that could not be made: admins read ffmpeg's words (they name files and
    /// folders), viewers a general sentence; the log has the details either way.
    static func failure(_ what: String, detail: String, context: RoninRequestContext) -> APIError {
        let admin = context.user?.role == .admin
        return APIError(.internalServerError, "artifact_failed", admin ? "\(what): \(detail)" : "\(what) (an administrator can see why in the log)")
    }

    private func event(_ context: RoninRequestContext) async throws -> EventModel {
        let id = try context.uuid("id", of: "event")
        guard let event = try await store.find(id) else { throw APIError.notFound("No event with id \(id)") }
        return event
    }

    static func values(_ raw: String?, name: String, allowed: [String]) throws -> [String] {
        guard let raw else { return [] }
        let values = raw.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        for value in values where !allowed.contains(value) {
            throw APIError.badRequest("'\(name)' must be one of \(allowed.joined(separator: ", ")); got '\(ErrorMiddleware.printable(value))'")
        }
        return values
    }
}
