import FluentKit
import Foundation
import Hummingbird
import RoninCore

/// `POST /api/analysis`: queue detection for a range of footage (backfill), e.g. after turning
/// detection on, or again (`force`) after changing its settings.
struct AnalysisController {
    static let maxRange: TimeInterval = 366 * 86_400
    static let maxCameras = 64

    let work: BackgroundWork

    struct AnalysisRequest: Decodable, Sendable {
        let camera_ids: [UUID]
        let start: String
        let end: String
        let force: Bool?
    }

    struct AnalysisResponse: Codable, Sendable {
        let recordings: Int
        let queued: Int
        let already_analysed: Int
        let already_queued: Int
    }

    func register(on api: APIRouteTable) {
        api.add(APIOperation(.post, "/api/analysis", "Queue detection for the footage of some cameras in a time range", tag: "detection", access: .admin)
            .body("AnalysisRequest").returns(202, "What was queued", "AnalysisResult").returns(400, "Bad range", "Error")
            .returns(404, "No such camera", "Error").returns(422, "No cameras given, or detection is off", "Error"), handler: analyse)
    }

    @Sendable func analyse(_ request: Request, context: RoninRequestContext) async throws -> JSONResponse<AnalysisResponse> {
        let body = try await JSONBody.decode(AnalysisRequest.self, from: request)
        guard !body.camera_ids.isEmpty else { throw APIError.validation("camera_ids must name at least one camera") }
        guard body.camera_ids.count <= Self.maxCameras else { throw APIError.validation("camera_ids may name at most \(Self.maxCameras) cameras") }
        let start = try RecordingsController.time(body.start, name: "start")
        let end = try RecordingsController.time(body.end, name: "end")
        guard start < end else { throw APIError.badRequest("'end' must be after 'start'") }
        guard end.timeIntervalSince(start) <= Self.maxRange else { throw APIError.badRequest("A backfill may span at most 366 days") }
        let db = work.database()
        for id in Set(body.camera_ids) where try await CameraModel.find(id, on: db) == nil {
            throw APIError.notFound("No camera with id \(id)")
        }
        guard work.settings.mlEnabled else { throw APIError.validation("Object detection is off (ML_ENABLED=false)") }
        let outcome = try await work.queueAnalysis(cameras: body.camera_ids, from: start, to: end, force: body.force ?? false)
        context.logger.info("Analysis of \(outcome.recordings) recordings asked for by '\(context.user?.username ?? "?")': \(outcome.queued) queued")
        return JSONResponse(AnalysisResponse(recordings: outcome.recordings, queued: outcome.queued, already_analysed: outcome.alreadyAnalysed,
                                             already_queued: outcome.alreadyQueued), status: .accepted)
    }
}
