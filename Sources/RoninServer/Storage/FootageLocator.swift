import FluentKit
import Foundation
import RoninCore
import RoninMedia

/// Finds the footage of a camera at an instant or over a range: its complete recordings (through
/// the footage store, whatever tier holds them) and the segment being written now (its in-progress
/// row, whose fragments reach the file within a second). Artifacts and event clips read footage
/// through it, so they work as soon as the footage exists.
///
/// The segment being written starts where its row says (probed once, when the row was made,
/// anchored at the file's end as the indexer anchors a finished segment: docs/design/storage.md)
/// and ends at its last write. A staged file without a row yet is probed here.
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
            .filter(\.$start < range.end).filter(\.$end > range.start.addingTimeInterval(-PlaybackQueries.maxSegmentSeconds))
            .filter(\.$status ~~ [RecordingModel.Status.complete.rawValue, RecordingModel.Status.recording.rawValue])
            .sort(\.$start).all()
        var pieces: [Piece] = []
        var shown = Set<String>()
        for row in rows {
            guard let path = try? await footage.readableLocation(of: row) else { continue }
            var span = TimeSpan(start: row.start, end: row.end)
            if row.status == RecordingModel.Status.recording.rawValue {
                // Being written: its row's start was probed once; its end is the file's last write.
                shown.insert((row.path as NSString).lastPathComponent)
                let written = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date ?? row.end
                span = TimeSpan(start: row.start, end: max(row.end, min(written, now)))
            }
            if span.overlaps(range) { pieces.append(Piece(path: path, span: span)) }
        }
        // Staged segments without a row yet (finished ones the indexer has not moved, or one just
        // opened): probed here, which is rare.
        for staged in StagingScanner.segments(in: layout.stagingDirectory(cameraID: camera)) where staged.size > 1024 && !shown.contains(staged.fileName) {
            guard staged.openedAt < range.end, staged.modifiedAt > range.start,
                  let info = await probe.inspect(staged.path), info.duration > 0 else { continue }
            let end = min(staged.modifiedAt, now)
            let span = TimeSpan(start: end.addingTimeInterval(-info.duration), end: end)
            let known = pieces.contains { $0.span.overlaps(TimeSpan(start: span.start.addingTimeInterval(1), end: span.end.addingTimeInterval(-1))) }
            if !known, span.overlaps(range) { pieces.append(Piece(path: staged.path, span: span)) }
        }
        return pieces.sorted { $0.span.start < $1.span.start }
    }

    /// The file holding `instant` and the offset to take its picture at (`FrameOffset`: a moment
    /// in a file's last instants is taken from its last frames); nil when no footage of that
    /// moment exists (yet).
    func frame(camera: UUID, at instant: Date, now: Date = Date()) async throws -> (path: String, offset: Double)? {
        let range = TimeSpan(start: instant, end: instant.addingTimeInterval(0.001))
        let found = try await pieces(camera: camera, range: range, now: now)
        guard let piece = found.last(where: { $0.span.start <= instant && instant < $0.span.end }) else { return nil }
        return (piece.path, FrameOffset.of(instant, in: piece.span))
    }
}
