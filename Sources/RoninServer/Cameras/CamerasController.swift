import FluentKit
import Foundation
import Hummingbird
import RoninCore

/// `/api/cameras`: list, create, read, update, delete, recording switches, and stream tests.
struct CamerasController {
    let service: CameraService
    let recorder: RecordingManager
    let database: @Sendable () -> any Database

    func register(on api: APIRouteTable) {
        let validate = ("validate", "boolean", "Probe the RTSP stream before saving (default true)")
        api.add(APIOperation(.get, "/api/cameras", "List cameras in display order", tag: "cameras", access: .signedIn)
            .returns(200, "Cameras (viewers without how they are reached)", "CameraList")) { _, context in
            JSONResponse(try await CameraModel.ordered(on: database()).map { CameraResponse($0, for: context) })
        }
        api.add(APIOperation(.post, "/api/cameras", "Add a camera", tag: "cameras", access: .admin)
            .query(validate.0, validate.1, validate.2).body("CameraInput").returns(201, "Created", "Camera")
            .returns(409, "Name taken", "Error").returns(422, "Invalid fields or stream probe failed", "Error")) { request, context in
            let fields = try await JSONBody.decode(CameraFields.self, from: request)
            let camera = try await service.create(try CameraDraft(creating: fields), validate: try request.flag("validate", default: true))
            await recorder.apply(camera)
            context.logger.info("Camera '\(camera.name)' added at \(camera.host):\(camera.port)")
            return JSONResponse(CameraResponse(camera), status: .created)
        }
        api.add(APIOperation(.get, "/api/cameras/{id}", "Get a camera", tag: "cameras", access: .signedIn)
            .returns(200, "The camera", "Camera").returns(404, "No such camera", "Error")) { _, context in
            JSONResponse(CameraResponse(try await service.find(try context.uuid("id", of: "camera")), for: context))
        }
        for method in [HTTPRequest.Method.patch, .put] {
            api.add(APIOperation(method, "/api/cameras/{id}", "Change a camera (fields left out keep their values)", tag: "cameras", access: .admin)
                .query(validate.0, validate.1, validate.2).body("CameraInput").returns(200, "Updated", "Camera")
                .returns(409, "Name taken", "Error").returns(422, "Invalid fields or stream probe failed", "Error"), handler: update)
        }
        api.add(APIOperation(.delete, "/api/cameras/{id}", "Delete a camera (its footage stays on disk)", tag: "cameras", access: .admin)
            .returns(204, "Deleted").returns(404, "No such camera", "Error")) { _, context in
            let camera = try await service.find(try context.uuid("id", of: "camera"))
            await recorder.remove(camera.id!)
            await recorder.forgetLiveFeeds(camera.id!)
            try await camera.delete(on: database())
            context.logger.info("Camera '\(camera.name)' deleted")
            return Response(status: .noContent)
        }
        for (action, enable) in [("start", true), ("stop", false)] {
            api.add(APIOperation(.post, "/api/cameras/{id}/recording/\(action)", "\(action.capitalized) recording one camera", tag: "cameras", access: .admin)
                .returns(200, "The camera", "Camera").returns(404, "No such camera", "Error")) { _, context in
                let camera = try await service.find(try context.uuid("id", of: "camera"))
                camera.recordingEnabled = enable
                camera.updatedAt = Date()
                try await camera.save(on: database())
                await recorder.apply(camera)
                return JSONResponse(CameraResponse(camera))
            }
            api.add(APIOperation(.post, "/api/cameras/recording/\(action)-all", "\(action.capitalized) recording every camera", tag: "cameras", access: .admin)
                .returns(200, "How many cameras changed", "BulkUpdate")) { _, context in
                let db = database()
                let changing = try await CameraModel.query(on: db).filter(\.$recordingEnabled != enable).all()
                for camera in changing {
                    camera.recordingEnabled = enable
                    camera.updatedAt = Date()
                    try await camera.save(on: db)
                    await recorder.apply(camera)
                }
                context.logger.info("Recording \(action) for all cameras: \(changing.count) changed")
                return JSONResponse(["updated": changing.count])
            }
        }
        api.add(APIOperation(.post, "/api/cameras/test", "Probe an RTSP stream without saving", tag: "cameras", access: .admin)
            .body("CameraTest").returns(200, "What the stream carries", "ProbeResult")
            .returns(422, "The stream could not be read; the message says why", "Error"), handler: test)
    }

    @Sendable func update(_ request: Request, context: RoninRequestContext) async throws -> JSONResponse<CameraResponse> {
        let fields = try await JSONBody.decode(CameraFields.self, from: request)
        let camera = try await service.find(try context.uuid("id", of: "camera"))
        let draft = try CameraDraft(updating: camera, currentPassword: try service.password(of: camera), with: fields)
        let validate = try request.flag("validate", default: true) && fields.touchesConnection
        let updated = try await service.update(camera, with: draft, validate: validate)
        await recorder.apply(updated)
        return JSONResponse(CameraResponse(updated))
    }

    /// Test body: camera fields plus an optional `camera_id` whose stored credentials fill in
    /// what the client left out.
    struct TestRequest: Decodable, Sendable {
        let fields: CameraFields
        let cameraID: UUID?

        enum CodingKeys: String, CodingKey { case camera_id }

        init(from decoder: any Decoder) throws {
            fields = try CameraFields(from: decoder)
            cameraID = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(UUID.self, forKey: .camera_id)
        }
    }

    @Sendable func test(_ request: Request, context: RoninRequestContext) async throws -> JSONResponse<ProbeResponse> {
        let body = try await JSONBody.decode(TestRequest.self, from: request)
        var fields = body.fields
        if fields.name.given == nil { fields.name = .value("test") }
        let draft: CameraDraft
        if let id = body.cameraID {
            let camera = try await service.find(id)
            draft = try CameraDraft(updating: camera, currentPassword: try service.password(of: camera), with: fields)
        } else {
            draft = try CameraDraft(creating: fields)
        }
        let started = ContinuousClock.now
        let description = try await service.describe(draft.endpoint)
        let elapsed = started.duration(to: .now).components
        return JSONResponse(ProbeResponse(ok: true, video: description.video, audio: description.audio,
                                          elapsed_ms: Int(elapsed.seconds * 1000 + elapsed.attoseconds / 1_000_000_000_000_000)))
    }
}

import HTTPTypes
