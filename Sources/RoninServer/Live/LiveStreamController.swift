import Foundation
import Hummingbird
import RoninCore

/// Serves each camera's live HLS (playlist, init segment, media segments) from its ephemeral
/// folder, to signed-in users (bearer or cookie, so `<video>` and our MSE player can fetch it).
struct LiveStreamController {
    let layout: SegmentLayout
    let database: @Sendable () -> any Database
    let files = FileResponder()

    func register(on api: APIRouteTable) {
        api.add(APIOperation(.get, "/api/cameras/{id}/live/{file}", "Live HLS of the main stream (stream.m3u8, init.mp4, segments)", tag: "live", access: .signedIn)
            .returns(200, "Playlist or segment", contentType: "application/vnd.apple.mpegurl").returns(404, "Not live now", "Error").withHead()) { request, context in
            try await serve(request, context: context, sub: false)
        }
        api.add(APIOperation(.get, "/api/cameras/{id}/live/sub/{file}", "Live HLS of the sub-stream, for the grid", tag: "live", access: .signedIn)
            .returns(200, "Playlist or segment", contentType: "application/vnd.apple.mpegurl").returns(404, "Not live now", "Error").withHead()) { request, context in
            try await serve(request, context: context, sub: true)
        }
    }

    func serve(_ request: Request, context: RoninRequestContext, sub: Bool) async throws -> Response {
        let id = try context.uuid("id", of: "camera")
        let name = context.parameters.get("file") ?? ""
        guard let type = Self.contentType(for: name) else { throw APIError.notFound("No live file named '\(ErrorMiddleware.printable(name))'") }
        guard try await CameraModel.find(id, on: database()) != nil else { throw APIError.notFound("No camera with id \(id)") }
        let directory = layout.liveDirectory(cameraID: id) + (sub ? "/sub" : "")
        let path = directory + "/" + name
        guard FileManager.default.fileExists(atPath: path) else {
            throw APIError.notFound(name == "stream.m3u8" ? "This camera is not live right now" : "That live segment has expired")
        }
        let cache = name.hasSuffix(".m3u8") ? "no-cache" : "private, max-age=60"
        return try await files.respond(path: path, contentType: type, request: request, context: context, cacheControl: cache)
    }

    /// Only the names ffmpeg's HLS muxer writes: no separators, no dot files.
    static func contentType(for name: String) -> String? {
        guard !name.isEmpty, name.count <= 64, !name.hasPrefix("."),
              name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "_" || $0 == "-") }) else { return nil }
        if name.hasSuffix(".m3u8") { return "application/vnd.apple.mpegurl" }
        if name.hasSuffix(".m4s") { return "video/iso.segment" }
        if name.hasSuffix(".mp4") { return "video/mp4" }
        return nil
    }
}

import FluentKit
