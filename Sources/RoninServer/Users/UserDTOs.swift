import Foundation

/// A user as the API shows it: never the password hash or token version.
struct UserResponse: Codable, Sendable {
    let id: UUID
    let username: String
    let role: UserRole
    let created_at: Date
    let updated_at: Date

    init(_ user: UserModel) {
        id = user.id!
        username = user.username
        role = user.userRole
        created_at = user.createdAt
        updated_at = user.updatedAt
    }
}

/// `POST /api/users`.
struct CreateUserRequest: Decodable, Sendable {
    let username: String
    let password: String
    let role: UserRole
}

/// `PATCH /api/users/{id}`: any subset.
struct UpdateUserRequest: Decodable, Sendable {
    let password: String?
    let role: UserRole?
}

/// Username rules shared by the API and the command line.
enum UsernamePolicy {
    static func problem(with username: String) -> String? {
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-@")
        if username.isEmpty || username.count > 64 { return "username must be 1 to 64 characters" }
        if !username.unicodeScalars.allSatisfy(allowed.contains) { return "username may contain only letters, digits, '.', '_', '-' and '@'" }
        return nil
    }
}
