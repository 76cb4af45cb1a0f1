import FluentKit
import Foundation

/// A user's role: admins change things, viewers watch.
public enum UserRole: String, Codable, Sendable, CaseIterable {
    case admin
    case viewer
}

/// A row of `users`.
final class UserModel: Model, @unchecked Sendable {
    static let schema = "users"

    @ID(key: .id) var id: UUID?
    @Field(key: "username") var username: String
    @Field(key: "username_key") var usernameKey: String
    @Field(key: "password_hash") var passwordHash: String
    @Field(key: "role") var role: String
    @Field(key: "token_version") var tokenVersion: Int
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date

    init() {}

    init(username: String, passwordHash: String, role: UserRole, now: Date = Date()) {
        self.username = username
        usernameKey = username.lowercased()
        self.passwordHash = passwordHash
        self.role = role.rawValue
        tokenVersion = 1
        createdAt = now
        updatedAt = now
    }

    var userRole: UserRole { UserRole(rawValue: role) ?? .viewer }

    static func find(username: String, on db: any Database) async throws -> UserModel? {
        try await UserModel.query(on: db).filter(\.$usernameKey == username.lowercased()).first()
    }
}

/// The signed-in user attached to a request.
public struct AuthenticatedUser: Sendable, Equatable {
    public let id: UUID
    public let username: String
    public let role: UserRole
}
