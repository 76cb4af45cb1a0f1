import ArgumentParser
import Foundation
import RoninServer

/// `ronin user create|passwd`.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Manage users from the command line.",
        subcommands: [Create.self, Passwd.self])

    /// Where a password comes from: `--password-stdin`, or an interactive prompt.
    struct PasswordSource: ParsableArguments {
        @Flag(name: .customLong("password-stdin"), help: "Read the password from standard input (first line).")
        var fromStandardInput = false

        func read(prompt: String) throws -> String {
            if fromStandardInput || isatty(STDIN_FILENO) == 0 {
                guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                    throw ValidationError("No password on standard input")
                }
                return line
            }
            guard let first = getpass(prompt).map({ String(cString: $0) }), let second = getpass("Repeat: ").map({ String(cString: $0) }) else {
                throw ValidationError("No password given")
            }
            guard first == second else { throw ValidationError("The passwords differ") }
            return first
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a user.")

        @Argument(help: "The username.") var username: String
        @Option(help: "admin or viewer.") var role: String = "viewer"
        @OptionGroup var password: PasswordSource

        func run() async throws {
            guard role == "admin" || role == "viewer" else { throw ValidationError("--role must be admin or viewer") }
            let settings = try SettingsLoader.load()
            RedactingLogHandler.bootstrap(level: "warning")
            try await UserAdministration(settings: settings)
                .create(username: username, password: try password.read(prompt: "Password for \(username): "), admin: role == "admin")
            print("Created \(role) '\(username)'")
        }
    }

    struct Passwd: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set a user's password (signs them out everywhere).")

        @Argument(help: "The username.") var username: String
        @OptionGroup var password: PasswordSource

        func run() async throws {
            let settings = try SettingsLoader.load()
            RedactingLogHandler.bootstrap(level: "warning")
            try await UserAdministration(settings: settings)
                .setPassword(username: username, password: try password.read(prompt: "New password for \(username): "))
            print("Password of '\(username)' changed")
        }
    }
}
