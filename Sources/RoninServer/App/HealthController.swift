import Hummingbird
import RoninCore

/// `GET /api/health` and `GET /api/openapi.json`: the two endpoints anyone may call.
struct HealthController {
    let databaseKind: Settings.DatabaseKind

    struct Health: Codable, Sendable {
        let status: String
        let version: String
        let database: String
    }

    func register(on api: APIRouteTable) {
        let kind = databaseKind.rawValue
        api.add(APIOperation(.get, "/api/health", "Liveness, version and database kind", tag: "system", access: .open)
            .returns(200, "Healthy", "Health")) { _, _ in
            JSONResponse(Health(status: "ok", version: RoninVersion.current, database: kind))
        }
        api.add(APIOperation(.get, "/api/openapi.json", "This API's OpenAPI 3.1 description", tag: "system", access: .open)
            .returns(200, "The OpenAPI document")) { _, _ in
            let body = try OpenAPIDocument.json(for: api.operations)
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
    }
}

import NIOCore
