import FluentKit
import Foundation

/// A row of `revoked_sessions`.
final class RevokedSessionModel: Model, @unchecked Sendable {
    static let schema = "revoked_sessions"

    @ID(key: .id) var id: UUID?
    @Field(key: "token_id") var tokenID: String
    @Field(key: "expires_at") var expiresAt: Date

    init() {}
}

/// Signing out: a token's id is remembered until the token would have expired anyway, and
/// such tokens are refused. Kept in the database so every server process honours it.
struct SessionRevocations: Sendable {
    let database: @Sendable () -> any Database

    func revoke(tokenID: String, expiresAt: Date) async throws {
        let db = database()
        guard try await isRevoked(tokenID) == false else { return }
        let row = RevokedSessionModel()
        row.tokenID = tokenID
        row.expiresAt = expiresAt
        do {
            try await row.create(on: db)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            return  // signed out twice at once
        }
        try await RevokedSessionModel.query(on: db).filter(\.$expiresAt < Date()).delete()
    }

    func isRevoked(_ tokenID: String) async throws -> Bool {
        try await RevokedSessionModel.query(on: database()).filter(\.$tokenID == tokenID).first() != nil
    }
}
