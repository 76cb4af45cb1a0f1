import Crypto
import Foundation
import HummingbirdBcrypt
import NIOCore
import NIOPosix

/// bcrypt password hashing, on a small thread pool of its own: a hash takes a quarter of a
/// second of one core by design, so a burst of sign-ins must not occupy the threads that read
/// footage from disk (NIO's shared pool) or the event loops. With a quarter of the cores (at
/// least one thread), the rest of the machine keeps recording and serving whatever arrives.
public struct PasswordHasher: Sendable {
    public let cost: UInt8
    let pool: NIOThreadPool

    /// The pool every hasher shares, started on first use and kept for the life of the process.
    static let sharedPool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: max(1, System.coreCount / 4))
        pool.start()
        return pool
    }()

    /// How many hashes can run at the same moment.
    public static var threads: Int { max(1, System.coreCount / 4) }

    public init(cost: UInt8 = 12) {
        self.cost = cost
        pool = Self.sharedPool
    }

    public func hash(_ password: String) async throws -> String {
        let cost = self.cost
        let input = Self.bcryptInput(password)
        return try await pool.runIfActive { Bcrypt.hash(input, cost: cost) }
    }

    public func verify(_ password: String, hash: String) async throws -> Bool {
        let input = Self.bcryptInput(password)
        return try await pool.runIfActive { Bcrypt.verify(input, hash: hash) }
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

/// What a sign-in request may carry before anything is looked up or counted: usernames are 1
/// to 64 characters (as accounts are created), and passwords no longer than any that can be set.
enum SignInInputPolicy {
    static let maxPasswordLength = 1024

    static func problem(username: String, password: String) -> String? {
        if username.isEmpty || username.count > 64 { return "username must be 1 to 64 characters" }
        if password.count > maxPasswordLength { return "password must be at most \(maxPasswordLength) characters" }
        return nil
    }
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
