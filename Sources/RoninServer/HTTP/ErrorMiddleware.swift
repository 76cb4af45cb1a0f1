import Foundation
import HTTPTypes
import Hummingbird
import Logging
import RoninCore

/// Turns every error into the API's JSON error body, so no client ever sees a bare 500 or a
/// framework-specific format. Unknown errors are logged (redacted) and answered as `500 internal`
/// without detail. Unmatched `/api` paths answer 404, or 405 with `Allow` when the path exists
/// under another method.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = RoninRequestContext
    let routes: APIRouteTable

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return error.asResponse()
        } catch let error as HTTPError {
            return translate(error, request: request)
        } catch let error as any HTTPResponseError {
            return APIError.jsonResponse(status: error.status, code: Self.code(for: error.status), message: error.status.reasonPhrase)
        } catch let error as DecodingError {
            return APIError.badRequest(JSONBody.describe(error)).asResponse()
        } catch {
            context.logger.error("Unhandled error on \(request.method) \(request.uri.path): \(SecretRedactor.shared.redact(String(describing: error)))")
            return APIError.jsonResponse(status: .internalServerError, code: "internal", message: "Something went wrong on the server; the log has the details")
        }
    }

    private func translate(_ error: HTTPError, request: Request) -> Response {
        let path = request.uri.path
        if error.status == .notFound {
            let allowed = routes.allowedMethods(for: path)
            if !allowed.isEmpty {
                let names = allowed.map(\.rawValue).sorted().joined(separator: ", ")
                return APIError(.methodNotAllowed, "method_not_allowed", "\(request.method) is not supported on \(path); use \(names)",
                                headers: [.allow: names]).asResponse()
            }
            return APIError.notFound("No API endpoint at \(Self.printable(path))").asResponse()
        }
        let message = error.body ?? error.status.reasonPhrase
        return APIError.jsonResponse(status: error.status, code: Self.code(for: error.status), message: message, headers: error.headers)
    }

    static func printable(_ path: String) -> String {
        String(path.prefix(200).map { $0.isASCII && !$0.isNewline ? $0 : "?" })
    }

    static func code(for status: HTTPResponse.Status) -> String {
        switch status {
        case .badRequest: "bad_request"
        case .unauthorized: "unauthorized"
        case .forbidden: "forbidden"
        case .notFound: "not_found"
        case .methodNotAllowed: "method_not_allowed"
        case .conflict: "conflict"
        case .contentTooLarge: "payload_too_large"
        case .unsupportedMediaType: "unsupported_media_type"
        case .unprocessableContent: "validation_failed"
        case .tooManyRequests: "too_many_attempts"
        case .rangeNotSatisfiable: "range_not_satisfiable"
        default: status.code >= 500 ? "internal" : "bad_request"
        }
    }
}

extension APIError {
    func asResponse() -> Response {
        Self.jsonResponse(status: status, code: code, message: message, headers: headers)
    }
}
