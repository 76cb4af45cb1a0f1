import ArgumentParser
import Foundation
import RoninCore
import RoninServer
import RoninVision

/// `ronin worker`: background workers alone, for machines that only analyse footage.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run background job workers (detection) or live detection against a shared PostgreSQL database.",
        discussion: "Uses the same settings as `ronin serve` (DATABASE_URL, STORAGE_ROOT, ML_*, LIVE_*). Needs PostgreSQL; "
            + "with SQLite `ronin serve` runs everything in one process. With `live`, the server sends this machine the streams of the "
            + "cameras it takes, at LIVE_WORKER_ADDRESS. Stops on SIGTERM or SIGINT, handing its running jobs and cameras back.")

    @Option(help: "Comma-separated kinds to run (\(WorkerNode.kinds.joined(separator: ", "))).")
    var kinds: String = WorkerNode.defaultKinds.joined(separator: ",")

    func run() async throws {
        let environment = try SettingsLoader.environment()
        let settings = try SettingsLoader.load()
        RedactingLogHandler.bootstrap(level: settings.logLevel)
        let vision = try VisionSettings(environment: environment)
        let kinds = self.kinds.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        try await WorkerNode(settings: settings, vision: vision).run(kinds: kinds)
    }
}

/// `ronin analyze`: queue detection of a camera's footage in a range and follow it.
struct AnalyzeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Analyse a camera's recorded footage in a time range for objects, and show the progress.",
        discussion: "Queues one detection job per recording; `ronin serve` (or `ronin worker`) runs them. Times are UTC ISO 8601, "
            + "e.g. 2026-11-25T03:00:00Z. Exits 0 when every job succeeded, 1 when any failed.")

    @Option(help: "The camera's name.") var camera: String
    @Option(help: "Range start, UTC ISO 8601.") var from: String
    @Option(help: "Range end, UTC ISO 8601.") var to: String
    @Flag(help: "Analyse again footage that already has results.") var force = false
    @Flag(name: .customLong("no-wait"), help: "Queue the jobs and return at once.") var noWait = false

    func run() async throws {
        let environment = try SettingsLoader.environment()
        let settings = try SettingsLoader.load()
        RedactingLogHandler.bootstrap(level: "warning")
        let vision = try VisionSettings(environment: environment)
        let outcome = try await AnalysisCommandRunner(settings: settings, vision: vision)
            .run(camera: camera, from: try Self.time(from, "--from"), to: try Self.time(to, "--to"), force: force, wait: !noWait) { line in
                FileHandle.standardOutput.write(Data((line + "\n").utf8))
            }
        if outcome.failed > 0 { throw ExitCode.failure }
    }

    static func time(_ text: String, _ option: String) throws -> Date {
        let plain = ISO8601DateFormatter()
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        guard let date = plain.date(from: text) ?? fractional.date(from: text) else {
            throw ValidationError("\(option) must be a UTC ISO 8601 time such as 2026-11-25T03:00:00Z, got '\(text)'")
        }
        return date
    }
}

/// `ronin queue-benchmark` (not listed in help): the job queue's claim-and-finish cost, for bench/jobs.
struct QueueBenchmarkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue-benchmark", abstract: "Time claiming and finishing empty jobs (prints JSON).", shouldDisplay: false)

    @Option(help: "How many jobs.") var jobs: Int = 2000
    @Option(help: "Concurrent claimers.") var claimers: Int = 4

    func run() async throws {
        guard (1...1_000_000).contains(jobs), (1...64).contains(claimers) else { throw ValidationError("--jobs 1…1000000, --claimers 1…64") }
        let settings = try SettingsLoader.load()
        RedactingLogHandler.bootstrap(level: "warning")
        let result = try await QueueBenchmark(settings: settings).run(jobs: jobs, claimers: claimers)
        FileHandle.standardOutput.write(try JSONEncoder().encode(result))
        FileHandle.standardOutput.write(Data("\n".utf8))
    }
}

/// `ronin storage-benchmark` (not listed in help): reading a year of recordings and planning
/// storage over them, for bench/storage.
struct StorageBenchmarkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "storage-benchmark", abstract: "Time storage planning over a synthetic year of recordings (prints JSON).", shouldDisplay: false)

    @Option(help: "How many cameras.") var cameras: Int = 16
    @Option(help: "Days of 15-minute segments per camera.") var days: Int = 365
    @Option(help: "How many times the plan is timed.") var rounds: Int = 5

    func run() async throws {
        guard (1...256).contains(cameras), (1...3650).contains(days), (1...100).contains(rounds) else {
            throw ValidationError("--cameras 1…256, --days 1…3650, --rounds 1…100")
        }
        let settings = try SettingsLoader.load()
        RedactingLogHandler.bootstrap(level: "warning")
        let result = try await StoragePlanBenchmark(settings: settings).run(cameras: cameras, days: days, rounds: rounds)
        FileHandle.standardOutput.write(try JSONEncoder().encode(result))
        FileHandle.standardOutput.write(Data("\n".utf8))
    }
}
