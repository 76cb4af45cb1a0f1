import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import RoninCore

/// Sign-in, sign-out, the current user, and changing one's own password.
struct AuthController {
    let tokens: TokenService
    let revocations: SessionRevocations
    let gate: SignInGate
    let hasher: PasswordHasher
    let devices: DeviceToken
    /// How long a browser counts as known after a successful sign-in.
    let deviceLifetime: TimeInterval
    let cookieSecure: Bool
    let database: @Sendable () -> any Database

    static let deviceCookieName = "ronin_device"

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
            .returns(422, "Username or password of an impossible length", "Error")
            .returns(429, "Locked out after repeated failures; see Retry-After", "Error")
            .returns(503, "Too many sign-ins at once; see Retry-After", "Error"), handler: login)
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
        if let problem = SignInInputPolicy.problem(username: body.username, password: body.password) {
            context.logger.notice("Sign-in refused from \(context.clientAddress): \(problem)")
            throw APIError.validation(problem)
        }
        let client = context.clientAddress
        let shownName = ErrorMiddleware.printable(body.username)
        let device = knownDevice(request, username: body.username)
        let ticket: SignInGate.Ticket
        do {
            ticket = try await gate.admit(username: body.username, client: client, device: device)
        } catch let refusal as APIError {
            context.logger.warning("Sign-in refused for '\(shownName)' from \(client): \(refusal.message)")
            throw refusal
        }
        let user: UserModel?
        do {
            user = try await UserModel.find(username: body.username, on: database())
            if let user {
                guard try await hasher.verify(body.password, hash: user.passwordHash) else { throw APIError.unauthorized("Wrong username or password") }
            } else {
                try await hasher.verifyAgainstDummy(body.password)
                throw APIError.unauthorized("Wrong username or password")
            }
        } catch {
            await gate.finish(ticket, succeeded: false)
            if let refusal = error as? APIError, refusal.status == .unauthorized {
                context.logger.notice("Failed sign-in for '\(shownName)' from \(client)")
            }
            throw error
        }
        await gate.finish(ticket, succeeded: true)
        guard let user, let id = user.id else { throw APIError.unauthorized("Wrong username or password") }
        let token = try await tokens.issue(userID: id, tokenVersion: user.tokenVersion)
        let lifetime = Int(tokens.lifetime)
        let cookie = Cookie(name: AuthenticationMiddleware.cookieName, value: token, maxAge: lifetime, path: "/",
                            secure: cookieSecure, httpOnly: true, sameSite: .strict)
        let deviceCookie = Cookie(name: Self.deviceCookieName, value: devices.issue(username: user.username, now: Date()),
                                  maxAge: Int(deviceLifetime), path: "/api/auth", secure: cookieSecure, httpOnly: true, sameSite: .strict)
        var headers: HTTPFields = [.setCookie: cookie.description]
        headers.append(HTTPField(name: .setCookie, value: deviceCookie.description))
        context.logger.info("Signed in: '\(user.username)' from \(client)")
        return try JSONResponse(LoginResponse(access_token: token, token_type: "bearer", expires_in: lifetime), headers: headers)
            .response(from: request, context: context)
    }

    /// The device id of a browser that signed in as `username` before, from its device cookie.
    func knownDevice(_ request: Request, username: String) -> String? {
        guard let value = request.cookies[Self.deviceCookieName]?.value else { return nil }
        return devices.device(in: value, username: username, now: Date(), maxAge: deviceLifetime)
    }

    @Sendable func changePassword(_ request: Request, context: RoninRequestContext) async throws -> Response {
        let signedIn = try context.requireUser()
        let body = try await JSONBody.decode(PasswordChange.self, from: request)
        let db = database()
        guard let user = try await UserModel.find(signedIn.id, on: db) else { throw APIError.unauthorized() }
        let ticket = try await gate.admit(username: user.username, client: context.clientAddress,
                                          device: knownDevice(request, username: user.username))
        let correct: Bool
        do {
            correct = try await hasher.verify(body.current_password, hash: user.passwordHash)
        } catch {
            await gate.finish(ticket, succeeded: false)
            throw error
        }
        await gate.finish(ticket, succeeded: correct)
        guard correct else { throw APIError(.forbidden, "forbidden", "The current password is wrong") }
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
