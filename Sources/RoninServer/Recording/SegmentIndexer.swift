import FluentKit
import Foundation
import Logging
import RoninCore
import RoninMedia
import SQLKit

/// Turns finished staging files into permanent segment files and `recordings` rows, and
/// reconciles disk and database at start-up.
///
/// A staged segment's end is its file's last write time and its start is that minus its media
/// duration, so consecutive segments neither overlap nor leave invented gaps (the name's
/// open time can precede the first frame by the camera's start-up burst). Files without media
/// (cut before their first fragment) are deleted. Safe to call repeatedly and concurrently for
/// different cameras; calls for one camera are serialised by the actor.
actor SegmentIndexer {
    let layout: SegmentLayout
    let probe: MediaFileProbe
    let database: @Sendable () -> any Database
    let logger: Logger
    /// Told about every row added (to queue its analysis).
    let onIndexed: @Sendable (RecordingModel) async -> Void
    /// The row of each camera's segment being written, and the last write it shows.
    private var inProgress: [UUID: (key: String, row: UUID, start: Date, end: Date)] = [:]
    /// How far the file must have grown (in time) before its row is written again: often enough
    /// for Playback to follow, seldom enough that sixteen cameras cost the database little.
    static let inProgressStep: TimeInterval = 4
    /// Each camera's last finished segment: where it ended and what it held. The next segment
    /// starts where it ended (the muxer cuts one file and opens the next on the same keyframe), so
    /// the row of the segment being written needs no ffprobe of its own.
    private var lastFinished: [UUID: (end: Date, info: MediaFileInfo)] = [:]
    /// How close the next file's opening must be to the last one's end to continue it.
    static let continuationTolerance: TimeInterval = 2.5

    init(layout: SegmentLayout, probe: MediaFileProbe, database: @escaping @Sendable () -> any Database, logger: Logger,
         onIndexed: @escaping @Sendable (RecordingModel) async -> Void = { _ in }) {
        self.layout = layout
        self.probe = probe
        self.database = database
        self.logger = logger
        self.onIndexed = onIndexed
    }

    /// Indexes every finished staged segment of one camera. Returns how many rows it added.
    @discardableResult
    func finalize(cameraID: UUID, folder: String, writerActive: Bool) async -> Int {
        var added = 0
        for segment in StagingScanner.finished(in: layout.stagingDirectory(cameraID: cameraID), writerActive: writerActive) {
            do {
                if try await finalize(segment, cameraID: cameraID, folder: folder) { added += 1 }
            } catch {
                logger.error("Cannot index \(segment.path): \(error)")
            }
        }
        return added
    }

    private func finalize(_ segment: StagedSegment, cameraID: UUID, folder: String) async throws -> Bool {
        // A segment cut by a crash may end in a half-written fragment: keep the whole ones.
        // Trimming keeps the modification time meaningful: it is restored below.
        if let removed = try? FragmentTrimmer.trim(path: segment.path), removed > 0 {
            try? FileManager.default.setAttributes([.modificationDate: segment.modifiedAt], ofItemAtPath: segment.path)
            logger.notice("Trimmed \(removed) bytes of an incomplete fragment from \(segment.fileName) of camera \(cameraID)")
        }
        let size = ((try? FileManager.default.attributesOfItem(atPath: segment.path))?[.size] as? NSNumber)?.int64Value ?? segment.size
        // The footage's SHA-256 as recorded (moves check their copies against it), taken while
        // ffprobe reads the file, on a niced thread.
        let path = segment.path
        async let sha256 = try? NicedThread.run { try FileHash.sha256(of: path) }
        guard let info = await probe.inspect(segment.path) else {
            logger.notice("Removing \(segment.fileName) of camera \(cameraID): it holds no playable media")
            try? FileManager.default.removeItem(atPath: segment.path)
            return false
        }
        let end = segment.modifiedAt
        let start = end.addingTimeInterval(-info.duration)
        let relative = layout.permanentPath(folder: folder, start: start) { FileManager.default.fileExists(atPath: layout.storageRoot + "/" + $0) }
        let destination = layout.storageRoot + "/" + relative
        try FileManager.default.createDirectory(atPath: (destination as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        // The row shown while the segment was written becomes the finished one (same id).
        let stagingKey = layout.stagingKey(cameraID: cameraID, fileName: segment.fileName)
        let shown = try await RecordingModel.query(on: database()).filter(\.$path == stagingKey).first()
        try FileManager.default.moveItem(atPath: segment.path, toPath: destination)
        let row = Self.row(cameraID: cameraID, path: relative, info: info, end: end, size: size)
        row.sha256 = await sha256
        if let shown {
            Self.copy(row, into: shown)
            try await shown.save(on: database())
            row.id = shown.id
        } else {
            try await row.create(on: database())
        }
        if inProgress[cameraID]?.key == stagingKey { inProgress[cameraID] = nil }
        lastFinished[cameraID] = (end, info)
        logger.debug("Indexed \(relative) (\(String(format: "%.1f", info.duration)) s)")
        await onIndexed(row)
        return true
    }

    /// Shows the segment the camera's ffmpeg is writing as a row (`status` `recording`, its path
    /// the staging file's) within seconds of its first fragment, and moves its end on as the file
    /// grows (docs/design/storage.md, The segment being written). A file that continues the
    /// camera's last finished segment starts where that one ended and holds what it held; any
    /// other is probed once, when it is first seen. After that its last write is its end.
    func trackInProgress(cameraID: UUID) async {
        guard let current = StagingScanner.segments(in: layout.stagingDirectory(cameraID: cameraID)).last, current.size > 4096 else { return }
        let key = layout.stagingKey(cameraID: cameraID, fileName: current.fileName)
        do {
            if let known = inProgress[cameraID], known.key == key {
                guard current.modifiedAt.timeIntervalSince(known.end) >= Self.inProgressStep,
                      let sql = database() as? any SQLDatabase else { return }
                // One statement, every few seconds per camera; a row finished meanwhile is left alone.
                try await sql.raw("""
                    UPDATE recordings SET end_time = \(bind: current.modifiedAt), size_bytes = \(bind: current.size),
                      duration_seconds = \(bind: max(0, current.modifiedAt.timeIntervalSince(known.start)))
                    WHERE id = \(bind: known.row) AND status = \(bind: RecordingModel.Status.recording.rawValue)
                    """).run()
                inProgress[cameraID]?.end = current.modifiedAt
                return
            }
            if let row = try await RecordingModel.query(on: database()).filter(\.$path == key).first() {
                inProgress[cameraID] = (key, row.id!, row.start, row.end)
                return
            }
            let info: MediaFileInfo
            if let previous = lastFinished[cameraID], abs(current.openedAt.timeIntervalSince(previous.end)) < Self.continuationTolerance,
               current.modifiedAt > previous.end {
                info = MediaFileInfo(duration: current.modifiedAt.timeIntervalSince(previous.end), videoCodec: previous.info.videoCodec,
                                     width: previous.info.width, height: previous.info.height, audioCodec: previous.info.audioCodec)
            } else {
                guard let probed = await probe.inspect(current.path), probed.duration > 0 else { return }
                info = probed
            }
            let row = Self.row(cameraID: cameraID, path: key, info: info, end: current.modifiedAt, size: current.size)
            row.status = RecordingModel.Status.recording.rawValue
            try await row.create(on: database())
            inProgress[cameraID] = (key, row.id!, row.start, row.end)
        } catch {
            logger.warning("Cannot show the segment being written for camera \(cameraID): \(error)")
        }
    }

    /// Start-up reconciliation for one camera, before its pipeline starts: index what the
    /// staging folder holds (including a segment cut short by a crash), index permanent files
    /// that have no row, and mark hot rows whose file is gone as missing (a file whose row says
    /// it moved to another tier is not adopted again: the move's job removes it).
    func reconcile(cameraID: UUID, folder: String) async throws -> (indexed: Int, adopted: Int, missing: Int) {
        let indexed = await finalize(cameraID: cameraID, folder: folder, writerActive: false)
        let db = database()
        // Rows of segments being written whose staging file is gone (finished by now, or empty).
        try await RecordingModel.query(on: db).filter(\.$cameraID == cameraID).filter(\.$status == RecordingModel.Status.recording.rawValue).delete()
        inProgress[cameraID] = nil
        let rows = try await RecordingModel.query(on: db).filter(\.$cameraID == cameraID).all()
        var known = Set<String>()
        var missing = 0
        for row in rows {
            known.insert(row.path)
            // Footage in other tiers is checked by the storage service, tier by tier
            // (`StorageReconciler`); one being deleted is the retention job's to finish.
            guard row.tier == StorageTier.hot.rawValue, row.status != RecordingModel.Status.deleting.rawValue else { continue }
            let exists = FileManager.default.fileExists(atPath: layout.storageRoot + "/" + row.path)
            if !exists, row.status != RecordingModel.Status.missing.rawValue {
                row.status = RecordingModel.Status.missing.rawValue
                try await row.save(on: db)
                missing += 1
            } else if exists, row.status == RecordingModel.Status.missing.rawValue {
                row.status = RecordingModel.Status.complete.rawValue
                try await row.save(on: db)
            }
        }
        var adopted = 0
        for relative in permanentFiles(folder: folder) where !known.contains(relative) {
            if try await adopt(relative, cameraID: cameraID) { adopted += 1 }
        }
        if indexed + adopted + missing > 0 {
            logger.notice("Camera \(cameraID): reconciled storage: \(indexed) staged and \(adopted) unindexed segments indexed, \(missing) rows without files")
        }
        return (indexed, adopted, missing)
    }

    /// `{folder}/{YYYY-MM-DD}/*.mp4`, relative to the storage root.
    private func permanentFiles(folder: String) -> [String] {
        let manager = FileManager.default
        let base = layout.storageRoot + "/" + folder
        guard let days = try? manager.contentsOfDirectory(atPath: base) else { return [] }
        return days.filter { $0.count == 10 && $0.allSatisfy { $0.isNumber || $0 == "-" } }.sorted().flatMap { day in
            ((try? manager.contentsOfDirectory(atPath: base + "/" + day)) ?? []).filter { $0.hasSuffix(".mp4") }.sorted().map { "\(folder)/\(day)/\($0)" }
        }
    }

    /// Indexes a permanent file that has no row (e.g. the database was restored from an older backup).
    private func adopt(_ relative: String, cameraID: UUID) async throws -> Bool {
        let path = layout.storageRoot + "/" + relative
        guard let info = await probe.inspect(path),
              let attributes = try? FileManager.default.attributesOfItem(atPath: path),
              let modified = attributes[.modificationDate] as? Date else { return false }
        let size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
        let row = Self.row(cameraID: cameraID, path: relative, info: info, end: modified, size: size)
        row.sha256 = try? await NicedThread.run { try FileHash.sha256(of: path) }
        try await row.create(on: database())
        return true
    }

    /// Gives `row` the values of `source` (all but the id).
    static func copy(_ source: RecordingModel, into row: RecordingModel) {
        row.start = source.start
        row.end = source.end
        row.path = source.path
        row.sizeBytes = source.sizeBytes
        row.durationSeconds = source.durationSeconds
        row.videoCodec = source.videoCodec
        row.width = source.width
        row.height = source.height
        row.audioCodec = source.audioCodec
        row.status = source.status
        row.tier = source.tier
        row.sha256 = source.sha256
    }

    /// A complete row for a segment file that ends at `end`.
    static func row(cameraID: UUID, path: String, info: MediaFileInfo, end: Date, size: Int64) -> RecordingModel {
        let row = RecordingModel()
        row.cameraID = cameraID
        row.start = end.addingTimeInterval(-info.duration)
        row.end = end
        row.path = path
        row.sizeBytes = size
        row.durationSeconds = info.duration
        row.videoCodec = info.videoCodec
        row.width = info.width
        row.height = info.height
        row.audioCodec = info.audioCodec
        row.status = RecordingModel.Status.complete.rawValue
        row.tier = StorageTier.hot.rawValue
        row.createdAt = Date()
        return row
    }
}
