import FluentKit
import Foundation
import Logging
import RoninCore
import SQLKit

/// Asking for offline exports, and what the API and `ronin export` see of them (docs/design/tiers.md,
/// Offline export): checks a request (cameras, range, destination under EXPORT_ROOTS), makes the
/// export's folder, stores the `offline_exports` row and queues its `export` job; lists exports
/// with their state brought up to date from their jobs; cancels them.
///
/// A row's `state` mirrors its job: the job writes `running` when it starts and `succeeded` in its
/// final transaction; every read copies what the job says since (failed, parked, cancelled, or
/// queued again after a retry), and keeps it once finished jobs are purged.
struct OfflineExportService: Sendable {
    static let maxRange: TimeInterval = 366 * 86_400
    static let maxCameras = 64

    let roots: [String]
    let queue: JobQueue
    let database: @Sendable () -> any Database
    let logger: Logger
    var fileSystem = LocalExportFileSystem()

    init(settings: Settings, queue: JobQueue, database: @escaping @Sendable () -> any Database, logger: Logger) {
        roots = settings.storage.exportRoots
        self.queue = queue
        self.database = database
        self.logger = logger
    }

    /// What an export request says.
    struct Request: Sendable {
        var cameraIDs: [UUID]
        var start: Date
        var end: Date
        var destination: String
        var timeZone: String?
        var user: String?
    }

    /// An export as the API shows it, with its job's progress.
    typealias Answer = OfflineExportResponse

    /// Checks `request`, makes the folder and queues the job. Errors are `APIError`s a person can act on.
    func create(_ request: Request, now: Date = Date()) async throws -> Answer {
        guard !roots.isEmpty else { throw APIError.validation(ExportDestination.Problem.exportOff.description) }
        guard !request.cameraIDs.isEmpty, request.cameraIDs.count <= Self.maxCameras else {
            throw APIError.validation("camera_ids must name 1 to \(Self.maxCameras) cameras")
        }
        guard request.start < request.end else { throw APIError.badRequest("'end' must be after 'start'") }
        guard request.end.timeIntervalSince(request.start) <= Self.maxRange else { throw APIError.badRequest("An export may span at most 366 days") }
        // File names are in the asker's zone, or the server's.
        let zone = try request.timeZone.map(Self.zone(named:)) ?? TimeZone.current
        let zoneName = zone.identifier
        let cameraIDs = request.cameraIDs.reduce(into: [UUID]()) { if !$0.contains($1) { $0.append($1) } }
        for id in cameraIDs where try await CameraModel.find(id, on: database()) == nil {
            throw APIError.notFound("No camera with id \(id.uuidString.lowercased())")
        }
        let destination: ExportDestination
        do {
            destination = try ExportDestination.validate(request.destination, roots: roots, fileSystem: fileSystem)
        } catch {
            throw APIError.validation("destination: \(error.description)")
        }
        let footage = try await RecordingModel.query(on: database()).filter(\.$cameraID ~~ cameraIDs)
            .filter(\.$start >= request.start.addingTimeInterval(-PlaybackQueries.maxSegmentSeconds))
            .filter(\.$start < request.end).filter(\.$end > request.start)
            .filter(\.$status == RecordingModel.Status.complete.rawValue).all()
        guard !footage.isEmpty else {
            throw APIError.notFound("None of the cameras has footage between \(ManifestTime.text(request.start)) and \(ManifestTime.text(request.end))")
        }
        let estimate = footage.reduce(Int64(0)) { total, row in
            let overlap = min(row.end, request.end).timeIntervalSince(max(row.start, request.start))
            return total + Int64(Double(row.sizeBytes) * max(0, overlap) / max(row.durationSeconds, 0.001))
        }
        try checkSpace(near: destination, needs: estimate)

        let id = UUID()
        var made = Self.existingPart(of: destination)
        for name in destination.missing {
            made += "/" + name
            try make(made)
        }
        let folderPath = destination.folder + "/" + ExportDestination.exportFolderName(start: request.start, zone: zone, id: id)
        guard mkdir(folderPath, 0o750) == 0 else {
            if errno == EEXIST { throw APIError.conflict("\(folderPath) already exists") }
            throw APIError.validation("destination: cannot make \(folderPath): \(String(cString: strerror(errno)))")
        }
        chmod(folderPath, 0o750)
        let folder = ExportFolder(path: folderPath)
        do {
            try folder.saveProgress(.init(export_id: id, files: [:]))
            let row = OfflineExportModel()
            row.id = id
            row.cameraIDsJSON = String(decoding: try JSONEncoder().encode(cameraIDs), as: UTF8.self)
            row.start = request.start
            row.end = request.end
            row.timeZone = zoneName
            row.destination = destination.folder
            row.folder = folderPath
            row.state = JobState.queued.rawValue
            row.bytes = 0
            row.files = 0
            row.createdBy = request.user
            row.createdAt = now
            row.updatedAt = now
            try await row.create(on: database())
            let outcome = try await queue.enqueue(OfflineExportJobHandler.job(export: id), now: now)
            if case .queued(let job) = outcome {
                row.jobID = job
                // Only the job id: the job may have started (and written the state) already.
                try await OfflineExportModel.query(on: database()).filter(\.$id == id).set(\.$jobID, to: job).update()
            }
            logger.notice("Offline export \(id) of \(cameraIDs.count) cameras to \(folderPath) asked for by '\(request.user ?? "?")'")
            return Answer(row, progress: 0)
        } catch {
            folder.removeProgress()
            rmdir(folderPath)
            try? await OfflineExportModel.query(on: database()).filter(\.$id == id).delete()
            throw error
        }
    }

    /// One export, its state brought up to date from its job.
    func find(_ id: UUID) async throws -> Answer {
        guard let row = try await OfflineExportModel.find(id, on: database()) else { throw APIError.notFound("No export \(id.uuidString.lowercased())") }
        return try await refreshed([row])[0]
    }

    /// A page of exports, newest first, with the number of all.
    func list(limit: Int, after cursor: PageCursor?) async throws -> (exports: [Answer], total: Int, next: PageCursor?) {
        var query = OfflineExportModel.query(on: database())
        if let cursor {
            query = query.group(.or) { group in
                group.filter(\.$createdAt < cursor.instantBefore)
                    .group(.and) { $0.filter(\.$createdAt <= cursor.instantAfter).filter(\.$id < cursor.id) }
            }
        }
        var rows = try await query.sort(\.$createdAt, .descending).sort(\.$id, .descending).limit(limit + 1).all()
        let more = rows.count > limit
        if more { rows.removeLast() }
        let total = try await OfflineExportModel.query(on: database()).count()
        let next = more ? rows.last.map { PageCursor(instant: $0.createdAt, id: $0.id!) } : nil
        return (try await refreshed(rows), total, next)
    }

    /// Cancels an export whose job has not finished; its job stops at its next check.
    func cancel(_ id: UUID, by user: String?, now: Date = Date()) async throws -> Answer {
        guard let row = try await OfflineExportModel.find(id, on: database()) else { throw APIError.notFound("No export \(id.uuidString.lowercased())") }
        guard let jobID = row.jobID else { throw APIError.conflict("The export has no job to cancel") }
        let job: Job
        do {
            job = try await queue.cancel(jobID, now: now)
        } catch let error as APIError where error.status == .notFound {
            throw APIError.conflict("The export has already finished (\(row.state))")
        } catch let error as APIError where error.status == .conflict {
            throw APIError.conflict("The export has already finished (\(row.state))")
        }
        logger.notice("Offline export \(id) cancelled by '\(user ?? "?")'")
        return try await refreshed([row], jobs: [jobID: job])[0]
    }

    /// The rows with their state (and error, and end) copied from their jobs where those differ,
    /// written back.
    func refreshed(_ rows: [OfflineExportModel], jobs known: [UUID: Job] = [:]) async throws -> [Answer] {
        var jobs = known
        let missing = rows.compactMap(\.jobID).filter { jobs[$0] == nil }
        if !missing.isEmpty {
            let sql = try queue.sql()
            let found = try await sql.raw("""
                SELECT \(unsafeRaw: Job.columns) FROM jobs WHERE id IN (\(binds: missing as [any Encodable & Sendable]))
                """).all().map(Job.init(row:))
            for job in found { jobs[job.id] = job }
        }
        var answers: [Answer] = []
        for row in rows {
            var progress = 0.0
            if let jobID = row.jobID, let job = jobs[jobID] {
                progress = job.progress
                // A succeeded row stays so: the job's own final write made it.
                if row.state != job.state.rawValue, row.state != JobState.succeeded.rawValue {
                    row.state = job.state.rawValue
                    row.error = job.state == .succeeded || job.state == .queued ? nil : job.lastError ?? row.error
                    row.finishedAt = job.state.isFinal ? (job.finishedAt ?? Date()) : nil
                    row.updatedAt = Date()
                    try await row.update(on: database())
                }
            }
            answers.append(Answer(row, progress: progress))
        }
        return answers
    }

    /// Refuses an export the media cannot hold (the footage's size, with a little room).
    func checkSpace(near destination: ExportDestination, needs bytes: Int64) throws {
        var stats = statvfs()
        guard statvfs(Self.existingPart(of: destination), &stats) == 0 else { return }
        let free = Int64(stats.f_bavail) * Int64(stats.f_frsize)
        let needed = bytes + bytes / 50 + 1_000_000
        guard needed <= free else {
            throw APIError.validation(String(format: "destination: the export needs about %.1f GB and only %.1f GB are free there",
                                             Double(needed) / 1e9, Double(free) / 1e9))
        }
    }

    private func make(_ folder: String) throws {
        do {
            try ExportFolder.makeFolder(folder)
        } catch {
            throw APIError.validation("destination: \(error)")
        }
    }

    static func zone(named name: String) throws -> TimeZone {
        do { return try LocalCalendar.timeZone(named: name) } catch { throw APIError.badRequest(error.description) }
    }

    static func zone(_ name: String) -> TimeZone { TimeZone(identifier: name) ?? TimeZone(identifier: "UTC")! }

    /// The deepest folder of the destination that exists already.
    static func existingPart(of destination: ExportDestination) -> String {
        var existing = destination.folder
        for _ in destination.missing { existing = (existing as NSString).deletingLastPathComponent }
        return existing
    }
}

/// UTC instants as the API writes them, for messages.
enum ManifestTime {
    static func text(_ date: Date) -> String { ExportManifest.iso8601(date) }
}
