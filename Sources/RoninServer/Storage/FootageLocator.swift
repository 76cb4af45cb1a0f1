import FluentKit
import Foundation
import RoninCore
import RoninMedia

/// Finds the footage of a camera at an instant or over a range: its complete recordings (through
/// the footage store) and the segment being written now (in the staging folder, whose fragments
/// reach the file within a second). Artifacts and event clips read footage through it, so they
/// work as soon as the footage exists.
struct FootageLocator: Sendable {
    /// A file and the time it covers (media time 0 is `span.start`).
    struct Piece: Sendable, Equatable {
        let path: String
        let span: TimeSpan
    }

    let footage: any FootageStore
    let layout: SegmentLayout
    let database: @Sendable () -> any Database

    /// Every piece of footage overlapping `range`, oldest first.
    func pieces(camera: UUID, range: TimeSpan, now: Date = Date()) async throws -> [Piece] {
        let rows = try await RecordingModel.query(on: database())
            .filter(\.$cameraID == camera)
            .filter(\.$start >= range.start.addingTimeInterval(-PlaybackQueries.maxSegmentSeconds))
            .filter(\.$start < range.end).filter(\.$end > range.start)
            .filter(\.$status == RecordingModel.Status.complete.rawValue)
            .sort(\.$start).all()
        var pieces = rows.compactMap { row -> Piece? in
            guard let path = try? footage.localFile(path: row.path) else { return nil }
            return Piece(path: path, span: TimeSpan(start: row.start, end: row.end))
        }
        // Segments still in staging: the one being written (up to its last write) and finished
        // ones the indexer has not moved yet.
        for staged in StagingScanner.segments(in: layout.stagingDirectory(cameraID: camera)) where staged.size > 1024 {
            let span = TimeSpan(start: staged.openedAt, end: max(staged.openedAt, min(staged.modifiedAt, now)))
            let known = pieces.contains { abs($0.span.start.timeIntervalSince(span.start)) < 1 }
            if !known, span.seconds > 0, span.overlaps(range) { pieces.append(Piece(path: staged.path, span: span)) }
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
