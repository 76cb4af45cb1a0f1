import Foundation
import RoninCore

/// Encrypts camera passwords for the database with the installation's Fernet key, and
/// registers every password it sees with the log redactor so it can never reach a log line.
struct CredentialCipher: Sendable {
    let fernet: Fernet

    init(key: String) throws {
        fernet = try Fernet(key: key)
    }

    func seal(_ password: String) throws -> String {
        SecretRedactor.shared.register(password)
        return try fernet.encrypt(password)
    }

    func open(_ token: String) throws -> String {
        let password = try fernet.decryptString(token)
        SecretRedactor.shared.register(password)
        return password
    }
}
