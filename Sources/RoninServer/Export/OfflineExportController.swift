import Foundation
import Hummingbird
import RoninCore

/// `/api/exports`: offline exports of footage to removable media, for admins (docs/api.md,
/// Offline export): ask for one, list them, look at one, cancel one.
struct OfflineExportController {
    let service: OfflineExportService

    struct ExportRequest: Decodable, Sendable {
        let camera_ids: [UUID]
        let start: String
        let end: String
        let destination: String
        let tz: String?
    }

    struct Page: Codable, Sendable, ExplicitNullEncodable {
        let exports: [OfflineExportResponse]
        let total: Int
        let next_cursor: String?
    }

    func register(on api: APIRouteTable) {
        api.add(APIOperation(.post, "/api/exports", "Export cameras' footage and events of a range to a folder on removable media (a background job)",
                             tag: "exports", access: .admin)
            .body("OfflineExportRequest").returns(202, "The export, queued", "OfflineExport").returns(400, "Bad range or time zone", "Error")
            .returns(404, "No such camera, or no footage in the range", "Error").returns(409, "The export's folder exists already", "Error")
            .returns(422, "Offline export is off, or the destination is refused (the problem is named)", "Error"), handler: create)
        api.add(APIOperation(.get, "/api/exports", "Offline exports, newest first, page by page", tag: "exports", access: .admin)
            .query("limit", "integer", "Exports per page, 1 to 500 (default 50)").query("cursor", "string", "next_cursor of the previous page")
            .returns(200, "A page of exports", "OfflineExportPage").returns(400, "Bad parameters", "Error")) { request, _ in
            let query = request.uri.queryParameters
            let limit = try DetectionsController.limit(query.get("limit"), default: 50, max: 500)
            let cursor = try query.get("cursor").map { raw -> PageCursor in
                guard let cursor = PageCursor(encoded: raw) else { throw APIError.badRequest("'cursor' is not one this server gave out") }
                return cursor
            }
            let page = try await service.list(limit: limit, after: cursor)
            return JSONResponse(Page(exports: page.exports, total: page.total, next_cursor: page.next?.encoded))
        }
        api.add(APIOperation(.get, "/api/exports/{id}", "One offline export: state, progress, files and bytes written", tag: "exports", access: .admin)
            .returns(200, "The export", "OfflineExport").returns(404, "No such export", "Error")) { _, context in
            JSONResponse(try await service.find(try context.uuid("id", of: "export")))
        }
        api.add(APIOperation(.post, "/api/exports/{id}/cancel", "Cancel an offline export that has not finished", tag: "exports", access: .admin)
            .returns(200, "The cancelled export", "OfflineExport").returns(404, "No such export", "Error")
            .returns(409, "Already finished", "Error")) { _, context in
            JSONResponse(try await service.cancel(try context.uuid("id", of: "export"), by: context.user?.username))
        }
    }

    @Sendable func create(_ request: Request, context: RoninRequestContext) async throws -> JSONResponse<OfflineExportResponse> {
        let body = try await JSONBody.decode(ExportRequest.self, from: request)
        let start = try RecordingsController.time(body.start, name: "start")
        let end = try RecordingsController.time(body.end, name: "end")
        let export = try await service.create(.init(cameraIDs: body.camera_ids, start: start, end: end, destination: body.destination,
                                                    timeZone: body.tz, user: context.user?.username))
        return JSONResponse(export, status: .accepted)
    }
}
