import FluentKit
import Foundation
import Logging
import RoninCore
import RoninVision
import ServiceLifecycle

/// `ronin worker`: job workers and live detection alone, on another machine, against the same
/// PostgreSQL database (DATABASE_URL) and the same footage mount (STORAGE_ROOT), with its own
/// ML_THREADS, ML_PROVIDER and ML_CUDA_DEVICE_IDS. No web server, no recording: with `live`, the
/// server sends it the streams of the cameras it takes (to LIVE_WORKER_ADDRESS), and what it sees
/// reaches the server's event streams over the database.
public struct WorkerNode {
    /// The kinds `--kinds` may name: job kinds, and `live` for live detection.
    public static let kinds = BackgroundWork.allKinds + [liveKind]
    /// What runs without `--kinds`.
    public static let defaultKinds = [DetectionJobHandler.kind]
    public static let liveKind = "live"

    let app: RoninApp

    public init(settings: Settings, vision: VisionSettings, logger: Logger = Logger(label: "ronin")) {
        app = RoninApp(settings: settings, vision: vision, logger: logger)
    }

    /// Runs workers of `kinds` until SIGTERM or SIGINT; their running jobs are then handed back,
    /// and the cameras watched live go to the other live workers.
    public func run(kinds: [String]) async throws {
        let settings = app.settings
        guard settings.database.kind == .postgresql else {
            throw CommandLineFailure(message: "ronin worker needs PostgreSQL (DATABASE_URL=postgres://…): with SQLite, `ronin serve` runs "
                + "the workers itself in one process, and a second process cannot share its queue")
        }
        if let unknown = kinds.first(where: { !Self.kinds.contains($0) }) {
            throw CommandLineFailure(message: "unknown kind '\(unknown)'; known kinds: \(Self.kinds.joined(separator: ", "))")
        }
        guard !kinds.isEmpty else { throw CommandLineFailure(message: "--kinds names nothing to run") }
        ProcessLimits.prepare(logger: app.logger)
        let connector = try DatabaseConnector(settings.database, logger: app.logger)
        do {
            try await connector.migrate()
            let work = try await BackgroundWork.assemble(settings: settings, vision: app.vision, connector: connector, logger: app.logger)
            var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
            if kinds.contains(Self.liveKind), let notifications = connector.notifications {
                // First, so it stops last: the messages of the last watches go out before it ends.
                services.append(.init(service: EventBusLinkService(link: EventBusLink(notifications: notifications, logger: app.logger),
                                                                   bus: work.events.bus, end: .send)))
            }
            let jobKinds = kinds.filter { $0 != Self.liveKind }
            if !jobKinds.isEmpty { services.append(.init(service: work.pool(kinds: jobKinds))) }
            if kinds.contains(Self.liveKind) {
                let advertised = settings.liveWorkerAddress ?? WorkerIdentity.hostName()
                services.append(.init(service: work.liveDetection(role: .worker(advertisedHost: advertised), taps: LiveTaps(host: "0.0.0.0"))))
            }
            let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: app.logger))
            try await group.run()
        } catch {
            await connector.shutdown()
            throw error
        }
        await connector.shutdown()
    }
}

/// `ronin analyze`: queues detection for a camera's footage in a range, then follows the jobs
/// (run by `ronin serve` or `ronin worker`) until they end, printing progress.
public struct AnalysisCommandRunner {
    let app: RoninApp

    public init(settings: Settings, vision: VisionSettings, logger: Logger = Logger(label: "ronin")) {
        app = RoninApp(settings: settings, vision: vision, logger: logger)
    }

    /// What the jobs amounted to when `run` returned.
    public struct Outcome: Sendable {
        public let recordings: Int
        public let succeeded: Int
        public let failed: Int
    }

    public func run(camera name: String, from: Date, to: Date, force: Bool, wait: Bool,
                    print: @escaping @Sendable (String) -> Void) async throws -> Outcome {
        guard from < to else { throw CommandLineFailure(message: "--to must be after --from") }
        guard to.timeIntervalSince(from) <= AnalysisController.maxRange else { throw CommandLineFailure(message: "a backfill may span at most 366 days") }
        guard app.settings.mlEnabled else { throw CommandLineFailure(message: "object detection is off (ML_ENABLED=false)") }
        let connector = try DatabaseConnector(app.settings.database, logger: app.logger)
        do {
            let outcome = try await follow(name: name, from: from, to: to, force: force, wait: wait, connector: connector, print: print)
            await connector.shutdown()
            return outcome
        } catch {
            await connector.shutdown()
            throw error
        }
    }

    private func follow(name: String, from: Date, to: Date, force: Bool, wait: Bool, connector: DatabaseConnector,
                        print: @escaping @Sendable (String) -> Void) async throws -> Outcome {
        try await connector.migrate()
        let cameras = try await CameraModel.query(on: connector.database).all()
        guard let camera = cameras.first(where: { $0.name.lowercased() == name.lowercased() }) ?? cameras.first(where: { $0.id?.uuidString.lowercased() == name.lowercased() }) else {
            throw CommandLineFailure(message: "no camera named '\(name)'; cameras: \(cameras.map(\.name).sorted().joined(separator: ", "))")
        }
        let work = try await BackgroundWork.assemble(settings: app.settings, vision: app.vision, connector: connector, logger: app.logger)
        let queued = try await work.queueAnalysis(cameras: [camera.id!], from: from, to: to, force: force)
        print("\(camera.name): \(queued.recordings) recordings in the range; \(queued.queued) queued, \(queued.alreadyQueued) already queued, "
            + "\(queued.alreadyAnalysed) already analysed")
        guard wait, !queued.jobIDs.isEmpty else { return Outcome(recordings: queued.recordings, succeeded: 0, failed: 0) }
        var lastLine = ""
        var quietSince = Date()
        while true {
            var done = 0, succeeded = 0, failed = 0, running = 0
            var progress = 0.0
            for id in queued.jobIDs {
                guard let job = try await work.queue.find(id) else { done += 1; continue }
                switch job.state {
                case .succeeded: done += 1; succeeded += 1; progress += 1
                case .parked, .cancelled: done += 1; failed += 1; progress += 1
                case .running: running += 1; progress += job.progress
                case .queued, .failed: break
                }
            }
            let line = String(format: "%d of %d done (%.0f%%), %d running, %d failed", done, queued.jobIDs.count,
                              100 * progress / Double(queued.jobIDs.count), running, failed)
            if line != lastLine {
                print(line)
                lastLine = line
                quietSince = Date()
            } else if running == 0, Date().timeIntervalSince(quietSince) > 60 {
                print("No worker has taken the jobs for a minute: is `ronin serve` (or `ronin worker`) running with detection available? "
                    + "The jobs stay queued.")
                quietSince = Date()
            }
            if done == queued.jobIDs.count { return Outcome(recordings: queued.recordings, succeeded: succeeded, failed: failed) }
            try await Task.sleep(for: .seconds(1))
        }
    }
}
