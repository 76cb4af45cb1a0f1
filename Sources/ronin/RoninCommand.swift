import ArgumentParser
import Foundation
import RoninCore
import RoninServer
import RoninVision

/// The `ronin` executable: one binary for the server and its maintenance commands.
@main
struct RoninCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ronin",
        abstract: "Ronin NVR: a self-hosted network video recorder.",
        version: RoninVersion.current,
        subcommands: [Serve.self, WorkerCommand.self, AnalyzeCommand.self, ExportCommand.self, VerifyExportCommand.self, UserCommand.self, DetectCommand.self, QueueBenchmarkCommand.self,
                      StorageBenchmarkCommand.self])
}

/// Reads the environment and the .env file into settings, or exits with the problem.
enum SettingsLoader {
    /// The .env file's values overlaid with the process environment (the environment wins).
    static func environment() throws -> [String: String] {
        let environment = ProcessInfo.processInfo.environment
        let envFile = environment["RONIN_ENV_FILE"] ?? ".env"
        var merged: [String: String]
        do {
            merged = try DotEnvFile.load(path: envFile)
        } catch {
            throw ValidationError("\(envFile): \(error)")
        }
        merged.merge(environment) { _, process in process }
        return merged
    }

    static func load() throws -> Settings {
        let merged = try environment()
        do {
            let settings = try Settings(environment: merged)
            settings.registerSecrets()
            return settings
        } catch {
            throw ValidationError("Configuration problem: \(error)")
        }
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the NVR: web UI, API, recording and detection.",
        discussion: "All settings are environment variables (also read from a .env file):\n\n" + SettingsCatalog.helpText())

    func run() async throws {
        let environment = try SettingsLoader.environment()
        let settings = try SettingsLoader.load()
        RedactingLogHandler.bootstrap(level: settings.logLevel)
        try await RoninApp(settings: settings, vision: try VisionSettings(environment: environment)).serve()
    }
}
