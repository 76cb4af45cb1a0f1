import FluentKit
import Foundation
import Hummingbird

/// Resolves the signed-in user for API requests from `Authorization: Bearer …`, or from the
/// `ronin_session` cookie on `GET`/`HEAD` only (so `<video>` elements can fetch media, while
/// changes always need the header and cross-site forms cannot use the cookie).
///
/// It never rejects a request itself: routes declare their `Access` and check it.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = RoninRequestContext
    static let cookieName = "ronin_session"

    let tokens: TokenService
    let revocations: SessionRevocations
    let database: @Sendable () -> any Database

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.uri.path.hasPrefix("/api/"), let token = Self.token(in: request) else {
            return try await next(request, context)
        }
        var context = context
        context.user = try await resolve(token)
        return try await next(request, context)
    }

    static func token(in request: Request) -> String? {
        if request.headers[.authorization] != nil { return bearerToken(in: request) }
        if request.method == .get || request.method == .head {
            return request.cookies[cookieName]?.value
        }
        return nil
    }

    /// The token of an `Authorization: Bearer …` header.
    static func bearerToken(in request: Request) -> String? {
        guard let header = request.headers[.authorization] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return parts[1].trimmingCharacters(in: .whitespaces)
    }

    func resolve(_ token: String) async throws -> AuthenticatedUser? {
        guard let claims = await tokens.verify(token), let id = UUID(uuidString: claims.sub.value),
              let user = try await UserModel.find(id, on: database()), user.tokenVersion == claims.ver,
              try await !revocations.isRevoked(claims.jti.value)
        else { return nil }
        return AuthenticatedUser(id: id, username: user.username, role: user.userRole)
    }
}
