import Foundation
import RoninCore

/// Builds the OpenAPI 3.1 document from the route table, so every registered endpoint is
/// described and nothing is described that does not exist.
enum OpenAPIDocument {
    static func json(for operations: [APIOperation]) throws -> Data {
        var paths: [String: [String: Any]] = [:]
        for operation in operations {
            paths[operation.path, default: [:]][operation.method.rawValue.lowercased()] = describe(operation)
        }
        let document: [String: Any] = [
            "openapi": "3.1.0",
            "info": [
                "title": "Ronin NVR API",
                "version": RoninVersion.current,
                "description": "Self-hosted network video recorder. Errors are {\"error\", \"message\"}; times are UTC ISO 8601.",
            ],
            "paths": paths,
            "components": [
                "schemas": OpenAPISchemas.all,
                "securitySchemes": [
                    "bearer": ["type": "http", "scheme": "bearer", "bearerFormat": "JWT"],
                    "cookie": ["type": "apiKey", "in": "cookie", "name": AuthenticationMiddleware.cookieName,
                               "description": "Accepted on GET and HEAD only"],
                ],
            ],
        ]
        return try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
    }

    static func describe(_ operation: APIOperation) -> [String: Any] {
        var result: [String: Any] = [
            "summary": operation.summary,
            "tags": [operation.tag],
            "operationId": operationID(operation),
            // Who may call it, for clients and for the access test that sweeps every operation.
            "x-access": operation.access.name,
        ]
        var parameters: [[String: Any]] = operation.pathParameters.map {
            ["name": $0, "in": "path", "required": true, "schema": $0 == "id" ? OpenAPISchemas.uuid : OpenAPISchemas.string]
        }
        parameters += operation.query.map {
            ["name": $0.name, "in": "query", "required": false, "description": $0.summary, "schema": ["type": $0.type]]
        }
        if !parameters.isEmpty { result["parameters"] = parameters }
        if let schema = operation.requestSchema {
            result["requestBody"] = ["required": true, "content": ["application/json": ["schema": OpenAPISchemas.ref(schema)]]]
        }
        var responses: [String: Any] = [:]
        for response in operation.responses {
            var entry: [String: Any] = ["description": response.summary]
            if let schema = response.schema {
                entry["content"] = [response.contentType: ["schema": OpenAPISchemas.ref(schema)]]
            }
            responses[String(response.status)] = entry
        }
        let error: [String: Any] = ["content": ["application/json": ["schema": OpenAPISchemas.ref("Error")]]]
        if operation.requestSchema != nil, responses["400"] == nil {
            responses["400"] = error.merging(["description": "Malformed request"]) { $1 }
        }
        if operation.access != .open {
            responses["401"] = responses["401"] ?? error.merging(["description": "Not signed in"]) { $1 }
            result["security"] = [["bearer": []], ["cookie": []]]
        }
        if operation.access == .admin, responses["403"] == nil {
            responses["403"] = error.merging(["description": "Admins only"]) { $1 }
        }
        result["responses"] = responses
        return result
    }

    static func operationID(_ operation: APIOperation) -> String {
        let words = operation.path.split(separator: "/").dropFirst().map { segment -> String in
            let cleaned = segment.replacingOccurrences(of: "{", with: "by-").replacingOccurrences(of: "}", with: "")
            return cleaned.split(separator: "-").map { $0.capitalized }.joined()
        }
        return operation.method.rawValue.lowercased() + words.joined()
    }
}
