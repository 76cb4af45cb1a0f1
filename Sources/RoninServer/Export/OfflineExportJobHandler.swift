import FluentKit
import Foundation
import Logging
import RoninCore
import RoninMedia
import SQLKit

/// Writes one offline export (`export` jobs, docs/design/tiers.md, Offline export): each camera's
/// footage in the range as MP4 files cut without re-encoding from whatever tier holds it, the
/// events' snapshots, then `index.html`, `manifest.json` and `SHA256SUMS`.
///
/// Idempotent and resumable: every file is written through a `.partial` name, synced, read back
/// and renamed, and recorded with its size and SHA-256 in the folder's progress file; a run that
/// finds a file recorded there and still matching skips it. So a job killed anywhere (kill -9, an
/// unplugged stick) runs again and finishes the same export, writing each file once. The
/// destination is checked again at every start (media may have been swapped). A cancel stops the
/// cut in progress within half a second and removes its `.partial` file; what was written stays
/// (without a manifest) for a retry to finish.
struct OfflineExportJobHandler: JobHandler {
    static let kind = "export"

    struct Payload: Codable, Sendable {
        let export_id: UUID
    }

    var kind: String { Self.kind }
    let roots: [String]
    let footage: FootageStore
    let artifacts: ArtifactFiles
    let cutter: ClipFileCutter
    let database: @Sendable () -> any Database
    let logger: Logger

    func unavailableReason() async -> String? { nil }

    static func job(export id: UUID) -> NewJob {
        let payload = String(decoding: (try? JSONEncoder().encode(Payload(export_id: id))) ?? Data(), as: UTF8.self)
        return NewJob(kind: kind, payload: payload, priority: JobPriority.requested, runAt: Date(), maxAttempts: 3,
                      uniqueKey: "export:\(id.uuidString.lowercased())")
    }

    /// What a run amounts to, as the job's result.
    struct Outcome: Codable, Sendable {
        var files = 0
        var bytes: Int64 = 0
        var written = 0
        var skipped = 0
        var folder = ""
    }

    func run(_ job: Job, context: JobContext) async throws -> String? {
        guard let payload = try? JSONDecoder().decode(Payload.self, from: Data(job.payload.utf8)) else {
            throw PermanentJobError("the job's payload is not an export: \(job.payload.prefix(200))")
        }
        guard let export = try await OfflineExportModel.find(payload.export_id, on: database()) else { return #"{"gone": true}"# }
        try await markRunning(export.id!)
        let folder = try prepareFolder(export)
        let contents = try await OfflineExportContents.load(export, artifacts: artifacts, database: database())
        var progress = startingProgress(folder, export: export.id!)
        try folder.saveProgress(progress)
        var outcome = Outcome(folder: folder.path)

        let total = max(1, contents.videos.reduce(Int64(0)) { $0 + max(1, $1.estimatedBytes) } + Int64(contents.events.count) * 50_000)
        var done: Int64 = 0
        func count(_ entry: ExportFolder.Progress.Entry, wrote: Bool) async {
            outcome.files += 1
            outcome.bytes += entry.size
            if wrote { outcome.written += 1 } else { outcome.skipped += 1 }
            context.report(progress: 0.98 * Double(done) / Double(total))
            try? await counts(export.id!, bytes: outcome.bytes, files: outcome.files)
        }

        var videoFiles: [ExportManifest.File] = []
        for video in contents.videos {
            try context.checkStillOurs()
            let estimate = max(1, video.estimatedBytes)
            if let entry = progress.files[video.path], folder.holds(video.path, entry) {
                done += estimate
                videoFiles.append(.init(path: video.path, size: entry.size, sha256: entry.sha256, kind: .video, cameraID: video.cameraID,
                                        start: video.span.start, end: video.span.end))
                await count(entry, wrote: false)
                continue
            }
            progress.files[video.path] = nil
            guard let clip = await contents.clip(for: video, footage: footage) else {
                logger.warning("Offline export \(export.id!): the footage of \(video.path) is gone; left out")
                done += estimate
                continue
            }
            let partial = try folder.freshPartial(for: video.path)
            let before = done
            do {
                try await cutter.cut(clip, to: partial, shouldStop: { context.isLost }, progress: { fraction in
                    context.report(progress: 0.98 * (Double(before) + fraction * Double(estimate)) / Double(total))
                })
            } catch {
                unlink(partial)
                if error is CancellationError { throw error }
                throw ExportWriteError("cutting \(video.path): \(error)")
            }
            let entry = try folder.commit(partial: partial, as: video.path)
            progress.files[video.path] = entry
            try folder.saveProgress(progress)
            done += estimate
            videoFiles.append(.init(path: video.path, size: entry.size, sha256: entry.sha256, kind: .video, cameraID: video.cameraID,
                                    start: video.span.start, end: video.span.end))
            await count(entry, wrote: true)
        }

        var snapshots: [ExportManifest.File] = []
        var events: [ExportManifest.Event] = []
        for item in contents.events {
            try context.checkStillOurs()
            var event = item.event
            done += 50_000
            if let path = event.snapshot, let source = item.source {
                if let entry = progress.files[path], folder.holds(path, entry) {
                    snapshots.append(.init(path: path, size: entry.size, sha256: entry.sha256, kind: .snapshot, cameraID: event.cameraID))
                    await count(entry, wrote: false)
                } else if let entry = try? folder.copy(source, to: path, stop: { try context.checkStillOurs() }) {
                    progress.files[path] = entry
                    try folder.saveProgress(progress)
                    snapshots.append(.init(path: path, size: entry.size, sha256: entry.sha256, kind: .snapshot, cameraID: event.cameraID))
                    await count(entry, wrote: true)
                } else {
                    // The event (and its pictures) went meanwhile: listed, without a picture.
                    try context.checkStillOurs()
                    event.snapshot = nil
                }
            }
            events.append(event)
        }

        try context.checkStillOurs()
        let finished = try finish(folder, export: export, cameras: contents.cameras, files: videoFiles + snapshots, events: events)
        outcome.files = finished.files
        outcome.bytes = finished.bytes
        try await succeed(export.id!, outcome: outcome, job: job.id, owner: context.owner)
        logger.info("Offline export \(export.id!) written to \(folder.path): \(outcome.files) files, \(outcome.bytes) bytes (\(outcome.skipped) already there)")
        return String(decoding: try JSONEncoder().encode(outcome), as: UTF8.self)
    }

    /// Checks the destination again and makes sure the export's folder is there and this export's.
    func prepareFolder(_ export: OfflineExportModel) throws -> ExportFolder {
        let destination: ExportDestination
        do {
            destination = try ExportDestination.validate(export.destination, roots: roots, fileSystem: LocalExportFileSystem())
        } catch .rootUnavailable(let root) {
            throw ExportWriteError("the export root \(root) is not there (not mounted?)")
        } catch {
            throw PermanentJobError("destination: \(error.description)")
        }
        var made = OfflineExportService.existingPart(of: destination)
        for name in destination.missing {
            made += "/" + name
            try ExportFolder.makeFolder(made)
        }
        guard (export.folder as NSString).deletingLastPathComponent == destination.folder else {
            throw PermanentJobError("the export's folder \(export.folder) is not in its destination \(destination.folder)")
        }
        let folder = ExportFolder(path: export.folder)
        switch LocalExportFileSystem().kind(of: folder.path) {
        case .missing:
            try ExportFolder.makeFolder(folder.path)
        case .directory:
            let owner = folder.ownerID()
            guard owner == export.id || (owner == nil && folder.isEmpty()) else {
                throw PermanentJobError("\(folder.path) holds files that are not this export's")
            }
        default:
            throw PermanentJobError("\(folder.path) is in the way: it is not a folder (or it is a link)")
        }
        return folder
    }

    /// The files already written: from the progress file, or from the manifest of a run that
    /// finished its files (a job run again after its last write). Leftover `.partial` files go.
    func startingProgress(_ folder: ExportFolder, export: UUID) -> ExportFolder.Progress {
        for file in folder.regularFiles() where file.hasSuffix(ExportFolder.partialSuffix) { folder.remove(file) }
        if let progress = folder.readProgress(), progress.export_id == export { return progress }
        var progress = ExportFolder.Progress(export_id: export, files: [:])
        if let manifest = folder.readManifest(), manifest.exportID == export {
            for file in manifest.files where file.kind != .page { progress.files[file.path] = .init(size: file.size, sha256: file.sha256) }
        }
        return progress
    }

    /// Writes the page, the manifest and the checksums, removes what does not belong to the
    /// export (files of an earlier plan), and the progress file last.
    func finish(_ folder: ExportFolder, export: OfflineExportModel, cameras: [ExportManifest.Camera], files: [ExportManifest.File],
                events: [ExportManifest.Event]) throws -> (files: Int, bytes: Int64) {
        var manifest = ExportManifest(exportID: export.id!, nvrVersion: RoninVersion.current, createdAt: export.createdAt, timeZone: export.timeZone,
                                      range: export.range, cameras: cameras, files: files, events: events)
        let page = try folder.write(Data(ExportIndexPage.html(manifest).utf8), to: ExportIndexPage.fileName)
        manifest.files.append(.init(path: ExportIndexPage.fileName, size: page.size, sha256: page.sha256, kind: .page))
        let written = try folder.write(try manifest.encoded(), to: ExportManifest.fileName)
        var sums = ExportChecksums()
        for file in manifest.files { sums.set(file.path, sha256: file.sha256) }
        sums.set(ExportManifest.fileName, sha256: written.sha256)
        let checksums = try folder.write(Data(sums.text.utf8), to: ExportChecksums.fileName)
        let keep = Set(sums.entries.keys).union([ExportChecksums.fileName, ExportFolder.progressFile])
        for file in folder.regularFiles() where !keep.contains(file) { folder.remove(file) }
        folder.removeProgress()
        let bytes = manifest.files.reduce(Int64(0)) { $0 + $1.size } + written.size + checksums.size
        return (manifest.files.count + 2, bytes)
    }

    /// The row says `running` (unless an earlier run already finished it).
    private func markRunning(_ id: UUID) async throws {
        guard let sql = database() as? any SQLDatabase else { return }
        let now = Date()
        try await sql.raw("""
            UPDATE offline_exports SET state = 'running', error = NULL, finished_at = NULL, updated_at = \(bind: now)
            WHERE id = \(bind: id) AND state <> 'succeeded'
            """).run()
    }

    private func counts(_ id: UUID, bytes: Int64, files: Int) async throws {
        guard let sql = database() as? any SQLDatabase else { return }
        try await sql.raw("""
            UPDATE offline_exports SET bytes = \(bind: bytes), files = \(bind: files), updated_at = \(bind: Date()) WHERE id = \(bind: id)
            """).run()
    }

    /// The row says `succeeded`, in the transaction that checks the job is still this worker's.
    private func succeed(_ id: UUID, outcome: Outcome, job: UUID, owner: String) async throws {
        let now = Date()
        try await database().writeTransaction { db in
            guard let sql = db as? any SQLDatabase else { return }
            if !owner.isEmpty { try await JobQueue.requireHeld(job, owner: owner, on: sql) }
            try await sql.raw("""
                UPDATE offline_exports SET state = 'succeeded', bytes = \(bind: outcome.bytes), files = \(bind: outcome.files), error = NULL,
                       finished_at = \(bind: now), updated_at = \(bind: now)
                WHERE id = \(bind: id)
                """).run()
        }
    }
}

extension BackgroundWork {
    /// The handler of `export` jobs, writing under EXPORT_ROOTS with the footage of every tier.
    var offlineExport: OfflineExportJobHandler {
        OfflineExportJobHandler(roots: settings.storage.exportRoots, footage: footage, artifacts: events.files,
                                cutter: ClipFileCutter(ffmpegPath: settings.ffmpegPath, workDirectory: settings.dataDirectory + "/run/exports"),
                                database: database, logger: logger)
    }
}
