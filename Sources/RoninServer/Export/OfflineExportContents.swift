import FluentKit
import Foundation
import RoninCore

/// What one offline export holds, read from the database when its job starts: the cameras still
/// there (in the order asked for), the videos `ExportPlanner` makes of their complete recordings
/// in the range, and the events of the range with the snapshot each has on disk.
///
/// Segment locations in the plan are recording ids; `clip(for:)` turns them into places ffmpeg
/// reads just before a video is cut, so a presigned URL of cold footage is fresh when used.
struct OfflineExportContents: Sendable {
    /// At most this many events go into one export (the newest are left out beyond it).
    static let maxEvents = 10_000

    /// An event and its snapshot: the file the NVR keeps, and where it goes in the export.
    struct EventEntry: Sendable {
        let event: ExportManifest.Event
        let source: String?
    }

    let cameras: [ExportManifest.Camera]
    let videos: [ExportPlanner.Video]
    let events: [EventEntry]
    let recordings: [String: RecordingModel]

    static func load(_ export: OfflineExportModel, artifacts: ArtifactFiles, database: any Database) async throws -> OfflineExportContents {
        let zone = OfflineExportService.zone(export.timeZone)
        let ids = export.cameraIDs
        let found = try await CameraModel.query(on: database).filter(\.$id ~~ ids).all()
        let byID = Dictionary(found.compactMap { camera in camera.id.map { ($0, camera) } }, uniquingKeysWith: { first, _ in first })
        let cameras = ids.compactMap { byID[$0] }
        let rows = try await RecordingModel.query(on: database).filter(\.$cameraID ~~ cameras.compactMap(\.id))
            .filter(\.$start >= export.start.addingTimeInterval(-PlaybackQueries.maxSegmentSeconds))
            .filter(\.$start < export.end).filter(\.$end > export.start)
            .filter(\.$status == RecordingModel.Status.complete.rawValue)
            .sort(\.$start).all()
        var recordings: [String: RecordingModel] = [:]
        for row in rows { recordings[row.id!.uuidString] = row }
        let planned = cameras.map { camera in
            ExportPlanner.Camera(id: camera.id!, folder: camera.folderName, segments: rows.filter { $0.cameraID == camera.id }.map {
                ExportPlanner.Segment(location: $0.id!.uuidString, span: TimeSpan(start: $0.start, end: $0.end), bytes: $0.sizeBytes)
            })
        }
        let videos = ExportPlanner.videos(cameras: planned, range: export.range, zone: zone)

        let folders = Dictionary(cameras.map { ($0.id!, $0.folderName) }, uniquingKeysWith: { first, _ in first })
        let rowsOfEvents = cameras.isEmpty ? [] : try await EventModel.query(on: database).filter(\.$cameraID ~~ cameras.compactMap(\.id))
            .filter(\.$start < export.end).filter(\.$lastSeen >= export.start)
            .sort(\.$start).limit(Self.maxEvents).all()
        let events = rowsOfEvents.map { row -> EventEntry in
            let id = row.id!
            let file = artifacts.snapshot(camera: row.cameraID, event: id)
            let exists = LocalExportFileSystem().kind(of: file) == .file
            let path = exists ? ExportPlanner.snapshotPath(cameraFolder: folders[row.cameraID] ?? "camera", eventID: id, className: row.className,
                                                           kind: row.kind, start: row.start, zone: zone) : nil
            return EventEntry(event: .init(id: id, cameraID: row.cameraID, kind: row.kind, className: row.className, start: row.start, end: row.end,
                                           peakConfidence: row.peakConfidence, snapshot: path),
                              source: exists ? file : nil)
        }
        return OfflineExportContents(cameras: cameras.map { .init(id: $0.id!, name: $0.name, folder: ExportPlanner.cameraFolder($0.folderName)) },
                                     videos: videos, events: events, recordings: recordings)
    }

    /// The cut of `video` from where its segments are now; nil when none of them can be read any
    /// more (deleted by retention since the plan was made).
    func clip(for video: ExportPlanner.Video, footage: FootageStore) async -> ClipPlan? {
        var segments: [ClipPlan.Segment] = []
        for segment in video.segments {
            guard let row = recordings[segment.location], let location = try? await footage.readableLocation(of: row) else { continue }
            segments.append(ClipPlan.Segment(path: location, span: segment.span))
        }
        return ClipPlan(segments: segments, request: video.span)
    }
}
