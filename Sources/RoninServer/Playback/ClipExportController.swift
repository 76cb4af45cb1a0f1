import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import RoninCore
import RoninMedia

/// `/api/playback/…/export`: any range of a camera's footage as one MP4, or several cameras'
/// as one ZIP, streamed while ffmpeg cuts it (see docs/design/playback.md). Memory stays at a
/// pipe's worth whatever the length; a client that goes away stops ffmpeg, and so does one that
/// stops reading for `stallSeconds`. Exports hold a slot each (`ExportSlots`): a few per user
/// and in all, `429` with Retry-After beyond.
struct ClipExportController {
    let footage: FootageStore
    let maxHours: Int
    let cutter: ClipCutter
    let slots: ExportSlots
    let stallSeconds: Int
    let database: @Sendable () -> any Database
    let logger: Logger

    func register(on api: APIRouteTable) {
        api.add(APIOperation(.get, "/api/playback/{camera_id}/export", "One MP4 of a range (UTC), cut at keyframes without re-encoding", tag: "playback", access: .signedIn)
            .query("start", "string", "Range start, UTC ISO 8601").query("end", "string", "Range end, UTC ISO 8601")
            .query("tz", "string", "Time zone for the file name (default UTC)")
            .returns(200, "The clip, as a download", contentType: "video/mp4").returns(400, "Bad or too long range", "Error")
            .returns(404, "No such camera, or no footage in the range", "Error")
            .returns(429, "Too many exports running; see Retry-After", "Error"), handler: exportOne)
        api.add(APIOperation(.get, "/api/playback/export", "Several cameras' clips of one range as a ZIP", tag: "playback", access: .signedIn)
            .query("camera_ids", "string", "Camera ids separated by commas").query("start", "string", "Range start, UTC ISO 8601")
            .query("end", "string", "Range end, UTC ISO 8601").query("tz", "string", "Time zone for the file names (default UTC)")
            .returns(200, "A ZIP with one MP4 per camera that has footage", contentType: "application/zip")
            .returns(404, "No footage from any of the cameras in the range", "Error")
            .returns(429, "Too many exports running; see Retry-After", "Error"), handler: exportMany)
    }

    @Sendable func exportOne(_ request: Request, context: RoninRequestContext) async throws -> Response {
        let (range, zone) = try requestedRange(request)
        let camera = try await PlaybackRequest.camera(context, on: database())
        guard let plan = try await plan(camera, range) else {
            throw APIError.notFound("No footage from \(camera.name) between \(Self.iso(range.start)) and \(Self.iso(range.end))")
        }
        let slot = try await slots.acquire(for: try context.requireUser().id)
        let run = try start(plan)
        // The first piece tells whether ffmpeg could read the footage, before the status is sent.
        guard let first = await run.next() else {
            try await run.finish()
            throw APIError(.internalServerError, "export_failed", "The clip came out empty")
        }
        let name = ExportFileName.clip(folder: camera.folderName, span: plan.covered, in: zone)
        let logger = logger
        let watchdog = stallWatchdog(context, name: name) { run.cancel() }
        let body = ResponseBody { writer in
            defer { withExtendedLifetime(slot) { watchdog.stop() } }
            do {
                try await watchdog.watch { try await writer.write(ByteBuffer(bytes: first)) }
                while let chunk = await run.next() { try await watchdog.watch { try await writer.write(ByteBuffer(bytes: chunk)) } }
                try await run.finish()
                try await writer.finish(nil)
            } catch {
                run.cancel()
                logger.warning("Clip export of \(name) stopped: \(error)")
                throw error
            }
        }
        return Response(status: .ok, headers: Self.downloadHeaders(name: name, contentType: "video/mp4"), body: body)
    }

    @Sendable func exportMany(_ request: Request, context: RoninRequestContext) async throws -> Response {
        let (range, zone) = try requestedRange(request)
        let cameras = try await PlaybackRequest(request: request).cameras(on: database())
        var clips: [(name: String, plan: ClipPlan)] = []
        for camera in cameras {
            if let plan = try await plan(camera, range) {
                clips.append((ExportFileName.clip(folder: camera.folderName, span: plan.covered, in: zone), plan))
            }
        }
        guard !clips.isEmpty else {
            throw APIError.notFound("None of the cameras has footage between \(Self.iso(range.start)) and \(Self.iso(range.end))")
        }
        let archive = ExportFileName.archive(span: range, in: zone)
        let slot = try await slots.acquire(for: try context.requireUser().id)
        let (cutter, logger, entries) = (cutter, logger, clips)
        let current = CurrentCut()
        let watchdog = stallWatchdog(context, name: archive) { current.cancel() }
        let body = ResponseBody { writer in
            defer { withExtendedLifetime(slot) { watchdog.stop() } }
            var zip = ZipStreamWriter()
            for clip in entries {
                let run = try cutter.start(clip.plan)
                current.set(run)
                do {
                    try await watchdog.watch { try await writer.write(ByteBuffer(bytes: zip.beginEntry(name: clip.name, modified: Date()))) }
                    while let chunk = await run.next() {
                        chunk.withUnsafeBytes { zip.entryData($0) }
                        try await watchdog.watch { try await writer.write(ByteBuffer(bytes: chunk)) }
                    }
                    try await run.finish()
                    try await watchdog.watch { try await writer.write(ByteBuffer(bytes: zip.endEntry())) }
                } catch {
                    run.cancel()
                    logger.warning("Export archive \(archive) stopped at \(clip.name): \(error)")
                    throw error
                }
            }
            try await watchdog.watch { try await writer.write(ByteBuffer(bytes: zip.finish())) }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: Self.downloadHeaders(name: archive, contentType: "application/zip"), body: body)
    }

    /// Ends an export whose client has not taken a write for `stallSeconds`: stops ffmpeg and
    /// closes the connection (which ends the waiting write, and so the body, with an error).
    func stallWatchdog(_ context: RoninRequestContext, name: String, stopCutting: @escaping @Sendable () -> Void) -> WriteStallWatchdog {
        let (channel, logger, seconds, client) = (context.channel, logger, stallSeconds, context.clientAddress)
        return WriteStallWatchdog(limit: .seconds(seconds)) {
            logger.warning("Export \(name) to \(client) stopped: the client read nothing for \(seconds) s")
            stopCutting()
            channel.close(promise: nil)
        }
    }

    /// `start`/`end` (UTC), checked against each other and EXPORT_MAX_HOURS, and `tz` for names.
    func requestedRange(_ request: Request) throws -> (TimeSpan, TimeZone) {
        let query = request.uri.queryParameters
        let start = try RecordingsController.time(query.get("start"), name: "start")
        let end = try RecordingsController.time(query.get("end"), name: "end")
        guard start < end else { throw APIError.badRequest("'end' must be after 'start'") }
        guard end.timeIntervalSince(start) <= TimeInterval(maxHours) * 3600 else {
            throw APIError.badRequest("An export may span at most \(maxHours) hours (EXPORT_MAX_HOURS)")
        }
        return (TimeSpan(start: start, end: end), try PlaybackRequest(request: request).timeZone().zone)
    }

    /// The camera's complete segments in the range whose files are on disk, as a cut plan.
    func plan(_ camera: CameraModel, _ range: TimeSpan) async throws -> ClipPlan? {
        let rows = try await RecordingModel.query(on: database())
            .filter(\.$cameraID == camera.id!)
            .filter(\.$start >= range.start.addingTimeInterval(-PlaybackQueries.maxSegmentSeconds))
            .filter(\.$start < range.end).filter(\.$end > range.start)
            .filter(\.$status ~~ [RecordingModel.Status.complete.rawValue, RecordingModel.Status.recording.rawValue])
            .sort(\.$start).all()
        // Whatever tier holds each segment: local files, or cold footage read by ffmpeg with ranges.
        var segments: [ClipPlan.Segment] = []
        for row in rows {
            guard let location = try? await footage.readableLocation(of: row) else { continue }
            segments.append(ClipPlan.Segment(path: location, span: TimeSpan(start: row.start, end: row.end)))
        }
        return ClipPlan(segments: segments, request: range)
    }

    func start(_ plan: ClipPlan) throws -> ClipCutter.Run {
        do { return try cutter.start(plan) } catch { throw APIError(.internalServerError, "export_failed", "\(error)") }
    }

    /// `attachment` with an ASCII name for old clients and the exact name in RFC 5987 form.
    static func downloadHeaders(name: String, contentType: String) -> HTTPFields {
        let ascii = String(name.map { $0.isASCII && $0 != "\"" && $0 != "\\" && !$0.isNewline ? $0 : "_" })
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? ascii
        return [.contentType: contentType, .cacheControl: "no-store",
                .contentDisposition: "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"]
    }

    static func iso(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }
}

/// The cut a multi-camera export is running now, so its stall watchdog can stop it.
final class CurrentCut: @unchecked Sendable {
    private let lock = NSLock()
    private var run: ClipCutter.Run?

    func set(_ run: ClipCutter.Run) {
        lock.lock(); defer { lock.unlock() }
        self.run = run
    }

    func cancel() {
        lock.lock(); defer { lock.unlock() }
        run?.cancel()
    }
}
