import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// An error the API reports to its client as `{"error": code, "message": text}`.
///
/// `code` is stable and machine-readable; `message` is for people and must never hold secrets.
public struct APIError: Error, HTTPResponseError, CustomStringConvertible {
    public let status: HTTPResponse.Status
    public let code: String
    public let message: String
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
    }

    public var description: String { "\(status.code) \(code): \(message)" }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        Self.jsonResponse(status: status, code: code, message: message, headers: headers)
    }

    static func jsonResponse(status: HTTPResponse.Status, code: String, message: String, headers: HTTPFields = [:]) -> Response {
        let body = (try? JSONEncoder().encode(["error": code, "message": message])) ?? Data()
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        fields[.cacheControl] = "no-store"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    public static func badRequest(_ message: String) -> APIError { .init(.badRequest, "bad_request", message) }
    public static func unauthorized(_ message: String = "Sign in first: a valid bearer token is required") -> APIError {
        .init(.unauthorized, "unauthorized", message, headers: [.wwwAuthenticate: "Bearer"])
    }
    public static func forbidden(_ message: String) -> APIError { .init(.forbidden, "forbidden", message) }
    public static func notFound(_ message: String) -> APIError { .init(.notFound, "not_found", message) }
    public static func conflict(_ message: String) -> APIError { .init(.conflict, "conflict", message) }
    public static func validation(_ message: String) -> APIError { .init(.unprocessableContent, "validation_failed", message) }
    public static func tooManyAttempts(retryAfter seconds: Int) -> APIError {
        .init(.tooManyRequests, "too_many_attempts", "Too many failed sign-in attempts; try again in \(seconds) second\(seconds == 1 ? "" : "s")",
              headers: [.retryAfter: String(seconds)])
    }
}
