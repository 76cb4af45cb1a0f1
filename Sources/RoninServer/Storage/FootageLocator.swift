import FluentKit
import Foundation
import RoninCore
import RoninMedia

/// Finds the footage of a camera at an instant or over a range: its complete recordings (through
/// the footage store) and the segment being written now (in the staging folder, whose fragments
/// reach the file within a second). Artifacts and event clips read footage through it, so they
/// work as soon as the footage exists.
///
/// A staged file's time is anchored at its end, as the indexer anchors a finished segment
/// (docs/design/storage.md): its last write is its last frame, and its media duration reaches
/// back from there. The time in its name is when ffmpeg opened it, which a camera's start-up
/// burst (seconds of buffered frames sent at once) puts seconds after the first frame.
struct FootageLocator: Sendable {
    /// A file and the time it covers (media time 0 is `span.start`).
    struct Piece: Sendable, Equatable {
        let path: String
        let span: TimeSpan
    }

    let footage: FootageStore
    let layout: SegmentLayout
    let probe: MediaFileProbe
    let database: @Sendable () -> any Database

    /// Every piece of footage overlapping `range`, oldest first.
    func pieces(camera: UUID, range: TimeSpan, now: Date = Date()) async throws -> [Piece] {
        let rows = try await RecordingModel.query(on: database())
            .filter(\.$cameraID == camera)
            .filter(\.$start >= range.start.addingTimeInterval(-PlaybackQueries.maxSegmentSeconds))
            .filter(\.$start < range.end).filter(\.$end > range.start)
            .filter(\.$status == RecordingModel.Status.complete.rawValue)
            .sort(\.$start).all()
        var pieces: [Piece] = []
        for row in rows {
            guard let path = try? await footage.readableLocation(of: row) else { continue }
            pieces.append(Piece(path: path, span: TimeSpan(start: row.start, end: row.end)))
        }
        // Segments still in staging: the one being written (up to its last write) and finished
        // ones the indexer has not moved yet.
        for staged in StagingScanner.segments(in: layout.stagingDirectory(cameraID: camera)) where staged.size > 1024 {
            // Files opened after the range ended hold none of it; others are probed (a staged file
            // is at most one segment long, and few are staged at once).
            guard staged.openedAt < range.end, staged.modifiedAt > range.start,
                  let info = await probe.inspect(staged.path), info.duration > 0 else { continue }
            let end = min(staged.modifiedAt, now)
            let span = TimeSpan(start: end.addingTimeInterval(-info.duration), end: end)
            let known = pieces.contains { $0.span.overlaps(TimeSpan(start: span.start.addingTimeInterval(1), end: span.end.addingTimeInterval(-1))) }
            if !known, span.overlaps(range) { pieces.append(Piece(path: staged.path, span: span)) }
        }
        return pieces.sorted { $0.span.start < $1.span.start }
    }

    /// The file holding `instant` and the offset of the instant in it; nil when no footage of
    /// that moment exists (yet).
    func frame(camera: UUID, at instant: Date, now: Date = Date()) async throws -> (path: String, offset: Double)? {
        let range = TimeSpan(start: instant, end: instant.addingTimeInterval(0.001))
        let found = try await pieces(camera: camera, range: range, now: now)
        guard let piece = found.last(where: { $0.span.start <= instant && instant < $0.span.end }) else { return nil }
        return (piece.path, instant.timeIntervalSince(piece.span.start))
    }
}
