import Foundation
import RoninCore
import RoninMedia

/// Cuts an event's clip from its footage, EVENT_PRE_SECONDS before to EVENT_POST_SECONDS after,
/// without re-encoding, into a plain MP4 (index at the front, so players seek in it at once).
struct EventClipMaker: Sendable {
    let locator: FootageLocator
    let cutter: ClipCutter
    let ffmpegPath: String
    let preSeconds: Double
    let postSeconds: Double

    /// The footage range the clip of `event` covers.
    func range(of event: EventModel) -> TimeSpan {
        TimeSpan(start: event.start.addingTimeInterval(-preSeconds), end: (event.end ?? event.lastSeen).addingTimeInterval(postSeconds))
    }

    /// Writes the clip to `output` (through a temporary file); returns the footage it holds, nil
    /// when there is none.
    func make(_ event: EventModel, output: String, now: Date = Date()) async throws -> TimeSpan? {
        let range = range(of: event)
        let pieces = try await locator.pieces(camera: event.cameraID, range: range, now: now)
        guard let plan = ClipPlan(segments: pieces.map { ClipPlan.Segment(path: $0.path, span: $0.span) }, request: range) else { return nil }
        let fragmented = output + ".part"
        FileManager.default.createFile(atPath: fragmented, contents: nil, attributes: [.posixPermissions: 0o600])
        defer { try? FileManager.default.removeItem(atPath: fragmented) }
        guard let handle = FileHandle(forWritingAtPath: fragmented) else { throw ArtifactError("cannot write \(fragmented)") }
        let run = try cutter.start(plan)
        do {
            while let chunk = await run.next() { try handle.write(contentsOf: chunk) }
            try handle.close()
            try await run.finish()
        } catch {
            try? handle.close()
            throw error
        }
        let result = try await ProcessRunner().runInBackground(ffmpegPath, arguments: [
            "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-i", "file:" + fragmented, "-c", "copy",
            "-movflags", "+faststart", "-f", "mp4", "file:" + output + ".tmp",
        ], timeout: 120)
        guard result.exitCode == 0, !result.timedOut else {
            try? FileManager.default.removeItem(atPath: output + ".tmp")
            throw ArtifactError("ffmpeg could not finish the clip: \(String(decoding: result.stderr, as: UTF8.self).suffix(300))")
        }
        guard rename(output + ".tmp", output) == 0 else { throw ArtifactError("cannot move the clip into place (errno \(errno))") }
        return plan.covered
    }
}
