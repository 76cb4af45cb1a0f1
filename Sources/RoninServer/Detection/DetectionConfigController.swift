import FluentKit
import Foundation
import Hummingbird

/// The detection configuration API (docs/api.md, Detection configuration): read and change it
/// globally and per camera, and export or import a scope as the pipeline JSON `ronin detect`
/// reads. Changes apply at once: live detectors start their next watch with them.
struct DetectionConfigController {
    let store: DetectionSettingsStore
    let database: @Sendable () -> any Database

    /// What one camera runs with after inheritance.
    struct Effective: Codable, Sendable, ExplicitNullEncodable {
        let live_enabled: Bool
        let cooldown_seconds: Double
        let fps: Double
        let confidence: Double
        let classes: [String: Double]
        let class_filter: [String]?
        let motion_min_changed_fraction: Double
    }

    struct CameraEntry: Codable, Sendable {
        let camera_id: UUID
        let name: String
        let config: DetectionSettingsDocument
        let effective: Effective
    }

    struct Document: Codable, Sendable {
        let global: DetectionSettingsDocument
        let cameras: [CameraEntry]
    }

    func register(on api: APIRouteTable) {
        api.add(APIOperation(.get, "/api/ml/config", "Detection settings, globally and per camera, with what each camera runs with",
                             tag: "detection", access: .signedIn)
            .returns(200, "The settings", "DetectionConfig"), handler: get)
        api.add(APIOperation(.put, "/api/ml/config", "Change the global detection settings", tag: "detection", access: .admin)
            .body("DetectionSettings").returns(200, "The settings", "DetectionConfig").returns(422, "A bad value, named", "Error"), handler: putGlobal)
        api.add(APIOperation(.put, "/api/cameras/{id}/detection", "Change one camera's detection settings", tag: "detection", access: .admin)
            .body("DetectionSettings").returns(200, "The settings", "DetectionConfig").returns(404, "No such camera", "Error")
            .returns(422, "A bad value, named", "Error"), handler: putCamera)
        api.add(APIOperation(.get, "/api/ml/config/export", "A scope's pipeline settings as the JSON file ronin detect reads", tag: "detection",
                             access: .signedIn)
            .query("camera_id", "string", "The camera (default: the global settings)")
            .returns(200, "The pipeline JSON", nil).returns(404, "No such camera", "Error"), handler: export)
        api.add(APIOperation(.post, "/api/ml/config/import", "Replace a scope's pipeline settings with a pipeline JSON file", tag: "detection",
                             access: .admin)
            .query("camera_id", "string", "The camera (default: the global settings)")
            .returns(200, "The settings", "DetectionConfig").returns(422, "A bad value, named", "Error"), handler: importFile)
    }

    @Sendable func get(_ request: Request, context: RoninRequestContext) async throws -> JSONResponse<Document> {
        JSONResponse(try await document())
    }

    @Sendable func putGlobal(_ request: Request, context: RoninRequestContext) async throws -> JSONResponse<Document> {
        try await store.put(try await parse(request), camera: nil)
        return JSONResponse(try await document())
    }

    @Sendable func putCamera(_ request: Request, context: RoninRequestContext) async throws -> JSONResponse<Document> {
        let camera = try await camera(context.uuid("id", of: "camera"))
        try await store.put(try await parse(request), camera: camera)
        return JSONResponse(try await document())
    }

    @Sendable func export(_ request: Request, context: RoninRequestContext) async throws -> Response {
        let camera = try await scope(request)
        let pipeline = try await store.document(camera: camera).pipeline ?? .object([:])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let name = camera.map { "detection-\($0.uuidString.lowercased()).json" } ?? "detection.json"
        return Response(status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store",
                                               .contentDisposition: "attachment; filename=\"\(name)\""],
                        body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(pipeline))))
    }

    @Sendable func importFile(_ request: Request, context: RoninRequestContext) async throws -> JSONResponse<Document> {
        let camera = try await scope(request)
        let data = try await body(request)
        let pipeline: JSONValue
        do { pipeline = try DetectionSettingsDocument.pipelineOnly(data) } catch let problem as PipelineConfigFile.Problem { throw APIError.validation(problem.message) }
        var scoped = try await store.document(camera: camera)
        scoped.pipeline = pipeline
        try await store.put(scoped, camera: camera)
        return JSONResponse(try await document())
    }

    private func parse(_ request: Request) async throws -> DetectionSettingsDocument {
        let data = try await body(request)
        do { return try DetectionSettingsDocument.parse(data) } catch let problem as PipelineConfigFile.Problem { throw APIError.validation(problem.message) }
    }

    private func body(_ request: Request) async throws -> Data {
        let data = try await JSONBody.data(from: request, limit: 64 * 1024)
        // Malformed JSON, or JSON that is not an object, is a bad request; bad values are 422.
        guard case .object = try? JSONDecoder().decode(JSONValue.self, from: data) else {
            throw APIError.badRequest("The request body is not a JSON object")
        }
        return data
    }

    private func scope(_ request: Request) async throws -> UUID? {
        guard let raw = request.uri.queryParameters.get("camera_id") else { return nil }
        guard let id = UUID(uuidString: raw) else { throw APIError.badRequest("'\(ErrorMiddleware.printable(raw))' is not a valid camera id") }
        return try await camera(id)
    }

    private func camera(_ id: UUID) async throws -> UUID {
        guard try await CameraModel.find(id, on: database()) != nil else { throw APIError.notFound("No camera with id \(id)") }
        return id
    }

    private func document() async throws -> Document {
        var cameras: [CameraEntry] = []
        for camera in try await CameraModel.ordered(on: database()) {
            guard let id = camera.id else { continue }
            let effective = try await store.effective(camera: id)
            let thresholds = effective.pipeline.thresholds
            cameras.append(CameraEntry(
                camera_id: id, name: camera.name, config: try await store.document(camera: id),
                effective: Effective(live_enabled: effective.liveEnabled, cooldown_seconds: effective.cooldown, fps: effective.fps,
                                     confidence: Double(thresholds.defaultConfidence), classes: thresholds.perClass.mapValues(Double.init),
                                     class_filter: thresholds.allowedClasses.map { $0.sorted() },
                                     motion_min_changed_fraction: effective.pipeline.motion.minimumChangedFraction)))
        }
        return Document(global: try await store.document(camera: nil), cameras: cameras)
    }
}
