import FluentKit
import Foundation
import Logging
import RoninCore

/// `ronin export`: asks for an offline export the way `POST /api/exports` does (the same checks,
/// folder and job), then follows it (run by `ronin serve`) until it ends, printing progress.
public struct ExportCommandRunner {
    let settings: Settings
    let logger: Logger

    public init(settings: Settings, logger: Logger = Logger(label: "ronin")) {
        self.settings = settings
        self.logger = logger
    }

    /// True when the export succeeded (or, without `wait`, was queued).
    public func run(cameras names: [String], from: Date, to: Date, destination: String, timeZone: String?, wait: Bool,
                    print: @escaping @Sendable (String) -> Void) async throws -> Bool {
        let connector = try DatabaseConnector(settings.database, logger: logger)
        do {
            let done = try await follow(names: names, from: from, to: to, destination: destination, timeZone: timeZone, wait: wait,
                                        connector: connector, print: print)
            await connector.shutdown()
            return done
        } catch {
            await connector.shutdown()
            throw error
        }
    }

    private func follow(names: [String], from: Date, to: Date, destination: String, timeZone: String?, wait: Bool,
                        connector: DatabaseConnector, print: @escaping @Sendable (String) -> Void) async throws -> Bool {
        try await connector.migrate()
        let all = try await CameraModel.query(on: connector.database).all()
        var ids: [UUID] = []
        for name in names {
            guard let camera = all.first(where: { $0.name.lowercased() == name.lowercased() })
                    ?? all.first(where: { $0.id?.uuidString.lowercased() == name.lowercased() }) else {
                throw CommandLineFailure(message: "no camera named '\(name)'; cameras: \(all.map(\.name).sorted().joined(separator: ", "))")
            }
            ids.append(camera.id!)
        }
        let database: @Sendable () -> any Database = { connector.database }
        let service = OfflineExportService(settings: settings, queue: JobQueue(database: database, wakeups: await connector.makeWakeups()),
                                           database: database, logger: logger)
        let export: OfflineExportResponse
        do {
            export = try await service.create(.init(cameraIDs: ids, start: from, end: to, destination: destination, timeZone: timeZone,
                                                    user: "command line"))
        } catch let error as APIError {
            throw CommandLineFailure(message: error.message)
        }
        print("Export \(export.id.uuidString.lowercased()) queued: \(export.folder)")
        guard wait else { return true }
        var lastLine = ""
        var quietSince = Date()
        while true {
            let now = try await service.find(export.id)
            let line = String(format: "%@: %d files, %.1f MB written (%.0f%%)", now.state, now.files, Double(now.bytes) / 1e6, 100 * now.progress)
                + (now.error.map { " - \($0)" } ?? "")
            if line != lastLine {
                print(line)
                lastLine = line
                quietSince = Date()
            } else if now.state == JobState.queued.rawValue, Date().timeIntervalSince(quietSince) > 60 {
                print("No worker has taken the export for a minute: is `ronin serve` running? The export stays queued.")
                quietSince = Date()
            }
            switch JobState(rawValue: now.state) {
            case .succeeded:
                print("Done: \(now.folder). Check it with: ronin verify-export '\(now.folder)'")
                return true
            case .parked, .cancelled:
                print("The export \(now.state == JobState.cancelled.rawValue ? "was cancelled" : "failed"): \(now.error ?? "no reason given")")
                return false
            default:
                try await Task.sleep(for: .seconds(1))
            }
        }
    }
}
