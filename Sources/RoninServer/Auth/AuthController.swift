import FluentKit
import Foundation
import HTTPTypes
import Hummingbird

/// Sign-in, sign-out, the current user, and changing one's own password.
struct AuthController {
    let tokens: TokenService
    let revocations: SessionRevocations
    let throttle: LoginThrottle
    let hasher: PasswordHasher
    let cookieSecure: Bool
    let database: @Sendable () -> any Database

    struct LoginRequest: Decodable, Sendable {
        let username: String
        let password: String
    }

    struct LoginResponse: Codable, Sendable {
        let access_token: String
        let token_type: String
        let expires_in: Int
    }

    struct PasswordChange: Decodable, Sendable {
        let current_password: String
        let new_password: String
    }

    func register(on api: APIRouteTable) {
        api.add(APIOperation(.post, "/api/auth/login", "Sign in and receive a bearer token (also set as an HttpOnly cookie)", tag: "auth", access: .open)
            .body("LoginRequest").returns(200, "Signed in", "LoginResponse").returns(401, "Wrong username or password", "Error")
            .returns(429, "Locked out after repeated failures; see Retry-After", "Error"), handler: login)
        api.add(APIOperation(.post, "/api/auth/logout", "Sign out: the bearer token stops working and the cookie is cleared", tag: "auth", access: .open)
            .returns(204, "Signed out")) { request, _ in
            let token = AuthenticationMiddleware.bearerToken(in: request) ?? request.cookies[AuthenticationMiddleware.cookieName]?.value
            if let token, let claims = await tokens.verify(token) {
                try await revocations.revoke(tokenID: claims.jti.value, expiresAt: claims.exp.value)
            }
            return Response(status: .noContent, headers: [.setCookie: Self.expiredCookie(secure: cookieSecure)])
        }
        api.add(APIOperation(.get, "/api/auth/me", "The signed-in user", tag: "auth", access: .signedIn)
            .returns(200, "The user", "User").returns(401, "Not signed in", "Error")) { _, context in
            let user = try context.requireUser()
            guard let model = try await UserModel.find(user.id, on: database()) else { throw APIError.unauthorized() }
            return JSONResponse(UserResponse(model))
        }
        api.add(APIOperation(.post, "/api/auth/password", "Change your own password; older tokens stop working", tag: "auth", access: .signedIn)
            .body("PasswordChange").returns(204, "Changed").returns(403, "Current password wrong", "Error")
            .returns(422, "New password not acceptable", "Error"), handler: changePassword)
    }

    @Sendable func login(_ request: Request, context: RoninRequestContext) async throws -> Response {
        let body = try await JSONBody.decode(LoginRequest.self, from: request)
        let client = context.clientAddress
        if let wait = await throttle.retryAfter(username: body.username, client: client) {
            context.logger.warning("Sign-in refused for '\(ErrorMiddleware.printable(body.username))' from \(client): locked out for \(wait) s")
            throw APIError.tooManyAttempts(retryAfter: wait)
        }
        let user = try await UserModel.find(username: body.username, on: database())
        var valid = false
        if let user {
            valid = try await hasher.verify(body.password, hash: user.passwordHash)
        } else {
            try await hasher.verifyAgainstDummy(body.password)
        }
        guard valid, let user, let id = user.id else {
            await throttle.recordFailure(username: body.username, client: client)
            context.logger.notice("Failed sign-in for '\(ErrorMiddleware.printable(body.username))' from \(client)")
            throw APIError.unauthorized("Wrong username or password")
        }
        await throttle.recordSuccess(username: body.username)
        let token = try await tokens.issue(userID: id, tokenVersion: user.tokenVersion)
        let lifetime = Int(tokens.lifetime)
        let cookie = Cookie(name: AuthenticationMiddleware.cookieName, value: token, maxAge: lifetime, path: "/",
                            secure: cookieSecure, httpOnly: true, sameSite: .strict)
        context.logger.info("Signed in: '\(user.username)' from \(client)")
        return try JSONResponse(LoginResponse(access_token: token, token_type: "bearer", expires_in: lifetime),
                                headers: [.setCookie: cookie.description]).response(from: request, context: context)
    }

    @Sendable func changePassword(_ request: Request, context: RoninRequestContext) async throws -> Response {
        let signedIn = try context.requireUser()
        let body = try await JSONBody.decode(PasswordChange.self, from: request)
        let db = database()
        guard let user = try await UserModel.find(signedIn.id, on: db) else { throw APIError.unauthorized() }
        if let wait = await throttle.retryAfter(username: user.username, client: context.clientAddress) {
            throw APIError.tooManyAttempts(retryAfter: wait)
        }
        guard try await hasher.verify(body.current_password, hash: user.passwordHash) else {
            await throttle.recordFailure(username: user.username, client: context.clientAddress)
            throw APIError(.forbidden, "forbidden", "The current password is wrong")
        }
        if let problem = PasswordPolicy.problem(with: body.new_password) { throw APIError.validation(problem) }
        user.passwordHash = try await hasher.hash(body.new_password)
        user.tokenVersion += 1
        user.updatedAt = Date()
        try await user.save(on: db)
        return Response(status: .noContent, headers: [.setCookie: Self.expiredCookie(secure: cookieSecure)])
    }

    static func expiredCookie(secure: Bool) -> String {
        Cookie(name: AuthenticationMiddleware.cookieName, value: "", maxAge: 0, path: "/", secure: secure, httpOnly: true, sameSite: .strict).description
    }
}
