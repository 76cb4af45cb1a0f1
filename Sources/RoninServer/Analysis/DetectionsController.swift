import FluentKit
import Foundation
import Hummingbird
import RoninCore
import SQLKit

/// `GET /api/detections`: what detection found on one camera in a time range, page by page,
/// for the playback overlay and any other client.
struct DetectionsController {
    static let maxLimit = 10_000
    static let defaultLimit = 1000

    let database: @Sendable () -> any Database

    /// One detection as the API shows it.
    struct DetectionResponse: Codable, Sendable, ExplicitNullEncodable {
        struct Box: Codable, Sendable {
            let x: Double, y: Double, width: Double, height: Double
        }

        let id: UUID
        let camera_id: UUID
        let recording_id: UUID?
        let time: Date
        let `class`: String
        let confidence: Double
        let box: Box
        let track_id: Int?
        let source: String
    }

    struct Page: Codable, Sendable, ExplicitNullEncodable {
        let detections: [DetectionResponse]
        let total: Int
        let next_cursor: String?
    }

    func register(on api: APIRouteTable) {
        api.add(APIOperation(.get, "/api/detections", "A camera's detections in a time range, oldest first, page by page", tag: "detection", access: .signedIn)
            .query("camera_id", "string", "The camera").query("start", "string", "Range start, UTC ISO 8601")
            .query("end", "string", "Range end (at most 31 days after start)").query("class", "string", "Only these classes, comma-separated")
            .query("limit", "integer", "Detections per page, 1 to 10000 (default 1000)").query("cursor", "string", "next_cursor of the previous page")
            .returns(200, "A page of detections", "DetectionPage").returns(400, "Bad parameters", "Error")
            .returns(404, "No such camera", "Error"), handler: list)
    }

    @Sendable func list(_ request: Request, context: RoninRequestContext) async throws -> JSONResponse<Page> {
        let query = request.uri.queryParameters
        guard let rawCamera = query.get("camera_id") else { throw APIError.badRequest("Query parameter 'camera_id' is required") }
        guard let camera = UUID(uuidString: rawCamera) else { throw APIError.badRequest("'\(ErrorMiddleware.printable(rawCamera))' is not a valid camera id") }
        let start = try RecordingsController.time(query.get("start"), name: "start")
        let end = try RecordingsController.time(query.get("end"), name: "end")
        guard start < end else { throw APIError.badRequest("'end' must be after 'start'") }
        guard end.timeIntervalSince(start) <= RecordingsController.maxRange else { throw APIError.badRequest("The range may span at most 31 days") }
        let limit = try Self.limit(query.get("limit"))
        let cursor = try query.get("cursor").map { raw -> PageCursor in
            guard let cursor = PageCursor(encoded: raw) else { throw APIError.badRequest("'cursor' is not one this server gave out") }
            return cursor
        }
        let classes = try Self.classes(query.get("class"))
        guard try await CameraModel.find(camera, on: database()) != nil else { throw APIError.notFound("No camera with id \(camera)") }
        guard let sql = database() as? any SQLDatabase else { throw APIError(.internalServerError, "internal", "The database does not speak SQL") }

        func matching(_ select: SQLSelectBuilder) -> SQLSelectBuilder {
            var select = select.from("detections").where("camera_id", .equal, camera)
                .where("detected_at", .greaterThanOrEqual, start).where("detected_at", .lessThan, end)
            if !classes.isEmpty { select = select.where("class_name", .in, classes) }
            return select
        }
        var page = matching(sql.select().columns("id", "camera_id", "recording_id", "detected_at", "class_name", "confidence", "box_x",
                                                  "box_y", "box_width", "box_height", "track_id", "source"))
        if let cursor {
            page = page.where { group in
                group.where("detected_at", .greaterThan, cursor.instantAfter)
                    .orWhere { $0.where("detected_at", .greaterThanOrEqual, cursor.instantBefore).where("id", .greaterThan, cursor.id) }
            }
        }
        let rows = try await page.orderBy("detected_at").orderBy("id").limit(limit + 1).all()
        var detections = try rows.map { row in
            DetectionResponse(
                id: try row.decode(column: "id", as: UUID.self), camera_id: try row.decode(column: "camera_id", as: UUID.self),
                recording_id: try row.decode(column: "recording_id", as: UUID?.self), time: try row.decode(column: "detected_at", as: Date.self),
                class: try row.decode(column: "class_name", as: String.self), confidence: try row.decode(column: "confidence", as: Double.self),
                box: .init(x: try row.decode(column: "box_x", as: Double.self), y: try row.decode(column: "box_y", as: Double.self),
                           width: try row.decode(column: "box_width", as: Double.self), height: try row.decode(column: "box_height", as: Double.self)),
                track_id: try row.decode(column: "track_id", as: Int?.self), source: try row.decode(column: "source", as: String.self))
        }
        let more = detections.count > limit
        if more { detections.removeLast() }
        let total = try await matching(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")).first()?
            .decode(column: "n", as: Int.self) ?? 0
        let next = more ? detections.last.map { PageCursor(instant: $0.time, id: $0.id).encoded } : nil
        return JSONResponse(Page(detections: detections, total: total, next_cursor: next))
    }

    static func limit(_ raw: String?, default fallback: Int = defaultLimit, max maximum: Int = maxLimit) throws -> Int {
        guard let raw else { return fallback }
        guard let value = Int(raw), (1...maximum).contains(value) else { throw APIError.badRequest("'limit' must be a whole number from 1 to \(maximum)") }
        return value
    }

    static func classes(_ raw: String?) throws -> [String] {
        guard let raw else { return [] }
        let names = raw.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard names.count <= 100, names.allSatisfy({ $0.count <= 64 }) else { throw APIError.badRequest("'class' lists at most 100 class names") }
        return names
    }
}
