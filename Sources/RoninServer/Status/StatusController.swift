import FluentKit
import SQLKit
import Foundation
import Hummingbird
import RoninCore
import RoninMedia

/// `GET /api/status`: what the Status page shows: API health, each camera's pipeline state,
/// storage use, and recording statistics for the last hour and day. Viewers see states and
/// figures; the storage path and ffmpeg's error text (which name hosts and paths) are for admins.
struct StatusController {
    let databaseKind: Settings.DatabaseKind
    let storageRoot: String
    let recorder: RecordingManager
    let database: @Sendable () -> any Database
    let startedAt = Date()

    struct CameraStatus: Codable, Sendable, ExplicitNullEncodable {
        let id: UUID
        let name: String
        let enabled: Bool
        let recording_enabled: Bool
        let state: String
        let since: Date
        let last_error: String?
        let restarts: Int
    }

    struct Window: Codable, Sendable {
        var segments = 0
        var bytes: Int64 = 0
    }

    struct CameraRecording: Codable, Sendable {
        let camera_id: UUID
        let name: String
        let last_hour: Window
        let last_day: Window
    }

    struct Storage: Codable, Sendable, ExplicitNullEncodable {
        /// The storage folder, for admins (null for viewers).
        let root: String?
        let recordings_bytes: Int64
        let recordings_count: Int
        let total_bytes: Int64?
        let free_bytes: Int64?
    }

    struct Report: Codable, Sendable {
        let api: [String: String]
        let uptime_seconds: Int
        let cameras: [CameraStatus]
        let cameras_by_state: [String: Int]
        let storage: Storage
        let recording: [String: Window]
        let recording_per_camera: [CameraRecording]
    }

    func register(on api: APIRouteTable) {
        api.add(APIOperation(.get, "/api/status", "System health, camera states, storage and recording statistics", tag: "system", access: .signedIn)
            .returns(200, "The report", "Status"), handler: report)
    }

    /// Bytes and number of all recordings. The cast matters: PostgreSQL sums bigint as numeric.
    static func recordingTotals(on db: any Database) async throws -> (Int64, Int) {
        guard let sql = db as? any SQLDatabase else { return (0, 0) }
        struct Totals: Decodable { let bytes: Int64; let count: Int64 }
        let row = try await sql.raw("SELECT CAST(COALESCE(SUM(size_bytes), 0) AS BIGINT) AS bytes, COUNT(*) AS count FROM recordings")
            .first(decoding: Totals.self)
        return (row?.bytes ?? 0, Int(row?.count ?? 0))
    }

    @Sendable func report(_ request: Request, context: RoninRequestContext) async throws -> JSONResponse<Report> {
        let db = database()
        let cameras = try await CameraModel.ordered(on: db)
        var states: [CameraStatus] = []
        var byState: [String: Int] = [:]
        let admin = context.user?.role == .admin
        for camera in cameras {
            let status = await recorder.status(of: camera.id!)
            states.append(CameraStatus(id: camera.id!, name: camera.name, enabled: camera.enabled, recording_enabled: camera.recordingEnabled,
                                       state: status.state.rawValue, since: status.since, last_error: admin ? status.lastError : nil,
                                       restarts: status.restarts))
            byState[status.state.rawValue, default: 0] += 1
        }
        let now = Date()
        let recent = try await RecordingModel.query(on: db).filter(\.$end > now.addingTimeInterval(-86_400)).all()
        var hour = Window(), day = Window()
        var perCamera: [UUID: (Window, Window)] = [:]
        for row in recent {
            day.segments += 1; day.bytes += row.sizeBytes
            var entry = perCamera[row.cameraID] ?? (Window(), Window())
            entry.1.segments += 1; entry.1.bytes += row.sizeBytes
            if row.end > now.addingTimeInterval(-3600) {
                hour.segments += 1; hour.bytes += row.sizeBytes
                entry.0.segments += 1; entry.0.bytes += row.sizeBytes
            }
            perCamera[row.cameraID] = entry
        }
        let (total, count) = try await Self.recordingTotals(on: db)
        let disk = try? FileManager.default.attributesOfFileSystem(forPath: storageRoot)
        let report = Report(
            api: ["status": "ok", "version": RoninVersion.current, "database": databaseKind.rawValue],
            uptime_seconds: Int(now.timeIntervalSince(startedAt)),
            cameras: states, cameras_by_state: byState,
            storage: Storage(root: admin ? storageRoot : nil, recordings_bytes: total, recordings_count: count,
                             total_bytes: (disk?[.systemSize] as? NSNumber)?.int64Value, free_bytes: (disk?[.systemFreeSize] as? NSNumber)?.int64Value),
            recording: ["last_hour": hour, "last_day": day],
            recording_per_camera: cameras.map { camera in
                let entry = perCamera[camera.id!] ?? (Window(), Window())
                return CameraRecording(camera_id: camera.id!, name: camera.name, last_hour: entry.0, last_day: entry.1)
            })
        return JSONResponse(report)
    }
}
