import Crypto
import Foundation
import HummingbirdBcrypt
import NIOPosix

/// bcrypt password hashing, run on NIO's thread pool so a hash (tens to hundreds of
/// milliseconds by design) never blocks request handling.
public struct PasswordHasher: Sendable {
    public let cost: UInt8

    public init(cost: UInt8 = 12) {
        self.cost = cost
    }

    public func hash(_ password: String) async throws -> String {
        let cost = self.cost
        let input = Self.bcryptInput(password)
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(input, cost: cost) }
    }

    public func verify(_ password: String, hash: String) async throws -> Bool {
        let input = Self.bcryptInput(password)
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(input, hash: hash) }
    }

    /// bcrypt reads only the first 72 bytes. Longer passwords are first reduced with SHA-256
    /// (Base64, 44 bytes), so every character counts; shorter ones go in unchanged.
    static func bcryptInput(_ password: String) -> String {
        guard password.utf8.count > 72 else { return password }
        return "sha256:" + Data(SHA256.hash(data: Data(password.utf8))).base64EncodedString()
    }

    /// Spends the same time as a real check, for unknown usernames, so response time does not
    /// reveal which usernames exist.
    public func verifyAgainstDummy(_ password: String) async throws {
        _ = try await verify(password, hash: Self.dummyHash)
    }

    static let dummyHash = Bcrypt.hash("not-a-real-password", cost: 12)
}

/// Password rules shared by the API and the command line.
public enum PasswordPolicy {
    public static let minLength = 8
    public static let maxLength = 256

    /// Returns a problem sentence, or nil when the password is acceptable.
    public static func problem(with password: String) -> String? {
        if password.count < minLength { return "password must be at least \(minLength) characters" }
        if password.count > maxLength { return "password must be at most \(maxLength) characters" }
        return nil
    }
}
