import Foundation
import JWTKit

/// The claims inside a login token.
struct SessionClaims: JWTPayload {
    var sub: SubjectClaim
    var exp: ExpirationClaim
    var iat: IssuedAtClaim
    /// This token's own id, so signing out can revoke exactly this session.
    var jti: IDClaim
    /// The user's `token_version` when the token was issued.
    var ver: Int

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }
}

/// Issues and checks HS256 login tokens. Tokens carry the user id and `token_version`; the
/// caller checks both against the database, so deleting a user or changing a password ends
/// their sessions at once.
public struct TokenService: Sendable {
    let keys: JWTKeyCollection
    public let lifetime: TimeInterval

    public init(secret: String, lifetimeMinutes: Int) async {
        keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        lifetime = TimeInterval(lifetimeMinutes * 60)
    }

    func issue(userID: UUID, tokenVersion: Int, now: Date = Date()) async throws -> String {
        let claims = SessionClaims(sub: .init(value: userID.uuidString), exp: .init(value: now.addingTimeInterval(lifetime)),
                                   iat: .init(value: now), jti: .init(value: UUID().uuidString), ver: tokenVersion)
        return try await keys.sign(claims)
    }

    /// The claims of a valid, unexpired token signed with our key; nil otherwise.
    func verify(_ token: String) async -> SessionClaims? {
        guard token.utf8.count < 4096 else { return nil }
        return try? await keys.verify(token, as: SessionClaims.self)
    }
}
