import FluentKit
import Foundation
import Hummingbird

/// Admin management of users under `/api/users`.
///
/// Invariants kept here: at least one admin always exists, and nobody deletes themselves.
struct UsersController {
    let hasher: PasswordHasher
    let database: @Sendable () -> any Database

    func register(on api: APIRouteTable) {
        api.add(APIOperation(.get, "/api/users", "List users", tag: "users", access: .admin)
            .returns(200, "Users ordered by name", "UserList")) { _, _ in
            let users = try await UserModel.query(on: database()).sort(\.$usernameKey).all()
            return JSONResponse(users.map(UserResponse.init))
        }
        api.add(APIOperation(.post, "/api/users", "Create a user", tag: "users", access: .admin)
            .body("CreateUser").returns(201, "Created", "User").returns(409, "Username taken", "Error")
            .returns(422, "Invalid username, password or role", "Error"), handler: create)
        api.add(APIOperation(.get, "/api/users/{id}", "Get a user", tag: "users", access: .admin)
            .returns(200, "The user", "User").returns(404, "No such user", "Error")) { _, context in
            JSONResponse(UserResponse(try await find(context)))
        }
        api.add(APIOperation(.patch, "/api/users/{id}", "Change a user's role or password", tag: "users", access: .admin)
            .body("UpdateUser").returns(200, "Updated", "User").returns(422, "Not acceptable (e.g. demoting the last admin)", "Error"),
            handler: update)
        api.add(APIOperation(.delete, "/api/users/{id}", "Delete a user", tag: "users", access: .admin)
            .returns(204, "Deleted").returns(403, "You cannot delete yourself", "Error"), handler: delete)
    }

    func find(_ context: RoninRequestContext) async throws -> UserModel {
        let id = try context.uuid("id", of: "user")
        guard let user = try await UserModel.find(id, on: database()) else { throw APIError.notFound("No user with id \(id)") }
        return user
    }

    @Sendable func create(_ request: Request, context: RoninRequestContext) async throws -> JSONResponse<UserResponse> {
        let body = try await JSONBody.decode(CreateUserRequest.self, from: request)
        let user = try await UserAccounts(hasher: hasher, database: database()).create(username: body.username, password: body.password, role: body.role)
        let admin = try context.requireUser().username
        context.logger.info("User '\(user.username)' (\(user.role)) created by '\(admin)'")
        return JSONResponse(UserResponse(user), status: .created)
    }

    @Sendable func update(_ request: Request, context: RoninRequestContext) async throws -> JSONResponse<UserResponse> {
        let body = try await JSONBody.decode(UpdateUserRequest.self, from: request)
        let user = try await find(context)
        let db = database()
        if let role = body.role, role != user.userRole {
            if user.userRole == .admin, try await UserModel.query(on: db).filter(\.$role == UserRole.admin.rawValue).count() <= 1 {
                throw APIError.validation("\(user.username) is the last admin; make another admin first")
            }
            user.role = role.rawValue
            user.tokenVersion += 1
        }
        if let password = body.password {
            if let problem = PasswordPolicy.problem(with: password) { throw APIError.validation(problem) }
            user.passwordHash = try await hasher.hash(password)
            user.tokenVersion += 1
        }
        user.updatedAt = Date()
        try await user.save(on: db)
        return JSONResponse(UserResponse(user))
    }

    @Sendable func delete(_ request: Request, context: RoninRequestContext) async throws -> Response {
        let user = try await find(context)
        guard user.id != (try context.requireUser()).id else { throw APIError.forbidden("You cannot delete your own account") }
        try await user.delete(on: database())
        context.logger.info("User '\(user.username)' deleted")
        return Response(status: .noContent)
    }
}

/// Creating users and setting passwords, shared by the API, first start and `ronin user`.
struct UserAccounts {
    let hasher: PasswordHasher
    let database: any Database

    func create(username rawName: String, password: String, role: UserRole) async throws -> UserModel {
        let username = rawName.trimmingCharacters(in: .whitespaces)
        if let problem = UsernamePolicy.problem(with: username) { throw APIError.validation(problem) }
        if let problem = PasswordPolicy.problem(with: password) { throw APIError.validation(problem) }
        if try await UserModel.find(username: username, on: database) != nil {
            throw APIError.conflict("The username '\(username)' is taken")
        }
        let user = UserModel(username: username, passwordHash: try await hasher.hash(password), role: role)
        do {
            try await user.create(on: database)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw APIError.conflict("The username '\(username)' is taken")
        }
        return user
    }

    func setPassword(username: String, password: String) async throws {
        if let problem = PasswordPolicy.problem(with: password) { throw APIError.validation(problem) }
        guard let user = try await UserModel.find(username: username, on: database) else {
            throw APIError.notFound("No user named '\(username)'")
        }
        user.passwordHash = try await hasher.hash(password)
        user.tokenVersion += 1
        user.updatedAt = Date()
        try await user.save(on: database)
    }
}
