import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
import RoninCore
@testable import RoninServer

/// The OpenAPI document describes exactly the routes the router serves, and unknown methods
/// on known paths answer 405 from the same table.
@Suite(.timeLimit(.minutes(5))) struct RouteTableTests {
    func withApp(_ body: @escaping @Sendable (Set<String>, any TestClientProtocol) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ronin-route-test-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let settings = try Settings(environment: ["RONIN_DATA_DIR": directory, "RONIN_ADMIN_PASSWORD": "route-test-password"])
        let connector = try DatabaseConnector(settings.database, logger: Logger(label: "test"))
        do {
            try await connector.migrate()
            let router = try await RoninApp(settings: settings).makeRouter(connector: connector)
            let served = Set(router.routes.map { route in
                let path = route.path.description.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }
                return "\(route.method.rawValue.lowercased()) /\(path.joined(separator: "/"))"
            })
            try await Application(router: router).test(.router) { client in try await body(served, client) }
        } catch {
            await connector.shutdown()
            throw error
        }
        await connector.shutdown()
    }

    @Test func openAPIDescribesExactlyTheServedRoutes() async throws {
        try await withApp { served, client in
            try await client.execute(uri: "/api/openapi.json", method: .get) { response in
                #expect(response.status == .ok)
                let document = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as! [String: Any]
                #expect((document["openapi"] as? String)?.hasPrefix("3.") == true)
                let paths = document["paths"] as! [String: [String: Any]]
                let documented = Set(paths.flatMap { path, operations in operations.keys.map { "\($0) \(path)" } })
                #expect(documented == served)
                for (_, operations) in paths {
                    for (_, operation) in operations {
                        let responses = (operation as! [String: Any])["responses"] as! [String: Any]
                        #expect(!responses.isEmpty)
                    }
                }
            }
        }
    }

    @Test func knownPathWithWrongMethodIs405WithAllow() async throws {
        try await withApp { _, client in
            try await client.execute(uri: "/api/cameras/recording/start-all", method: .get) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "POST")
                let body = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as! [String: String]
                #expect(body["error"] == "method_not_allowed")
            }
            try await client.execute(uri: "/api/definitely-not-here", method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }
}
