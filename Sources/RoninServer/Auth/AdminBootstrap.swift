import FluentKit
import Foundation
import Logging
import RoninCore

/// Creates the first admin when the database has no users. The password comes from
/// RONIN_ADMIN_PASSWORD, or is generated and printed once to standard output (not to the log,
/// which may be shipped elsewhere).
struct AdminBootstrap {
    let accounts: UserAccounts
    let logger: Logger

    func run(username: String, password configured: String?) async throws {
        guard try await UserModel.query(on: accounts.database).count() == 0 else { return }
        let password = configured ?? Self.generatePassword()
        _ = try await accounts.create(username: username, password: password, role: .admin)
        if configured == nil {
            FileHandle.standardOutput.write(Data("""

            ================================================================
              Ronin NVR: first start. Sign in with
                username: \(username)
                password: \(password)
              This password is shown only once. Change it after signing in.
            ================================================================

            """.utf8))
        }
        logger.notice("Created the admin user '\(username)'")
    }

    /// 20 characters from an alphabet without look-alikes (about 115 bits).
    static func generatePassword() -> String {
        let alphabet = Array("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<20).map { _ in alphabet.randomElement(using: &generator)! })
    }
}
