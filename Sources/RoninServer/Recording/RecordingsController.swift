import FluentKit
import Foundation
import Hummingbird
import RoninCore

/// `/api/recordings`: finding segments by camera and time, and serving their files.
struct RecordingsController {
    static let maxRange: TimeInterval = 31 * 24 * 3600
    static let maxResults = 20_000

    let footage: FootageStore
    let database: @Sendable () -> any Database
    let files = FileResponder()
    /// Serves footage in cold storage through this server (nil without cold storage).
    var cold: (any RemoteFootageResponder)? = nil

    func register(on api: APIRouteTable) {
        api.add(APIOperation(.get, "/api/recordings", "Segments overlapping a time range (UTC ISO 8601), oldest first", tag: "recordings", access: .signedIn)
            .query("camera_id", "string", "Only this camera").query("start", "string", "Range start, e.g. 2026-11-25T00:00:00Z")
            .query("end", "string", "Range end").returns(200, "Segments", "RecordingList"), handler: list)
        api.add(APIOperation(.get, "/api/recordings/{id}", "One segment's metadata", tag: "recordings", access: .signedIn)
            .returns(200, "The segment", "Recording").returns(404, "No such segment", "Error")) { _, context in
            JSONResponse(RecordingResponse(try await find(context), admin: context.user?.role == .admin))
        }
        api.add(APIOperation(.get, "/api/recordings/{id}/file", "The segment's MP4 (HTTP ranges, ETag; cookie accepted)", tag: "recordings", access: .signedIn)
            .returns(200, "The file", contentType: "video/mp4").returns(206, "Part of the file", contentType: "video/mp4")
            .returns(416, "Range outside the file", "Error").withHead(), handler: file)
    }

    func find(_ context: RoninRequestContext) async throws -> RecordingModel {
        let id = try context.uuid("id", of: "recording")
        guard let recording = try await RecordingModel.find(id, on: database()) else { throw APIError.notFound("No recording with id \(id)") }
        return recording
    }

    @Sendable func list(_ request: Request, context: RoninRequestContext) async throws -> JSONResponse<[RecordingResponse]> {
        let query = request.uri.queryParameters
        let start = try Self.time(query.get("start"), name: "start")
        let end = try Self.time(query.get("end"), name: "end")
        guard start < end else { throw APIError.badRequest("start must be before end") }
        guard end.timeIntervalSince(start) <= Self.maxRange else { throw APIError.badRequest("The range may span at most 31 days") }
        let builder = RecordingModel.query(on: database()).filter(\.$start < end).filter(\.$end > start)
        if let raw = query.get("camera_id") {
            guard let id = UUID(uuidString: raw) else { throw APIError.badRequest("'\(ErrorMiddleware.printable(raw))' is not a valid camera id") }
            builder.filter(\.$cameraID == id)
        }
        let rows = try await builder.sort(\.$start).limit(Self.maxResults).all()
        return JSONResponse(rows.map { RecordingResponse($0, admin: context.user?.role == .admin) })
    }

    @Sendable func file(_ request: Request, context: RoninRequestContext) async throws -> Response {
        let recording = try await find(context)
        let name = recording.path.replacingOccurrences(of: "/", with: "_")
        let headers: HTTPFields = [.contentDisposition: "inline; filename=\"\(name)\""]
        let tier = StorageTier(rawValue: recording.tier) ?? .hot
        guard let store = footage.stores[tier] else {
            throw APIError(.serviceUnavailable, "tier_unavailable", "The recording is in \(tier.rawValue) storage, which this server does not have")
        }
        if let local = store.localFile(recording.path) {
            return try await files.respond(path: local, contentType: "video/mp4", request: request, context: context, extraHeaders: headers)
        }
        guard let remote = cold else { throw APIError(.serviceUnavailable, "tier_unavailable", "Cold storage is not reachable") }
        return try await remote.respond(key: recording.path, size: recording.sizeBytes, request: request, context: context, extraHeaders: headers)
    }

    /// A required UTC ISO 8601 time (fractional seconds allowed).
    static func time(_ raw: String?, name: String) throws -> Date {
        guard let raw else { throw APIError.badRequest("Query parameter '\(name)' is required (UTC ISO 8601, e.g. 2026-11-25T03:00:00Z)") }
        if let date = ISO8601DateFormatter().date(from: raw) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = fractional.date(from: raw) { return date }
        throw APIError.badRequest("'\(name)' must be a UTC ISO 8601 time such as 2026-11-25T03:00:00Z")
    }
}
