import Foundation
import Logging
import RoninCore

/// `ronin user create|passwd`: user management from the command line, against the same
/// database the server uses (the server may be running).
public struct UserAdministration {
    let settings: Settings
    let logger: Logger

    public init(settings: Settings, logger: Logger = Logger(label: "ronin.user")) {
        self.settings = settings
        self.logger = logger
    }

    public func create(username: String, password: String, admin: Bool) async throws {
        try await withAccounts { accounts in
            _ = try await accounts.create(username: username, password: password, role: admin ? .admin : .viewer)
        }
    }

    public func setPassword(username: String, password: String) async throws {
        try await withAccounts { accounts in try await accounts.setPassword(username: username, password: password) }
    }

    private func withAccounts(_ body: (UserAccounts) async throws -> Void) async throws {
        let connector = try DatabaseConnector(settings.database, logger: logger)
        do {
            try await connector.migrate()
            try await body(UserAccounts(hasher: PasswordHasher(), database: connector.database))
        } catch let error as APIError {
            await connector.shutdown()
            throw CommandLineFailure(message: error.message)
        } catch {
            await connector.shutdown()
            throw error
        }
        await connector.shutdown()
    }
}

/// An error for the command line: just the sentence.
public struct CommandLineFailure: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
